/**
 * Lookups in a snapshot's thread list that do not pass over it: the live threads (not done) and a thread's
 * place by id, kept per list and carried from one step's list to the next (src/protocol/patched.ts). The
 * OpenBSD bench holds 4,098 threads, all but one or two done, and the Source, the Threads panel, the status
 * row and the page tree each passed over all of them to find those, several times a step.
 */
import { indexOfKey, indicesWhere } from '../../protocol/patched';
import type { ThreadView } from '../../protocol/snapshot';

const LIVE = new WeakMap<readonly ThreadView[], readonly number[]>();
const IDS = new WeakMap<readonly ThreadView[], ReadonlyMap<string, number>>();
const isLive = (t: ThreadView) => t.status !== 'done';
const idOf = (t: ThreadView) => t.id;

/** The indices of the threads that are not done, ascending (the same array while they stay the same). */
export function liveIndices(threads: readonly ThreadView[]): readonly number[] {
  return indicesWhere(LIVE, threads, isLive);
}

/** The index of thread `id` in `threads`, or -1 (as `threads.findIndex((t) => t.id === id)`). */
export function threadIndexOf(threads: readonly ThreadView[], id: string): number {
  return indexOfKey(IDS, threads, id, idOf);
}

/** Thread `id` of `threads`, if it is there (as `threads.find((t) => t.id === id)`). */
export function threadById(threads: readonly ThreadView[], id: string): ThreadView | undefined {
  const i = threadIndexOf(threads, id);
  return i < 0 ? undefined : threads[i];
}
