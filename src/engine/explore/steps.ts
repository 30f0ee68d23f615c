/**
 * The steps a person at the controls could take now, spawns aside: run or
 * step a ready thread, complete a request in flight with one of the chosen
 * results. Deterministic: threads in spawn order (run before step), then
 * requests by id, each result in the order given.
 */
import type { Step } from '../../protocol/scenario';
import type { PagerEngine } from '../engine';
import type { Kernel } from '../kernel/kernel';
import { outcomeOf } from '../kernel/disk';
import type { PagerModel } from '../model';

export interface StepOptions {
  /** Results a request may complete with: "ok", "eio", "short:B" (default ok, eio). */
  readonly results?: readonly string[];
  /** Offer `step T` beside `run T` (default true). */
  readonly steps?: boolean;
}

export const DEFAULT_RESULTS: readonly string[] = ['ok', 'eio'];

/** Every step possible in the engine's state now. */
export function enabledSteps(engine: PagerEngine, options: StepOptions = {}): Step[] {
  return enabledStepsOf(engine.k, engine.model, options);
}

/** The same for a kernel and its model (the explorer reads its kernel unlogged). */
export function enabledStepsOf(k: Kernel, model: PagerModel, options: StepOptions = {}): Step[] {
  if (k.s.panic) return [];
  const out: Step[] = [];
  const steps = options.steps ?? true;
  for (const t of k.s.threads) {
    if (t.status !== 'ready') continue;
    out.push({ run: t.id });
    if (steps) out.push({ step: t.id });
  }
  const results = options.results ?? DEFAULT_RESULTS;
  for (const req of [...k.s.io].sort((a, b) => a.id - b.id)) {
    if (req.iodone !== null && (model.completeRefusal?.(k, req) ?? null) !== null) continue;
    for (const result of results) {
      if (typeof outcomeOf(req, result) === 'string') continue;
      out.push({ complete: req.id, result });
    }
  }
  return out;
}

/** One line a person reads: `run t1`, `step t2`, `complete 3 eio`, `spawn t4 fault`. */
export function stepLabel(step: Step): string {
  if ('spawn' in step) return `spawn ${step.spawn} ${step.call}`;
  if ('run' in step) return `run ${step.run}`;
  if ('step' in step) return `step ${step.step}`;
  return `complete ${step.complete} ${step.result}`;
}
