/**
 * The FreeBSD calls a scenario can start on a thread (scenario-format.md, "FreeBSD calls"): each is what
 * a real caller of the seed does around it. A string yield is one statement of that caller.
 */
import { ERRNO_NAMES } from '../kernel/constants';
import type { KThread, Proc } from '../kernel/types';
import type { CallResult } from '../model';
import { vm_fault, type FaultArgs } from './fault';
import { LK_EXCLUSIVE, LK_RETRY, LK_SHARED, OBJPC_FLAGS, VM_PAGE_BITS_ALL, VM_PAGER_PUT_NOREUSE } from './flags';
import { sendfile } from './sendfile';
import { refreshState, type BsdKernel, type BsdVnode } from './state';
import { VM_OBJECT_WLOCK, VM_OBJECT_WUNLOCK } from './sync';
import { vget, vinactive, vinvalbuf, vn_lock, VOP_UNLOCK, vput, vrefAdd, vrele } from './vfs';
import { vm_object_deallocate } from './vm_object';
import { vm_object_page_clean, vm_pageout_flush } from './vm_pageout';
import { vm_pager_has_page } from './vm_pager';
import { pmap_remove_mapping, pmap_remove_write, vm_page_busied } from './vm_page';
import { vnode_create_vobject, vnode_destroy_vobject, vnode_pager_alloc } from './vnode_pager_object';
import { vnode_pager_release_writecount, vnode_pager_update_writecount } from './vnode_pager_putpages';
import { vnode_pager_setsize } from './vnode_pager_size';

type Args = Record<string, unknown>;
const errno = (e: number): string => ERRNO_NAMES[e] ?? String(e);

export type CallBody = (k: BsdKernel, th: KThread, vp: BsdVnode | null, args: Args) => Proc<CallResult>;

