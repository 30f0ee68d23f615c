/**
 * sendfile(2) on a vnode as FreeBSD 12's vn_sendfile, sendfile_getobj and sendfile_swapin do it, with an
 * always-writable socket and without wiring (the contract's "sendfile"); and sendfile_iodone, the
 * b_pgiodone that vnode_pager_generic_getpages_done_async runs on the requested pages.
 */
import { ERRNO_NAMES } from '../kernel/constants';
import { panic } from '../kernel/sched';
import type { KThread, Proc } from '../kernel/types';
import { LK_RETRY, LK_SHARED, OBJ_DEAD, VM_PAGE_BITS_ALL, VM_PAGER_OK } from './flags';
import { BOGUS_PAGE, pname, type BsdKernel, type BsdVnode, type FPage, type VmObject } from './state';
import { VM_OBJECT_WLOCK, VM_OBJECT_WUNLOCK } from './sync';
import { vn_lock, VOP_UNLOCK } from './vfs';
import { vm_object_deallocate, vm_object_reference_locked } from './vm_object';
import { vm_pager_get_pages_async, vm_pager_has_page } from './vm_pager';
import {
  vm_page_alloc,
  vm_page_busied,
  vm_page_busy_sleep,
  vm_page_deactivate,
  vm_page_is_valid,
  vm_page_xbusy,
  vm_page_xunbusy,
  vm_wait,
} from './vm_page';

/** A b_pgiodone by name, with its caller's argument: only sendfile_iodone exists. */
export function pgiodone(k: BsdKernel, name: string, _arg: unknown, pages: FPage[], _error: number): void {
  if (name !== 'sendfile_iodone') throw new Error(`no page iodone ${name}`);
  // sendfile_iodone: unbusy each page it is given; the deactivation stands for the unwire once sent.
  for (const m of pages) {
    if (m.id === BOGUS_PAGE) continue;
    vm_page_xunbusy(k, m);
    vm_page_deactivate(k, m);
  }
}

const unbusyDone = (k: BsdKernel, m: FPage) => {
  vm_page_xunbusy(k, m);
  vm_page_deactivate(k, m);
};

/** vm_page_grab_pages(obj, pindex, VM_ALLOC_NORMAL, pa, npages): each page resident and xbusy. */
function* vm_page_grab_pages(k: BsdKernel, th: KThread, obj: VmObject, pindex: number, npages: number): Proc<FPage[]> {
  const pa: FPage[] = [];
  let i = 0;
  retrylookup: for (;;) {
    for (; i < npages; i++) {
      let m = k.lookup(obj, pindex + i);
      if (m !== null) {
        if (vm_page_busied(m)) {
          yield* vm_page_busy_sleep(k, th, m, obj, 'grbmaw');
          yield* VM_OBJECT_WLOCK(k, th, obj);
          continue retrylookup;
        }
        vm_page_xbusy(k, th, m);
      } else {
        m = vm_page_alloc(k, th, obj, pindex + i);
        if (m === null) {
          // VM_ALLOC_WAITFAIL: vm_domain_alloc_fail drops the object lock and waits for memory.
          yield* VM_OBJECT_WUNLOCK(k, th, obj);
          yield* vm_wait(k, th, 'vmwait');
          yield* VM_OBJECT_WLOCK(k, th, obj);
          continue retrylookup;
        }
      }
      pa[i] = m;
    }
    return pa;
  }
}

function* sendfile_swapin(
  k: BsdKernel,
  th: KThread,
  obj: VmObject,
  off: number,
  len: number,
  npages: number,
  rhpages: number,
): Proc {
  const rh = { v: rhpages };
  // The bytes of page i that are sent (off is page-aligned).
  const xfsize = (i: number) => (i === npages - 1 && (off + len) % 4096 !== 0 ? (off + len) % 4096 : 4096);
  yield* VM_OBJECT_WLOCK(k, th, obj);
  const pa: FPage[] = yield* vm_page_grab_pages(k, th, obj, off / 4096, npages);
  for (let i = 0; i < npages;) {
    if (vm_page_is_valid(pa[i]!, 0, xfsize(i))) {
      unbusyDone(k, pa[i]!);
      i++;
      continue;
    }
    // `a` is not initialised: a pager that does not write it leaves 0.
    const a = { v: 0 };
    if (!(yield* vm_pager_has_page(k, th, obj, off / 4096 + i, null, a))) {
      k.touch(pa[i]!).valid = VM_PAGE_BITS_ALL;
      unbusyDone(k, pa[i]!);
      i++;
      continue;
    }
    let count = Math.min(a.v + 1, npages - i);
    for (let j = i + count - 1; j > i; j--) {
      if (vm_page_is_valid(pa[j]!, 0, xfsize(j))) {
        count--;
        rh.v = 0;
      } else break;
    }
    const run: FPage[] = pa.slice(i, i + count);
    for (let j = i + 1; j < i + count - 1; j++)
      if (vm_page_is_valid(pa[j]!, 0, xfsize(j))) {
        unbusyDone(k, pa[j]!);
        run[j - i] = k.page(BOGUS_PAGE);
      }
    const rv = yield* vm_pager_get_pages_async(
      k,
      th,
      obj,
      run,
      null,
      i + count === npages ? rh : null,
      'sendfile_iodone',
      { thread: th.id },
    );
    if (rv !== VM_PAGER_OK)
      yield* panic(k, th, `sendfile_swapin: pager fail obj ${pname.obj(obj)} page ${pname.page(pa[i]!)}`);
    i += count;
  }
  yield* VM_OBJECT_WUNLOCK(k, th, obj);
}

