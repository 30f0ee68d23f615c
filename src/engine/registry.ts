/**
 * Pager models by the scenario's `pager`. The built-in ones are registered
 * here; a test may register a toy one.
 */
import type { Kernel } from './kernel/kernel';
import type { PagerModel } from './model';
import { FREEBSD } from './freebsd/model';
import { OPENBSD } from './openbsd/model';

const models = new Map<string, PagerModel>();

export function registerPager<K extends Kernel>(model: PagerModel<K>): void {
  models.set(model.pager, model as unknown as PagerModel);
}

export function pagerModel(pager: string): PagerModel | null {
  return models.get(pager) ?? null;
}

/** Every registered pager, in registration order. */
export function pagerNames(): string[] {
  return [...models.keys()];
}

registerPager(OPENBSD);
registerPager(FREEBSD);
