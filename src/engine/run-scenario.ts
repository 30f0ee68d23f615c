/**
 * Run a whole validated scenario headlessly: the digest before the first step
 * and after each, stopping at the first impossible step.
 */
import type { Digest, Scenario } from './api';
import { PagerEngine } from './engine';

export interface ScenarioRun {
  digests: Digest[];
  /** The first impossible step, if any: its index and why. */
  refused: { step: number; reason: string } | null;
  engine: PagerEngine;
}

export function runScenario(scenario: Scenario): ScenarioRun {
  const engine = new PagerEngine(scenario);
  const digests: Digest[] = [engine.digest()];
  for (const [i, step] of scenario.steps.entries()) {
    const reason = engine.apply(step);
    if (reason !== null) return { digests, refused: { step: i, reason }, engine };
    digests.push(engine.digest());
  }
  return { digests, refused: null, engine };
}
