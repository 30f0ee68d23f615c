/**
 * Vnodes as the FreeBSD pager meets them (reference/freebsd-vm-facts.md §5 and the contract's "Vnodes and
 * locks" and "File system and disk"): use references (vref, vrele, vput, vunref, vget), the shared or
 * exclusive vnode lock, vinactive, vinvalbuf, VOP_BMAP over the block map, VOP_READ and VOP_WRITE that
 * start disk requests, the two VOP_PUTPAGES, and deadfs once vgone has finished.
 */
import { EBUSY, EDEADLK, EIO, ENOENT, EOPNOTSUPP } from '../kernel/constants';
import { awaitRequest, startRequest } from '../kernel/disk';
import { vnLockName } from '../kernel/kernel';
import { lockmgrAcquire, lockmgrHeld, lockmgrRelease } from '../kernel/locks';
import { panic } from '../kernel/sched';
import { BLOCK, type KThread, type Proc } from '../kernel/types';
import {
  IO_ASYNC,
  IO_SYNC,
  LK_EXCLUSIVE,
  LK_NOWAIT,
  LK_RETRY,
  LK_SHARED,
  MAXPHYS,
  OBJ_MIGHTBEDIRTY,
  OBJPR_CLEANONLY,
  VM_PAGER_ERROR,
} from './flags';
import { blockAt, blockCount, refreshState, type BsdKernel, type BsdVnode, type FPage } from './state';
import { KASSERT, VM_OBJECT_WLOCK, VM_OBJECT_WUNLOCK } from './sync';
import { vm_object_page_remove, vm_object_pip_wait } from './vm_object';
import { vm_object_page_clean } from './vm_pageout';
import { vm_page_clear_dirty } from './vm_page';
import {
  vnode_pager_generic_putpages,
  vnode_pager_putpages_ioflags,
  vnode_pager_undirty_pages,
} from './vnode_pager_putpages';

// ---------------------------------------------------------------- references

/** usecount + n; a new use reference clears VI_OWEINACT, as v_incr_usecount does. */
export function vrefAdd(vp: BsdVnode, n: number): void {
  vp.usecount += n;
  if (n > 0) vp.oweinact = false;
  refreshState(vp);
}

/** vrefact: one more use reference on a vnode already in use. */
export const vrefact = (vp: BsdVnode): void => vrefAdd(vp, 1);

/** vunref (in vnode_pager_dealloc): usecount - 1 and nothing else. */
export const vunref = (vp: BsdVnode): void => vrefAdd(vp, -1);

/**
 * vrele (vputx): usecount - 1; unless another vinactive runs, the last use reference sets VI_OWEINACT,
 * takes the vnode lock exclusively (it may block; a doomed vnode fails with ENOENT) and runs vinactive if
 * VI_OWEINACT is still set: a vref meanwhile, or another thread's vinactive, has cleared it.
 */
export function* vrele(k: BsdKernel, th: KThread, vp: BsdVnode): Proc {
  if (vp.usecount <= 0) yield* panic(k, th, `vrele: negative ref cnt`);
  vrefAdd(vp, -1);
  if (vp.usecount > 0 || vp.doinginact) return;
  vp.oweinact = true;
  const error = yield* vn_lock(k, th, vp, LK_EXCLUSIVE);
  if (error !== 0) return;
  if (vp.oweinact) yield* vinactive(k, th, vp);
  yield* VOP_UNLOCK(k, th, vp);
}

/** vput: VOP_UNLOCK, then the reference goes as vrele's. */
export function* vput(k: BsdKernel, th: KThread, vp: BsdVnode): Proc {
  yield* VOP_UNLOCK(k, th, vp);
  yield* vrele(k, th, vp);
}

/** vget(vp, flags): vn_lock, then (if that succeeded) one more use reference. */
export function* vget(k: BsdKernel, th: KThread, vp: BsdVnode, flags: number): Proc<number> {
  const error = yield* vn_lock(k, th, vp, flags);
  if (error === 0) vrefAdd(vp, 1);
  return error;
}

/** vinactive: flush the pages a writable mapping may have dirtied (no waiting for the writes). */
export function* vinactive(k: BsdKernel, th: KThread, vp: BsdVnode): Proc {
  vp.doinginact = true;
  vp.oweinact = false;
  const obj = vp.v_object === null ? null : k.object(vp.v_object);
  if (obj !== null && (obj.flags & OBJ_MIGHTBEDIRTY) !== 0) {
    yield* VM_OBJECT_WLOCK(k, th, obj);
    yield* vm_object_page_clean(k, th, obj, 0, 0, 0);
    yield* VM_OBJECT_WUNLOCK(k, th, obj);
  }
  vp.doinginact = false;
}

