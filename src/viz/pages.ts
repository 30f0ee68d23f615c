/**
 * Pure helpers over page views shared by the page panels: how a page is
 * named, hex offsets, and per-vnode page lists that keep their identity while
 * nothing in them changed (so layouts and rows memoize).
 */
import { sameItems } from '../protocol/delta';
import { notePatched, patchedAt } from '../protocol/patched';
import { hex } from '../protocol/format';
import type { PageView } from '../protocol/snapshot';

/** What the panels need of a page. */
export type PageLike = Pick<PageView, 'id' | 'vnode' | 'object' | 'offset' | 'state'>;

export { hex };

/** A page's name as its kernel writes it: "vn1 0x1000" (by offset) or "obj1[1]" (by pindex). */
export function pageLabel(p: Pick<PageView, 'object' | 'offset'>, key: 'offset' | 'pindex'): string {
  return key === 'pindex' ? `${p.object}[${p.offset / 4096}]` : `${p.object} ${hex(p.offset)}`;
}

/** The page's key alone: "0x1000" or "pindex 1". */
export function pageKeyText(p: Pick<PageView, 'offset'>, key: 'offset' | 'pindex'): string {
  return key === 'pindex' ? `pindex ${p.offset / 4096}` : hex(p.offset);
}

/**
 * Splits the snapshot's pages by vnode. A vnode whose pages are the same
 * objects as last time gets last time's array back: snapshots share the
 * views of unchanged pages, so identity means "nothing changed". A list made
 * in place from the last one (src/protocol/patched.ts: a step changed a few
 * pages' views) is grouped by those pages only: the vnodes they belong to get
 * their last list with those pages replaced, recorded as patched in turn.
 */
export class PageGrouper<P extends PageLike> {
  private prev = new Map<string, readonly P[]>();
  private lastPages: readonly P[] | null = null;
  private lastNames: readonly string[] = [];
  /** Each page's place in its vnode's list, by its place in `lastPages`. */
  private place: Int32Array = new Int32Array(0);
  private static readonly EMPTY: readonly never[] = Object.freeze([]);

  group(pages: readonly P[], names: readonly string[]): ReadonlyMap<string, readonly P[]> {
    const at = this.lastPages && sameItems(this.lastNames, names) ? patchedAt(this.lastPages, pages) : null;
    const out = at && this.patch(this.lastPages!, pages, at);
    if (out) return out;
    const fresh = new Map<string, P[]>(names.map((n) => [n, []]));
    const place = new Int32Array(pages.length);
    for (let i = 0; i < pages.length; i++) {
      const p = pages[i]!;
      let list = fresh.get(p.vnode);
      if (!list) fresh.set(p.vnode, (list = []));
      place[i] = list.length;
      list.push(p);
    }
    const grouped = new Map<string, readonly P[]>();
    for (const [name, list] of fresh) {
      const old = this.prev.get(name);
      // One vnode holding every page (the usual bench): its list is the snapshot's, not a copy of it.
      const own = list.length === pages.length && list.length > 0 ? pages : list;
      grouped.set(name, old && sameItems(old, own) ? old : own.length ? own : PageGrouper.EMPTY);
    }
    this.remember(grouped, pages, names, place);
    return grouped;
  }

  /** The groups of `pages`, made from `before` whose items at `at` were replaced; null if a page changed vnode. */
  private patch(before: readonly P[], pages: readonly P[], at: readonly number[]) {
    if (at.length === 0) return this.remember(this.prev, pages, this.lastNames, this.place);
    const touched = new Map<string, number[]>();
    for (const i of at) {
      const vnode = pages[i]!.vnode;
      if (before[i]!.vnode !== vnode) return null;
      const list = touched.get(vnode);
      if (list) list.push(i);
      else touched.set(vnode, [i]);
    }
    const grouped = new Map(this.prev);
    for (const [vnode, indices] of touched) {
      const old = this.prev.get(vnode)!;
      if (old === before) {
        grouped.set(vnode, pages);
        continue;
      }
      const list = old.slice();
      const places = indices.map((i) => this.place[i]!);
      indices.forEach((i, k) => (list[places[k]!] = pages[i]!));
      notePatched(list, old, places);
      grouped.set(vnode, list);
    }
    return this.remember(grouped, pages, this.lastNames, this.place);
  }

  private remember(
    grouped: Map<string, readonly P[]>,
    pages: readonly P[],
    names: readonly string[],
    place: Int32Array,
  ) {
    this.prev = grouped;
    this.lastPages = pages;
    this.lastNames = names;
    this.place = place;
    return grouped;
  }
}
