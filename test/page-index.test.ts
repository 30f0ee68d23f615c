import { describe, expect, it } from 'vitest';
import { PageIndex } from '../src/panels/common/pageIndex';
import type { PageView } from '../src/protocol/snapshot';

/** Only `id` matters to the index; the rest of a view is not read. */
const page = (id: number, state = 'clean') => ({ id, state }) as unknown as PageView;

describe('PageIndex (panels look up the pages they show by id)', () => {
  it('finds each page, and a page edited in place without a rebuild being wrong', () => {
    const index = new PageIndex();
    const before = [page(7), page(3), page(9)];
    expect([7, 3, 9].map((id) => index.indexOf(before, id))).toEqual([0, 1, 2]);
    // A step that changed page 3 in place: a new list, same ids in the same order.
    const after = [before[0]!, page(3, 'dirty'), before[2]!];
    expect(after[index.indexOf(after, 3)]).toBe(after[1]);
  });

  it('follows pages that moved, came or went', () => {
    const index = new PageIndex();
    const first = [page(1), page(2), page(3)];
    expect(index.indexOf(first, 3)).toBe(2);
    // Page 2 freed and page 5 allocated in its place: same length, other ids.
    const second = [page(1), page(3), page(5)];
    expect(index.indexOf(second, 3)).toBe(1);
    expect(index.indexOf(second, 5)).toBe(2);
    expect(index.indexOf(second, 2)).toBe(-1);
    expect(index.indexOf(second, 42)).toBe(-1);
    expect(index.indexOf([], 1)).toBe(-1);
  });

  it('indexes pages brought at the end without a rebuild, and still rebuilds when others moved', () => {
    const index = new PageIndex();
    const first = [page(1), page(2), page(3), page(4)];
    expect(index.indexOf(first, 4)).toBe(3);
    // Page 2 freed, pages 5 and 6 brought at the end: 6 is found past the old end, then 3 and 4 have moved.
    const second = [page(1), page(3), page(4), page(5), page(6)];
    expect(index.indexOf(second, 6)).toBe(4);
    expect(index.indexOf(second, 4)).toBe(2);
    expect(index.indexOf(second, 3)).toBe(1);
    expect(index.indexOf(second, 2)).toBe(-1);
  });

  it('gives the place a fresh pass gives, on lists that grow at the end, shrink and reorder at random', () => {
    const index = new PageIndex();
    let seed = 9;
    const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
    let list = Array.from({ length: 30 }, (_, i) => page(i));
    let next = 100;
    for (let round = 0; round < 300; round++) {
      // A few edits at once (a page freed in the middle and two brought at the end, say), or none.
      for (let e = rand(4); e > 0; e--) {
        const what = rand(4);
        if (what <= 1) list = [...list, page(next++)];
        else if (what === 2 && list.length > 1) list = list.filter((_, k) => k !== rand(list.length));
        else if (what === 3) list = [page(next++), ...list];
      }
      // The page at the end first, as a fault's page is looked up on the step that brings it.
      expect(index.indexOf(list, list.at(-1)!.id)).toBe(list.length - 1);
      const ids = [...list.map((p) => p.id), 1000, list[0]!.id];
      for (let k = 0; k < 4; k++) {
        const id = ids[rand(ids.length)]!;
        expect(index.indexOf(list, id)).toBe(list.findIndex((p) => p.id === id));
      }
    }
  });
});
