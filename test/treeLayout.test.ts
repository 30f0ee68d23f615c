import { describe, expect, it } from 'vitest';
import { hex, PageGrouper, pageKeyText, pageLabel } from '../src/viz/pages';
import { fitTransform } from '../src/viz/panZoom';
import { arrangeTrees, layoutRbTree, LayoutCache, NODE_DX, NODE_DY } from '../src/viz/treeLayout';
import { computeWindow, steadyWindow } from '../src/viz/windowing';
import { layoutPageList, listColumns } from '../src/viz/listLayout';

const offsets = (n: number) => Array.from({ length: n }, (_, i) => i * 4096);

describe('tree layout', () => {
  it('places keys left to right in offset order, parents above children', () => {
    const layout = layoutRbTree([0x2000, 0, 0x1000, 0x3000, 0x4000]);
    expect(layout.nodes.map((n) => n.key)).toEqual([0, 0x1000, 0x2000, 0x3000, 0x4000]);
    // Read as a search tree: a smaller key hangs to the left of its parent, a larger to the right.
    for (const n of layout.nodes) {
      if (n.px === null) continue;
      const parent = layout.nodes.find((p) => p.x === n.px && p.y === n.py)!;
      if (n.key < parent.key) expect(n.x).toBeLessThan(parent.x);
      else expect(n.x).toBeGreaterThan(parent.x);
    }
    // And each level reads left to right in offset order.
    const level2 = layout.nodes.filter((n) => n.depth === 2).map((n) => n.x);
    expect(level2).toEqual([...level2].sort((a, b) => a - b));
    for (const n of layout.nodes) {
      expect(n.y).toBe(n.depth * NODE_DY);
      if (n.py !== null) expect(n.py).toBe(n.y - NODE_DY);
    }
    expect(layout.nodes.filter((n) => n.px === null)).toHaveLength(1);
  });

  it('keeps real siblings at least a node apart', () => {
    const layout = layoutRbTree(offsets(64));
    const byDepth = new Map<number, number[]>();
    for (const n of layout.nodes) byDepth.set(n.depth, [...(byDepth.get(n.depth) ?? []), n.x]);
    for (const xs of byDepth.values()) {
      xs.sort((a, b) => a - b);
      for (let i = 1; i < xs.length; i++) expect(xs[i]! - xs[i - 1]!).toBeGreaterThanOrEqual(NODE_DX * 0.99);
    }
  });

  it('lays out 4,096 pages', () => {
    const layout = layoutRbTree(offsets(4096));
    expect(layout.nodes).toHaveLength(4096);
    expect(layout.levels).toBeLessThanOrEqual(24);
  });

  it('is empty without pages', () => {
    expect(layoutRbTree([])).toMatchObject({ nodes: [], levels: 0 });
  });
});

describe('layout cache', () => {
  it('recomputes only when the offsets change', () => {
    const cache = new LayoutCache();
    const pages = offsets(8).map((offset) => ({ offset }));
    const a = cache.get('vn1', pages);
    expect(cache.get('vn1', pages)).toBe(a);
    // A new array with the same offsets (a page's flags changed): same layout.
    expect(
      cache.get(
        'vn1',
        pages.map((p) => ({ ...p })),
      ),
    ).toBe(a);
    expect(cache.computed).toBe(1);
    const b = cache.get('vn1', [...pages, { offset: 8 * 4096 }]);
    expect(b).not.toBe(a);
    expect(cache.computed).toBe(2);
  });
});

