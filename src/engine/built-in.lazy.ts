/**
 * The built-in pagers for the simulation worker (vite.config.ts puts this module in place of built-in.ts
 * there): each pager's card at once, its kernel (seed functions, views, invariants) a chunk of its own,
 * fetched when a scenario of that pager is first opened. The first state of a plain load then waits for
 * the OpenBSD kernel only, not FreeBSD's as well.
 */
import type { BuiltIn } from './built-in';
import { FREEBSD_CARD } from './freebsd/card';
import type { PagerModel } from './model';
import { OPENBSD_CARD } from './openbsd/card';

export const BUILT_IN: readonly BuiltIn[] = [
  { card: OPENBSD_CARD, load: () => import('./openbsd/model').then((m) => m.OPENBSD as unknown as PagerModel) },
  { card: FREEBSD_CARD, load: () => import('./freebsd/model').then((m) => m.FREEBSD as unknown as PagerModel) },
];