/** vn_sendfile of `length` bytes (0: to EOF) from page-aligned `offset`, read-ahead `rahead` pages. */
export function* sendfile(
  k: BsdKernel,
  th: KThread,
  vp: BsdVnode,
  offset: number,
  length: number,
  rahead: number,
): Proc<string> {
  yield 'vn_lock(vp, LK_SHARED | LK_RETRY)';
  yield* vn_lock(k, th, vp, LK_SHARED | LK_RETRY);
  yield 'if (vp->v_type != VREG) error = EINVAL';
  if (vp.deadfs) {
    yield 'VOP_UNLOCK(vp, 0)';
    yield* VOP_UNLOCK(k, th, vp);
    return 'EINVAL';
  }
  yield 'error = VOP_GETATTR(vp, &va, td->td_ucred); *obj_size = va.va_size';
  let size = vp.size;
  yield 'obj = vp->v_object';
  const obj = vp.v_object === null ? null : k.object(vp.v_object);
  if (obj === null) {
    yield 'VOP_UNLOCK(vp, 0)';
    yield* VOP_UNLOCK(k, th, vp);
    return 'EINVAL';
  }
  yield 'VM_OBJECT_WLOCK(obj)';
  yield* VM_OBJECT_WLOCK(k, th, obj);
  yield 'if ((obj->flags & OBJ_DEAD) != 0) error = EBADF';
  if (obj.flags & OBJ_DEAD) {
    yield 'VM_OBJECT_WUNLOCK(obj)';
    yield* VM_OBJECT_WUNLOCK(k, th, obj);
    yield 'VOP_UNLOCK(vp, 0)';
    yield* VOP_UNLOCK(k, th, vp);
    return 'EBADF';
  }
  yield 'vm_object_reference_locked(obj)';
  vm_object_reference_locked(k, obj);
  yield 'VM_OBJECT_WUNLOCK(obj)';
  yield* VM_OBJECT_WUNLOCK(k, th, obj);
  yield 'VOP_UNLOCK(vp, 0)';
  yield* VOP_UNLOCK(k, th, vp);

  let error = 0;
  const remOf = () => (length ? Math.min(length, size - offset) : size - offset);
  let rem = remOf();
  yield 'if (rem > 0)';
  if (rem > 0) {
    yield 'error = vn_lock(vp, LK_SHARED)';
    error = yield* vn_lock(k, th, vp, LK_SHARED);
    if (error === 0) {
      yield 'error = VOP_GETATTR(vp, &va, td->td_ucred)';
      const now = vp.size;
      if (offset >= now) {
        yield 'VOP_UNLOCK(vp, 0)';
        yield* VOP_UNLOCK(k, th, vp);
      } else {
        if (now !== size) {
          size = now;
          rem = remOf();
        }
        const npages = Math.ceil(rem / 4096);
        const rhpages = Math.min(32, rahead, Math.ceil((size - offset) / 4096) - npages);
        yield 'nios = sendfile_swapin(obj, sfio, off, space, npages, rhpages, flags)';
        yield* sendfile_swapin(k, th, obj, offset, rem, npages, rhpages);
        yield 'VOP_UNLOCK(vp, 0)';
        yield* VOP_UNLOCK(k, th, vp);
      }
    }
  }
  yield 'vm_object_deallocate(obj)';
  yield* vm_object_deallocate(k, th, obj);
  return ERRNO_NAMES[error] ?? String(error);
}
