/**
 * A red-black tree of page offsets, to draw the shape of an object's page
 * tree (OpenBSD's `uvm_objtree`, an RBT from sys/tree.h keyed by offset).
 *
 * NOTE: the kernel's real shape depends on the order pages were inserted and
 * removed, which a snapshot does not record. We build a deterministic tree
 * instead: the same keys inserted in ascending order with the textbook
 * (CLRS) insertion and fix-up. It is a valid red-black tree over exactly the
 * resident offsets, and it only changes when the set of offsets changes.
 *
 * Pure: no DOM, no D3. Unit-tested in test/rbtree.test.ts.
 */

export type RbColor = 'red' | 'black';

export interface RbNode {
  readonly key: number;
  readonly color: RbColor;
  readonly left: RbNode | null;
  readonly right: RbNode | null;
}

interface MutableNode {
  key: number;
  color: RbColor;
  left: MutableNode | null;
  right: MutableNode | null;
  parent: MutableNode | null;
}

/** A red-black tree that supports insertion only (all a layout needs). */
export class RbTree {
  private rootNode: MutableNode | null = null;
  private count = 0;

  get root(): RbNode | null {
    return this.rootNode;
  }

  get size(): number {
    return this.count;
  }

  /** Insert `key`; false (and no change) when it is already present. */
  insert(key: number): boolean {
    let parent: MutableNode | null = null;
    let cur = this.rootNode;
    while (cur) {
      if (key === cur.key) return false;
      parent = cur;
      cur = key < cur.key ? cur.left : cur.right;
    }
    const node: MutableNode = { key, color: 'red', left: null, right: null, parent };
    if (!parent) this.rootNode = node;
    else if (key < parent.key) parent.left = node;
    else parent.right = node;
    this.count++;
    this.fixInsert(node);
    return true;
  }

  private fixInsert(z: MutableNode): void {
    while (z.parent && z.parent.color === 'red') {
      const p: MutableNode = z.parent;
      // A red parent is never the root, so the grandparent exists.
      const g = p.parent!;
      if (p === g.left) {
        const uncle = g.right;
        if (uncle && uncle.color === 'red') {
          p.color = 'black';
          uncle.color = 'black';
          g.color = 'red';
          z = g;
        } else {
          if (z === p.right) {
            z = p;
            this.rotateLeft(z);
          }
          z.parent!.color = 'black';
          g.color = 'red';
          this.rotateRight(g);
        }
      } else {
        const uncle = g.left;
        if (uncle && uncle.color === 'red') {
          p.color = 'black';
          uncle.color = 'black';
          g.color = 'red';
          z = g;
        } else {
          if (z === p.left) {
            z = p;
            this.rotateRight(z);
          }
          z.parent!.color = 'black';
          g.color = 'red';
          this.rotateLeft(g);
        }
      }
    }
    this.rootNode!.color = 'black';
  }

  private replaceChild(old: MutableNode, next: MutableNode): void {
    const parent = old.parent;
    next.parent = parent;
    if (!parent) this.rootNode = next;
    else if (old === parent.left) parent.left = next;
    else parent.right = next;
  }

  private rotateLeft(x: MutableNode): void {
    const y = x.right!;
    x.right = y.left;
    if (y.left) y.left.parent = x;
    this.replaceChild(x, y);
    y.left = x;
    x.parent = y;
  }

  private rotateRight(x: MutableNode): void {
    const y = x.left!;
    x.left = y.right;
    if (y.right) y.right.parent = x;
    this.replaceChild(x, y);
    y.right = x;
    x.parent = y;
  }
}

/** The tree holding `keys`, inserted in ascending order (duplicates ignored). */
export function buildRbTree(keys: Iterable<number>): RbNode | null {
  const sorted = [...keys].sort((a, b) => a - b);
  const tree = new RbTree();
  for (const key of sorted) tree.insert(key);
  return tree.root;
}

/** Keys in order (left, node, right). */
export function inOrder(root: RbNode | null): number[] {
  const out: number[] = [];
  const stack: RbNode[] = [];
  let cur = root;
  while (cur || stack.length) {
    while (cur) {
      stack.push(cur);
      cur = cur.left;
    }
    const node = stack.pop()!;
    out.push(node.key);
    cur = node.right;
  }
  return out;
}

/** Levels in the tree: 0 for an empty tree, 1 for a lone root. */
export function treeHeight(root: RbNode | null): number {
  if (!root) return 0;
  return 1 + Math.max(treeHeight(root.left), treeHeight(root.right));
}

export type RbCheck = { ok: true; blackHeight: number } | { ok: false; reason: string };

/**
 * Check the red-black invariants: BST order, black root, no red node with a
 * red child, the same number of black nodes on every root-to-leaf path.
 */
export function checkRbTree(root: RbNode | null): RbCheck {
  if (root && root.color !== 'black') return { ok: false, reason: 'root is red' };
  let reason = '';
  const walk = (n: RbNode | null, lo: number, hi: number): number => {
    if (!n) return 1;
    if (n.key <= lo || n.key >= hi) reason ||= `key ${n.key} out of order`;
    if (n.color === 'red' && (n.left?.color === 'red' || n.right?.color === 'red'))
      reason ||= `red node ${n.key} has a red child`;
    const l = walk(n.left, lo, n.key);
    const r = walk(n.right, n.key, hi);
    if (l !== r) reason ||= `black heights differ under ${n.key}`;
    return l + (n.color === 'black' ? 1 : 0);
  };
  const blackHeight = walk(root, -Infinity, Infinity);
  return reason ? { ok: false, reason } : { ok: true, blackHeight };
}
