import { useMemo, useState } from 'react';
import type { PageView } from '../../protocol/snapshot';

/**
 * Where each page id sits in the snapshot's page list, kept across steps. Most steps change a few pages in
 * place (same ids, same order), so the index stays right and looking up the few pages a panel shows costs
 * nothing per step; every answer is checked (`pages[i].id === id`), a page that came at the end is added where
 * it sits, and the index is rebuilt only when the list's order has changed (pages came elsewhere or went). A
 * Map of all 4,096 pages per step is what this replaces.
 */
export class PageIndex {
  private at = new Map<number, number>();
  /** The list the index was last built or extended for, whether it was built whole, and its length. */
  private builtFor: readonly PageView[] | null = null;
  private whole = false;
  private size = 0;

  /** The index of page `id` in `pages`, or -1. */
  indexOf(pages: readonly PageView[], id: number): number {
    const i = this.at.get(id);
    if (i !== undefined && pages[i]?.id === id) return i;
    if (this.builtFor !== pages) {
      // The first miss in this list: index the pages past the end of the last one indexed (a fault that brings
      // the page after the last of 4,096), keeping the rest; the answer is checked as any other.
      this.builtFor = pages;
      this.whole = false;
      for (let k = this.size; k < pages.length; k++) this.at.set(pages[k]!.id, k);
      this.size = pages.length;
      const j = this.at.get(id);
      if (j !== undefined && pages[j]?.id === id) return j;
    } else if (this.whole) return -1;
    // Stale (the order changed, or the page is not there): rebuild, once per list.
    this.whole = true;
    this.size = pages.length;
    // A loop, not `new Map(pages.map(...))`: no pair array per page (4,096 of them, on a step that adds one).
    const at = new Map<number, number>();
    for (let k = 0; k < pages.length; k++) at.set(pages[k]!.id, k);
    this.at = at;
    return this.at.get(id) ?? -1;
  }
}

/** A lookup of page views by id for this render's `pages`: a new function when `pages` changes. */
export function usePageLookup(pages: readonly PageView[]): (id: number) => PageView | undefined {
  const [index] = useState(() => new PageIndex());
  return useMemo(
    () => (id: number) => {
      const i = index.indexOf(pages, id);
      return i < 0 ? undefined : pages[i];
    },
    [index, pages],
  );
}
