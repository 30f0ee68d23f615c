/**
 * vm_pager.c's dispatch for the vnode pager (reference/freebsd-vm-facts.md §2): vm_pager_get_pages with
 * its INVARIANTS checks and the zero-fill of partly valid pages on success, vm_pager_get_pages_async,
 * vm_pager_has_page (the dead pager has no page).
 */
import { panic } from '../kernel/sched';
import type { KThread, Proc } from '../kernel/types';
import { VM_PAGE_BITS_ALL, VM_PAGER_OK } from './flags';
import { BOGUS_PAGE, objLockName, pname, type BsdKernel, type FPage, type VmObject } from './state';
import { pmap_page_is_mapped, vm_page_zero_invalid } from './vm_page';
import { vnode_pager_getpages, vnode_pager_getpages_async } from './vnode_pager_getpages';
import { vnode_pager_haspage, type IntPtr } from './vnode_pager_size';
import { holds } from '../kernel/locks';

function* vm_pager_assert_in(k: BsdKernel, th: KThread, object: VmObject, m: FPage[]): Proc {
  if (!holds(k, th, objLockName(object.id)))
    yield* panic(k, th, 'Lock vm object not exclusively locked @ sys/vm/vm_pager.c');
  if (m.length === 0) yield* panic(k, th, 'vm_pager_assert_in: 0 count');
  for (const p of m) {
    if (p.id === BOGUS_PAGE) continue;
    if (!p.xbusy) yield* panic(k, th, `page ${pname.page(p)} not exclusive busy @ sys/vm/vm_pager.c`);
    if (pmap_page_is_mapped(p)) yield* panic(k, th, `vm_pager_assert_in: page ${pname.page(p)} is mapped`);
    if (p.valid === VM_PAGE_BITS_ALL)
      yield* panic(k, th, `vm_pager_assert_in: request for a valid page ${pname.page(p)}`);
    if (p.dirty !== 0) yield* panic(k, th, `vm_pager_assert_in: page ${pname.page(p)} is dirty`);
    if (p.object !== object.id)
      yield* panic(k, th, `vm_pager_assert_in: wrong object ${pname.obj(object)}/obj${p.object}`);
  }
}

/** vm_pager_get_pages: the pager's getpages; on VM_PAGER_OK each requested page becomes fully valid. */
export function* vm_pager_get_pages(
  k: BsdKernel,
  th: KThread,
  object: VmObject,
  m: FPage[],
  rbehind: IntPtr | null,
  rahead: IntPtr | null,
): Proc<number> {
  let pindex = m[0]!.pindex;
  yield* vm_pager_assert_in(k, th, object, m);
  const r = yield* vnode_pager_getpages(k, th, object, m, rbehind, rahead);
  if (r !== VM_PAGER_OK) return r;
  for (const p of m) {
    if (k.lookup(object, pindex++) !== p)
      yield* panic(k, th, `vm_pager_get_pages: mismatch page ${pname.page(p)} pindex ${pindex - 1}`);
    if (p.valid !== VM_PAGE_BITS_ALL) vm_page_zero_invalid(k, p);
  }
  return VM_PAGER_OK;
}

export function* vm_pager_get_pages_async(
  k: BsdKernel,
  th: KThread,
  object: VmObject,
  m: FPage[],
  rbehind: IntPtr | null,
  rahead: IntPtr | null,
  iodone: string,
  arg: unknown,
): Proc<number> {
  yield* vm_pager_assert_in(k, th, object, m);
  return yield* vnode_pager_getpages_async(k, th, object, m, rbehind, rahead, iodone, arg);
}

/** vm_pager_has_page: the vnode pager's haspage; the dead pager has no page. */
export function* vm_pager_has_page(
  k: BsdKernel,
  th: KThread,
  object: VmObject,
  pindex: number,
  before: IntPtr | null,
  after: IntPtr | null,
): Proc<boolean> {
  if (object.type === 'OBJT_DEAD') {
    if (before) before.v = 0;
    if (after) after.v = 0;
    return false;
  }
  return yield* vnode_pager_haspage(k, th, object, pindex, before, after);
}
