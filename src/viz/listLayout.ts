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

/**
 * Lay out `pages` (object by object, each in ascending offset order, as snapshots list them). With `after`, a
 * list's layout whose pages `pages` starts with, laid out at the same width: only the pages after those are laid
 * out, the nodes already there kept (the same objects), the result the same. A fault that brings the page after
 * the last of 4,096 lays out one node. Null when `pages` does not continue `after`.
 */
export function layoutPageList(pages: readonly { offset: number; object?: string }[]): TreeLayout;
export function layoutPageList(
  pages: readonly { offset: number; object?: string }[],
  after: TreeLayout,
): TreeLayout | null;
export function layoutPageList(
  pages: readonly { offset: number; object?: string }[],
  after?: TreeLayout,
): TreeLayout | null {
  const n = pages.length;
  const cols = listColumns(n);
  const m = after?.nodes.length ?? 0;
  const keys = pages.map((p) => p.offset);
  const objects = pages.map((p) => p.object ?? '');
  if (after && (after.kind !== 'list' || m === 0 || n <= m || listColumns(m) !== cols)) return null;
  for (let i = 0; i < m; i++) if (after!.keys[i] !== keys[i] || after!.objects[i] !== objects[i]) return null;
  const nodes: LaidOutNode[] = after ? after.nodes.slice() : [];
  const bands: { label: string; x: number; y: number }[] = after ? after.bands.slice() : [];
  const last = nodes[m - 1];
  let y = last?.y ?? 0;
  let col = last ? last.x / NODE_DX + 1 : 0;
  let maxCol = after ? after.maxX / NODE_DX : 0;
  let prev: { offset: number; object: string; x: number; y: number } | null = last
    ? { offset: keys[m - 1]!, object: objects[m - 1]!, x: last.x, y }
    : null;
  for (let i = m; i < n; i++) {
    const offset = keys[i]!;
    const object = objects[i]!;
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
    const linked = prev !== null && prev.object === object && prev.y === y && offset === prev.offset + PAGE;
    nodes.push({
      key: offset,
      color: null,
      x,
      y,
      depth: 0,
      px: linked ? prev!.x : null,
      py: linked ? prev!.y : null,
    });
    maxCol = Math.max(maxCol, col);
    prev = { offset, object, x, y };
    col++;
  }
  return {
    kind: 'list',
    keys,
    objects,
    bands,
    nodes,
    minX: 0,
    maxX: n === 0 ? 0 : maxCol * NODE_DX,
    maxY: y,
    levels: n === 0 ? 0 : 1,
  };
}
