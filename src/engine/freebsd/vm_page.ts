/**
 * Pages as FreeBSD 12's vm_page.c and the pmap keep them for the pager (reference/freebsd-vm-facts.md §3
 * and the contract's "Memory, pages, objects"): allocation (fails only when no page is free), freeing
 * (wakes "pfault" and "vmwait" sleepers), busy state with VPB_BIT_WAITERS, the valid and dirty bitmaps
 * (one bit per 512 bytes), the paging queues, and per-mapping pmap entries.
 */
import { allocPhysPage, FREE_PAGES_CHAN, freePhysPage, wakeFreePageWaiters } from '../kernel/memory';
import { panic, sleepOn, wakeup } from '../kernel/sched';
import type { KThread, Proc } from '../kernel/types';
import { DEV_BSHIFT, VM_PAGE_BITS_ALL } from './flags';
import { chan, pname, type BsdKernel, type FPage, type VmObject } from './state';
import { VM_OBJECT_WLOCK, VM_OBJECT_WUNLOCK } from './sync';

function insertSorted(list: number[], value: number): void {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid]! < value) lo = mid + 1;
    else hi = mid;
  }
  list.splice(lo, 0, value);
}

function removeSorted(list: number[], value: number): void {
  const i = list.indexOf(value);
  if (i >= 0) list.splice(i, 1);
}

function removeFrom(queue: number[], id: number): void {
  const i = queue.indexOf(id);
  if (i >= 0) queue.splice(i, 1);
}

/** vm_page_alloc(obj, pindex, VM_ALLOC_NORMAL): an exclusively busy, invalid, clean page, or null at 0 free. */
export function vm_page_alloc(k: BsdKernel, th: KThread, obj: VmObject, pindex: number): FPage | null {
  const id = allocPhysPage(k);
  if (id === null) return null;
  const m: FPage = {
    id,
    object: obj.id,
    pindex,
    valid: 0,
    dirty: 0,
    xbusy: true,
    sbusy: 0,
    waiters: false,
    queue: 'none',
    maps: [],
    owner: th.id,
  };
  k.bsd.pages[id] = m;
  k.touch(m);
  obj.pageAt[pindex] = id;
  insertSorted(obj.memq, pindex);
  return m;
}

/** The resident page before / after `m` in memq (TAILQ_PREV / TAILQ_NEXT), or null. */
export function memqNeighbour(k: BsdKernel, obj: VmObject, m: FPage, dir: -1 | 1): FPage | null {
  const i = obj.memq.indexOf(m.pindex);
  const p = obj.memq[i + dir];
  return p === undefined ? null : k.lookup(obj, p);
}

/** vm_page_find_least(obj, pindex): the resident page with the least pindex >= `pindex`. */
export function vm_page_find_least(k: BsdKernel, obj: VmObject, pindex: number): FPage | null {
  for (const p of obj.memq) if (p >= pindex) return k.lookup(obj, p);
  return null;
}

export const vm_page_busied = (m: FPage): boolean => m.xbusy || m.sbusy > 0;

function wakeWaiters(k: BsdKernel, m: FPage): void {
  if (m.waiters) {
    m.waiters = false;
    wakeup(k, chan.page(m.id));
  }
}

export function vm_page_xbusy(k: BsdKernel, th: KThread, m: FPage): void {
  k.touch(m).xbusy = true;
  m.owner = th.id;
}

/** vm_page_xunbusy: clears VPB_BIT_WAITERS and wakes the page's sleepers. */
export function vm_page_xunbusy(k: BsdKernel, m: FPage): void {
  k.touch(m).xbusy = false;
  m.owner = null;
  wakeWaiters(k, m);
}

export function vm_page_sbusy(k: BsdKernel, m: FPage): void {
  k.touch(m).sbusy++;
}

/** vm_page_sunbusy: the last sharer clears VPB_BIT_WAITERS and wakes the sleepers. */
export function vm_page_sunbusy(k: BsdKernel, m: FPage): void {
  k.touch(m).sbusy--;
  if (m.sbusy === 0) wakeWaiters(k, m);
}

