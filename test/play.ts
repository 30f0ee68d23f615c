/**
 * Scenarios written in tests: steps in short, the scenario read as the runner reads it (a refusal throws, with
 * the reader's message), and its digests.
 */
import { scenarioDigests } from '../src/engine/run-scenario';
import type { Scenario } from '../src/protocol/scenario';
import { formatScenarioError, parseScenario } from '../src/scenario/schema';

export type Json = Record<string, unknown>;
export const sp = (t: string, call: string, args: Json = {}) => ({ spawn: t, call, args });
export const run = (t: string) => ({ run: t });
export const step = (t: string) => ({ step: t });

/** `setup` and `steps` as a `pager` scenario, read strictly. */
export function scenarioIn(pager: 'openbsd' | 'freebsd', setup: Json, steps: Json[]): Scenario {
  const parsed = parseScenario({ format: 'pager-scenario/1', pager, ...setup, steps });
  if (!parsed.ok) throw new Error(formatScenarioError(parsed.error));
  return parsed.scenario;
}

/** Every digest of a scenario whose steps all apply (an impossible step throws). */
export function digestsOf(pager: 'openbsd' | 'freebsd', setup: Json, steps: Json[]): unknown[] {
  const r = scenarioDigests(scenarioIn(pager, setup, steps));
  if (r.refused) throw new Error(`refused at step ${r.refused.step}: ${r.refused.reason}`);
  return r.digests;
}
