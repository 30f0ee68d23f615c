/**
 * The OpenBSD calls a scenario can start on a thread: each is what a real
 * caller of the seed function does, locking included (scenario-format.md,
 * "OpenBSD calls"). A string yield is one statement of that caller.
 */
import { PROT_READ, PROT_WRITE } from '../kernel/constants';
import { wakeup } from '../kernel/sched';
import type { KThread, Proc } from '../kernel/types';
import {
  LK_EXCLUSIVE,
  PG_BUSY,
  PG_WANTED,
  PGO_FLAGS,
  PGO_LOCKED,
  PGO_SYNCIO,
  VM_PAGER_NAMES,
  VM_PAGER_OK,
} from './flags';
import { chan, objLockName, type Page, type UvmKernel, type UvmVnode } from './state';
import { rw_enter, rw_exit } from './sync';
import { uvm_lock_pageq, uvm_pageactivate, uvm_unlock_pageq } from './uvm_page';
import { uvn_attach, uvn_detach, uvn_reference } from './uvn_attach';
import { uvn_flush } from './uvn_flush';
import { uvn_get } from './uvn_io';
import { uvm_vnp_setsize, uvm_vnp_sync, uvm_vnp_terminate, uvm_vnp_uncache } from './uvn_vnp';
import { vget, vn_lock, VOP_UNLOCK, vrele } from './vfs';

import type { CallResult } from '../model';
type Args = Record<string, unknown>;

const protOf = (prot: unknown): number => (prot === 'rw' ? PROT_READ | PROT_WRITE : PROT_READ);
const objOrNull = (ok: boolean): string => (ok ? 'obj' : 'NULL');

function* msync(k: UvmKernel, th: KThread, vp: UvmVnode, args: Args): Proc<CallResult> {
  const lock = objLockName(vp.name);
  const flags = (args.flags as string[]).reduce((acc, name) => acc | PGO_FLAGS[name]!, 0);
  yield 'rw_enter(uobj->vmobjlock, RW_WRITE)';
  yield* rw_enter(k, th, lock);
  yield 'uvn_flush(uobj, start, stop, flags)';
  const ok = yield* uvn_flush(k, th, vp, (args.start as number) ?? 0, (args.stop as number) ?? 0, flags);
  yield 'rw_exit(uobj->vmobjlock)';
  yield* rw_exit(k, th, lock);
  return ok;
}

/** The object-page path of uvm_fault, as the contract fixes it. */
function* fault(k: UvmKernel, th: KThread, vp: UvmVnode, args: Args): Proc<CallResult> {
  const lock = objLockName(vp.name);
  const offset = args.offset as number;
  const write = args.access === 'write';
  yield 'rw_enter(uobj->vmobjlock, RW_WRITE)';
  yield* rw_enter(k, th, lock);
  let pps: (Page | null)[] = [null];
  yield 'uvn_get(uobj, offset, pps, &npages, 0, access_type, advice, PGO_LOCKED)';
  yield* uvn_get(k, th, vp, offset, pps, { value: 1 }, 0, PGO_LOCKED);
  if (pps[0] === null) {
    pps = [null];
    yield 'uvn_get(uobj, offset, &uobjpage, &gotpages, 0, access_type, advice, PGO_SYNCIO)';
    const result = yield* uvn_get(k, th, vp, offset, pps, { value: 1 }, 0, PGO_SYNCIO);
    if (result !== VM_PAGER_OK) return VM_PAGER_NAMES[result] ?? String(result);
    yield 'rw_enter(uobj->vmobjlock, RW_WRITE)';
    yield* rw_enter(k, th, lock);
  }
  const pg = pps[0]!;
  th.focusPage = pg.id;
  yield write ? 'pmap_enter(pg, PROT_READ|PROT_WRITE): mapped, modified' : 'pmap_enter(pg, PROT_READ): mapped';
  k.touch(pg).mapped = true;
  if (write) pg.modified = true;
  yield 'if (pg->pg_flags & PG_WANTED) wakeup(pg)';
  if (pg.flags & PG_WANTED) wakeup(k, chan.page(pg.id));
  yield 'atomic_clearbits_int(&pg->pg_flags, PG_BUSY|PG_WANTED)';
  k.clearbits(pg, PG_BUSY | PG_WANTED);
  pg.owner = null;
  yield 'uvm_lock_pageq()';
  yield* uvm_lock_pageq(k, th);
  yield 'uvm_pageactivate(pg)';
  uvm_pageactivate(k, pg);
  yield 'uvm_unlock_pageq()';
  uvm_unlock_pageq(k);
  yield 'rw_exit(uobj->vmobjlock)';
  yield* rw_exit(k, th, lock);
  return 'VM_PAGER_OK';
}

