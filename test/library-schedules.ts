/** What tests that walk the whole library share: its scenarios, and random schedules over each. */
import { readdirSync, readFileSync } from 'node:fs';
import { PagerEngine } from '../src/engine/engine';
import { enabledSteps } from '../src/engine/explore/steps';
import { setupOf, type Scenario, type Step } from '../src/protocol/scenario';
import { parseScenario } from '../src/scenario/schema';

/** Every scenario of the library (scenarios/*.json), by file name. */
export function library(): Scenario[] {
  return readdirSync('scenarios')
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => {
      const parsed = parseScenario(readFileSync(`scenarios/${f}`, 'utf8'));
      if (!parsed.ok) throw new Error(`${f} must parse`);
      return parsed.scenario;
    });
}

/** The scenario's spawns, then up to 120 steps picked at random (a fixed seed) among those enabled. */
export function randomSchedule(scenario: Scenario, seed: number): Step[] {
  let x = seed;
  const rand = () => (x = (x * 1103515245 + 12345) % 2147483648) / 2147483648;
  const engine = new PagerEngine(setupOf(scenario));
  const steps: Step[] = scenario.steps.filter((s) => 'spawn' in s && engine.apply(s) === null);
  for (let n = 0; n < 120; n++) {
    const next = enabledSteps(engine, { results: ['ok', 'eio'] });
    if (next.length === 0) break;
    const step = next[Math.floor(rand() * next.length)]!;
    if (engine.apply(step) === null) steps.push(step);
  }
  return steps;
}
