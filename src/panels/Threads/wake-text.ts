import type { WaitView } from '../../protocol/snapshot';

/** Who can wake one waiting thread, in words. */
export function wakeText(w: WaitView): string {
  const ways = [...w.wakers, ...w.requests.map((r) => `completing request ${r}`)];
  // NOTE: "now": a thread started later may still wake it (a new msync freeing pages, say).
  return ways.length ? `can be woken by ${ways.join(' or ')}` : 'no thread or request now can wake it';
}
