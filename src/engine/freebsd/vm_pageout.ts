/**
 * Writing dirty pages back, as FreeBSD 12 does it: vm_object_page_clean ("vpcwai"; rescans from the start
 * when the object's generation moved under OBJPC_SYNC), vm_object_page_collect_flush (neighbours by
 * vm_page_next / vm_page_prev, up to vm_pageout_page_count 32) and vm_pageout_flush (shared-busies the
 * run, calls the pager, settles each page by its result).
 */
import { panic } from '../kernel/sched';
import type { KThread, Proc } from '../kernel/types';
import {
  OBJ_MIGHTBEDIRTY,
  OBJPC_INVAL,
  OBJPC_NOSYNC,
  OBJPC_SYNC,
  VM_PAGE_BITS_ALL,
  VM_PAGEOUT_PAGE_COUNT,
  VM_PAGER_AGAIN,
  VM_PAGER_BAD,
  VM_PAGER_CLUSTER_OK,
  VM_PAGER_ERROR,
  VM_PAGER_FAIL,
  VM_PAGER_OK,
  VM_PAGER_PEND,
  VM_PAGER_PUT_INVAL,
  VM_PAGER_PUT_SYNC,
} from './flags';
import { pname, type BsdKernel, type FPage, type VmObject } from './state';
import { vm_object_pip_add, vm_object_pip_wakeup } from './vm_object';
import {
  pmap_page_is_write_mapped,
  pmap_remove_write,
  vm_page_activate,
  vm_page_busied,
  vm_page_find_least,
  vm_page_sbusy,
  vm_page_sleep_if_busy,
  vm_page_sunbusy,
  vm_page_undirty,
} from './vm_page';
import { vnode_pager_putpages } from './vnode_pager_putpages';

const PAGE_MASK = 4095;

/** vm_object_page_remove_write: write-protect the page; whether it is dirty (and so worth writing). */
function vm_object_page_remove_write(k: BsdKernel, p: FPage, flags: number): boolean {
  // VPO_NOSYNC is never set (no MAP_NOSYNC mapping exists), so OBJPC_NOSYNC skips nothing.
  void (flags & OBJPC_NOSYNC);
  pmap_remove_write(k, p);
  return p.dirty !== 0;
}

/**
 * vm_object_page_clean(obj, start, end, flags), object locked: write back the dirty pages in the byte
 * range (end 0: to the end); false if some page was not written.
 */
export function* vm_object_page_clean(
  k: BsdKernel,
  th: KThread,
  obj: VmObject,
  start: number,
  end: number,
  flags: number,
): Proc<boolean> {
  if (obj.type !== 'OBJT_VNODE' || (obj.flags & OBJ_MIGHTBEDIRTY) === 0 || obj.memq.length === 0) return true;
  let pagerflags = (flags & (OBJPC_SYNC | OBJPC_INVAL)) !== 0 ? VM_PAGER_PUT_SYNC : VM_PAGER_CLUSTER_OK;
  pagerflags |= (flags & OBJPC_INVAL) !== 0 ? VM_PAGER_PUT_INVAL : 0;
  const tstart = Math.floor(start / 4096);
  const tend = end === 0 ? obj.size : Math.floor((end + PAGE_MASK) / 4096);
  let allclean = tstart === 0 && tend >= obj.size;
  let res = true;
  rescan: for (;;) {
    const curgeneration = obj.generation;
    let np: FPage | null;
    for (let p = vm_page_find_least(k, obj, tstart); p !== null; p = np) {
      const pi = p.pindex;
      if (pi >= tend) break;
      np = vm_page_find_least(k, obj, pi + 1);
      if (p.valid === 0) continue;
      if (yield* vm_page_sleep_if_busy(k, th, p, obj, 'vpcwai')) {
        if (obj.generation !== curgeneration) {
          if ((flags & OBJPC_SYNC) !== 0) continue rescan;
          allclean = false;
        }
        np = vm_page_find_least(k, obj, pi);
        continue;
      }
      if (!vm_object_page_remove_write(k, p, flags)) continue;
      const flushed = yield* vm_object_page_collect_flush(k, th, obj, p, pagerflags, flags);
      let n = flushed.runlen;
      const eio = flushed.eio;
      if (eio) {
        res = false;
        allclean = false;
      }
      if (obj.generation !== curgeneration) {
        if ((flags & OBJPC_SYNC) !== 0) continue rescan;
        allclean = false;
      }
      // A truncated write that did not even write the first page: step over it rather than loop.
      if (n === 0) {
        n = 1;
        allclean = false;
      }
      np = vm_page_find_least(k, obj, pi + n);
    }
    break;
  }
  if (allclean) obj.flags &= ~OBJ_MIGHTBEDIRTY;
  return res;
}

