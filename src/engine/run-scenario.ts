/**
 * Run a whole validated scenario headlessly: the digest before the first step
 * and after each, stopping at the first impossible step. Digests go to
 * `each` as they are made and are not kept, so a long scenario runs in flat
 * memory; without `each` no digest is made at all (a digest lists every
 * thread and page, so making one per step would cost steps × threads for a
 * caller that only wants the end state: `run.engine.digest()`).
 */
import type { Scenario } from '../protocol/scenario';
import { PagerEngine } from './engine';
import type { Digest } from './model';

export interface ScenarioRun {
  /** The first impossible step, if any: its index and why. */
  refused: { step: number; reason: string } | null;
  engine: PagerEngine;
}

export function runScenario(scenario: Scenario, each?: (digest: Digest) => void): ScenarioRun {
  const engine = new PagerEngine(scenario);
  each?.(engine.digest());
  for (const [i, step] of scenario.steps.entries()) {
    const reason = engine.apply(step);
    if (reason !== null) return { refused: { step: i, reason }, engine };
    each?.(engine.digest());
  }
  return { refused: null, engine };
}

/** Every digest of a scenario, kept (tests and small tools). */
export function scenarioDigests(scenario: Scenario): { digests: Digest[] } & ScenarioRun {
  const digests: Digest[] = [];
  const run = runScenario(scenario, (d) => digests.push(d));
  return { digests, ...run };
}
