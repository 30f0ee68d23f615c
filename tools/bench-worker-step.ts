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
import type { SimEvent } from '../src/protocol/messages';
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
 * Load `scenario`, then Step the thread `next` names (as the bench's Step button would pick it), up to
 * STEPS times: CPU per Step and bytes posted.
 */
function stepCosts(scenario: Scenario, next: (host: SimHost) => string | null): { cpu: number[]; size: number[] } {
  let last: SimEvent | null = null;
  const host = new SimHost((e) => (last = e));
  host.handle({ type: 'sim.load', id: 1, scenario });
  const cpu: number[] = [];
  const size: number[] = [];
  for (let i = 0; i < STEPS; i++) {
    const thread = next(host);
    if (thread === null) break;
    const t0 = cpuMs();
    host.handle({ type: 'sim.step', id: 2 + i, thread });
    cpu.push(cpuMs() - t0);
    const event = last as SimEvent | null;
    if (event?.type !== 'sim.snapshot') throw new Error(`bench: Step ${thread} did not post a snapshot`);
    size.push(serialize(event).length);
  }
  return { cpu, size };
}

/** The first thread named `prefix…` that can run, as the bench's "Step s" button finds it. */
function readyThread(host: SimHost, prefix: string): string | null {
  const threads = (
    host as unknown as { current: { session: { snapshot(): { threads: readonly { id: string; status: string }[] } } } }
  ).current.session.snapshot().threads;
  return threads.find((t) => t.id.startsWith(prefix) && t.status === 'ready')?.id ?? null;
}

export function benchWorkerStep(): void {
  const cases: [string, Scenario, (host: SimHost) => string | null][] = [
    ['OpenBSD, an msync over 4,096 dirty pages', msyncScenario(), () => 'msync'],
    ['FreeBSD, faults on a 4,096-page vm_object', freebsdScenario(), (host) => readyThread(host, 's')],
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
