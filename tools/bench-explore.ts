/**
 * The schedule explorer's figures: `benchExplore()` returns rows
 * {name, value, unit, target, pass} (the lead wires them into `npm run bench`);
 * run directly (`tsx tools/bench-explore.ts`) it prints them.
 *
 *   - the search on a fixed OpenBSD scenario: four threads attach, fault, terminate and detach one file
 *     (the four calls take four threads), results ok and eio, with no preemption and with up to two
 *     steps; schedules/s, states/s and the time to exhaust it (target < 10 s);
 *   - from the spawns alone of each library scenario that ends in a panic or a hang (with as many
 *     preemptions as it has `step`s): the time to the first finding, and to that scenario's own panic or
 *     hang (target < 60 s each);
 *   - the engine under the search: steps/s of a plain engine and of a tracked one, replaying and
 *     recording (what the search spends its time in).
 *
 * Times are CPU time of this process (user + system), not wall time: the machine is shared, and the
 * targets are "on one core".
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PagerEngine } from '../src/engine/engine';
import { hangMessage } from '../src/engine/explore/findings';
import { randomSteps } from '../src/engine/explore/random';
import { explore } from '../src/engine/explore/search';
import { TrackedEngine } from '../src/engine/explore/tracked';
import { scenarioDigests } from '../src/engine/run-scenario';
import type { Scenario } from '../src/protocol/scenario';
import { setupOf } from '../src/protocol/scenario';
import { parseScenario } from '../src/scenario/schema';

export interface BenchRow {
  name: string;
  value: number;
  unit: string;
  /** What it should be ("< 10 s"), or null for a figure with no target. */
  target: string | null;
  /** Whether the target is met; null without a target. */
  pass: boolean | null;
}

/** CPU milliseconds this process has used. */
function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

/** The fixed scenario: one file, attach, a write fault, terminate (vclean) and detach, each on a thread. */
export const BENCH_SCENARIO: Scenario = {
  format: 'pager-scenario/1',
  pager: 'openbsd',
  title: 'explore bench: attach, fault, terminate, detach',
  machine: { physPages: 8 },
  vnodes: [{ name: 'vn1', size: 8192 }],
  steps: [
    { spawn: 't1', call: 'uvn_attach', args: { vnode: 'vn1', prot: 'rw' } },
    { spawn: 't2', call: 'fault', args: { vnode: 'vn1', offset: 0, access: 'write' } },
    { spawn: 't3', call: 'uvm_vnp_terminate', args: { vnode: 'vn1' } },
    { spawn: 't4', call: 'uvn_detach', args: { vnode: 'vn1' } },
  ],
};

const row = (name: string, value: number, unit: string, target: string | null, pass: boolean | null): BenchRow => ({
  name,
  // Three decimals below 10 (seconds to the millisecond), one above.
  value: Math.round(value * (Math.abs(value) < 10 ? 1000 : 10)) / (Math.abs(value) < 10 ? 1000 : 10),
  unit,
  target,
  pass,
});

function searchRows(preempt: number): BenchRow[] {
  const start = cpuMs();
  const s = explore(BENCH_SCENARIO, { preempt, now: cpuMs }).stats;
  const ms = cpuMs() - start;
  const label = `explore attach/fault/terminate/detach, ok+eio, preempt ${preempt}`;
  return [
    row(`${label}: schedules/s`, (s.schedules / ms) * 1000, 'schedules/s', null, null),
    row(`${label}: states/s`, (s.states / ms) * 1000, 'states/s', null, null),
    row(`${label}: time to exhaust (${s.states} states)`, ms / 1000, 's', '< 10 s', s.exhaustive && ms < 10_000),
  ];
}

interface LibraryCase {
  name: string;
  scenario: Scenario;
  /** What its last digest shows: a panic message, or the waits of a hang. */
  kind: 'panic' | 'hang';
  message: string;
}