/** vinvalbuf(vp, V_SAVE): wait for paging ("bovlbx"), then drop the clean pages of the VM cache. */
export function* vinvalbuf(k: BsdKernel, th: KThread, vp: BsdVnode): Proc {
  if (vp.v_object === null) return;
  const obj = k.object(vp.v_object);
  yield* VM_OBJECT_WLOCK(k, th, obj);
  yield* vm_object_pip_wait(k, th, obj, 'bovlbx');
  yield* vm_object_page_remove(k, th, obj, 0, 0, OBJPR_CLEANONLY);
  yield* VM_OBJECT_WUNLOCK(k, th, obj);
}

export function* VOP_ADD_WRITECOUNT(k: BsdKernel, th: KThread, vp: BsdVnode, inc: number): Proc {
  yield* KASSERT(k, th, vp.writecount + inc >= 0, () => `neg writecount increment ${inc}`);
  vp.writecount += inc;
}

// ---------------------------------------------------------------- the vnode lock

/**
 * vn_lock(vp, flags): shared when nobody holds it exclusively, exclusive when nobody holds it; LK_NOWAIT
 * fails with EBUSY. On a doomed vnode, without LK_RETRY, the lock is taken, dropped, and ENOENT returned.
 */
export function* vn_lock(k: BsdKernel, th: KThread, vp: BsdVnode, flags: number): Proc<number> {
  const name = vnLockName(vp.name);
  const shared = (flags & LK_SHARED) !== 0 && (flags & LK_EXCLUSIVE) === 0;
  for (;;) {
    // lockmgr refuses a shared request from the exclusive owner rather than deadlock.
    if (shared && lockmgrHeld(k, th, name) === 'exclusive') return EDEADLK;
    const got = yield* lockmgrAcquire(k, th, name, { shared, nowait: true, recurse: 'allow' });
    if (got === 'ok') break;
    if (flags & LK_NOWAIT) return EBUSY;
    th.status = 'lock';
    th.wait = name;
    yield BLOCK;
  }
  if (vp.doomed && (flags & LK_RETRY) === 0) {
    yield* VOP_UNLOCK(k, th, vp);
    return ENOENT;
  }
  return 0;
}

export function* VOP_UNLOCK(k: BsdKernel, th: KThread, vp: BsdVnode): Proc {
  const released = lockmgrRelease(k, th, vnLockName(vp.name));
  if (released !== 'ok') yield* panic(k, th, `lockmgr_unlock: ${vp.name} not locked by ${th.id}`);
}

/** VOP_ISLOCKED for the calling thread. */
export function VOP_ISLOCKED(k: BsdKernel, th: KThread, vp: BsdVnode): number {
  const held = lockmgrHeld(k, th, vnLockName(vp.name));
  return held === 'exclusive' ? LK_EXCLUSIVE : held === 'shared' ? LK_SHARED : 0;
}

// ---------------------------------------------------------------- the file system

/** What VOP_BMAP writes: only the outputs whose pointer was not NULL. */
export interface BmapResult {
  error: number;
  bn?: number;
  run?: number;
  runb?: number;
}

/**
 * VOP_BMAP(vp, bn, &bo, bnp, runp, runb) over the vnode's block map; `want` says which pointers are not
 * NULL. With `bmap: false` it fails (EOPNOTSUPP) and writes nothing.
 */
export function VOP_BMAP(
  k: BsdKernel,
  vp: BsdVnode,
  bn: number,
  want: { bnp: boolean; runp: boolean; runb: boolean },
): BmapResult {
  if (vp.deadfs) return { error: EIO };
  const mp = k.mount(vp);
  if (!mp.bmap) return { error: EOPNOTSUPP };
  if (!want.bnp) return { error: 0 };
  const iosize = mp.iosize;
  const count = blockCount(vp);
  const at = (j: number) => blockAt(vp, iosize, j);
  const addr = at(bn);
  const out: BmapResult = { error: 0, bn: addr };
  if (addr === -1 || !want.runp) {
    if (want.runp) out.run = 0;
    if (want.runb) out.runb = 0;
    return out;
  }
  const step = iosize / 512;
  const maxrun = MAXPHYS / iosize - 1;
  let run = 0;
  for (let j = bn + 1; j < count && run < maxrun && at(j) === at(j - 1) + step; j++) run++;
  out.run = run;
  if (want.runb) {
    let runb = 0;
    // "Backwards the same way": the contiguity test alone, so a hole (-1) just before a block at
    // iosize/512 - 1 counts, as UFS's is_sequential() counts a hole (0) before a block at fs_frag.
    for (let j = bn - 1; j >= 0 && runb < maxrun && at(j) === at(j + 1) - step; j--) runb++;
    out.runb = runb;
  }
  return out;
}

