/**
 * Coordinates for the page-tree panel: a red-black tree of offsets
 * (./rbtree.ts) laid out with d3-hierarchy's tidy tree, or (when the pager's
 * profile asks for 'list') each object's pages in pindex order
 * (./listLayout.ts); then several of them (one per vnode) placed side by
 * side. D3 only computes here; React draws.
 *
 * Pure: no DOM. Unit-tested in test/treeLayout.test.ts.
 */
import { hierarchy, tree, type HierarchyPointNode } from 'd3';
import { timed } from '../perf/marks';
import { patchedAt } from '../protocol/patched';
import { layoutPageList } from './listLayout';
import { NODE_DX, NODE_DY, TREE_LABEL_Y, type LaidOutNode, type TreeLayout } from './layout-types';
import { buildRbTree, type RbNode } from './rbtree';

export { NODE_DX, NODE_DY, TREE_LABEL_Y, type LaidOutNode, type TreeLayout } from './layout-types';

const TREE_GAP = 50;
const EMPTY_TREE_WIDTH = 150;

interface Slot {
  readonly node: RbNode | null;
}

// A node with one child gets a placeholder for the missing side, so a lone
// right child is drawn to the right, as a binary search tree must be.
function childrenOf(slot: Slot): Slot[] | null {
  const n = slot.node;
  if (!n || (!n.left && !n.right)) return null;
  return [{ node: n.left }, { node: n.right }];
}

/** Lay out the red-black tree holding `keys` (any order, no duplicates). */
export function layoutRbTree(keys: readonly number[]): TreeLayout {
  const sorted = [...keys].sort((a, b) => a - b);
  const root = buildRbTree(sorted);
  if (!root)
    return { kind: 'rbtree', keys: sorted, objects: [], bands: [], nodes: [], minX: 0, maxX: 0, maxY: 0, levels: 0 };
  const laidOut = tree<Slot>()
    .nodeSize([NODE_DX, NODE_DY])
    // Placeholders take less room than pages: narrower trees, same order.
    .separation((a, b) => {
      const real = (a.data.node ? 1 : 0) + (b.data.node ? 1 : 0);
      const base = real === 2 ? 1 : real === 1 ? 0.62 : 0.3;
      return a.parent === b.parent ? base : base * 1.1;
    })(hierarchy<Slot>({ node: root }, childrenOf));

  const nodes: LaidOutNode[] = [];
  let minX = Infinity;
  let maxX = -Infinity;
  let maxY = 0;
  let levels = 0;
  laidOut.each((h: HierarchyPointNode<Slot>) => {
    const n = h.data.node;
    if (!n) return;
    nodes.push({
      key: n.key,
      color: n.color,
      x: h.x,
      y: h.y,
      depth: h.depth,
      px: h.parent ? h.parent.x : null,
      py: h.parent ? h.parent.y : null,
    });
    minX = Math.min(minX, h.x);
    maxX = Math.max(maxX, h.x);
    maxY = Math.max(maxY, h.y);
    levels = Math.max(levels, h.depth + 1);
  });
  nodes.sort((a, b) => a.key - b.key);
  return { kind: 'rbtree', keys: sorted, objects: [], bands: [], nodes, minX, maxX, maxY, levels };
}

/** What a layout is computed from: a page's offset, and (for a list) its object. */
export interface LayoutKey {
  readonly offset: number;
  readonly object?: string;
}

/** Whether `b` holds the keys `layout` was computed from; `at`: only these indices can differ from them. */
function sameKeys(layout: TreeLayout, b: readonly LayoutKey[], at: readonly number[] | null): boolean {
  const a = layout.keys;
  if (a.length !== b.length) return false;
  const list = layout.kind === 'list';
  if (at) return at.every((i) => a[i] === b[i]!.offset && (!list || layout.objects[i] === b[i]!.object));
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]!.offset) return false;
  if (list) for (let i = 0; i < a.length; i++) if (layout.objects[i] !== b[i]!.object) return false;
  return true;
}

/**
 * Layouts per vnode, recomputed only when that vnode's set of offsets (and,
 * for a list, objects) changes, or the kind asked for: the same pages array
 * is a hit, and so is a new array holding the same keys (a page's flags
 * changed, not the structure).
 */
export class LayoutCache {
  private readonly byName = new Map<string, { pages: readonly LayoutKey[]; layout: TreeLayout }>();
  /** Layouts computed so far (for tests and curiosity). */
  computed = 0;

  /** `pages` must be in ascending offset order (a list: object by object), as snapshots list them. */
  get(name: string, pages: readonly LayoutKey[], kind: 'rbtree' | 'list' = 'rbtree'): TreeLayout {
    const hit = this.byName.get(name);
    if (
      hit &&
      hit.layout.kind === kind &&
      (hit.pages === pages || sameKeys(hit.layout, pages, patchedAt(hit.pages, pages)))
    ) {
      hit.pages = pages;
      return hit.layout;
    }
    this.computed++;
    // A page after the list's last (a fault past the end of 4,096): its node laid out, the others kept.
    const extended = hit && kind === 'list' ? layoutPageList(pages, hit.layout) : null;
    const layout =
      extended ??
      timed('d3:tree', () => (kind === 'list' ? layoutPageList(pages) : layoutRbTree(pages.map((p) => p.offset))));
    this.byName.set(name, { pages, layout });
    return layout;
  }
}

export interface Bounds {
  readonly x0: number;
  readonly y0: number;
  readonly x1: number;
  readonly y1: number;
}

export interface PlacedTree<P> {
  readonly name: string;
  readonly pages: readonly P[];
  readonly layout: TreeLayout;
  /** Add to every x of the layout to place this tree in the scene. */
  readonly shiftX: number;
  /** Left edge and width of the tree's slot in the scene (its name goes above). */
  readonly slotX: number;
  readonly slotWidth: number;
}

export interface Scene<P> {
  readonly trees: readonly PlacedTree<P>[];
  readonly bounds: Bounds;
}

/** Place trees left to right, each under its name, with a gap between. */
export function arrangeTrees<P>(items: readonly { name: string; pages: readonly P[]; layout: TreeLayout }[]): Scene<P> {
  const trees: PlacedTree<P>[] = [];
  let cursor = 0;
  let maxY = 0;
  for (const item of items) {
    const { layout } = item;
    const empty = layout.nodes.length === 0;
    const left = empty ? 0 : layout.minX - NODE_DX / 2;
    const width = empty ? EMPTY_TREE_WIDTH : Math.max(layout.maxX - layout.minX + NODE_DX, EMPTY_TREE_WIDTH);
    // Centre a narrow tree in its slot.
    const extra = empty ? 0 : (width - (layout.maxX - layout.minX + NODE_DX)) / 2;
    const shiftX = cursor - left + extra;
    trees.push({ ...item, shiftX, slotX: cursor, slotWidth: width });
    cursor += width + TREE_GAP;
    maxY = Math.max(maxY, layout.maxY);
  }
  const x1 = Math.max(cursor - TREE_GAP, EMPTY_TREE_WIDTH);
  return { trees, bounds: { x0: 0, y0: TREE_LABEL_Y, x1, y1: maxY + NODE_DY / 2 } };
}
