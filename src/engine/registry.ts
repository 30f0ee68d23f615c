/**
 * Pager models by the scenario's `pager`. The built-in ones come from built-in.ts (both models, loaded at
 * once: Node, the tests, the tools); the simulation worker's build swaps that module for built-in.lazy.ts
 * (vite.config.ts), which registers each pager's card and fetches its kernel when a scenario of it is first
 * opened (`loadPager`). A test may register a toy one.
 */
import type { Kernel } from './kernel/kernel';
import type { PagerCard, PagerModel } from './model';
import { BUILT_IN } from './built-in';

/** A pager the registry knows: its card, and its model once loaded (else how to load it). */
export interface PagerEntry {
  readonly card: PagerCard;
  model?: PagerModel;
  readonly load?: () => Promise<PagerModel>;
  /** Its model being loaded: a second ask while the chunk is fetched waits for the same fetch. */
  loading?: Promise<PagerModel>;
}

const entries = new Map<string, PagerEntry>();

export function registerPager<K extends Kernel>(model: PagerModel<K>): void {
  const loaded = model as unknown as PagerModel;
  entries.set(model.pager, { card: loaded, model: loaded });
}

/** Register a pager by its card, its model loaded by `load` when first asked for (`loadPager`). */
export function registerPagerCard(card: PagerCard, load: () => Promise<PagerModel>): void {
  if (!entries.get(card.pager)?.model) entries.set(card.pager, { card, load });
}

/** The model of `pager` if it is registered and loaded, else null. */
export function pagerModel(pager: string): PagerModel | null {
  return entries.get(pager)?.model ?? null;
}

/** What a reader needs of `pager` (loaded or not), or null for an unknown pager. */
export function pagerCard(pager: string): PagerCard | null {
  return entries.get(pager)?.card ?? null;
}

/**
 * The model of `pager`: at once when it is loaded (or unknown: null), else a promise of it (its chunk
 * fetched once; a failed fetch may be retried by the next call).
 */
export function loadPager(pager: string): PagerModel | null | Promise<PagerModel> {
  const entry = entries.get(pager);
  if (!entry) return null;
  if (entry.model) return entry.model;
  return (entry.loading ??= entry.load!().then(
    (model) => {
      entry.model = model;
      return model;
    },
    (e: unknown) => {
      entry.loading = undefined;
      throw e;
    },
  ));
}

/** Every registered pager, in registration order. */
export function pagerNames(): string[] {
  return [...entries.keys()];
}

for (const pager of BUILT_IN)
  if ('boot' in pager) registerPager(pager);
  else registerPagerCard(pager.card, pager.load);
