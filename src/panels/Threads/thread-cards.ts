/** Which threads the Threads panel shows a card for, in which order (pure). */
import type { ThreadView } from '../../protocol/snapshot';
import { liveIndices, threadIndexOf } from '../common/threadIndex';

/** Finished threads shown by default: a bench of thousands of faults must not mean thousands of cards. */
export const RECENT_DONE = 12;

export interface ThreadCards {
  /** The threads with a card: the live ones, then the finished ones shown, each in thread order. */
  readonly visible: readonly { readonly t: ThreadView; readonly index: number }[];
  readonly doneCount: number;
  /** Finished threads without a card (the selected one always has one). */
  readonly hiddenDone: number;
}

/**
 * Live threads first (on a 720p projector they are what the class is looking at), then the last `RECENT_DONE`
 * finished ones (all of them with `showAllDone`), and the selected thread if it is finished and among the
 * others. Found from the live threads (kept across steps) and from the end of the list, not by passes over
 * every thread: the OpenBSD bench holds 4,098, all but one or two finished.
 */
export function threadCards(
  threads: readonly ThreadView[],
  selected: string | null,
  showAllDone: boolean,
): ThreadCards {
  const live = liveIndices(threads);
  const doneCount = threads.length - live.length;
  const hiddenDone = showAllDone ? 0 : Math.max(0, doneCount - RECENT_DONE);
  const finished: { t: ThreadView; index: number }[] = [];
  for (let index = threads.length - 1; index >= 0 && finished.length < doneCount - hiddenDone; index--)
    if (threads[index]!.status === 'done') finished.push({ t: threads[index]!, index });
  finished.reverse();
  const at = selected === null ? -1 : threadIndexOf(threads, selected);
  if (at >= 0 && threads[at]!.status === 'done' && (finished.length === 0 || at < finished[0]!.index))
    finished.unshift({ t: threads[at]!, index: at });
  return { visible: [...live.map((index) => ({ t: threads[index]!, index })), ...finished], doneCount, hiddenDone };
}