/**
 * vm_page_busy_sleep(m, msg): set VPB_BIT_WAITERS and sleep on the page, the object lock released and
 * not taken back.
 */
export function* vm_page_busy_sleep(k: BsdKernel, th: KThread, m: FPage, obj: VmObject, msg: string): Proc {
  k.touch(m).waiters = true;
  th.focusPage = m.id;
  yield* VM_OBJECT_WUNLOCK(k, th, obj);
  yield* sleepOn(k, th, chan.page(m.id), msg);
}

/** vm_page_sleep_if_busy(m, msg): sleep if busy, then take the object lock again; whether it slept. */
export function* vm_page_sleep_if_busy(k: BsdKernel, th: KThread, m: FPage, obj: VmObject, msg: string): Proc<boolean> {
  if (!vm_page_busied(m)) return false;
  yield* vm_page_busy_sleep(k, th, m, obj, msg);
  yield* VM_OBJECT_WLOCK(k, th, obj);
  return true;
}

/** vm_page_bits(base, size): the DEV_BSIZE chunks the byte range touches (partial chunks count). */
export function* vm_page_bits(k: BsdKernel, th: KThread, base: number, size: number): Proc<number> {
  if (base + size > 4096) yield* panic(k, th, `vm_page_bits: illegal base/size ${base}/${size}`);
  return pageBits(base, size);
}

export function pageBits(base: number, size: number): number {
  if (size <= 0) return 0;
  const first = base >> DEV_BSHIFT;
  const last = (base + size - 1) >> DEV_BSHIFT;
  return (2 << last) - (1 << first);
}

/** vm_page_set_valid_range: zeroing is not modelled; asserts no newly valid chunk is dirty. */
export function* vm_page_set_valid_range(k: BsdKernel, th: KThread, m: FPage, base: number, size: number): Proc {
  if (size === 0) return;
  const bits = pageBits(base, size);
  if ((~m.valid & bits & m.dirty) !== 0) yield* panic(k, th, `vm_page_set_valid_range: page ${pname.page(m)} is dirty`);
  k.touch(m).valid |= bits;
}

export function vm_page_clear_dirty(k: BsdKernel, m: FPage, base: number, size: number): void {
  k.touch(m).dirty &= ~pageBits(base, size);
}

export function vm_page_undirty(k: BsdKernel, m: FPage): void {
  k.touch(m).dirty = 0;
}

export function vm_page_dirty(k: BsdKernel, m: FPage): void {
  k.touch(m).dirty = VM_PAGE_BITS_ALL;
}

/** vm_page_zero_invalid(m, TRUE): the invalid chunks are zeroed and the page becomes fully valid. */
export function vm_page_zero_invalid(k: BsdKernel, m: FPage): void {
  k.touch(m).valid = VM_PAGE_BITS_ALL;
}

export function vm_page_is_valid(m: FPage, base: number, size: number): boolean {
  const bits = pageBits(base, size);
  return m.valid !== 0 && (m.valid & bits) === bits;
}

function dequeue(k: BsdKernel, m: FPage): void {
  if (m.queue === 'active') removeFrom(k.bsd.activeQueue, m.id);
  else if (m.queue === 'inactive') removeFrom(k.bsd.inactiveQueue, m.id);
  k.touch(m).queue = 'none';
}

export function vm_page_activate(k: BsdKernel, m: FPage): void {
  if (m.queue === 'active') return;
  dequeue(k, m);
  k.bsd.activeQueue.push(m.id);
  m.queue = 'active';
}

/** vm_page_deactivate: onto the inactive queue; a page already there stays where it is. */
export function vm_page_deactivate(k: BsdKernel, m: FPage): void {
  if (m.queue === 'inactive') return;
  dequeue(k, m);
  k.bsd.inactiveQueue.push(m.id);
  m.queue = 'inactive';
}

