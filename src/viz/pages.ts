/**
 * Pure helpers over page views shared by the page panels: the state a page
 * is drawn in, hex offsets, and per-vnode page lists that keep their
 * identity while nothing in them changed (so layouts and rows memoize).
 */

/** What the panels need of a page; PageView (src/engine/view.ts) fits. */
export interface PageLike {
  readonly id: number;
  readonly vnode: string;
  readonly offset: number;
  readonly flags: readonly string[];
  readonly modified: boolean;
}

export type PageState = 'busy' | 'fake' | 'dirty' | 'clean';

/**
 * One state per page, the first that applies: busy (PG_BUSY), fake (PG_FAKE:
 * contents not valid yet), dirty (PG_CLEAN clear, or modified through a
 * mapping), else clean.
 */
export function pageState(page: Pick<PageLike, 'flags' | 'modified'>): PageState {
  if (page.flags.includes('PG_BUSY')) return 'busy';
  if (page.flags.includes('PG_FAKE')) return 'fake';
  if (!page.flags.includes('PG_CLEAN') || page.modified) return 'dirty';
  return 'clean';
}

/** 4096 -> "0x1000". */
export function hex(n: number, pad = 0): string {
  return `0x${n.toString(16).padStart(pad, '0')}`;
}

function sameItems<T>(a: readonly T[], b: readonly T[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
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
