/**
 * The page tree's overview (drawn when zoomed out): one path per strip of pages and (state, node colour),
 * a square per black node or list page, a circle per red node. Pure: no DOM. Unit test: test/overview.test.ts.
 */
import type { LaidOutNode, TreeLayout } from './layout-types';
import type { RbColor } from './rbtree';
import { patchedAt } from '../protocol/patched';

/** Pages per overview strip. */
export const OVERVIEW_STRIP = 128;
/** Overview glyph: a square for a black node, a circle for a red one (world units). */
const R = 20;

export interface OverviewPath {
  readonly key: string;
  readonly state: string;
  readonly rb: RbColor | null;
  readonly d: string;
}

/** The paths of the strip of `nodes[from..to)`, in the order each (state, colour) first appears. */
function stripPaths(
  strip: number,
  nodes: readonly LaidOutNode[],
  pages: readonly { readonly state: string }[],
  from: number,
  to: number,
): OverviewPath[] {
  const groups = new Map<string, { key: string; state: string; rb: RbColor | null; d: string }>();
  for (let i = from; i < to; i++) {
    const n = nodes[i]!;
    const state = pages[i]!.state;
    const key = `${strip}-${state}-${n.color ?? 'list'}`;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { key, state, rb: n.color, d: '' }));
    g.d +=
      n.color !== 'red'
        ? `M${n.x - R},${n.y - R}h${2 * R}v${2 * R}h${-2 * R}z`
        : `M${n.x - R},${n.y}a${R},${R} 0 1,0 ${2 * R},0a${R},${R} 0 1,0 ${-2 * R},0`;
  }
  return [...groups.values()];
}

/**
 * The overview's paths, kept strip by strip. Nodes come in offset order, which is left to right in a tree and
 * row by row in a list: a strip of them is one compact region, so a step that changes one page's state
 * rewrites (and the browser repaints) two small paths of its strip, not two spanning all 4,096 pages. A strip
 * whose pages have the states and the places they had last time keeps its paths (the same objects), so such a
 * step, or a page added at the end of a list, also builds the path strings of one strip only. What it returns
 * is always what a new cache returns for the same arguments.
 */
export class OverviewCache {
  private strips: { nodes: LaidOutNode[]; states: string[]; paths: OverviewPath[]; links: string }[] = [];
  private lastLayout: TreeLayout | null = null;
  private lastPages: readonly { readonly state: string }[] = [];

  of(layout: TreeLayout, pages: readonly { readonly state: string }[]): OverviewPath[] {
    // The same layout and a list patched in place from the last one: only the strips of the replaced pages
    // can differ, and only where a state did.
    const at = layout === this.lastLayout ? patchedAt(this.lastPages, pages) : null;
    this.lastLayout = layout;
    this.lastPages = pages;
    if (at) return this.patch(layout, pages, at);
    const nodes = layout.nodes;
    const next: typeof this.strips = [];
    const out: OverviewPath[] = [];
    for (let from = 0, s = 0; from < nodes.length; from += OVERVIEW_STRIP, s++) {
      const to = Math.min(nodes.length, from + OVERVIEW_STRIP);
      const old = this.strips[s];
      let same = old !== undefined && old.nodes.length === to - from;
      for (let i = from; same && i < to; i++) {
        const a = nodes[i]!;
        const b = old!.nodes[i - from]!;
        same =
          pages[i]!.state === old!.states[i - from] &&
          (a === b || (a.x === b.x && a.y === b.y && a.color === b.color && a.px === b.px && a.py === b.py));
      }
      if (same) {
        next.push(old!);
        out.push(...old!.paths);
        continue;
      }
      let links = '';
      for (let i = from; i < to; i++) {
        const n = nodes[i]!;
        if (n.px !== null) links += `M${n.px},${n.py}L${n.x},${n.y}`;
      }
      const strip = {
        nodes: nodes.slice(from, to),
        states: pages.slice(from, to).map((p) => p.state),
        paths: stripPaths(s, nodes, pages, from, to),
        links,
      };
      next.push(strip);
      out.push(...strip.paths);
    }
    this.strips = next;
    return out;
  }

  private patch(layout: TreeLayout, pages: readonly { readonly state: string }[], at: readonly number[]) {
    for (const i of at) {
      const s = Math.floor(i / OVERVIEW_STRIP);
      const strip = this.strips[s]!;
      if (strip.states[i - s * OVERVIEW_STRIP] === pages[i]!.state) continue;
      const from = s * OVERVIEW_STRIP;
      const to = from + strip.nodes.length;
      this.strips[s] = {
        ...strip,
        states: pages.slice(from, to).map((p) => p.state),
        paths: stripPaths(s, layout.nodes, pages, from, to),
      };
    }
    return this.strips.flatMap((strip) => strip.paths);
  }

  /**
   * The links of the last layout `of` saw, one path string per strip. As one path of 4,000 lines, a page that
   * came rewrote it whole (React set a string of ~80 KB, the browser parsed it), and any change drawn over the
   * tree rastered all of its lines; a strip kept keeps its string. Joined, they are the path of every link.
   */
  get links(): string[] {
    return this.strips.map((strip) => strip.links);
  }
}