/** vm_page_readahead_finish: activate if someone waits, else deactivate; then xunbusy. */
export function* vm_page_readahead_finish(k: BsdKernel, th: KThread, m: FPage): Proc {
  if (m.valid === 0) yield* panic(k, th, `vm_page_readahead_finish: ${pname.page(m)} is invalid`);
  if (m.waiters) vm_page_activate(k, m);
  else vm_page_deactivate(k, m);
  vm_page_xunbusy(k, m);
}

// ---------------------------------------------------------------- pmap

export const pmap_page_is_mapped = (m: FPage): boolean => m.maps.length > 0;
export const pmap_page_is_write_mapped = (m: FPage): boolean => m.maps.some((e) => e.writable);

/** pmap_enter for one mapping: a re-entry keeps the modified bit it had. */
export function pmap_enter(k: BsdKernel, m: FPage, mapping: string, writable: boolean, modified: boolean): void {
  const old = m.maps.find((e) => e.mapping === mapping);
  if (old) {
    if (old.writable && old.modified && !writable) vm_page_dirty(k, m);
    old.modified = modified || (old.modified && writable);
    old.writable = writable;
  } else m.maps.push({ mapping, writable, modified });
  k.touch(m);
}

/** pmap_remove_write: every writable mapping becomes read-only (a modified one dirties the page first). */
export function pmap_remove_write(k: BsdKernel, m: FPage): void {
  for (const e of m.maps) {
    if (!e.writable) continue;
    if (e.modified) vm_page_dirty(k, m);
    e.writable = false;
    e.modified = false;
  }
  k.touch(m);
}

/** pmap_remove_all: every mapping goes (a modified one dirties the page first). */
export function pmap_remove_all(k: BsdKernel, m: FPage): void {
  if (m.maps.some((e) => e.modified)) vm_page_dirty(k, m);
  k.touch(m).maps = [];
}

/** pmap_remove of one mapping's entry. */
export function pmap_remove_mapping(k: BsdKernel, m: FPage, mapping: string): void {
  const i = m.maps.findIndex((e) => e.mapping === mapping);
  if (i < 0) return;
  if (m.maps[i]!.modified) vm_page_dirty(k, m);
  m.maps.splice(i, 1);
  k.touch(m);
}

// ---------------------------------------------------------------- freeing

/** Take the page out of its object and off the queues (vm_page_free_prep); memory not returned yet. */
export function vm_page_remove(k: BsdKernel, m: FPage): void {
  pmap_remove_all(k, m);
  if (m.xbusy) vm_page_xunbusy(k, m);
  if (m.object !== null) {
    const obj = k.bsd.objects[m.object];
    if (obj && obj.pageAt[m.pindex] === m.id) {
      delete obj.pageAt[m.pindex];
      removeSorted(obj.memq, m.pindex);
    }
  }
  dequeue(k, m);
  m.object = null;
}

/** Return removed pages to the free count, waking every "pfault" and "vmwait" sleeper. */
export function vm_page_free_phys(k: BsdKernel, ids: readonly number[]): void {
  for (const id of ids) {
    delete k.bsd.pages[id];
    freePhysPage(k, id);
  }
  if (ids.length > 0) wakeFreePageWaiters(k);
}

/** vm_page_free: out of the object, mappings removed, unbusied, and back to the free count. */
export function vm_page_free(k: BsdKernel, m: FPage): void {
  vm_page_remove(k, m);
  vm_page_free_phys(k, [m.id]);
}

/** Sleep until a page is freed ("pfault", "vmwait"). */
export function* vm_wait(k: BsdKernel, th: KThread, msg: string): Proc {
  yield* sleepOn(k, th, FREE_PAGES_CHAN, msg);
}

/**
 * vm_waitpfault: sleep "pfault" only if free pages are still short. It tests vm_page_count_min_set again under
 * vm_domainset_lock, which every page free takes too, so a page freed since the fault's own test (statements
 * ago, before unlock_and_deallocate) means no sleep.
 */
export function* vm_waitpfault(k: BsdKernel, th: KThread): Proc {
  if (k.s.freePages === 0) yield* vm_wait(k, th, 'pfault');
}
