/**
 * Physical pages, the paging queues and the pmap bits as UVM has them: what
 * uvm_page.c, uvm_pdaemon.c (uvm_wait) and the pmap layer do for the pager
 * (reference/openbsd-uvm-facts.md §3). There is no page daemon and no page
 * is ever wired.
 */
import { lockEnter, lockRelease } from '../kernel/locks';
import { allocPhysPage, FREE_PAGES_CHAN, freePhysPage, wakeFreePageWaiters } from '../kernel/memory';
import { kassertMessage, panic, sleepOn } from '../kernel/sched';
import type { KThread, Proc } from '../kernel/types';
import { PG_BUSY, PG_CLEAN, PG_CLEANCHK, PG_FAKE, PG_RELEASED, PG_WANTED, PG_ZERO } from './flags';
import { chan, PAGEQ_LOCK, type Page, type Uvn, type UvmKernel } from './state';
import { rwsleep_nsec } from './sync';

/** Index of the first of the ascending `offsets` that is >= `off` (offsets.length if none). */
function lowerBound(offsets: readonly number[], off: number): number {
  let lo = 0;
  let hi = offsets.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (offsets[mid]! < off) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function insertOffset(offsets: number[], off: number): void {
  offsets.splice(lowerBound(offsets, off), 0, off);
}

function removeOffset(offsets: number[], off: number): void {
  const at = lowerBound(offsets, off);
  if (offsets[at] === off) offsets.splice(at, 1);
}

/**
 * The lowest offset >= `off` that has a page in the uvn's tree, or Infinity: what RBT_NFIND on
 * uvm_objtree answers in O(log n). uvn_flush's walk uses it, in a run, to cross offsets with no page.
 */
export function uvm_pagenfind(k: UvmKernel, vnode: string, off: number): number {
  const offsets = k.vnode(vnode).uvn.offsets;
  return offsets[lowerBound(offsets, off)] ?? Infinity;
}

function removeFrom(queue: number[], id: number): void {
  const i = queue.indexOf(id);
  if (i >= 0) queue.splice(i, 1);
}

export function uvnOf(k: UvmKernel, pg: Page): Uvn | null {
  return pg.object === null ? null : k.vnode(pg.object).uvn;
}

/** Line of uvm_pagelookup's PG_RELEASED KASSERT in uvm_page.c: the contract's convention. */
export const UVM_PAGELOOKUP_KASSERT_LINE = 1187;

/** uvm_pagelookup with its KASSERT (sys/uvm/uvm_page.c). */
export function* uvm_pagelookup(k: UvmKernel, th: KThread, vnode: string, off: number): Proc<Page | null> {
  const uvn = k.vnode(vnode).uvn;
  const id = uvn.pageAt[off];
  const pg = id === undefined ? null : k.page(id);
  if (pg !== null && (pg.flags & PG_RELEASED) !== 0 && (pg.flags & PG_BUSY) === 0)
    yield* panic(
      k,
      th,
      kassertMessage(
        'pg == NULL || (pg->pg_flags & PG_RELEASED) == 0 || (pg->pg_flags & PG_BUSY) != 0',
        'sys/uvm/uvm_page.c',
        UVM_PAGELOOKUP_KASSERT_LINE,
      ),
    );
  return pg;
}

/** uvm_pagealloc(obj, off, NULL, 0): fails (NULL) only when no page is free. */
export function uvm_pagealloc(k: UvmKernel, th: KThread, vnode: string, off: number): Page | null {
  const id = allocPhysPage(k);
  if (id === null) return null;
  const pg: Page = {
    id,
    object: vnode,
    offset: off,
    flags: PG_BUSY | PG_FAKE | PG_CLEAN,
    queue: 'none',
    wired: 0,
    mapped: false,
    modified: false,
    owner: th.id,
  };
  k.uvm.pages[id] = pg;
  k.touch(pg);
  const uvn = k.vnode(vnode).uvn;
  uvn.pageAt[off] = id;
  insertOffset(uvn.offsets, off);
  uvn.npages++;
  return pg;
}

function uvm_pagedequeue(k: UvmKernel, pg: Page): void {
  if (pg.queue === 'active') removeFrom(k.uvm.activeQueue, pg.id);
  else if (pg.queue === 'inactive') removeFrom(k.uvm.inactiveQueue, pg.id);
  k.touch(pg).queue = 'none';
}

/** uvm_pageclean: out of the object and off the queues; memory not returned. */
export function uvm_pageclean(k: UvmKernel, pg: Page): void {
  const uvn = uvnOf(k, pg);
  if (uvn && uvn.pageAt[pg.offset] === pg.id) {
    delete uvn.pageAt[pg.offset];
    removeOffset(uvn.offsets, pg.offset);
    uvn.npages--;
  }
  uvm_pagedequeue(k, pg);
  pg.object = null;
  pg.owner = null;
  k.clearbits(pg, PG_ZERO | PG_FAKE | PG_BUSY | PG_RELEASED | PG_CLEAN | PG_CLEANCHK);
}

function giveBack(k: UvmKernel, pg: Page): void {
  delete k.uvm.pages[pg.id];
  freePhysPage(k, pg.id);
}

/** uvm_pagefree: clean it, return it, wake every uvm_wait sleeper. */
export function uvm_pagefree(k: UvmKernel, pg: Page): void {
  uvm_pageclean(k, pg);
  giveBack(k, pg);
  wakeFreePageWaiters(k);
}

/** uvm_pglistfree: return a list of cleaned pages; wakes uvm_wait sleepers even when empty. */
export function uvm_pglistfree(k: UvmKernel, ids: readonly number[]): void {
  for (const id of ids) giveBack(k, k.page(id));
  wakeFreePageWaiters(k);
}

export function uvm_pagedeactivate(k: UvmKernel, pg: Page): void {
  if (pg.queue === 'active') {
    removeFrom(k.uvm.activeQueue, pg.id);
    k.touch(pg).queue = 'none';
  }
  if (pg.queue !== 'inactive') {
    k.uvm.inactiveQueue.push(pg.id);
    k.touch(pg).queue = 'inactive';
    if ((pg.flags & PG_CLEAN) !== 0 && pmap_is_modified(pg)) k.clearbits(pg, PG_CLEAN);
  }
}

export function uvm_pageactivate(k: UvmKernel, pg: Page): void {
  uvm_pagedequeue(k, pg);
  if (pg.wired === 0) {
    k.uvm.activeQueue.push(pg.id);
    k.touch(pg).queue = 'active';
  }
}

export const PROT_NONE = 0;

/** PROT_NONE removes every mapping; PROT_READ only write-protects (still mapped). */
export function pmap_page_protect(k: UvmKernel, pg: Page, prot: number): void {
  if (prot === PROT_NONE) k.touch(pg).mapped = false;
}

export function pmap_is_modified(pg: Page): boolean {
  return pg.modified;
}

export function pmap_clear_modify(k: UvmKernel, pg: Page): void {
  k.touch(pg).modified = false;
}

export function* uvm_lock_pageq(k: UvmKernel, th: KThread): Proc {
  if ((yield* lockEnter(k, th, PAGEQ_LOCK)) === 'self') yield* panic(k, th, 'mtx_enter: locking against myself');
}

export function uvm_unlock_pageq(k: UvmKernel): void {
  lockRelease(k, PAGEQ_LOCK);
}

/** uvm_pagewait: set PG_WANTED and sleep on the page, returning unlocked (PNORELOCK). */
export function* uvm_pagewait(k: UvmKernel, th: KThread, pg: Page, lock: string, wmesg: string): Proc {
  k.setbits(pg, PG_WANTED);
  yield* rwsleep_nsec(k, th, chan.page(pg.id), lock, wmesg, false);
}

/** uvm_wait: sleeps on the free-page count, keeping every lock the caller holds. */
export function* uvm_wait(k: UvmKernel, th: KThread, wmesg: string): Proc {
  yield* sleepOn(k, th, FREE_PAGES_CHAN, wmesg);
}
