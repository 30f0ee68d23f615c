/**
 * Pure helpers over page views shared by the page panels: how a page is
 * named, hex offsets, and per-vnode page lists that keep their identity while
 * nothing in them changed (so layouts and rows memoize).
 */
import { sameItems } from '../protocol/delta';
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
 * views of unchanged pages, so identity means "nothing changed".
 */
export class PageGrouper<P extends PageLike> {
  private prev = new Map<string, readonly P[]>();
  private static readonly EMPTY: readonly never[] = Object.freeze([]);

  group(pages: readonly P[], names: readonly string[]): ReadonlyMap<string, readonly P[]> {
    const fresh = new Map<string, P[]>(names.map((n) => [n, []]));
    for (const p of pages) {
      let list = fresh.get(p.vnode);
      if (!list) fresh.set(p.vnode, (list = []));
      list.push(p);
    }
    const out = new Map<string, readonly P[]>();
    for (const [name, list] of fresh) {
      const old = this.prev.get(name);
      out.set(name, old && sameItems(old, list) ? old : list.length ? list : PageGrouper.EMPTY);
    }
    this.prev = out;
    return out;
  }
}