function* vm_object_page_collect_flush(
  k: BsdKernel,
  th: KThread,
  obj: VmObject,
  p: FPage,
  pagerflags: number,
  flags: number,
): Proc<{ runlen: number; eio: boolean }> {
  let count = 1;
  let mreq = 0;
  for (let tp: FPage | null = p; count < VM_PAGEOUT_PAGE_COUNT; count++) {
    tp = k.lookup(obj, tp.pindex + 1);
    if (tp === null || vm_page_busied(tp)) break;
    if (!vm_object_page_remove_write(k, tp, flags)) break;
  }
  let p_first = p;
  for (; count < VM_PAGEOUT_PAGE_COUNT; count++) {
    const tp = p_first.pindex > 0 ? k.lookup(obj, p_first.pindex - 1) : null;
    if (tp === null || vm_page_busied(tp)) break;
    if (!vm_object_page_remove_write(k, tp, flags)) break;
    p_first = tp;
    mreq++;
  }
  const ma: FPage[] = [];
  for (let i = 0; i < count; i++) ma.push(k.lookup(obj, p_first.pindex + i)!);
  return yield* vm_pageout_flush(k, th, obj, ma, pagerflags, mreq);
}

/**
 * vm_pageout_flush(mc, count, flags, mreq, &runlen, &eio), object locked: shared-busy the run, add it to
 * paging_in_progress, put the pages, then settle each by its result.
 */
export function* vm_pageout_flush(
  k: BsdKernel,
  th: KThread,
  obj: VmObject,
  mc: FPage[],
  flags: number,
  mreq: number,
): Proc<{ runlen: number; eio: boolean; numpagedout: number }> {
  const count = mc.length;
  for (const [i, m] of mc.entries()) {
    if (m.valid !== VM_PAGE_BITS_ALL)
      yield* panic(k, th, `vm_pageout_flush: partially invalid page ${pname.page(m)} index ${i}/${count}`);
    if (pmap_page_is_write_mapped(m)) yield* panic(k, th, `vm_pageout_flush: writeable page ${pname.page(m)}`);
    vm_page_sbusy(k, m);
  }
  vm_object_pip_add(obj, count);
  const status: number[] = new Array<number>(count).fill(VM_PAGER_ERROR);
  yield* vnode_pager_putpages(k, th, obj, mc, flags, status);
  let runlen = count - mreq;
  let eio = false;
  let numpagedout = 0;
  for (let i = 0; i < count; i++) {
    const mt = mc[i]!;
    if (status[i] !== VM_PAGER_PEND && pmap_page_is_write_mapped(mt))
      yield* panic(k, th, `vm_pageout_flush: page ${pname.page(mt)} is not write protected`);
    switch (status[i]) {
      case VM_PAGER_OK:
      case VM_PAGER_PEND:
        numpagedout++;
        break;
      case VM_PAGER_BAD:
        // Outside the object: pretend it was written; the changes are lost.
        vm_page_undirty(k, mt);
        break;
      case VM_PAGER_ERROR:
      case VM_PAGER_FAIL:
        vm_page_activate(k, mt);
        if (i >= mreq && i - mreq < runlen) eio = true;
        break;
      case VM_PAGER_AGAIN:
        if (i >= mreq && i - mreq < runlen) runlen = i - mreq;
        break;
    }
    if (status[i] !== VM_PAGER_PEND) {
      vm_object_pip_wakeup(k, obj);
      vm_page_sunbusy(k, mt);
    }
  }
  return { runlen, eio, numpagedout };
}
