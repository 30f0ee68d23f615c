/**
 * Coordinates for the page-tree panel: a red-black tree of offsets
 * (./rbtree.ts) laid out with d3-hierarchy's tidy tree, then several trees
 * (one per vnode) placed side by side. D3 only computes here; React draws.
 *
 * Pure: no DOM. Unit-tested in test/treeLayout.test.ts.
 */
import { hierarchy, tree, type HierarchyPointNode } from 'd3';
import { buildRbTree, type RbColor, type RbNode } from './rbtree';

/** World units between sibling nodes and between levels. */
export const NODE_DX = 66;
export const NODE_DY = 64;
/** Baseline of each tree's name, above the root (the name is drawn at screen size). */
export const TREE_LABEL_Y = -30;
const TREE_GAP = 50;
const EMPTY_TREE_WIDTH = 150;

export interface LaidOutNode {
  readonly key: number;
  readonly color: RbColor;
  readonly x: number;
  readonly y: number;
  readonly depth: number;
  /** The parent's position, null for the root. */
  readonly px: number | null;
  readonly py: number | null;
}

export interface TreeLayout {
  /** Keys in ascending order: what the layout was computed from. */
  readonly keys: readonly number[];
  /** Nodes in key order. */
  readonly nodes: readonly LaidOutNode[];
  readonly minX: number;
  readonly maxX: number;
  readonly maxY: number;
  /** Levels in the tree (0 when empty). */
  readonly levels: number;
}

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
  if (!root) return { keys: sorted, nodes: [], minX: 0, maxX: 0, maxY: 0, levels: 0 };
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
  return { keys: sorted, nodes, minX, maxX, maxY, levels };
}

function sameKeys(a: readonly number[], b: readonly { offset: number }[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]!.offset) return false;
  return true;
}

/**
 * Layouts per vnode, recomputed only when that vnode's set of offsets
 * changes: the same pages array is a hit, and so is a new array holding the
 * same offsets (a page's flags changed, not the tree).
 */
export class LayoutCache {
  private readonly byName = new Map<string, { pages: readonly { offset: number }[]; layout: TreeLayout }>();
  /** Layouts computed so far (for tests and curiosity). */
  computed = 0;

  /** `pages` must be in ascending offset order, as snapshots list them. */
  get(name: string, pages: readonly { offset: number }[]): TreeLayout {
    const hit = this.byName.get(name);
    if (hit && (hit.pages === pages || sameKeys(hit.layout.keys, pages))) {
      hit.pages = pages;
      return hit.layout;
    }
    this.computed++;
    const layout = layoutRbTree(pages.map((p) => p.offset));
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
