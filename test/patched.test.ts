/**
 * Lists patched in place (src/protocol/patched.ts): a delta that replaces a few pages records their indices,
 * and what reads the page list on every step (grouping by vnode, the overview's strips, layouts, counts) looks
 * at those pages only, with the same results as a fresh pass. The "reads" tests hand the readers a list that
 * counts its item reads: a reader that passes over all 4,096 pages fails them.
 */
import { describe, expect, it } from 'vitest';
import { applyDelta } from '../src/protocol/delta';
import { countWhere, indexOfKey, indicesWhere, notePatched, patchedAt } from '../src/protocol/patched';
import type { PageView, SnapshotDelta, ViewSnapshot } from '../src/protocol/snapshot';
import { OverviewCache } from '../src/viz/overview';
import { PageGrouper } from '../src/viz/pages';
import { LayoutCache, layoutRbTree } from '../src/viz/treeLayout';

interface P {
  id: number;
  vnode: string;
  object: string;
  offset: number;
  state: string;
}

const STATES = ['clean', 'dirty', 'busy'];
const pagesOf = (n: number, vnodes = 1): P[] =>
  Array.from({ length: n }, (_, i) => {
    const vnode = `vn${1 + (i % vnodes)}`;
    return { id: i + 1, vnode, object: vnode, offset: i * 4096, state: STATES[i % 3]! };
  });

/** `list` as a list whose item reads are counted in `reads.n`. */
function counted<T>(list: readonly T[], reads: { n: number }): readonly T[] {
  return new Proxy(list as T[], {
    get(target, key, receiver) {
      if (typeof key === 'string' && /^\d+$/.test(key)) reads.n++;
      return Reflect.get(target, key, receiver) as unknown;
    },
  });
}

/** `from` with the pages at `at` given a new state, recorded as patched (as applyDelta records it). */
function patch(from: readonly P[], at: readonly number[], reads?: { n: number }): readonly P[] {
  const out = from.slice();
  for (const i of at) out[i] = { ...from[i]!, state: from[i]!.state === 'dirty' ? 'clean' : 'dirty' };
  const next = reads ? counted(out, reads) : out;
  notePatched(next, from, at);
  return next;
}