export const FREEBSD_CALLS: Readonly<Record<string, CallBody>> = {
  *vref(_k, _th, vp) {
    yield 'vref(vp)';
    vrefAdd(vp!, 1);
    return null;
  },

  *vrele(k, th, vp) {
    yield 'vrele(vp)';
    yield* vrele(k, th, vp!);
    return null;
  },

  /** VOP_OPEN as ufs_open does it. */
  *vnode_create_vobject(k, th, vp) {
    yield 'vn_lock(vp, LK_EXCLUSIVE)';
    const error = yield* vn_lock(k, th, vp!, LK_EXCLUSIVE);
    if (error !== 0) return errno(error);
    yield 'vnode_create_vobject(vp, DIP(ip, i_size), td)';
    const r = yield* vnode_create_vobject(k, th, vp!, vp!.size);
    yield 'VOP_UNLOCK(vp, 0)';
    yield* VOP_UNLOCK(k, th, vp!);
    return String(r);
  },

  /** vm_mmap_vnode, then vm_pager_allocate. */
  *mmap(k, th, vp, args) {
    const shared = args.shared === true;
    const rw = args.prot === 'rw';
    const writecounted = shared && rw;
    const length = args.length as number;
    yield writecounted ? 'vget(vp, LK_EXCLUSIVE, td)' : 'vget(vp, LK_SHARED, td)';
    const error = yield* vget(k, th, vp!, writecounted ? LK_EXCLUSIVE : LK_SHARED);
    if (error !== 0) return errno(error);
    yield 'obj = vp->v_object';
    if (vp!.v_object === null) {
      yield 'vput(vp)';
      yield* vput(k, th, vp!);
      return 'EINVAL';
    }
    const obj = k.object(vp!.v_object);
    if (writecounted) {
      yield 'vnode_pager_update_writecount(obj, 0, objsize)';
      yield* vnode_pager_update_writecount(k, th, obj, 0, length);
    }
    yield 'obj = vm_pager_allocate(OBJT_VNODE, vp, objsize, prot, foff, cred)';
    const mapped = yield* vnode_pager_alloc(k, th, vp!, Math.ceil(vp!.size / 4096) * 4096);
    yield 'vput(vp)';
    yield* vput(k, th, vp!);
    k.bsd.mappings[th.id] = {
      object: mapped.id,
      length,
      writable: writecounted,
      shared,
      writecounted,
      unmapped: false,
    };
    return `obj${mapped.id}`;
  },

  *munmap(k, th, _vp, args) {
    const name = args.mapping as string;
    const map = k.bsd.mappings[name]!;
    const obj = k.object(map.object);
    yield 'pmap_remove(map->pmap, entry->start, entry->end)';
    for (const p of [...obj.memq]) {
      const m = k.lookup(obj, p);
      if (m !== null) pmap_remove_mapping(k, m, name);
    }
    if (map.writecounted) {
      yield 'vnode_pager_release_writecount(object, entry->start, entry->end)';
      yield* vnode_pager_release_writecount(k, th, obj, 0, map.length);
    }
    yield 'vm_object_deallocate(object)';
    yield* vm_object_deallocate(k, th, obj);
    return null;
  },

  *fault(k, th, _vp, args) {
    const fa: FaultArgs = {
      mapping: args.mapping as string,
      offset: args.offset as number,
      access: args.access === 'write' ? 'write' : 'read',
      behind: (args.behind as number | undefined) ?? 0,
      ahead: (args.ahead as number | undefined) ?? 0,
    };
    return yield* vm_fault(k, th, k.bsd.mappings[fa.mapping]!, fa);
  },

  *sendfile(k, th, vp, args) {
    return yield* sendfile(
      k,
      th,
      vp!,
      args.offset as number,
      (args.length as number | undefined) ?? 0,
      (args.rahead as number | undefined) ?? 0,
    );
  },

  /** vm_object_sync's vnode part. */
  *msync(k, th, vp, args) {
    const flags = ((args.flags as string[] | undefined) ?? []).reduce((acc, f) => acc | OBJPC_FLAGS[f]!, 0);
    yield 'vn_lock(vp, LK_EXCLUSIVE | LK_RETRY)';
    yield* vn_lock(k, th, vp!, LK_EXCLUSIVE | LK_RETRY);
    yield 'object = vp->v_object';
    if (vp!.v_object === null) {
      yield 'VOP_UNLOCK(vp, 0)';
      yield* VOP_UNLOCK(k, th, vp!);
      return true;
    }
    const obj = k.object(vp!.v_object);
    yield 'VM_OBJECT_WLOCK(object)';
    yield* VM_OBJECT_WLOCK(k, th, obj);
    yield 'res = vm_object_page_clean(object, offset, offset + size, flags)';
    const res = yield* vm_object_page_clean(
      k,
      th,
      obj,
      (args.start as number | undefined) ?? 0,
      (args.end as number | undefined) ?? 0,
      flags,
    );
    yield 'VM_OBJECT_WUNLOCK(object)';
    yield* VM_OBJECT_WUNLOCK(k, th, obj);
    yield 'VOP_UNLOCK(vp, 0)';
    yield* VOP_UNLOCK(k, th, vp!);
    return res;
  },

  /** The laundry thread on one page. */
  *pageout(k, th, vp, args) {
    const pindex = args.pindex as number;
    yield 'vn_lock(vp, LK_EXCLUSIVE | LK_RETRY)';
    yield* vn_lock(k, th, vp!, LK_EXCLUSIVE | LK_RETRY);
    yield 'object = vp->v_object';
    if (vp!.v_object === null) {
      yield 'VOP_UNLOCK(vp, 0)';
      yield* VOP_UNLOCK(k, th, vp!);
      return 0;
    }
    const obj = k.object(vp!.v_object);
    yield 'VM_OBJECT_WLOCK(object)';
    yield* VM_OBJECT_WLOCK(k, th, obj);
    yield 'm = vm_page_lookup(object, pindex)';
    const m = k.lookup(obj, pindex);
    let written = 0;
    if (m !== null && !vm_page_busied(m) && m.valid === VM_PAGE_BITS_ALL) {
      th.focusPage = m.id;
      yield 'pmap_remove_write(m)';
      pmap_remove_write(k, m);
      if (m.dirty !== 0) {
        yield 'numpagedout = vm_pageout_flush(&m, 1, VM_PAGER_PUT_NOREUSE, 0, NULL, NULL)';
        written = (yield* vm_pageout_flush(k, th, obj, [m], VM_PAGER_PUT_NOREUSE, 0)).numpagedout;
      }
    }
    yield 'VM_OBJECT_WUNLOCK(object)';
    yield* VM_OBJECT_WUNLOCK(k, th, obj);
    yield 'VOP_UNLOCK(vp, 0)';
    yield* VOP_UNLOCK(k, th, vp!);
    return written;
  },

  *haspage(k, th, vp, args) {
    yield 'object = vp->v_object';
    if (vp!.v_object === null) return null;
    const obj = k.object(vp!.v_object);
    yield 'VM_OBJECT_WLOCK(object)';
    yield* VM_OBJECT_WLOCK(k, th, obj);
    const before = { v: 0 };
    const after = { v: 0 };
    yield 'has = vm_pager_has_page(object, pindex, &before, &after)';
    const has = yield* vm_pager_has_page(k, th, obj, args.pindex as number, before, after);
    yield 'VM_OBJECT_WUNLOCK(object)';
    yield* VM_OBJECT_WUNLOCK(k, th, obj);
    return { has, before: before.v, after: after.v };
  },

  /** truncate(2) through ffs_truncate. */
  *vnode_pager_setsize(k, th, vp, args) {
    const size = args.size as number;
    yield 'vn_lock(vp, LK_EXCLUSIVE | LK_RETRY)';
    yield* vn_lock(k, th, vp!, LK_EXCLUSIVE | LK_RETRY);
    yield 'DIP_SET(ip, i_size, length)';
    vp!.size = size;
    const keep = Math.ceil(size / k.mount(vp!).iosize);
    if (Array.isArray(vp!.blocks)) {
      if (vp!.blocks.length > keep) vp!.blocks.length = keep;
    } else vp!.blocks.contiguous = Math.min(vp!.blocks.contiguous, keep);
    yield 'vnode_pager_setsize(vp, length)';
    yield* vnode_pager_setsize(k, th, vp!, size);
    yield 'VOP_UNLOCK(vp, 0)';
    yield* VOP_UNLOCK(k, th, vp!);
    return null;
  },

  /** vgonel for a vnode that is not doomed at spawn. */
  *vgone(k, th, vp) {
    yield 'vn_lock(vp, LK_EXCLUSIVE | LK_RETRY)';
    yield* vn_lock(k, th, vp!, LK_EXCLUSIVE | LK_RETRY);
    yield 'if (vp->v_iflag & VI_DOOMED) return';
    if (vp!.doomed) {
      yield 'VOP_UNLOCK(vp, 0)';
      yield* VOP_UNLOCK(k, th, vp!);
      return null;
    }
    yield 'vp->v_iflag |= VI_DOOMED; active = vp->v_usecount';
    vp!.doomed = true;
    refreshState(vp!);
    // Read with VI_DOOMED set, as vgonel does under the interlock: a reference taken or dropped before the
    // check below does not change whether vgone found the vnode active.
    const active = vp!.usecount > 0;
    yield 'if (active) vinactive(vp, td)';
    if (active && !vp!.doinginact) yield* vinactive(k, th, vp!);
    yield 'vinvalbuf(vp, V_SAVE, 0, 0)';
    yield* vinvalbuf(k, th, vp!);
    yield 'VOP_RECLAIM(vp, td): vnode_destroy_vobject(vp)';
    yield* vnode_destroy_vobject(k, th, vp!);
    yield 'vp->v_op = &dead_vnodeops; vp->v_type = VBAD';
    vp!.deadfs = true;
    yield 'VOP_UNLOCK(vp, 0)';
    yield* VOP_UNLOCK(k, th, vp!);
    return null;
  },
};