describe('a list extended at its end', () => {
  it('equals the list laid out afresh, keeps the nodes it had, and declines what does not continue it', () => {
    let seed = 5;
    const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
    let pages: { offset: number; object: string }[] = [];
    let layout = layoutPageList(pages);
    let extended = 0;
    for (let round = 0; round < 300; round++) {
      // Mostly a page after the last (sometimes past a gap, sometimes of the next object), now and then one
      // dropped or put in the middle (not a continuation).
      const what = rand(10);
      const last = pages.at(-1);
      if (what < 7 || !last) {
        const object = last && rand(8) === 0 ? `obj${pages.length}` : (last?.object ?? 'obj1');
        pages = [...pages, { offset: (last?.offset ?? 0) + 4096 * (1 + rand(2)), object }];
      } else if (what === 7) pages = pages.filter((_, k) => k !== rand(pages.length));
      else if (what === 8)
        pages = [{ offset: 0, object: pages[0]!.object }, ...pages.map((p) => ({ ...p, offset: p.offset + 4096 }))];
      const next = layoutPageList(pages, layout);
      const fresh = layoutPageList(pages);
      if (next) {
        extended++;
        expect(next).toEqual(fresh);
        for (let i = 0; i < layout.nodes.length; i++) expect(next.nodes[i]).toBe(layout.nodes[i]);
      } else if (layout.nodes.length > 0 && pages.length > layout.nodes.length)
        // Declined: the new pages do not start with the old ones, or the rows got wider.
        expect(
          listColumns(pages.length) !== listColumns(layout.nodes.length) ||
            layout.keys.some((k, i) => k !== pages[i]!.offset || layout.objects[i] !== pages[i]!.object),
        ).toBe(true);
      layout = next ?? fresh;
    }
    expect(extended).toBeGreaterThan(100);
  });

  it('in the cache: a page after the last of 4,096 keeps the nodes', () => {
    const cache = new LayoutCache();
    const pages = offsets(4096).map((offset) => ({ offset, object: 'o' }));
    const a = cache.get('vn1', pages, 'list');
    const b = cache.get('vn1', [...pages, { offset: 4096 * 4096, object: 'o' }], 'list');
    expect(b).toEqual(layoutPageList([...pages, { offset: 4096 * 4096, object: 'o' }]));
    expect(b.nodes[4095]).toBe(a.nodes[4095]);
  });
});

describe('scene', () => {
  it('puts trees side by side without overlap', () => {
    const items = [
      { name: 'vn1', pages: [1, 2, 3], layout: layoutRbTree(offsets(3)) },
      { name: 'vn2', pages: [], layout: layoutRbTree([]) },
      { name: 'vn3', pages: [1], layout: layoutRbTree([0]) },
    ];
    const scene = arrangeTrees(items);
    const spans = scene.trees.map((t) =>
      t.layout.nodes.length ? [t.layout.minX + t.shiftX, t.layout.maxX + t.shiftX] : [t.slotX, t.slotX + t.slotWidth],
    );
    for (let i = 1; i < spans.length; i++) expect(spans[i]![0]!).toBeGreaterThan(spans[i - 1]![1]!);
    for (const t of scene.trees)
      if (t.layout.nodes.length) {
        expect(t.layout.minX + t.shiftX).toBeGreaterThanOrEqual(t.slotX);
        expect(t.layout.maxX + t.shiftX).toBeLessThanOrEqual(t.slotX + t.slotWidth);
      }
    expect(scene.bounds.x0).toBe(0);
    expect(scene.bounds.x1).toBeGreaterThan(spans[2]![1]!);
  });
});

describe('fit', () => {
  it('centres the bounds and never zooms in past the limit', () => {
    const v = fitTransform({ x0: 0, y0: 0, x1: 100, y1: 50 }, 1000, 500, 0, 1.2);
    expect(v.k).toBe(1.2);
    expect(v.x + 50 * v.k).toBeCloseTo(500);
    const big = fitTransform({ x0: -1000, y0: -50, x1: 1000, y1: 950 }, 400, 300, 0);
    expect(big.k).toBeCloseTo(0.2);
    expect(big.x + -1000 * big.k).toBeCloseTo(0);
  });
});