/** The resident pages of the vnode's object a byte range covers (what a transfer maps). */
function pagesIn(k: BsdKernel, vp: BsdVnode, offset: number, length: number): FPage[] {
  if (vp.v_object === null || length <= 0) return [];
  const obj = k.object(vp.v_object);
  const out: FPage[] = [];
  for (let p = Math.floor(offset / 4096); p * 4096 < offset + length; p++) {
    const m = k.lookup(obj, p);
    if (m) out.push(m);
  }
  return out;
}

/** VOP_READ (vnode_pager_input_old): request N, wait; the errno and uio_resid. */
export function* VOP_READ(
  k: BsdKernel,
  th: KThread,
  vp: BsdVnode,
  offset: number,
  length: number,
): Proc<{ error: number; resid: number }> {
  if (vp.deadfs) return { error: EIO, resid: length };
  const pages = pagesIn(k, vp, offset, length).map((m) => m.id);
  const req = startRequest(k, th, {
    vnode: vp.name,
    rw: 'read',
    offset,
    length,
    pages,
    fields: { blkno: null, async: false },
  });
  const io = yield* awaitRequest(k, th, req);
  if (io.error) return { error: EIO, resid: length };
  return { error: 0, resid: length - io.done };
}

/**
 * VOP_WRITE with UIO_NOCOPY (putpages): a "generic" mount clears the dirty bits of the bytes written
 * first; then IO_SYNC waits for the request, IO_ASYNC starts it and goes on, neither delays the write.
 */
export function* VOP_WRITE(
  k: BsdKernel,
  th: KThread,
  vp: BsdVnode,
  offset: number,
  length: number,
  ioflags: number,
): Proc<{ error: number; resid: number }> {
  if (vp.deadfs) return { error: EIO, resid: length };
  if (length === 0) return { error: 0, resid: 0 };
  const covered = pagesIn(k, vp, offset, length);
  if (k.mount(vp).putpages === 'generic')
    for (const m of covered) {
      const start = Math.max(offset, m.pindex * 4096);
      const end = Math.min(offset + length, m.pindex * 4096 + 4096);
      vm_page_clear_dirty(k, m, start - m.pindex * 4096, end - start);
    }
  const pages = covered.map((m) => m.id);
  if (ioflags & IO_SYNC) {
    const req = startRequest(k, th, {
      vnode: vp.name,
      rw: 'write',
      offset,
      length,
      pages,
      fields: { blkno: null, async: false },
    });
    const io = yield* awaitRequest(k, th, req);
    if (io.error) return { error: EIO, resid: length };
    return { error: 0, resid: length - io.done };
  }
  if (ioflags & IO_ASYNC)
    startRequest(k, th, {
      vnode: vp.name,
      rw: 'write',
      offset,
      length,
      pages,
      detached: true,
      fields: { blkno: null, async: true },
    });
  return { error: 0, resid: 0 };
}

/** VOP_PUTPAGES: vnode_pager_generic_putpages on a "generic" mount, the NFS-like one on "undirty". */
export function* VOP_PUTPAGES(
  k: BsdKernel,
  th: KThread,
  vp: BsdVnode,
  ma: FPage[],
  bytecount: number,
  flags: number,
  rtvals: number[],
): Proc<number> {
  if (vp.deadfs) return VM_PAGER_ERROR;
  if (k.mount(vp).putpages === 'generic')
    return yield* vnode_pager_generic_putpages(k, th, vp, ma, bytecount, flags, rtvals);
  const npages = Math.floor(bytecount / 4096);
  for (let i = 0; i < npages; i++) rtvals[i] = VM_PAGER_ERROR;
  const offset = ma[0]!.pindex * 4096;
  let count = bytecount;
  if (offset + count > vp.size) count = Math.max(0, vp.size - offset);
  const ioflags = yield* vnode_pager_putpages_ioflags(k, th, flags);
  const { resid } = yield* VOP_WRITE(k, th, vp, offset, count, ioflags);
  yield* vnode_pager_undirty_pages(k, th, ma, rtvals, count - resid);
  return rtvals[0]!;
}
