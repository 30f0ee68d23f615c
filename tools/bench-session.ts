/**
 * `npm run bench`, the long-session half (issue 12): a 100,000-step session's
 * history (memory, going back, jumping, acting after going back), opening the
 * 16,387-step link in the worker's host, and the engine alone under the
 * explorer's workload. Times of the whole open are CPU time of this process
 * (the machine is shared); the others are wall-clock medians and 95th
 * percentiles of many repeats.
 */
import { performance } from 'node:perf_hooks';
import { PagerEngine } from '../src/engine/engine';
import { enabledSteps } from '../src/engine/explore/steps';
import { TrackedEngine } from '../src/engine/explore/tracked';
import { Session } from '../src/engine/session';
import { setupOf, type SpawnStep, type Step } from '../src/protocol/scenario';
import { SimHost } from '../src/worker/sim-host';
import { BENCH_SCENARIO } from './bench-explore';
import { ms, must, prng, rows, stats, timed } from './bench-report';
import { linkHash, msyncScenario, sessionSteps, SESSION_SETUP } from './workloads';

const SESSION_STEPS = 100_000;

/** CPU milliseconds this process has used. */
function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

/** The JS heap plus the array buffers outside it (a history packs its records into typed arrays). */
function heapUsed(gc: (() => void) | undefined): number {
  for (let i = 0; i < 3; i++) gc?.();
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}

export function benchLongSession(gc: (() => void) | undefined): void {
  const steps = sessionSteps(SESSION_STEPS, 7);
  const before = heapUsed(gc);
  const t0 = cpuMs();
  const session = new Session(SESSION_SETUP);
  for (const step of steps) must(session.apply(step), step);
  const buildMs = cpuMs() - t0;
  const held = heapUsed(gc) - before;
  console.log(
    `(f) workload: ${SESSION_STEPS.toLocaleString('en-US')} steps in episodes of 1-3 calls over 3 files ` +
      `(${session.snapshot().threads.length.toLocaleString('en-US')} threads), built in ${ms(buildMs)} ms CPU ` +
      `(${ms(buildMs / SESSION_STEPS)} ms/step), ${session.checkpoints.length} checkpoints`,
  );
  rows.push({
    figure: `(f) heap (+ array buffers) held by the ${SESSION_STEPS.toLocaleString('en-US')}-step session`,
    value: gc ? `${(held / 2 ** 20).toFixed(1)} MB (${Math.round(held / SESSION_STEPS)} B/step)` : 'n/a (no gc)',
    target: '<= 64 MB',
    verdict: !gc ? 'info' : held <= 64 * 2 ** 20 ? 'PASS' : 'MISS',
  });

  const back: number[] = [];
  session.seek(session.length);
  for (let i = 0; i < 2000; i++) {
    const t = performance.now();
    session.seek(session.cursor - 1);
    back.push(performance.now() - t);
  }
  timed('(f) back one step (seek + snapshot)', back, 16);

  const rand = prng(99);
  const jump: number[] = [];
  for (let i = 0; i < 2000; i++) {
    const to = Math.floor(rand() * (session.length + 1));
    const t = performance.now();
    session.seek(to);
    jump.push(performance.now() - t);
  }
  timed('(f) jump anywhere (seek + snapshot)', jump, 16);

  // Acting after going back: the step applied where the history has one (a new branch each time).
  const fork: number[] = [];
  const forkCpu: number[] = [];
  for (let i = 0; i < 60; i++) {
    const to = Math.floor(rand() * session.length);
    session.seek(to);
    const step: Step = { spawn: `fork${i}`, call: 'uvm_vnp_sync', args: {} };
    const c = cpuMs();
    const t = performance.now();
    must(session.apply(step), step);
    fork.push(performance.now() - t);
    forkCpu.push(cpuMs() - c);
    session.switchBranch(1);
  }
  timed('(f) act after going back (fork anywhere, new branch)', fork, 50);
  // The same forks in CPU time of this process: what the fork costs when the neighbours are busy.
  const { median, p95 } = stats(forkCpu);
  rows.push({
    figure: '(f) ...the same in CPU time',
    value: `median ${ms(median)} ms, p95 ${ms(p95)} ms`,
    target: '-',
    verdict: 'info',
  });
}

