/**
 * The thread list's readers that run on every step (the followed thread, the line marks, the caller notes, the
 * cards of the Threads panel) find the live threads and a thread by id from indices kept across steps
 * (src/panels/common/threadIndex.ts): the same results as the passes over the whole list they replace, reading
 * only the threads a step replaced.
 */
import { describe, expect, it } from 'vitest';
import { notePatched } from '../src/protocol/patched';
import type { ThreadView } from '../src/protocol/snapshot';
import { callerNotes, followedThread, lineMarks, type Followed } from '../src/panels/Source/follow';
import { liveIndices, threadById, threadIndexOf } from '../src/panels/common/threadIndex';
import { RECENT_DONE, threadCards } from '../src/panels/Threads/thread-cards';
import { threadColor } from '../src/viz/palette';
import { threadView } from './fixtures/views';

/** The passes over every thread that the kept indices replace, as they were written before. */
const reference = {
  followed(threads: readonly ThreadView[], selected: string | null, lastActed: string | null): Followed | null {
    const pick = (id: string | null, reason: Followed['reason']): Followed | null => {
      const index = id === null ? -1 : threads.findIndex((t) => t.id === id);
      return index < 0 ? null : { thread: threads[index]!, index, reason };
    };
    const chosen = pick(selected, 'selected');
    if (chosen && chosen.thread.status !== 'done') return chosen;
    const last = pick(lastActed, 'last run');
    if (last && last.thread.status !== 'done') return last;
    const active = threads.find((t) => t.status !== 'done');
    return pick(active?.id ?? null, 'first active') ?? last ?? chosen;
  },
  marks(threads: readonly ThreadView[], followed: string | null) {
    const marks = new Map<number, { id: string; color: string }[]>();
    threads.forEach((t, i) => {
      if (t.line === null || t.status === 'done') return;
      const list = marks.get(t.line) ?? [];
      const mark = { id: t.id, color: threadColor(i) };
      if (t.id === followed) list.unshift(mark);
      else list.push(mark);
      marks.set(t.line, list);
    });
    return marks;
  },
  notes(threads: readonly ThreadView[]) {
    return threads.flatMap((t, index) =>
      t.status !== 'done' && t.line === null && t.callerStmt ? [{ id: t.id, index, stmt: t.callerStmt }] : [],
    );
  },
  cards(threads: readonly ThreadView[], selected: string | null, showAllDone: boolean) {
    const doneCount = threads.reduce((n, t) => n + (t.status === 'done' ? 1 : 0), 0);
    const hiddenDone = showAllDone ? 0 : Math.max(0, doneCount - RECENT_DONE);
    const live: { t: ThreadView; index: number }[] = [];
    const finished: { t: ThreadView; index: number }[] = [];
    let doneSeen = 0;
    threads.forEach((t, index) => {
      if (t.status !== 'done') live.push({ t, index });
      else if (++doneSeen > hiddenDone || t.id === selected) finished.push({ t, index });
    });
    return { visible: [...live, ...finished], doneCount, hiddenDone };
  },
};

/** `list` as a list whose item reads are counted in `reads.n`. */
function counted<T>(list: readonly T[], reads: { n: number }): readonly T[] {
  return new Proxy(list as T[], {
    get(target, key, receiver) {
      if (typeof key === 'string' && /^\d+$/.test(key)) reads.n++;
      return Reflect.get(target, key, receiver) as unknown;
    },
  });
}

const STATUSES: ThreadView['status'][] = ['ready', 'done', 'sleep', 'io', 'lock', 'done', 'done'];

describe('thread lookups kept across steps', () => {
  it('give what passes over every thread give, after random steps, reading only the replaced threads', () => {
    let seed = 7;
    const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
    const make = (i: number, status: ThreadView['status']) =>
      threadView({
        id: `f${i}`,
        status,
        line: status === 'done' || rand(5) === 0 ? null : 100 + rand(6),
        callerStmt: rand(3) === 0 ? `caller_${i}()` : null,
      });
    // The OpenBSD bench's shape: thousands of finished faults, a few live threads among and after them.
    let threads: readonly ThreadView[] = Array.from({ length: 4098 }, (_, i) =>
      make(i, i % 997 === 5 || i > 4094 ? 'ready' : 'done'),
    );
    // The first list is read whole once (as the first snapshot is); every step after is read from its patch.
    liveIndices(threads);
    threadIndexOf(threads, 'f0');
    for (let step = 0; step < 60; step++) {
      const at = [...new Set(Array.from({ length: 1 + rand(3) }, () => rand(threads.length)))].sort((a, b) => a - b);
      const next = threads.slice();
      for (const i of at) next[i] = make(i, STATUSES[rand(STATUSES.length)]!);
      const reads = { n: 0 };
      const list = counted(next, reads);
      notePatched(list, threads, at);
      const selected = rand(4) === 0 ? null : `f${rand(threads.length)}`;
      const lastActed = rand(3) === 0 ? null : `f${rand(threads.length)}`;
      const followed = followedThread(list, selected, lastActed);
      const notes = callerNotes(list);
      const marks = lineMarks(list, followed?.thread.id ?? null);
      const live = liveIndices(list);
      // Lookups by id, the live threads and what is drawn of them: the replaced threads and the live ones only.
      expect(reads.n).toBeLessThanOrEqual(4 * (at.length + live.length) + 8);
      expect(followed).toEqual(reference.followed(next, selected, lastActed));
      expect(notes).toEqual(reference.notes(next));
      expect(new Map([...marks].map(([line, list]) => [line, list.map(({ id, color }) => ({ id, color }))]))).toEqual(
        reference.marks(next, followed?.thread.id ?? null),
      );
      expect(live).toEqual(next.flatMap((t, i) => (t.status !== 'done' ? [i] : [])));
      for (const showAll of [false, true])
        expect(threadCards(list, selected, showAll)).toEqual(reference.cards(next, selected, showAll));
      threads = list;
    }
  });

  it('finds a thread by id, the first of equal ids, and no thread that is not there', () => {
    const threads = ['a', 'b', 'c', 'b'].map((id, i) => threadView({ id, line: i }));
    expect(threadIndexOf(threads, 'b')).toBe(1);
    expect(threadById(threads, 'c')?.line).toBe(2);
    expect(threadIndexOf(threads, 'z')).toBe(-1);
    expect(threadById([], 'a')).toBeUndefined();
  });

  it('shows the last finished threads and a selected finished one among the hidden', () => {
    const threads = Array.from({ length: 40 }, (_, i) =>
      threadView({ id: `t${i}`, status: i === 20 ? 'ready' : 'done' }),
    );
    const cards = threadCards(threads, 't3', false);
    expect(cards.doneCount).toBe(39);
    expect(cards.hiddenDone).toBe(39 - RECENT_DONE);
    expect(cards.visible.map((c) => c.t.id)).toEqual([
      't20',
      't3',
      ...Array.from({ length: RECENT_DONE }, (_, k) => `t${40 - RECENT_DONE + k}`),
    ]);
    expect(threadCards(threads, 't39', false).visible).toHaveLength(1 + RECENT_DONE);
    expect(threadCards(threads, null, true).visible).toHaveLength(40);
  });
});
