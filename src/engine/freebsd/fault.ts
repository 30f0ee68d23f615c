/**
 * vm_fault for one page of a vnode mapping, in the contract's seven steps (scenario-format.md, "fault"):
 * the soft fast path, the object reference and paging_in_progress the fault holds throughout, "vmpfw" on
 * a busy page, "pfault" when memory is out, the vnode lock taken only to call the pager, and the
 * zero-filled page of a dead object. String yields are the statements of vm_fault.c.
 */
import type { KThread, Proc } from '../kernel/types';
import {
  KERN_FAILURE,
  KERN_PROTECTION_FAILURE,
  KERN_SUCCESS,
  LK_EXCLUSIVE,
  LK_NOWAIT,
  LK_RETRY,
  LK_SHARED,
  OBJ_MIGHTBEDIRTY,
  VM_PAGE_BITS_ALL,
  VM_PAGER_ERROR,
  VM_PAGER_OK,
} from './flags';
import type { BsdKernel, BsdVnode, FPage, Mapping } from './state';
import { VM_OBJECT_WLOCK, VM_OBJECT_WUNLOCK } from './sync';
import { vget, VOP_ISLOCKED, vput } from './vfs';
import {
  vm_object_color,
  vm_object_deallocate,
  vm_object_pip_add,
  vm_object_pip_wakeup,
  vm_object_reference_locked,
  vm_object_set_writeable_dirty,
} from './vm_object';
import { vm_pager_get_pages } from './vm_pager';
import {
  pmap_enter,
  vm_page_activate,
  vm_page_alloc,
  vm_page_busied,
  vm_page_deactivate,
  vm_page_dirty,
  vm_page_free,
  vm_page_sleep_if_busy,
  vm_page_xbusy,
  vm_page_xunbusy,
  vm_waitpfault,
} from './vm_page';

export interface FaultArgs {
  mapping: string;
  offset: number;
  access: 'read' | 'write';
  behind: number;
  ahead: number;
}