/** vclean's part: lock the vnode, terminate its uvn, unlock. */
function* vclean(k: UvmKernel, th: KThread, vp: UvmVnode): Proc {
  yield 'vn_lock(vp, LK_EXCLUSIVE)';
  yield* vn_lock(k, th, vp, LK_EXCLUSIVE);
  yield 'uvm_vnp_terminate(vp)';
  yield* uvm_vnp_terminate(k, th, vp);
  yield 'VOP_UNLOCK(vp)';
  yield* VOP_UNLOCK(k, th, vp);
}

export type CallBody = (k: UvmKernel, th: KThread, vp: UvmVnode | null, args: Args) => Proc<CallResult>;

export const OPENBSD_CALLS: Readonly<Record<string, CallBody>> = {
  *uvn_attach(k, th, vp, args) {
    yield 'uvn_attach(vp, accessprot)';
    return objOrNull(yield* uvn_attach(k, th, vp!, protOf(args.prot)));
  },
  *mmap(k, th, vp, args) {
    const shared = args.shared === true;
    const prot = protOf(args.prot);
    yield 'uvn_attach(vp, prot)';
    const ok = yield* uvn_attach(k, th, vp!, shared ? prot : PROT_READ);
    if (ok && shared && prot & PROT_WRITE) {
      yield 'uvm_vnp_uncache(vp)';
      yield* uvm_vnp_uncache(k, th, vp!);
    }
    return objOrNull(ok);
  },
  *uvn_reference(k, th, vp) {
    yield 'uvn_reference(uobj)';
    yield* uvn_reference(k, th, vp!);
    return null;
  },
  *uvn_detach(k, th, vp) {
    yield 'uvn_detach(uobj)';
    yield* uvn_detach(k, th, vp!);
    return null;
  },
  uvn_flush: (k, th, vp, args) => msync(k, th, vp!, args),
  fault: (k, th, vp, args) => fault(k, th, vp!, args),
  *uvm_vnp_terminate(k, th, vp) {
    yield* vclean(k, th, vp!);
    return null;
  },
  *uvm_vnp_uncache(k, th, vp) {
    yield 'vn_lock(vp, LK_EXCLUSIVE)';
    yield* vn_lock(k, th, vp!, LK_EXCLUSIVE);
    yield 'uvm_vnp_uncache(vp)';
    const ok = yield* uvm_vnp_uncache(k, th, vp!);
    yield 'VOP_UNLOCK(vp)';
    yield* VOP_UNLOCK(k, th, vp!);
    return ok;
  },
  *uvm_vnp_setsize(k, th, vp, args) {
    yield 'vn_lock(vp, LK_EXCLUSIVE)';
    yield* vn_lock(k, th, vp!, LK_EXCLUSIVE);
    yield 'ip->i_size = size';
    vp!.size = args.size as number;
    yield 'KERNEL_LOCK()';
    yield 'uvm_vnp_setsize(vp, size)';
    yield* uvm_vnp_setsize(k, th, vp!, args.size as number);
    yield 'KERNEL_UNLOCK()';
    yield 'VOP_UNLOCK(vp)';
    yield* VOP_UNLOCK(k, th, vp!);
    return null;
  },
  *uvm_vnp_sync(k, th, _vp, args) {
    yield 'uvm_vnp_sync(mp)';
    yield* uvm_vnp_sync(k, th, (args.mount as string | undefined) ?? null);
    return null;
  },
  *vref(_k, _th, vp) {
    yield 'vget(vp)';
    vget(vp!);
    return null;
  },
  *vrele(k, th, vp) {
    yield 'vrele(vp)';
    yield* vrele(k, th, vp!);
    return null;
  },
  *recycle(k, th, vp) {
    yield* vclean(k, th, vp!);
    yield 'VOP_RECLAIM(vp)';
    vp!.state = 'reclaimed';
    return null;
  },
  *revoke(k, th, vp) {
    yield* vclean(k, th, vp!);
    yield 'vp->v_op = dead_vops';
    vp!.state = 'dead';
    return null;
  },
};
