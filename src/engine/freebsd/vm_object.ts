/**
 * vm_objects as FreeBSD 12's vm_object.c keeps them (reference/freebsd-vm-facts.md §2): allocation and
 * destruction, colour, paging_in_progress, references (a vnode object's reference is also a use reference
 * of its vnode), vm_object_deallocate / vm_object_vndeallocate, vm_object_terminate and
 * vm_object_page_remove ("vmopar").
 */
import { panic, wakeup } from '../kernel/sched';
import type { KThread, Proc } from '../kernel/types';
import {
  OBJ_COLORED,
  OBJ_DEAD,
  OBJ_MIGHTBEDIRTY,
  OBJ_PIPWNT,
  OBJPR_CLEANONLY,
  OBJPR_NOTMAPPED,
  OBJPC_SYNC,
} from './flags';
import { chan, type BsdKernel, type BsdVnode, type VmObject } from './state';
import { KASSERT, VM_OBJECT_SLEEP, VM_OBJECT_WLOCK, VM_OBJECT_WUNLOCK } from './sync';
import { vinvalbuf, vn_lock, VOP_UNLOCK, vput, vrele, vrefAdd } from './vfs';
import {
  vm_page_busied,
  vm_page_busy_sleep,
  vm_page_find_least,
  vm_page_free,
  pmap_remove_all,
  pmap_remove_write,
} from './vm_page';
import { vm_object_page_clean } from './vm_pageout';
import { vnode_pager_dealloc } from './vnode_pager_object';
import { LK_EXCLUSIVE, LK_RETRY } from './flags';

/** vm_object_allocate(OBJT_VNODE, size): object number k, flags 0, ref_count 1. */
export function vm_object_allocate(k: BsdKernel, vnode: string, size: number): VmObject {
  const obj: VmObject = {
    id: k.bsd.nextObjectId++,
    vnode,
    handle: null,
    type: 'OBJT_VNODE',
    flags: 0,
    ref_count: 1,
    paging_in_progress: 0,
    size,
    vnp_size: 0,
    writemappings: 0,
    generation: 1,
    memq: [],
    pageAt: {},
  };
  k.bsd.objects[obj.id] = obj;
  return obj;
}

/** vm_object_destroy: the object leaves the digest; its number is not reused. */
export function vm_object_destroy(k: BsdKernel, obj: VmObject): void {
  delete k.bsd.objects[obj.id];
}

export function vm_object_color(obj: VmObject): void {
  obj.flags |= OBJ_COLORED;
}

export function vm_object_pip_add(obj: VmObject, n: number): void {
  obj.paging_in_progress += n;
}

/** The wakeup that brings paging_in_progress to 0 clears OBJ_PIPWNT and wakes sleepers on the object. */
export function vm_object_pip_wakeup(k: BsdKernel, obj: VmObject): void {
  obj.paging_in_progress--;
  if (obj.flags & OBJ_PIPWNT && obj.paging_in_progress === 0) {
    obj.flags &= ~OBJ_PIPWNT;
    wakeup(k, chan.object(obj.id));
  }
}

/** vm_object_pip_wait(obj, msg): sleep (msg) on the object while paging is in progress. */
export function* vm_object_pip_wait(k: BsdKernel, th: KThread, obj: VmObject, msg: string): Proc {
  while (obj.paging_in_progress !== 0) {
    obj.flags |= OBJ_PIPWNT;
    yield* VM_OBJECT_SLEEP(k, th, obj, chan.object(obj.id), msg, false);
  }
}

/** vm_object_set_writeable_dirty: a vnode object's generation moves and it might now be dirty. */
export function vm_object_set_writeable_dirty(obj: VmObject): void {
  if (obj.type !== 'OBJT_VNODE') return;
  obj.generation++;
  obj.flags |= OBJ_MIGHTBEDIRTY;
}

/** vm_object_reference_locked: one more reference; a vnode object's also holds its vnode (vref). */
export function vm_object_reference_locked(k: BsdKernel, obj: VmObject): void {
  obj.ref_count++;
  if (obj.type === 'OBJT_VNODE' && obj.handle !== null) vrefAdd(k.vnode(obj.handle), 1);
}

