/**
 * Which thread the Source panel follows, and the small per-line marker map it
 * hands to the (memoized) code lines on each snapshot (pure).
 */
import type { Step } from '../../protocol/scenario';
import type { ThreadView } from '../../protocol/snapshot';
import { THREAD_INK, threadColor } from '../../viz/palette';
import { liveIndices, threadIndexOf } from '../common/threadIndex';

/** The thread of the latest run or step among the first `cursor` steps. */
export function lastActedThread(steps: readonly Step[], cursor: number): string | null {
  for (let i = Math.min(cursor, steps.length) - 1; i >= 0; i--) {
    const s = steps[i]!;
    if ('run' in s) return s.run;
    if ('step' in s) return s.step;
  }
  return null;
}

/** `lastActedThread` as a store selector: the Source and the Threads panel follow the same thread. */
export const selectLastActed = (s: { readonly steps: readonly Step[]; readonly cursor: number }) =>
  lastActedThread(s.steps, s.cursor);

export type FollowReason = 'selected' | 'last run' | 'first active';

export interface Followed {
  readonly thread: ThreadView;
  readonly index: number;
  readonly reason: FollowReason;
}

/**
 * The selected thread; else the one last run or stepped; else the first not
 * done. A thread that has returned stands nowhere in the source and cannot be
 * stepped, so a live one is followed before it: the debugger's buttons and
 * keys act on a thread that can still run. Only when every thread is done is a
 * returned one followed (a library scenario walked to its end follows the
 * thread last run).
 */
export function followedThread(
  threads: readonly ThreadView[],
  selected: string | null,
  lastActed: string | null,
): Followed | null {
  const pick = (id: string | null, reason: FollowReason): Followed | null => {
    const index = id === null ? -1 : threadIndexOf(threads, id);
    return index < 0 ? null : { thread: threads[index]!, index, reason };
  };
  const chosen = pick(selected, 'selected');
  if (chosen && chosen.thread.status !== 'done') return chosen;
  const last = pick(lastActed, 'last run');
  if (last && last.thread.status !== 'done') return last;
  const active = liveIndices(threads)[0];
  return pick(active === undefined ? null : threads[active]!.id, 'first active') ?? last ?? chosen;
}

export interface LineMark {
  readonly id: string;
  readonly color: string;
  readonly ink: string;
}

/**
 * Seed line -> the threads standing on it, in thread order but the followed
 * thread first (its tag and colour lead its line). Done threads stand nowhere.
 */
export function lineMarks(threads: readonly ThreadView[], followed: string | null = null): Map<number, LineMark[]> {
  const marks = new Map<number, LineMark[]>();
  // The live threads only (done threads stand nowhere), in thread order.
  for (const i of liveIndices(threads)) {
    const t = threads[i]!;
    if (t.line === null) continue;
    const color = threadColor(i);
    const list = marks.get(t.line) ?? [];
    const mark = { id: t.id, color, ink: THREAD_INK };
    if (t.id === followed) list.unshift(mark);
    else list.push(mark);
    marks.set(t.line, list);
  }
  return marks;
}

/** Two mark lists show the same thing (so a memoized line need not re-render). */
export function sameMarks(a: readonly LineMark[], b: readonly LineMark[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  return a.every((m, i) => m.id === b[i]!.id && m.color === b[i]!.color);
}

export interface CallerNote {
  readonly id: string;
  readonly index: number;
  readonly stmt: string;
}

/** Threads standing outside the seed, in a caller's statement (a collaborator call). */
export function callerNotes(threads: readonly ThreadView[]): CallerNote[] {
  const notes: CallerNote[] = [];
  for (const index of liveIndices(threads)) {
    const t = threads[index]!;
    if (t.line === null && t.callerStmt) notes.push({ id: t.id, index, stmt: t.callerStmt });
  }
  return notes;
}

/**
 * The line of the first function definition in C `text` (a name and `(` at
 * the start of a line, then a `{` line before any `;`): where the source
 * rests when there is nothing to follow, instead of the licence header.
 */
export function firstDefinitionLine(text: string): number | null {
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    if (!/^[A-Za-z_]\w*\(/.test(lines[i]!)) continue;
    for (let j = i; j < Math.min(lines.length, i + 6); j++) {
      if (lines[j]!.startsWith('{')) return i + 1;
      if (lines[j]!.trimEnd().endsWith(';')) break;
    }
  }
  return null;
}

/**
 * A trail of seed lines in a few words: runs of consecutive lines as ranges,
 * in the order they ran ("141, 145, 148, 154, 164–165, …"), at most `max` items.
 */
export function trailText(lines: readonly number[], omitted = 0, max = 12): string {
  const parts: string[] = [];
  let i = 0;
  while (i < lines.length && parts.length < max) {
    let j = i;
    while (j + 1 < lines.length && lines[j + 1] === lines[j]! + 1) j++;
    parts.push(j > i ? `${lines[i]}–${lines[j]}` : String(lines[i]));
    i = j + 1;
  }
  const more = lines.length - i + omitted;
  return `${parts.join(', ')}${more > 0 ? `, … ${more} more` : ''}`;
}