describe('pages', () => {
  it('names a page as its kernel writes it', () => {
    expect(pageLabel({ object: 'vn1', offset: 8192 }, 'offset')).toBe('vn1 0x2000');
    expect(pageLabel({ object: 'obj2', offset: 8192 }, 'pindex')).toBe('obj2[2]');
    expect(pageKeyText({ offset: 8192 }, 'pindex')).toBe('pindex 2');
    expect(hex(4096)).toBe('0x1000');
    expect(hex(1, 3)).toBe('0x001');
  });

  it('groups pages by vnode and keeps unchanged groups', () => {
    const mk = (id: number, vnode: string) => ({ id, vnode, object: vnode, offset: id * 4096, state: 'clean' });
    const [a, b, c] = [mk(1, 'vn1'), mk(2, 'vn1'), mk(3, 'vn2')];
    const g = new PageGrouper<ReturnType<typeof mk>>();
    const first = g.group([a, b, c], ['vn1', 'vn2', 'vn3']);
    expect(first.get('vn1')).toEqual([a, b]);
    expect(first.get('vn3')).toEqual([]);
    const c2 = { ...c, state: 'dirty' };
    const second = g.group([a, b, c2], ['vn1', 'vn2', 'vn3']);
    expect(second.get('vn1')).toBe(first.get('vn1'));
    expect(second.get('vn2')).not.toBe(first.get('vn2'));
    expect(second.get('vn3')).toBe(first.get('vn3'));
  });
});

describe('row window', () => {
  it('renders only the rows in view, plus overscan', () => {
    const w = computeWindow(2400, 240, 24, 4096, 5);
    expect(w).toEqual({ start: 95, end: 116, padTop: 95 * 24, padBottom: (4096 - 116) * 24 });
    expect(computeWindow(0, 240, 24, 3, 5)).toEqual({ start: 0, end: 3, padTop: 0, padBottom: 0 });
    expect(computeWindow(0, 240, 24, 0)).toEqual({ start: 0, end: 0, padTop: 0, padBottom: 0 });
    const bottom = computeWindow(1e9, 240, 24, 100, 5);
    expect(bottom.end).toBe(100);
    expect(bottom.start).toBeLessThanOrEqual(100);
  });

  it('keeps the rendered rows through a resize while they cover the view, and moves them on a scroll', () => {
    const window = computeWindow(2400, 412, 18, 1525, 8);
    const kept = { window, scrollTop: 2400 };
    // The scroller 40 px shorter (a note above it wrapped) or 30 px taller: the same rows.
    expect(steadyWindow(kept, 2400, 372, 18, 1525, 8)).toBe(window);
    expect(steadyWindow(kept, 2400, 442, 18, 1525, 8)).toBe(window);
    // Taller until fewer than two rows are left below the view: the window computeWindow gives.
    expect(steadyWindow(kept, 2400, 412 + 18 * 7, 18, 1525, 8)).toEqual(computeWindow(2400, 538, 18, 1525, 8));
    // A scroll, even by a line, gets a full overscan again; so do another row height and another count.
    expect(steadyWindow(kept, 2418, 412, 18, 1525, 8)).toEqual(computeWindow(2418, 412, 18, 1525, 8));
    expect(steadyWindow(kept, 2400, 412, 27, 1525, 8)).toEqual(computeWindow(2400, 412, 27, 1525, 8));
    expect(steadyWindow(kept, 2400, 412, 18, 1526, 8)).toEqual(computeWindow(2400, 412, 18, 1526, 8));
    // Much taller than needed once the scroller has shrunk a lot: replaced, so the DOM stays small.
    const tall = { window: computeWindow(2400, 900, 18, 1525, 8), scrollTop: 2400 };
    expect(steadyWindow(tall, 2400, 200, 18, 1525, 8)).toEqual(computeWindow(2400, 200, 18, 1525, 8));
    expect(steadyWindow(null, 0, 412, 18, 1525, 8)).toEqual(computeWindow(0, 412, 18, 1525, 8));
  });
});

describe('fit with room on top', () => {
  it('keeps padTop pixels above the bounds', () => {
    const v = fitTransform(
      { x0: 0, y0: 0, x1: 100, y1: 100 },
      200,
      200,
      { top: 40, right: 10, bottom: 10, left: 10 },
      10,
    );
    expect(v.k).toBeCloseTo(1.5);
    expect(v.y).toBeCloseTo(40);
  });
});
