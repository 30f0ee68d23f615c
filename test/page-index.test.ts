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
});
