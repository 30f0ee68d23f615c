/**
 * The page tree's overview kept strip by strip (src/viz/overview.ts): after any change of states, pages added
 * or removed, in a list or a red-black tree, the cache gives exactly the paths computed afresh, and a strip
 * the change did not touch keeps its path objects (so React writes nothing there).
 */
import { describe, expect, it } from 'vitest';
import { layoutPageList } from '../src/viz/listLayout';
import { OVERVIEW_STRIP, OverviewCache } from '../src/viz/overview';
import { layoutRbTree } from '../src/viz/treeLayout';

interface P {
  offset: number;
  object: string;
  state: string;
}

/** The paths computed afresh: a cache that has seen nothing yet builds every strip. */
const overviewPaths = (...args: Parameters<OverviewCache['of']>) => new OverviewCache().of(...args);

const STATES = ['clean', 'dirty', 'busy', 'free'];
const pagesOf = (n: number, state = (i: number) => STATES[i % 3]!): P[] =>
  Array.from({ length: n }, (_, i) => ({ offset: i * 4096, object: 'obj1', state: state(i) }));

describe('the overview kept strip by strip', () => {
  for (const kind of ['list', 'rbtree'] as const) {
    const layoutOf = (pages: readonly P[]) =>
      kind === 'list' ? layoutPageList(pages) : layoutRbTree(pages.map((p) => p.offset));

    it(`${kind}: equals the paths computed afresh after every kind of change`, () => {
      const cache = new OverviewCache();
      let pages = pagesOf(400);
      let seed = 7;
      const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
      for (let round = 0; round < 25; round++) {
        const what = rand(4);
        if (what === 0) {
          const i = rand(pages.length);
          pages = pages.map((p, k) => (k === i ? { ...p, state: STATES[rand(4)]! } : p));
        } else if (what === 1) {
          const last = pages.at(-1)!.offset;
          pages = [...pages, { offset: last + 4096, object: 'obj1', state: 'busy' }];
        } else if (what === 2) {
          const i = rand(pages.length);
          pages = pages.filter((_, k) => k !== i);
        } // 3: nothing changed
        const layout = layoutOf(pages);
        expect(cache.of(layout, pages)).toEqual(overviewPaths(layout, pages));
      }
    });

    it(`${kind}: one page's new state rebuilds its strip only`, () => {
      const cache = new OverviewCache();
      const pages = pagesOf(4096);
      const layout = layoutOf(pages);
      const before = cache.of(layout, pages);
      const at = 5 * OVERVIEW_STRIP + 3;
      const after = pages.map((p, k) => (k === at ? { ...p, state: 'free' } : p));
      const paths = cache.of(layout, after);
      expect(paths).toEqual(overviewPaths(layout, after));
      const strip = (key: string) => Number(key.split('-')[0]);
      for (const path of paths)
        if (strip(path.key) !== 5) expect(before).toContain(path);
        else expect(before).not.toContain(path);
    });
  }

  it('a page added at the end of a list rebuilds only the last strip', () => {
    const cache = new OverviewCache();
    const pages = pagesOf(4000);
    const before = cache.of(layoutPageList(pages), pages);
    const more = [...pages, { offset: 4000 * 4096, object: 'obj1', state: 'busy' }];
    const paths = cache.of(layoutPageList(more), more);
    expect(paths).toEqual(overviewPaths(layoutPageList(more), more));
    const last = Math.floor(4000 / OVERVIEW_STRIP);
    const reused = paths.filter((p) => before.includes(p));
    expect(reused.length).toBeGreaterThan(0);
    for (const p of paths) expect(before.includes(p)).toBe(Number(p.key.split('-')[0]) !== last);
  });
});

describe('the links kept strip by strip', () => {
  /** Every link in one path, as the page tree drew them before the strips. */
  const allLinks = (layout: NonNullable<ReturnType<typeof layoutPageList>>) => {
    let d = '';
    for (const n of layout.nodes) if (n.px !== null) d += `M${n.px},${n.py}L${n.x},${n.y}`;
    return d;
  };
  /** The links a cache gives for `layout` after it has seen `pages` laid out so. */
  const linksOf = (
    cache: OverviewCache,
    layout: NonNullable<ReturnType<typeof layoutPageList>>,
    pages: readonly P[],
  ) => {
    cache.of(layout, pages);
    return cache.links;
  };

  for (const kind of ['list', 'rbtree'] as const) {
    const layoutOf = (pages: readonly P[]) =>
      kind === 'list' ? layoutPageList(pages) : layoutRbTree(pages.map((p) => p.offset));

    it(`${kind}: joined, equal every link after pages come and go and change state`, () => {
      const cache = new OverviewCache();
      let pages = pagesOf(700);
      expect(linksOf(cache, layoutOf(pages), pages).join('')).toBe(allLinks(layoutOf(pages)));
      let seed = 11;
      const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
      for (let round = 0; round < 40; round++) {
        const what = rand(5);
        const last = pages.at(-1)!.offset;
        if (what === 0) pages = [...pages, { offset: last + 4096 * (1 + rand(2)), object: 'obj1', state: 'busy' }];
        else if (what === 1) pages = pages.filter((_, k) => k !== rand(pages.length));
        else if (what === 2) {
          const i = rand(pages.length - 1);
          if (pages[i + 1]!.offset - pages[i]!.offset > 4096)
            pages = [
              ...pages.slice(0, i + 1),
              { offset: pages[i]!.offset + 4096, object: 'obj1', state: 'busy' },
              ...pages.slice(i + 1),
            ];
        } else if (what === 3) {
          const i = rand(pages.length);
          pages = pages.map((p, k) => (k === i ? { ...p, state: STATES[rand(4)]! } : p));
        } // 4: the same pages, a new layout
        const layout = layoutOf(pages);
        const links = linksOf(cache, layout, pages);
        expect(links.join('')).toBe(allLinks(layout));
        expect(links).toEqual(linksOf(new OverviewCache(), layout, pages));
      }
    });
  }

  it('a page added at the end of a list leaves every strip but the last the same', () => {
    const cache = new OverviewCache();
    const pages = pagesOf(4096);
    const layout = layoutPageList(pages);
    const before = linksOf(cache, layout, pages);
    const more = [...pages, { offset: 4096 * 4096, object: 'obj1', state: 'busy' }];
    // Extended as the layout cache extends it: the nodes before the new page are the same objects.
    const after = linksOf(cache, layoutPageList(more, layout)!, more);
    expect(after.length).toBe(before.length + 1);
    expect(after.slice(0, before.length)).toEqual(before);
    expect(after.join('')).toBe(allLinks(layoutPageList(more)));
  });
});