/** The library scenarios that end in a panic or a hang, with what they end in. */
export function libraryFindings(dir = 'scenarios'): LibraryCase[] {
  const out: LibraryCase[] = [];
  for (const file of readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()) {
    const parsed = parseScenario(readFileSync(join(dir, file), 'utf8'));
    if (!parsed.ok) continue;
    const { engine } = scenarioDigests(parsed.scenario);
    const k = engine.k;
    const name = file.replace(/\.json$/, '');
    if (k.s.panic) out.push({ name, scenario: parsed.scenario, kind: 'panic', message: k.s.panic.message });
    else if (
      k.s.io.length === 0 &&
      k.s.threads.every((t) => t.status !== 'ready') &&
      k.s.threads.some((t) => t.status !== 'done')
    )
      out.push({ name, scenario: parsed.scenario, kind: 'hang', message: hangMessage(k) });
  }
  return out;
}

function libraryRows(): BenchRow[] {
  const rows: BenchRow[] = [];
  for (const c of libraryFindings()) {
    // Stop at that scenario's own finding: no need to exhaust an eight-thread scenario to time it.
    const start = cpuMs();
    let ownMs: number | null = null;
    const { stats } = explore(c.scenario, {
      // A scenario that steps a thread part-way needs as many preemptions.
      preempt: c.scenario.steps.filter((s) => 'step' in s).length,
      now: cpuMs,
      minimise: false,
      maxSchedules: 200_000,
      onFinding: (f) => {
        if (ownMs === null && f.kind === c.kind && f.message === c.message) ownMs = cpuMs() - start;
      },
      shouldStop: () => ownMs !== null,
    });
    const first = stats.firstFindingMs;
    rows.push(
      row(`explore ${c.name}: first finding`, (first ?? NaN) / 1000, 's', '< 60 s', first !== null && first < 60_000),
    );
    const own: number | null = ownMs;
    rows.push(
      row(`explore ${c.name}: its own ${c.kind}`, (own ?? NaN) / 1000, 's', '< 60 s', own !== null && own < 60_000),
    );
  }
  return rows;
}

function engineRows(): BenchRow[] {
  const base = JSON.parse(readFileSync('scenarios/lecture-walkthrough.json', 'utf8')) as Scenario;
  const setup = setupOf(base);
  const steps = randomSteps(setup, 400, 7);
  const rate = (fn: () => number): number => {
    const start = cpuMs();
    let n = 0;
    while (cpuMs() - start < 1000) n += fn();
    return (n / (cpuMs() - start)) * 1000;
  };
  const plain = rate(() => {
    const e = new PagerEngine(setup);
    for (const s of steps) e.apply(s);
    return steps.length;
  });
  const quiet = rate(() => {
    const e = new TrackedEngine(setup, []);
    for (const s of steps) e.apply(s);
    return steps.length;
  });
  const recorded = rate(() => {
    const e = new TrackedEngine(setup, []);
    for (const s of steps) e.record(s);
    return steps.length;
  });
  return [
    row('engine steps/s, plain (a 400-step random schedule)', plain, 'steps/s', null, null),
    row('engine steps/s, tracked, replaying (access log off)', quiet, 'steps/s', null, null),
    row('engine steps/s, tracked, recording footprints', recorded, 'steps/s', null, null),
  ];
}

export function benchExplore(): BenchRow[] {
  return [...searchRows(0), ...searchRows(2), ...engineRows(), ...libraryRows()];
}

if (process.argv[1] && /bench-explore\.ts$/.test(process.argv[1])) {
  const rows = benchExplore();
  const width = Math.max(...rows.map((r) => r.name.length));
  for (const r of rows)
    console.log(
      `${r.name.padEnd(width)}  ${String(r.value).padStart(10)} ${r.unit.padEnd(12)} ${(r.target ?? '-').padEnd(8)} ${r.pass === null ? 'info' : r.pass ? 'PASS' : 'MISS'}`,
    );
  const missed = rows.filter((r) => r.pass === false).length;
  console.log(
    `\n${missed === 0 ? 'every target met' : `${missed} target(s) missed`} (CPU time; the bench never fails)`,
  );
}
