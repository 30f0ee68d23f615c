/**
 * A step that brings or takes pages (the list's length changes, so the builder gives no list hint): the change
 * set and the delta match by id only the pages between the places both lists start and end with, and compare
 * the rest in place. They must equal what a match of every page by id gives (the computation before), on random
 * insertions, removals and changes, with the threads changed or grown as well.
 */
import { describe, expect, it } from 'vitest';
import { changesBetween, pageChanges } from '../src/protocol/changes';
import { applyDelta, diffSnapshots, editOf } from '../src/protocol/delta';
import type { PageView, ThreadView, ViewSnapshot } from '../src/protocol/snapshot';
import { snapshotView } from './fixtures/views';

const STATES = ['clean', 'dirty', 'busy'];
const pageView = (id: number, state = STATES[id % 3]!, flagWord = id % 5): PageView =>
  ({
    id,
    vnode: 'vn1',
    object: 'vn1',
    offset: id * 4096,
    state,
    flagWord,
    cells: { valid: id % 7, dirty: 0 },
    queue: 'active',
    mapped: false,
    modified: false,
    owner: null,
  }) as unknown as PageView;
const threadView = (id: string, line = 1): ThreadView =>
  ({ id, status: 'ready', line, locksHeld: [] }) as unknown as ThreadView;

const snapshotOf = (step: number, pages: readonly PageView[], threads: readonly ThreadView[]): ViewSnapshot =>
  snapshotView({ step, pages, threads });

/** The page part of a change set as every page matched by id gives it. */
function pagesByWholeMatch(before: readonly PageView[], after: readonly PageView[]) {
  const pages: Record<number, readonly string[]> = {};
  const pageFlags: Record<number, number> = {};
  const added: number[] = [];
  const was = new Map(before.map((p) => [p.id, p]));
  for (const p of after) {
    const old = was.get(p.id);
    if (!old) added.push(p.id);
    else if (old !== p) {
      const keys = pageChanges(old, p);
      if (keys.length) pages[p.id] = keys;
      if (old.flagWord !== p.flagWord) pageFlags[p.id] = old.flagWord ^ p.flagWord;
    }
    was.delete(p.id);
  }
  return { pages, pageFlags, added, removed: [...was.values()] };
}

/** The delta's list parts as every item matched by id gives them. */
function listsByWholeMatch(from: ViewSnapshot, to: ViewSnapshot) {
  const pagesBefore = new Map(from.pages.map((p) => [p.id, p]));
  const threadsBefore = new Map(from.threads.map((t) => [t.id, t]));
  return {
    pages: to.pages.filter((p) => pagesBefore.get(p.id) !== p),
    threads: to.threads.filter((t) => threadsBefore.get(t.id) !== t),
  };
}