/** vm_object_deallocate: locks the object; a vnode object goes through vm_object_vndeallocate. */
export function* vm_object_deallocate(k: BsdKernel, th: KThread, obj: VmObject): Proc {
  yield* VM_OBJECT_WLOCK(k, th, obj);
  if (obj.type === 'OBJT_VNODE') {
    yield* vm_object_vndeallocate(k, th, obj);
    return;
  }
  yield* KASSERT(k, th, obj.ref_count !== 0, () => `vm_object_deallocate: object deallocated too many times: 5`);
  obj.ref_count--;
  if (obj.ref_count > 0) {
    yield* VM_OBJECT_WUNLOCK(k, th, obj);
    return;
  }
  if ((obj.flags & OBJ_DEAD) === 0) yield* vm_object_terminate(k, th, obj);
  else yield* VM_OBJECT_WUNLOCK(k, th, obj);
}

function* vm_object_vndeallocate(k: BsdKernel, th: KThread, obj: VmObject): Proc {
  const vp = k.vnode(obj.handle!);
  if (obj.ref_count === 0) yield* panic(k, th, 'vm_object_vndeallocate: bad object reference count');
  if (obj.ref_count > 1 || !vp.vtext) {
    obj.ref_count--;
    yield* VM_OBJECT_WUNLOCK(k, th, obj);
    // vrele may need the vnode lock.
    yield* vrele(k, th, vp);
    return;
  }
  yield* VM_OBJECT_WUNLOCK(k, th, obj);
  yield* vn_lock(k, th, vp, LK_EXCLUSIVE | LK_RETRY);
  yield* VM_OBJECT_WLOCK(k, th, obj);
  obj.ref_count--;
  if (obj.type === 'OBJT_DEAD') {
    yield* VM_OBJECT_WUNLOCK(k, th, obj);
    yield* VOP_UNLOCK(k, th, vp);
  } else {
    if (obj.ref_count === 0) vp.vtext = false;
    yield* VM_OBJECT_WUNLOCK(k, th, obj);
    yield* vput(k, th, vp);
  }
}

/** vm_object_terminate (object locked, ref_count 0): clean, flush, free every page, tell the pager, destroy. */
export function* vm_object_terminate(k: BsdKernel, th: KThread, obj: VmObject): Proc {
  obj.flags |= OBJ_DEAD;
  yield* vm_object_pip_wait(k, th, obj, 'objtrm');
  yield* KASSERT(k, th, obj.paging_in_progress === 0, () => `vm_object_terminate: pageout in progress`);
  if (obj.type === 'OBJT_VNODE') {
    const vp: BsdVnode = k.vnode(obj.handle!);
    yield* vm_object_page_clean(k, th, obj, 0, 0, OBJPC_SYNC);
    yield* VM_OBJECT_WUNLOCK(k, th, obj);
    yield* vinvalbuf(k, th, vp);
    yield* VM_OBJECT_WLOCK(k, th, obj);
  }
  yield* KASSERT(
    k,
    th,
    obj.ref_count === 0,
    () => `vm_object_terminate: object with references, ref_count=${obj.ref_count}`,
  );
  for (const pindex of [...obj.memq]) vm_page_free(k, k.lookup(obj, pindex)!);
  // vm_pager_deallocate: the vnode pager's dealloc; the dead pager's does nothing.
  if (obj.type === 'OBJT_VNODE') yield* vnode_pager_dealloc(k, th, obj);
  yield* VM_OBJECT_WUNLOCK(k, th, obj);
  vm_object_destroy(k, obj);
}

/**
 * vm_object_page_remove(obj, start, end, options): free the resident pages in [start, end) (end 0: to the
 * end), sleeping "vmopar" on busy ones and starting over; OBJPR_CLEANONLY keeps dirty pages.
 */
export function* vm_object_page_remove(
  k: BsdKernel,
  th: KThread,
  obj: VmObject,
  start: number,
  end: number,
  options: number,
): Proc {
  if (obj.memq.length === 0) return;
  vm_object_pip_add(obj, 1);
  again: for (;;) {
    for (let p = vm_page_find_least(k, obj, start); p !== null && (p.pindex < end || end === 0);) {
      const next = vm_page_find_least(k, obj, p.pindex + 1);
      if (vm_page_busied(p)) {
        yield* vm_page_busy_sleep(k, th, p, obj, 'vmopar');
        yield* VM_OBJECT_WLOCK(k, th, obj);
        continue again;
      }
      if ((options & OBJPR_CLEANONLY) !== 0 && p.valid !== 0) {
        if ((options & OBJPR_NOTMAPPED) === 0 && obj.ref_count !== 0) pmap_remove_write(k, p);
        if (p.dirty !== 0) {
          p = next;
          continue;
        }
      }
      if ((options & OBJPR_NOTMAPPED) === 0 && obj.ref_count !== 0) pmap_remove_all(k, p);
      vm_page_free(k, p);
      p = next;
    }
    break;
  }
  vm_object_pip_wakeup(k, obj);
}