describe('lists patched in place', () => {
  it('applyDelta records the indices of the pages a step replaced, and nothing when the order changed', () => {
    const pages = pagesOf(10) as unknown as PageView[];
    const from = { step: 1, pages, threads: [], queues: [] } as unknown as ViewSnapshot;
    const delta = (changed: PageView[], order: SnapshotDelta['order']) =>
      ({
        step: 2,
        fromStep: 1,
        profile: null,
        pages: changed,
        order,
        queues: [],
        threads: [],
        threadOrder: null,
        rest: {},
      }) as unknown as SnapshotDelta;
    const changed = [7, 3].map((i) => ({ ...pages[i]!, state: 'busy' }));
    const next = applyDelta(from, delta(changed, null))!;
    expect(next.pages[3]).toBe(changed[1]);
    expect(patchedAt(pages, next.pages)).toEqual([3, 7]);
    expect(patchedAt(next.pages, next.pages)).toEqual([]);
    const reordered = applyDelta(from, delta([], pages.map((p) => p.id).reverse()))!;
    expect(patchedAt(pages, reordered.pages)).toBeNull();
  });

  it('grouping by vnode gives what a fresh grouping gives, after random patches and a page changing vnode', () => {
    const names = ['vn1', 'vn2', 'vn3', 'vn4'];
    for (const vnodes of [1, 3]) {
      const kept = new PageGrouper<P>();
      let pages: readonly P[] = pagesOf(600, vnodes);
      let seed = 11;
      const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
      for (let round = 0; round < 30; round++) {
        if (round === 20) {
          const moved = pages.slice();
          moved[5] = { ...moved[5]!, vnode: 'vn4' };
          notePatched(moved, pages, [5]);
          pages = moved;
        } else
          pages = patch(
            pages,
            [rand(600), rand(600)].sort((a, b) => a - b).filter((x, i, a) => a[i - 1] !== x),
          );
        const groups = kept.group(pages, names);
        const fresh = new PageGrouper<P>().group(pages, names);
        expect([...groups.keys()]).toEqual([...fresh.keys()]);
        for (const [name, list] of fresh) expect(groups.get(name)).toEqual(list);
      }
    }
  });

  it('grouping reads only the replaced pages, and records each vnode list it patched', () => {
    const names = ['vn1', 'vn2'];
    const grouper = new PageGrouper<P>();
    const pages = pagesOf(4096, 2);
    const first = grouper.group(pages, names);
    const reads = { n: 0 };
    const next = patch(pages, [10, 11], reads);
    const second = grouper.group(next, names);
    expect(reads.n).toBeLessThan(20);
    // Page 10 is vn1's 6th page, page 11 vn2's.
    expect(patchedAt(first.get('vn1')!, second.get('vn1')!)).toEqual([5]);
    expect(patchedAt(first.get('vn2')!, second.get('vn2')!)).toEqual([5]);
    expect(second.get('vn1')![5]).toBe(next[10]);
    // One vnode holding every page: its list is the snapshot's own.
    const alone = new PageGrouper<P>();
    const one = pagesOf(4096);
    expect(alone.group(one, ['vn1']).get('vn1')).toBe(one);
    const oneNext = patch(one, [9]);
    expect(alone.group(oneNext, ['vn1']).get('vn1')).toBe(oneNext);
  });

  it('the overview reads only the replaced pages and gives the paths computed afresh', () => {
    const pages = pagesOf(4096);
    const layout = layoutRbTree(pages.map((p) => p.offset));
    const cache = new OverviewCache();
    cache.of(layout, pages);
    const reads = { n: 0 };
    const next = patch(pages, [100, 3000], reads);
    const paths = cache.of(layout, next);
    expect(reads.n).toBeLessThan(2 * 128 * 3);
    expect(cache.of(layout, next)).toEqual(paths);
    expect(paths).toEqual(new OverviewCache().of(layout, next.slice()));
  });

  it('a layout is kept for a patched list by the replaced pages alone', () => {
    const pages = pagesOf(4096);
    const layouts = new LayoutCache();
    const layout = layouts.get('vn1', pages);
    const reads = { n: 0 };
    const next = patch(pages, [42], reads);
    expect(layouts.get('vn1', next)).toBe(layout);
    expect(reads.n).toBeLessThan(10);
    const moved = pages.slice();
    moved[42] = { ...pages[42]!, offset: 4096 * 5000 };
    notePatched(moved, next, [42]);
    expect(layouts.get('vn1', moved)).not.toBe(layout);
    expect(layouts.computed).toBe(2);
  });

  it('counts from the last count and the replaced pages', () => {
    const counts = new WeakMap<readonly P[], number>();
    const dirty = (p: P) => p.state === 'dirty';
    const pages = pagesOf(4096);
    expect(countWhere(counts, pages, dirty)).toBe(pages.filter(dirty).length);
    const reads = { n: 0 };
    const next = patch(pages, [0, 1, 2], reads);
    const n = countWhere(counts, next, dirty);
    expect(reads.n).toBeLessThan(10);
    expect(n).toBe(next.slice().filter(dirty).length);
  });

  it('finds the indices that pass a test from the last ones and the replaced items, as a fresh pass does', () => {
    const cache = new WeakMap<readonly P[], readonly number[]>();
    const dirty = (p: P) => p.state === 'dirty';
    const fresh = (list: readonly P[]) => list.flatMap((p, i) => (dirty(p) ? [i] : []));
    let pages: readonly P[] = pagesOf(4096);
    expect(indicesWhere(cache, pages, dirty)).toEqual(fresh(pages));
    let seed = 5;
    const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
    for (let round = 0; round < 40; round++) {
      const at = [...new Set(Array.from({ length: 1 + rand(4) }, () => rand(4096)))].sort((a, b) => a - b);
      const before = indicesWhere(cache, pages, dirty);
      const reads = { n: 0 };
      const next = patch(pages, at, reads);
      const found = indicesWhere(cache, next, dirty);
      expect(reads.n).toBeLessThanOrEqual(at.length);
      expect(found).toEqual(fresh(next.slice()));
      // The same indices: the same array.
      const same = patch(next, [], undefined);
      expect(indicesWhere(cache, same, dirty)).toBe(found);
      expect(before).toEqual(fresh(pages));
      pages = same;
    }
    // A list not made in place (another order) is passed over whole.
    const reversed = pages.slice().reverse();
    expect(indicesWhere(cache, reversed, dirty)).toEqual(fresh(reversed));
  });

  it('looks a key up by an index kept across lists patched in place, the first of equal keys', () => {
    const cache = new WeakMap<readonly P[], ReadonlyMap<number, number>>();
    const idOf = (p: P) => p.id;
    const pages = pagesOf(4096);
    expect(indexOfKey(cache, pages, 77, idOf)).toBe(76);
    expect(indexOfKey(cache, pages, -1, idOf)).toBe(-1);
    const reads = { n: 0 };
    const next = patch(pages, [3, 76], reads);
    expect(indexOfKey(cache, next, 77, idOf)).toBe(76);
    expect(indexOfKey(cache, next, 4096, idOf)).toBe(4095);
    // Only the replaced items are read (their keys checked against the old ones').
    expect(reads.n).toBeLessThanOrEqual(4);
    // A replaced item with another key: the index is built afresh.
    const renamed = next.slice();
    renamed[5] = { ...next[5]!, id: 77 };
    notePatched(renamed, next, [5]);
    expect(indexOfKey(cache, renamed, 77, idOf)).toBe(5);
    expect(indexOfKey(cache, renamed, 6, idOf)).toBe(-1);
  });
});
