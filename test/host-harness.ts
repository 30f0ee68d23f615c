/** Hosts behind the worker protocol, run in Node, and the scenario most of their tests load. */
import { readFileSync } from 'node:fs';
import { applyDelta } from '../src/protocol/delta';
import type { ExploreEvent } from '../src/protocol/explore';
import type { SimEvent } from '../src/protocol/messages';
import type { Scenario } from '../src/protocol/scenario';
import type { ViewSnapshot } from '../src/protocol/snapshot';
import { parseScenario } from '../src/scenario/schema';
import { ExploreHost } from '../src/worker/explore-host';
import { SimHost } from '../src/worker/sim-host';

/** A library scenario by its file name (without `.json`). */
export function library(name: string): Scenario {
  const parsed = parseScenario(readFileSync(`scenarios/${name}.json`, 'utf8'));
  if (!parsed.ok) throw new Error(`library scenario ${name} must parse`);
  return parsed.scenario;
}

export const walkthrough = (): Scenario => library('lecture-walkthrough');

/** A SimHost plus the UI-side reconstruction of what it streamed; `last` is its last event, a snapshot. */
export function simHarness() {
  const events: SimEvent[] = [];
  let shown: ViewSnapshot | null = null;
  const host = new SimHost((e) => {
    events.push(e);
    if (e.type === 'sim.snapshot') shown = applyDelta(shown, e.delta);
  });
  const last = () => {
    const e = events.at(-1)!;
    if (e.type !== 'sim.snapshot') throw new Error(`expected a snapshot, got ${JSON.stringify(e)}`);
    return e;
  };
  return { host, events, shown: () => shown!, last };
}

/** An ExploreHost whose slices wait in a queue until the test runs them, with a clock that moves 5 ms a reading. */
export function exploreHarness() {
  const events: ExploreEvent[] = [];
  const queue: (() => void)[] = [];
  let t = 0;
  const host = new ExploreHost(
    (e) => events.push(e),
    (slice) => queue.push(slice),
    () => (t += 5),
  );
  const slice = () => queue.shift()?.();
  const drain = () => {
    while (queue.length > 0) slice();
  };
  return { host, events, queue, slice, drain };
}
