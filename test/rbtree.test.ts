import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildRbTree, checkRbTree, inOrder, RbTree, treeHeight } from '../src/viz/rbtree';

describe('red-black tree of page offsets', () => {
  it('is empty for no keys', () => {
    expect(buildRbTree([])).toBeNull();
    expect(checkRbTree(null)).toEqual({ ok: true, blackHeight: 1 });
    expect(treeHeight(null)).toBe(0);
  });

  it('balances ascending insertions with rotations', () => {
    const root = buildRbTree([0, 0x1000, 0x2000]);
    expect(root).toMatchObject({ key: 0x1000, color: 'black' });
    expect(root?.left).toMatchObject({ key: 0, color: 'red' });
    expect(root?.right).toMatchObject({ key: 0x2000, color: 'red' });
  });

  it('ignores duplicate keys', () => {
    const tree = new RbTree();
    expect(tree.insert(4096)).toBe(true);
    expect(tree.insert(4096)).toBe(false);
    expect(tree.size).toBe(1);
  });

  it('is deterministic: the shape depends only on the set of keys', () => {
    const a = buildRbTree([0x3000, 0, 0x2000, 0x1000]);
    const b = buildRbTree([0, 0x1000, 0x2000, 0x3000]);
    expect(a).toEqual(b);
  });

  it('keeps every invariant and stays shallow for 4,096 pages', () => {
    const keys = Array.from({ length: 4096 }, (_, i) => i * 4096);
    const root = buildRbTree(keys);
    expect(checkRbTree(root).ok).toBe(true);
    expect(inOrder(root)).toEqual(keys);
    // A red-black tree of n keys is at most 2 log2(n + 1) high.
    expect(treeHeight(root)).toBeLessThanOrEqual(2 * Math.log2(4097));
  });

  it('holds for any set of keys, in any insertion order', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 0, max: 1 << 20 }), { maxLength: 300 }), (keys) => {
        const tree = new RbTree();
        for (const k of keys) tree.insert(k);
        const check = checkRbTree(tree.root);
        expect(check.ok).toBe(true);
        expect(inOrder(tree.root)).toEqual([...keys].sort((a, b) => a - b));
      }),
    );
  });

  it('reports a broken tree', () => {
    const red = { key: 1, color: 'red' as const, left: null, right: null };
    expect(checkRbTree(red).ok).toBe(false);
    const redRed = { key: 2, color: 'black' as const, left: { ...red, left: { ...red, key: 0 } }, right: null };
    expect(checkRbTree(redRed)).toMatchObject({ ok: false });
  });
});