/**
 * (g) The open answers first (link-open3): the lab is answered with the link's last step and the timeline from
 * the engine's replay, then the history (what back, jump and fork read) is recorded behind the answer by the
 * same command. The row is the CPU until the answer is posted, when the lab is interactive; the CPU until the
 * history is complete is printed beside it (info). In the worker, commands sent after the answer wait for it.
 */
export function benchOpen(): void {
  const scenario = msyncScenario();
  const hash = linkHash(scenario);
  const answer: number[] = [];
  const complete: number[] = [];
  for (let i = 0; i < 3; i++) {
    let events = 0;
    let answered = 0;
    const t0 = cpuMs();
    const host = new SimHost(() => {
      if (events++ === 0) answered = cpuMs();
    });
    host.handle({ type: 'sim.open', id: 1, source: { kind: 'link', hash }, origin: 'Shared link' });
    complete.push(cpuMs() - t0);
    answer.push(answered - t0);
    if (events !== 1) throw new Error('bench: the open did not post one snapshot');
  }
  const steps = scenario.steps.length.toLocaleString('en-US');
  console.log(`(g) workload: the ${steps}-step msync link (${hash.length.toLocaleString('en-US')} characters)`);
  timed(`(g) open the ${steps}-step link in the worker, until the answer (SimHost sim.open, CPU)`, answer, 1000);
  timed(`(g) ...until its history is complete behind the answer (CPU)`, complete, null);
}

/**
 * Steps applied per CPU second replaying random schedules of explore's fixed scenario from the root (row (h);
 * `tsx tools/bench.ts --engine` runs it alone, in a process of its own).
 */
export function benchEngine(): void {
  const setup = setupOf(BENCH_SCENARIO);
  const spawns = BENCH_SCENARIO.steps.filter((s): s is SpawnStep => 'spawn' in s);
  const rand = prng(3);
  const schedules: Step[][] = [];
  for (let i = 0; i < 200; i++) {
    const e = new PagerEngine(setup);
    for (const s of spawns) e.apply(s);
    const path: Step[] = [...spawns];
    for (let d = 0; d < 60; d++) {
      const next = enabledSteps(e, { results: ['ok', 'eio'], steps: false });
      if (next.length === 0) break;
      const step = next[Math.floor(rand() * next.length)]!;
      must(e.apply(step), step);
      path.push(step);
    }
    schedules.push(path);
  }
  /**
   * Steps per CPU second over two windows of 1.5 s back to back: the first pays for the JIT (the seed
   * functions are large generators; in a fresh process their optimised code arrives after ~0.5 s of CPU, the
   * compiler's threads counted in the process's CPU), the second is the engine as a search of seconds runs it.
   */
  const rate = (run: (path: Step[]) => void): { first: number; then: number } => {
    const window = (): number => {
      const start = cpuMs();
      let n = 0;
      while (cpuMs() - start < 1500)
        for (const path of schedules) {
          run(path);
          n += path.length;
        }
      return (n / (cpuMs() - start)) * 1000;
    };
    const first = window();
    return { first, then: window() };
  };
  const plain = rate((path) => {
    const e = new PagerEngine(setup);
    for (const s of path) e.apply(s);
  });
  const logged = rate((path) => {
    const e = new TrackedEngine(setup, spawns);
    for (const s of path.slice(spawns.length)) e.record(s);
  });
  const steps = schedules.reduce((a, p) => a + p.length, 0) / schedules.length;
  console.log(
    `(h) workload: 200 random schedules of explore's attach/fault/terminate/detach, ${steps.toFixed(1)} steps each`,
  );
  const perSecond = (v: number) => `${Math.round(v).toLocaleString('en-US')} steps/s`;
  rows.push({
    figure: '(h) engine alone, schedules replayed from the root (CPU, the second 1.5 s: JIT warm)',
    value: perSecond(plain.then),
    target: '>= 200,000 steps/s',
    verdict: plain.then >= 200_000 ? 'PASS' : 'MISS',
  });
  rows.push({
    figure: '(h) ...the first 1.5 s of CPU (the JIT warming up: cold with --engine)',
    value: perSecond(plain.first),
    target: '-',
    verdict: 'info',
  });
  rows.push({
    figure: '(h) the same with the access log recording every step (second 1.5 s)',
    value: perSecond(logged.then),
    target: '-',
    verdict: 'info',
  });
}

export function benchSession(gc: (() => void) | undefined): void {
  benchLongSession(gc);
  benchOpen();
  benchEngine();
}