export function* vm_fault(k: BsdKernel, th: KThread, map: Mapping, args: FaultArgs): Proc<string> {
  const obj = k.object(map.object);
  const pindex = args.offset / 4096;
  const protWrite = map.writable;
  const write = args.access === 'write';
  yield 'vm_fault(map, vaddr, fault_type, fault_flags, NULL)';
  if (write && !protWrite) return KERN_PROTECTION_FAILURE;
  const behind = { v: Math.min(args.behind, pindex) };
  const ahead = { v: Math.min(args.ahead, map.length / 4096 - 1 - pindex) };
  let vpHeld: BsdVnode | null = null;

  function* unlock_and_deallocate(): Proc {
    yield 'unlock_and_deallocate(&fs)';
    vm_object_pip_wakeup(k, obj);
    yield* VM_OBJECT_WUNLOCK(k, th, obj);
    yield* vm_object_deallocate(k, th, obj);
    if (vpHeld !== null) {
      const vp = vpHeld;
      vpHeld = null;
      yield* vput(k, th, vp);
    }
  }

  RetryFault: for (;;) {
    // 1. The soft fast path, under the object lock, for a page already resident and valid.
    if (vpHeld === null && (!protWrite || obj.type !== 'OBJT_VNODE' || (obj.flags & OBJ_MIGHTBEDIRTY) !== 0)) {
      yield 'VM_OBJECT_RLOCK(fs.first_object)';
      yield* VM_OBJECT_WLOCK(k, th, obj);
      yield 'rv = vm_fault_soft_fast(&fs, vaddr, prot, fault_type, fault_flags, wired)';
      const m = k.lookup(obj, pindex);
      if (m !== null && m.valid === VM_PAGE_BITS_ALL && !(vm_page_busied(m) && protWrite)) {
        th.focusPage = m.id;
        pmap_enter(k, m, args.mapping, protWrite, write);
        if (write) vm_page_dirty(k, m);
        yield 'VM_OBJECT_RUNLOCK(fs.first_object)';
        yield* VM_OBJECT_WUNLOCK(k, th, obj);
        return KERN_SUCCESS;
      }
    } else {
      yield 'VM_OBJECT_WLOCK(fs.first_object)';
      yield* VM_OBJECT_WLOCK(k, th, obj);
    }

    // 2. Hold the object and its paging count for the whole fault.
    yield 'vm_object_reference_locked(fs.first_object)';
    vm_object_reference_locked(k, obj);
    yield 'vm_object_pip_add(fs.first_object, 1)';
    vm_object_pip_add(obj, 1);

    yield 'fs.m = vm_page_lookup(fs.object, fs.pindex)';
    let m: FPage | null = k.lookup(obj, pindex);
    let valid = false;
    if (m !== null) {
      th.focusPage = m.id;
      // 3. A busy page: wait for it, let everything go, start over.
      yield 'if (vm_page_busied(fs.m))';
      if (vm_page_busied(m)) {
        yield 'vm_page_sleep_if_busy(fs.m, "vmpfw")';
        yield* vm_page_sleep_if_busy(k, th, m, obj, 'vmpfw');
        yield 'vm_object_pip_wakeup(fs.object)';
        vm_object_pip_wakeup(k, obj);
        yield 'VM_OBJECT_WUNLOCK(fs.object)';
        yield* VM_OBJECT_WUNLOCK(k, th, obj);
        yield 'vm_object_deallocate(fs.first_object)';
        yield* vm_object_deallocate(k, th, obj);
        continue RetryFault;
      }
      yield 'vm_page_xbusy(fs.m)';
      vm_page_xbusy(k, th, m);
      valid = m.valid === VM_PAGE_BITS_ALL;
    } else {
      // 4. Absent: past the object's end, out of memory, or a new page.
      yield 'if (fs.pindex >= fs.object->size)';
      if (pindex >= obj.size) {
        yield* unlock_and_deallocate();
        return KERN_PROTECTION_FAILURE;
      }
      yield 'if (vm_page_count_severe())';
      if (k.s.freePages === 0) {
        yield* unlock_and_deallocate();
        yield 'vm_waitpfault()';
        yield* vm_waitpfault(k, th);
        continue RetryFault;
      }
      yield 'vm_object_color(fs.object, atop(vaddr) - fs.pindex)';
      vm_object_color(obj);
      yield 'fs.m = vm_page_alloc(fs.object, fs.pindex, VM_ALLOC_NORMAL)';
      m = vm_page_alloc(k, th, obj, pindex);
      // The check above holds no lock another object's fault needs: that fault may have taken the last free
      // page since. vm_fault's `if (fs.m == NULL)` then lets everything go and waits, as for no free page.
      if (m === null) {
        yield* unlock_and_deallocate();
        yield 'vm_waitpfault()';
        yield* vm_waitpfault(k, th);
        continue RetryFault;
      }
      th.focusPage = m.id;
    }

    if (!valid) {
      // 5. readrest: the pager reads the page, holding the vnode lock.
      yield 'if (fs.object->type == OBJT_DEAD)';
      if (obj.type === 'OBJT_DEAD') {
        // 6. The dead pager answers VM_PAGER_FAIL: the page is zero-filled.
        yield 'pmap_zero_page(fs.m); fs.m->valid = VM_PAGE_BITS_ALL';
        k.touch(m).valid = VM_PAGE_BITS_ALL;
      } else {
        const vp = k.vnode(obj.handle!);
        if (vpHeld !== vp) {
          yield 'locked = VOP_ISLOCKED(vp)';
          const locked = VOP_ISLOCKED(k, th, vp) === LK_EXCLUSIVE ? LK_EXCLUSIVE : LK_SHARED;
          yield 'error = vget(vp, locked | LK_CANRECURSE | LK_NOWAIT, curthread)';
          const error = yield* vget(k, th, vp, locked | LK_NOWAIT);
          if (error !== 0) {
            yield 'release_page(&fs)';
            vm_page_xunbusy(k, m);
            vm_page_deactivate(k, m);
            yield* unlock_and_deallocate();
            yield 'error = vget(vp, locked | LK_RETRY | LK_CANRECURSE, curthread)';
            yield* vget(k, th, vp, LK_SHARED | LK_RETRY);
            vpHeld = vp;
            continue RetryFault;
          }
          vpHeld = vp;
        }
        yield 'rv = vm_pager_get_pages(fs.object, &fs.m, 1, &behind, &ahead)';
        const rv = yield* vm_pager_get_pages(k, th, obj, [m], behind, ahead);
        if (rv !== VM_PAGER_OK) {
          yield 'vm_page_free(fs.m)';
          vm_page_free(k, m);
          yield* unlock_and_deallocate();
          return rv === VM_PAGER_ERROR ? KERN_FAILURE : KERN_PROTECTION_FAILURE;
        }
      }
    }

    // 7. The page is found: dirty it for a write, map it, activate, unbusy, let go.
    if (protWrite) {
      yield 'vm_object_set_writeable_dirty(fs.object)';
      vm_object_set_writeable_dirty(obj);
      if (write) {
        yield 'vm_page_dirty(fs.m)';
        vm_page_dirty(k, m);
      }
    }
    yield 'VM_OBJECT_WUNLOCK(fs.object)';
    yield* VM_OBJECT_WUNLOCK(k, th, obj);
    yield 'pmap_enter(fs.map->pmap, vaddr, fs.m, prot, fault_type, 0)';
    pmap_enter(k, m, args.mapping, protWrite, write);
    yield 'VM_OBJECT_WLOCK(fs.object)';
    yield* VM_OBJECT_WLOCK(k, th, obj);
    yield 'vm_page_activate(fs.m)';
    vm_page_activate(k, m);
    yield 'vm_page_xunbusy(fs.m)';
    vm_page_xunbusy(k, m);
    yield* unlock_and_deallocate();
    return KERN_SUCCESS;
  }
}
