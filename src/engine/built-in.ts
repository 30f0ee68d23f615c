/**
 * The built-in pagers, their models loaded at once (Node: the runner, the tests, the tools). The simulation
 * worker's build uses built-in.lazy.ts instead (vite.config.ts), which fetches a kernel when it is opened.
 */
import type { PagerCard, PagerModel } from './model';
import { FREEBSD } from './freebsd/model';
import { OPENBSD } from './openbsd/model';

/** A built-in pager: its model, or its card and how to load its model. */
export type BuiltIn = PagerModel | { readonly card: PagerCard; readonly load: () => Promise<PagerModel> };

export const BUILT_IN: readonly BuiltIn[] = [OPENBSD as unknown as PagerModel, FREEBSD as unknown as PagerModel];
