/** What the page-tree layouts (./treeLayout.ts, ./listLayout.ts) produce, and their spacing. */
import type { RbColor } from './rbtree';

/** World units between sibling nodes and between levels. */
export const NODE_DX = 66;
export const NODE_DY = 64;
/** Baseline of each tree's name, above the root (the name is drawn at screen size). */
export const TREE_LABEL_Y = -30;

export interface LaidOutNode {
  readonly key: number;
  /** The node's colour in the red-black tree; null in a list layout. */
  readonly color: RbColor | null;
  readonly x: number;
  readonly y: number;
  readonly depth: number;
  /** The parent's position (a list: the page at the previous pindex, same row), null for none. */
  readonly px: number | null;
  readonly py: number | null;
}

export interface TreeLayout {
  readonly kind: 'rbtree' | 'list';
  /** Keys in ascending order (a list: in page order, object by object): what the layout was computed from. */
  readonly keys: readonly number[];
  /** A list's objects, one per page (empty for a tree): a page that moves to another object is a new layout. */
  readonly objects: readonly string[];
  /** A list's object names, each above its first row (empty for a tree). */
  readonly bands: readonly { readonly label: string; readonly x: number; readonly y: number }[];
  /** Nodes in key order. */
  readonly nodes: readonly LaidOutNode[];
  readonly minX: number;
  readonly maxX: number;
  readonly maxY: number;
  /** Levels in the tree (0 when empty). */
  readonly levels: number;
}
