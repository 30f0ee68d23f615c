/**
 * Physical memory: the free-page count and the channel its waiters sleep on.
 * A pager model keeps its own page structures; a physical page is an id
 * handed out here, never reused, so it can name a page in a sleep channel.
 */
import type { Kernel } from './kernel';
import { wakeup } from './sched';

/** The sleep channel of threads waiting for a free page (uvmexp.free, vm_cnt.v_free_count). */
export const FREE_PAGES_CHAN = 'free-pages';

/** A free physical page, or null when none is left. */
export function allocPhysPage(k: Kernel): number | null {
  if (k.s.freePages === 0) return null;
  k.s.freePages--;
  return k.s.nextPageId++;
}

/** Give a page back (no wakeup: see wakeFreePageWaiters). */
export function freePhysPage(k: Kernel, id: number): void {
  k.touchPage(id);
  k.s.freePages++;
}

export function wakeFreePageWaiters(k: Kernel): void {
  wakeup(k, FREE_PAGES_CHAN);
}
