/**
 * What the tests of the worker host's long work share: the library's walk-through, a long msync to cancel in
 * its replay, and a host whose slices run when the test says.
 */
import { readFileSync } from 'node:fs';
import type { SimEvent } from '../src/protocol/messages';
import type { Scenario, Step } from '../src/protocol/scenario';
import { parseScenario } from '../src/scenario/schema';
import { SimHost } from '../src/worker/sim-host';

export const walkthrough = (): Scenario => {
  const parsed = parseScenario(readFileSync('scenarios/lecture-walkthrough.json', 'utf8'));
  if (!parsed.ok) throw new Error('library scenario must parse');
  return parsed.scenario;
};

/** Attach a 64 MiB file and start an msync of all of it, then `extra` steps of it (three per page offset). */
export function bigFlush(extra: number): Scenario {
  const steps: Step[] = [
    { spawn: 't1', call: 'uvn_attach', args: { vnode: 'vn1', prot: 'rw' } },
    { run: 't1' },
    { spawn: 't2', call: 'uvn_flush', args: { vnode: 'vn1', flags: ['PGO_CLEANIT', 'PGO_SYNCIO', 'PGO_ALLPAGES'] } },
  ];
  for (let i = 0; i < extra; i++) steps.push({ step: 't2' });
  return {
    format: 'pager-scenario/1',
    pager: 'openbsd',
    machine: { physPages: 16 },
    vnodes: [{ name: 'vn1', size: 64 * 1024 * 1024 }],
    steps,
  };
}

/**
 * A host whose slices are one unit long and whose next slice comes when the test says (`shownTimeoutMs`: an
 * open's history waits for the page's `sim.shown`, as in the worker).
 */
export function slicedHost(options: { shownTimeoutMs?: number } = {}) {
  const events: SimEvent[] = [];
  const waiting: (() => void)[] = [];
  const host = new SimHost((e) => events.push(e), undefined, {
    ...options,
    sliceMs: 0,
    yieldToQueue: () => new Promise<void>((resolve) => waiting.push(resolve)),
  });
  /** Let `n` more slices run. */
  const slices = async (n: number) => {
    for (let i = 0; i < n && waiting.length > 0; i++) {
      waiting.shift()!();
      await Promise.resolve();
      await Promise.resolve();
    }
  };
  return { host, events, slices, waiting };
}
