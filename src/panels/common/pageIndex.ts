import { useMemo, useState } from 'react';
import type { PageView } from '../../protocol/snapshot';

/**
 * Where each page id sits in the snapshot's page list, kept across steps. Most steps change a few pages in
 * place (same ids, same order), so the index stays right and looking up the few pages a panel shows costs
 * nothing per step; every answer is checked (`pages[i].id === id`) and the index is rebuilt only when the
 * list's order has changed (pages came or went). A Map of all 4,096 pages per step is what this replaces.
 */
export class PageIndex {
  private at = new Map<number, number>();
  /** The list the index was last built from. */
  private builtFor: readonly PageView[] | null = null;

  /** The index of page `id` in `pages`, or -1. */
  indexOf(pages: readonly PageView[], id: number): number {
    const i = this.at.get(id);
    if (i !== undefined && pages[i]?.id === id) return i;
    // Stale (the order changed, or the page is new since the index was built): rebuild, once per list.
    if (this.builtFor === pages) return -1;
    this.builtFor = pages;
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
