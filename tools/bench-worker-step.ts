/**
 * `npm run bench`, row (i): what ONE Step costs the worker at 4,096 resident pages, as the browser bench
 * clicks it: `SimHost.handle({type: 'sim.step'})` on the browser bench's two scenarios (OpenBSD stepping an
 * msync over 4,096 dirty pages, FreeBSD stepping faults on a 4,096-page vm_object, tools/workloads.ts),
 * everything the worker does for it included: the engine, the snapshot, the delta, the change set, the
 * timeline label and trail. CPU time of this process per Step (the machine is shared), and the size of
 * what is posted as the structured clone would copy it (`v8.serialize` length, a proxy).
 *
 * `tsx tools/bench-worker-step.ts` runs it alone.
 */
import { serialize } from 'node:v8';
import type { Scenario } from '../src/protocol/scenario';
import { applyDelta } from '../src/protocol/delta';
import type { SimEvent } from '../src/protocol/messages';
import type { ViewSnapshot } from '../src/protocol/snapshot';
import { SimHost } from '../src/worker/sim-host';
import { kb, ms, print, rows, stats } from './bench-report';
import { freebsdScenario, msyncScenario } from './workloads';

const STEPS = 200;
const TARGET_MS = 0.5;

/** CPU milliseconds this process has used. */
function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

/**
 * Load `scenario`, then Step the thread `next` names in the snapshot shown (as the bench's Step button would
 * pick it), up to STEPS times: CPU per Step and bytes posted. The shown snapshot is rebuilt from the posted
 * deltas as the page's store does, outside the timed part.
 */
function stepCosts(
  scenario: Scenario,
  next: (shown: ViewSnapshot) => string | null,
): { cpu: number[]; size: number[] } {
  const posted: SimEvent[] = [];
  const host = new SimHost((e) => posted.push(e));
  let shown: ViewSnapshot | null = null;
  const show = () => {
    for (const e of posted.splice(0)) if (e.type === 'sim.snapshot') shown = applyDelta(shown, e.delta);
    if (!shown) throw new Error('bench: the worker posted no snapshot');
    return shown;
  };
  host.handle({ type: 'sim.load', id: 1, scenario });
  let view = show();
  const cpu: number[] = [];
  const size: number[] = [];
  for (let i = 0; i < STEPS; i++) {
    const thread = next(view);
    if (thread === null) break;
    const t0 = cpuMs();
    host.handle({ type: 'sim.step', id: 2 + i, thread });
    cpu.push(cpuMs() - t0);
    const event = posted.at(-1);
    if (event?.type !== 'sim.snapshot') throw new Error(`bench: Step ${thread} did not post a snapshot`);
    size.push(serialize(event).length);
    view = show();
  }
  return { cpu, size };
}

/** The first thread named `prefix…` that can run, as the bench's "Step s" button finds it. */
function readyThread(shown: ViewSnapshot, prefix: string): string | null {
  return shown.threads.find((t) => t.id.startsWith(prefix) && t.status === 'ready')?.id ?? null;
}

export function benchWorkerStep(): void {
  const cases: [string, Scenario, (shown: ViewSnapshot) => string | null][] = [
    ['OpenBSD, an msync over 4,096 dirty pages', msyncScenario(), () => 'msync'],
    ['FreeBSD, faults on a 4,096-page vm_object', freebsdScenario(), (shown) => readyThread(shown, 's')],
  ];
  for (const [name, scenario, next] of cases) {
    const { cpu, size } = stepCosts(scenario, next);
    const s = stats(cpu);
    rows.push({
      figure: `(i) worker: one Step at 4,096 pages, ${name} (SimHost sim.step, CPU, all included)`,
      value: `median ${ms(s.median)} ms, p95 ${ms(s.p95)} ms (n=${s.n})`,
      target: `< ${TARGET_MS} ms`,
      verdict: s.median < TARGET_MS ? 'PASS' : 'MISS',
    });
    const b = stats(size);
    rows.push({
      figure: `(i) ...the message it posts (v8.serialize length)`,
      value: `median ${kb(b.median)}, p95 ${kb(b.p95)}`,
      target: '-',
      verdict: 'info',
    });
  }
}

if (process.argv[1] && /bench-worker-step\.ts$/.test(process.argv[1])) {
  benchWorkerStep();
  print();
}
