import type { WaitView } from '../../protocol/snapshot';

/** Who can wake one waiting thread, in words. */
export function wakeText(w: WaitView): string {
  const ways = [...w.wakers, ...w.requests.map((r) => `completing request ${r}`)];
  return ways.length ? `can be woken by ${ways.join(' or ')}` : 'nothing known can wake it';
}