describe('a step that brings or takes pages', () => {
  it('gives the change set and the delta of a whole match by id, on random splices and changes', () => {
    let seed = 3;
    const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
    let nextId = 1000;
    let pages: PageView[] = Array.from({ length: 300 }, (_, i) => pageView(i * 2));
    let threads: ThreadView[] = Array.from({ length: 20 }, (_, i) => threadView(`t${i}`));
    let shown = snapshotOf(0, pages, threads);
    for (let step = 1; step <= 400; step++) {
      pages = pages.slice();
      threads = threads.slice();
      // A few edits of each kind, anywhere (the ends included).
      for (let k = rand(4); k >= 0; k--) {
        const what = rand(6);
        const at = rand(pages.length + 1);
        if (what === 0) {
          pages.splice(at, 0, pageView(nextId++));
          // Its neighbours changed too, now and then: the places on either side of where the lists differ.
          for (const i of [at - 1, at + 1])
            if (rand(2) === 0 && i >= 0 && i < pages.length)
              pages[i] = pageView(pages[i]!.id, STATES[rand(3)]!, rand(4));
        } else if (what === 1 && pages.length > 1) pages.splice(Math.min(at, pages.length - 1), 1);
        else if (what === 2) pages.push(pageView(nextId++));
        else if (what === 3 && pages.length > 0) {
          const i = Math.min(at, pages.length - 1);
          const p = pages[i]!;
          pages[i] = pageView(p.id, STATES[rand(3)]!, rand(4));
        } else if (what === 4) threads.push(threadView(`n${step}-${k}`));
        else if (what === 5) {
          const i = rand(threads.length);
          threads[i] = threadView(threads[i]!.id, step);
        }
      }
      // Often a change near either end, where the lists are compared in place.
      if (rand(2) === 0 && pages.length > 3) {
        const i = rand(2) === 0 ? rand(3) : pages.length - 1 - rand(3);
        pages[i] = pageView(pages[i]!.id, STATES[rand(3)]!, rand(4));
      }
      // Sometimes a page's view is new but equal in every field (a new object, nothing to mark).
      if (rand(3) === 0 && pages.length > 0) {
        const i = rand(pages.length);
        pages[i] = { ...pages[i]! };
      }
      const now = snapshotOf(step, pages, threads);

      const changes = changesBetween(shown, now);
      expect({
        pages: changes.pages,
        pageFlags: changes.pageFlags,
        added: changes.added,
        removed: changes.removed,
      }).toEqual(pagesByWholeMatch(shown.pages, now.pages));

      const delta = diffSnapshots(shown, now);
      const whole = listsByWholeMatch(shown, now);
      expect(delta.pages).toEqual(whole.pages);
      expect(delta.threads).toEqual(whole.threads);
      if (delta.order !== null)
        expect(delta.order).toEqual(
          editOf(
            shown.pages.map((p) => p.id),
            now.pages.map((p) => p.id),
          ),
        );
      // And the delta rebuilds the snapshot.
      const rebuilt = applyDelta(shown, delta)!;
      expect(rebuilt.pages.map((p) => p.id)).toEqual(now.pages.map((p) => p.id));
      rebuilt.pages.forEach((p, i) => expect(p).toBe(now.pages[i]));
      shown = now;
    }
  });

  it('rebuilds the lists of branches that brought different pages at the end from one list', () => {
    const base = Array.from({ length: 50 }, (_, i) => pageView(i));
    const root = snapshotOf(1, base, []);
    // Its index of ids is built (a step in place), then shared by what is patched from it.
    const inPlace = (from: ViewSnapshot, step: number, i: number) => {
      const pages = from.pages.slice();
      pages[i] = pageView(pages[i]!.id, 'dirty', 7);
      const to = snapshotOf(step, pages, []);
      const got = applyDelta(from, diffSnapshots(from, to))!;
      expect(got.pages).toEqual(to.pages);
      got.pages.forEach((p, k) => expect(p).toBe(to.pages[k]));
      return got;
    };
    const appended = (from: ViewSnapshot, step: number, ...ids: number[]) => {
      const to = snapshotOf(step, [...from.pages, ...ids.map((id) => pageView(id))], []);
      const delta = diffSnapshots(from, to);
      expect(delta.order).toEqual({ removed: [], appended: ids });
      const got = applyDelta(from, delta)!;
      expect(got.pages.map((p) => p.id)).toEqual(to.pages.map((p) => p.id));
      got.pages.forEach((p, k) => expect(p).toBe(to.pages[k]));
      return got;
    };
    const shown = inPlace(root, 2, 3);
    // One branch brings pages 100 and 101, another brings 101 alone, a third 102 then 100: each list is right,
    // and so is every step in place after them.
    const a = appended(shown, 3, 100, 101);
    const b = appended(shown, 3, 101);
    const c = appended(appended(shown, 3, 102), 4, 100);
    for (const [list, step] of [
      [a, 4],
      [b, 4],
      [c, 5],
    ] as const)
      for (const i of [0, list.pages.length - 1, list.pages.length - 2]) inPlace(list, step, i);
    inPlace(inPlace(a, 4, 50), 5, 51);
    inPlace(inPlace(b, 4, 50), 5, 49);
  });
});
