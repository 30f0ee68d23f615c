/**
 * The page-tree panel's list layout, for a pager whose profile draws an
 * object's pages in pindex order rather than as a search tree (FreeBSD: the
 * object's memq, a list sorted by pindex, looked up through a radix trie).
 * Each object starts a band of rows under its name; pages fill a row left to
 * right, rows wrap so that an object makes a block about three times as wide
 * as it is tall, as the panel is (8 pages: 5 + 3; 4,096 pages: 37 rows of
 * 111), and a line joins two pages of a row only when their
 * pindexes are adjacent, so a gap in residency is a break in the chain (what
 * vm_page_next sees).
 *
 * Pure: no DOM. Unit-tested in test/treeLayout.test.ts.
 */
import { NODE_DX, NODE_DY, type LaidOutNode, type TreeLayout } from './layout-types';

/** The fewest pages a row holds before it wraps. */
export const LIST_MIN_COLUMNS = 4;
/** Width over height of a block of pages: the page-tree panel is wide and low. */
const ASPECT = 3;
/** Room above a band for its object's name. */
const BAND_GAP = NODE_DY * 0.75;
const PAGE = 4096;

/** Pages per row for `n` pages: at least LIST_MIN_COLUMNS, else about sqrt(ASPECT * n). */
export function listColumns(n: number): number {
  return Math.max(LIST_MIN_COLUMNS, Math.ceil(Math.sqrt(ASPECT * n)));
}

/** What a list is laid out from: a page's offset and its object (none: '', as for one object). */
interface ListKey {
  readonly offset: number;
  readonly object?: string;
}

/** Where the walk down a list stands: the next page's row and column, and the page before it. */
interface ListWalk {
  y: number;
  col: number;
  maxCol: number;
  prev: { offset: number; object: string; x: number; y: number } | null;
}

/** Lay out `pages[from..)` onto `nodes` and `bands`, `walk` standing after `pages[from - 1]`. */
function walkPages(
  pages: readonly ListKey[],
  from: number,
  cols: number,
  walk: ListWalk,
  nodes: LaidOutNode[],
  bands: { label: string; x: number; y: number }[],
): void {
  let { y, col, maxCol, prev } = walk;
  for (let i = from; i < pages.length; i++) {
    const p = pages[i]!;
    const object = p.object ?? '';
    if (!prev || prev.object !== object) {
      // A new object: its own band, under its name.
      if (prev) y += NODE_DY + BAND_GAP;
      col = 0;
      bands.push({ label: object, x: -NODE_DX / 2, y: y - NODE_DY / 2 - 8 });
    } else if (col === cols) {
      col = 0;
      y += NODE_DY;
    }
    const x = col * NODE_DX;
    const linked = prev !== null && prev.object === object && prev.y === y && p.offset === prev.offset + PAGE;
    nodes.push({
      key: p.offset,
      color: null,
      x,
      y,
      depth: 0,
      px: linked ? prev!.x : null,
      py: linked ? prev!.y : null,
    });
    maxCol = Math.max(maxCol, col);
    prev = { offset: p.offset, object, x, y };
    col++;
  }
  Object.assign(walk, { y, col, maxCol, prev });
}

function listLayout(
  pages: readonly ListKey[],
  nodes: readonly LaidOutNode[],
  bands: readonly { label: string; x: number; y: number }[],
  walk: ListWalk,
  keys: readonly number[],
  objects: readonly string[],
): TreeLayout {
  const n = pages.length;
  return {
    kind: 'list',
    keys,
    objects,
    bands,
    nodes,
    minX: 0,
    maxX: n === 0 ? 0 : walk.maxCol * NODE_DX,
    maxY: walk.y,
    levels: n === 0 ? 0 : 1,
  };
}

/** Lay out `pages` (object by object, each in ascending offset order, as snapshots list them). */
export function layoutPageList(pages: readonly ListKey[]): TreeLayout {
  const nodes: LaidOutNode[] = [];
  const bands: { label: string; x: number; y: number }[] = [];
  const walk: ListWalk = { y: 0, col: 0, maxCol: 0, prev: null };
  walkPages(pages, 0, listColumns(pages.length), walk, nodes, bands);
  return listLayout(
    pages,
    nodes,
    bands,
    walk,
    pages.map((p) => p.offset),
    pages.map((p) => p.object ?? ''),
  );
}

/**
 * `layout` (of a list) with `pages[layout.nodes.length..)` laid out after its pages, when `pages` starts with
 * the pages it was laid out from and keeps its number of columns: equal to `layoutPageList(pages)`, keeping the
 * nodes already there (the same objects). A fault that brings the page after the last of 4,096 lays out one node,
 * where the whole list was laid out again. Null when `pages` does not continue the layout.
 */
export function extendPageList(layout: TreeLayout, pages: readonly ListKey[]): TreeLayout | null {
  const m = layout.nodes.length;
  const n = pages.length;
  if (layout.kind !== 'list' || m === 0 || n <= m || listColumns(n) !== listColumns(m)) return null;
  const { keys, objects } = layout;
  for (let i = 0; i < m; i++) if (keys[i] !== pages[i]!.offset || objects[i] !== (pages[i]!.object ?? '')) return null;
  const last = layout.nodes[m - 1]!;
  const walk: ListWalk = {
    y: last.y,
    col: last.x / NODE_DX + 1,
    maxCol: layout.maxX / NODE_DX,
    prev: { offset: keys[m - 1]!, object: objects[m - 1]!, x: last.x, y: last.y },
  };
  const nodes = layout.nodes.slice();
  const bands = layout.bands.slice();
  walkPages(pages, m, listColumns(n), walk, nodes, bands);
  const added = pages.slice(m);
  return listLayout(
    pages,
    nodes,
    bands,
    walk,
    keys.concat(added.map((p) => p.offset)),
    objects.concat(added.map((p) => p.object ?? '')),
  );
}
