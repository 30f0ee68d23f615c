/**
 * `npm run bench`: how fast history and stepping are, and how big a step's
 * delta is. Prints figures against their targets; never fails on timing.
 *
 *   (a) history: a Session of 1,000 realistic steps; seek back one step, jump
 *       anywhere, and fork (apply after seeking back to step 500, which replays).
 *   (b) one step at 4,096 resident pages: engine alone, and engine + snapshot.
 *   (c) the delta such a step sends to the UI, against the full snapshot.
 *   (d) heap held by the 1,000-step session.
 *   (e) FreeBSD: (b) and (c) again for a 4,096-page vm_object (tools/bench-freebsd.ts).
 *   (i) the worker's cost of one Step at 4,096 pages, both pagers (tools/bench-worker-step.ts).
 *   (f) the 100,000-step session (tools/bench-session.ts; `--session` runs only these rows),
 *       (g) the 16,387-step link opened in the worker's host (`--open` runs only (g)), (h) the engine
 *       alone under the explorer's workload (`--engine` runs only (h)),
 *       hostile input (tools/bench-hostile.ts) and the schedule explorer (tools/bench-explore.ts: the
 *       fixed scenario exhausted < 10 s, each library panic and hang found from its spawns < 60 s).
 *
 * Timings use performance.now(); each is the median and 95th percentile of
 * many repeats. Heap figures need --expose-gc: without it the bench runs
 * itself again with NODE_OPTIONS=--expose-gc.
 */
import { spawnSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { PagerEngine } from '../src/engine/engine';
import type { UvmKernel } from '../src/engine/openbsd/state';
import { Session } from '../src/engine/session';
import { SnapshotBuilder } from '../src/engine/view';
import { diffSnapshots } from '../src/protocol/delta';
import { hostileBench, type BenchRow } from './bench-hostile';
import type { Setup, Step } from '../src/protocol/scenario';
import type { ViewSnapshot } from '../src/protocol/snapshot';
import { benchFreeBsd } from './bench-freebsd';
import { benchExplore } from './bench-explore';
import { benchEngine, benchLongSession, benchOpen, benchSession } from './bench-session';
import { benchWorkerStep } from './bench-worker-step';
import { bytes, kb, ms, must, PAGE, print, prng, rows, sized, timed } from './bench-report';

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc && !process.env.PAGER_BENCH_CHILD) {
  const env = { ...process.env, PAGER_BENCH_CHILD: '1', NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --expose-gc` };
  const child = spawnSync(process.execPath, [...process.execArgv, ...process.argv.slice(1)], { stdio: 'inherit', env });
  process.exit(child.status ?? 1);
}

// ------------------------------------------------------------ the workloads

/** Three files, a little memory pressure: faults with their disk I/O, msyncs, madvise, sync. */
const HISTORY_SETUP: Setup = {
  pager: 'openbsd',
  machine: { physPages: 96 },
  vnodes: [
    { name: 'vn1', size: 64 * PAGE, type: 'VREG', mount: 'm1', usecount: 1 },
    { name: 'vn2', size: 100_000, type: 'VREG', mount: 'm1', usecount: 1 },
    { name: 'vn3', size: 16 * PAGE, type: 'VBLK', mount: 'm2', usecount: 1 },
  ],
};

/** `n` steps a person at the controls might take, chosen against the live state. */
function realisticSteps(n: number, seed: number): Step[] {
  const rand = prng(seed);
  const e = new PagerEngine(HISTORY_SETUP);
  const steps: Step[] = [];
  let tid = 0;
  const apply = (step: Step) => {
    must(e.apply(step), step);
    steps.push(step);
    if (e.k.s.panic) throw new Error(`bench workload panicked: ${e.k.s.panic.message}`);
  };
  for (const [vnode, prot] of [
    ['vn1', 'rw'],
    ['vn2', 'r'],
    ['vn3', 'rw'],
  ] as const) {
    const id = `t${++tid}`;
    apply({ spawn: id, call: 'uvn_attach', args: { vnode, prot } });
    apply({ run: id });
  }
  const vnodes = HISTORY_SETUP.vnodes;
  while (steps.length < n) {
    const s = e.k.s;
    const ready = s.threads.filter((t) => t.status === 'ready');
    const r = rand();
    if (r < 0.3 && s.io.length > 0) {
      const req = s.io[Math.floor(rand() * s.io.length)]!;
      const q = rand();
      const result = q < 0.9 ? 'ok' : q < 0.95 ? 'eio' : `short:${Math.floor(rand() * req.length)}`;
      apply({ complete: req.id, result });
    } else if (r < 0.7 && ready.length > 0) {
      const t = ready[Math.floor(rand() * ready.length)]!;
      apply(rand() < 0.15 ? { step: t.id } : { run: t.id });
    } else {
      const vp = vnodes[Math.floor(rand() * vnodes.length)]!;
      const pages = Math.ceil(vp.size / PAGE);
      const id = `t${++tid}`;
      const q = rand();
      if (q < 0.65) {
        const offset = Math.floor(rand() * pages) * PAGE;
        apply({ spawn: id, call: 'fault', args: { vnode: vp.name, offset, access: rand() < 0.3 ? 'write' : 'read' } });
      } else if (q < 0.93) {
        const flags =
          q < 0.75
            ? ['PGO_CLEANIT', 'PGO_SYNCIO']
            : q < 0.85
              ? ['PGO_CLEANIT', 'PGO_SYNCIO', 'PGO_FREE']
              : ['PGO_DEACTIVATE'];
        const start = Math.floor(rand() * pages) * PAGE;
        const stop = start + Math.ceil(rand() * 8) * PAGE;
        apply({ spawn: id, call: 'uvn_flush', args: { vnode: vp.name, flags, start, stop } });
      } else {
        apply({ spawn: id, call: 'uvm_vnp_sync', args: {} });
      }
    }
  }
  return steps.slice(0, n);
}

function sessionOf(steps: readonly Step[]): Session {
  const session = new Session(HISTORY_SETUP);
  for (const step of steps) must(session.apply(step), step);
  return session;
}

const BIG_PAGES = 4096;
/** Pages left out at first; faulting them in is measured, and leaves all 4,096 resident. */
const SPARE_PAGES = 200;
const BIG_SETUP: Setup = {
  pager: 'openbsd',
  machine: { physPages: 4200 },
  vnodes: [{ name: 'big', size: BIG_PAGES * PAGE, type: 'VREG', mount: 'm1', usecount: 1 }],
};

/** Every 20th page of the first 4,000 stays out at first: faulting one in later inserts it mid-tree. */
const isSpare = (i: number): boolean => i < SPARE_PAGES * 20 && i % 20 === 5;

/** 3,896 resident pages, each faulted in by its own thread: attach, then spawn, run, complete, run per page. */
function bigEngine(): { engine: PagerEngine; steps: number; ms: number } {
  const t0 = performance.now();
  const e = new PagerEngine(BIG_SETUP);
  let steps = 0;
  const apply = (step: Step) => {
    must(e.apply(step), step);
    steps++;
  };
  apply({ spawn: 'attach', call: 'uvn_attach', args: { vnode: 'big', prot: 'rw' } });
  apply({ run: 'attach' });
  for (let i = 0; i < BIG_PAGES; i++) {
    if (isSpare(i)) continue;
    const id = `f${i}`;
    apply({
      spawn: id,
      call: 'fault',
      args: { vnode: 'big', offset: i * PAGE, access: i % 4 === 0 ? 'write' : 'read' },
    });
    apply({ run: id });
    apply({ complete: e.k.s.io[0]!.id, result: 'ok' });
    apply({ run: id });
  }
  if ((e.k as UvmKernel).vnode('big').uvn.npages !== BIG_PAGES - SPARE_PAGES)
    throw new Error('bench: wrong resident count');
  return { engine: e, steps, ms: performance.now() - t0 };
}

// ------------------------------------------------------------ measuring

function heapUsed(): number {
  for (let i = 0; i < 3; i++) gc?.();
  return process.memoryUsage().heapUsed;
}

function benchHistory(): void {
  const steps = realisticSteps(1000, 7);
  const counts = { spawn: 0, run: 0, step: 0, complete: 0 };
  for (const s of steps) counts[Object.keys(s)[0] as keyof typeof counts]++;
  console.log(
    `(a) workload: 1,000 steps (${counts.spawn} spawns, ${counts.run} runs, ${counts.step} single steps, ` +
      `${counts.complete} completions) over ${HISTORY_SETUP.vnodes.length} vnodes, ${HISTORY_SETUP.machine!.physPages} pages`,
  );

  // (d) first, on a clean heap.
  const before = heapUsed();
  const t0 = performance.now();
  const session: Session = sessionOf(steps);
  const buildMs = performance.now() - t0;
  const after = heapUsed();
  rows.push({
    figure: '(d) heap held by the 1,000-step session',
    value: gc
      ? `${((after - before) / 2 ** 20).toFixed(2)} MB (${kb(Math.round((after - before) / 1000))}/step)`
      : 'n/a (no gc)',
    target: '-',
    verdict: 'info',
  });
  rows.push({
    figure: '(a) building it: Session.apply x 1,000',
    value: `${ms(buildMs)} ms total, ${ms(buildMs / 1000)} ms/step`,
    target: '-',
    verdict: 'info',
  });

  const back: number[] = [];
  for (let round = 0; round < 3; round++) {
    session.seek(session.length);
    while (session.cursor > 0) {
      const t = performance.now();
      session.seek(session.cursor - 1);
      back.push(performance.now() - t);
    }
  }
  timed('(a) seek(cursor - 1): back one step', back, 16);

  const rand = prng(99);
  const jump: number[] = [];
  for (let i = 0; i < 3000; i++) {
    const to = Math.floor(rand() * (session.length + 1));
    const t = performance.now();
    session.seek(to);
    jump.push(performance.now() - t);
  }
  timed('(a) seek(random): jump anywhere', jump, 16);

  const fork: number[] = [];
  for (let i = 0; i < 12; i++) {
    const forked = sessionOf(steps);
    forked.seek(500);
    const step: Step = { spawn: `fork${i}`, call: 'uvm_vnp_sync', args: {} };
    const t = performance.now();
    must(forked.apply(step), step);
    fork.push(performance.now() - t);
  }
  timed('(a) fork: apply after seek(500), replays 500 steps', fork, null);
}

function benchBigStep(): void {
  const { engine: e, steps, ms: buildMs } = bigEngine();
  console.log(
    `(b) workload: a ${BIG_PAGES * PAGE}-byte vnode, ${BIG_PAGES - SPARE_PAGES} pages faulted in by as many threads ` +
      `in ${steps} steps (${ms(buildMs)} ms, ${ms(buildMs / steps)} ms/step), then ${SPARE_PAGES} more while ` +
      `measuring: ${BIG_PAGES} resident`,
  );
  const builder = new SnapshotBuilder(e.k, e.model);
  let at = steps;
  let prev: ViewSnapshot = builder.build(at);
  const rand = prng(4096);

  // Fault the 200 missing pages in (3,896 to 4,095 resident): spawn; run (allocates the page, starts the
  // read); complete; run (maps and activates it).
  const pageInDelta: number[] = [];
  const pageInTotal: number[] = [];
  for (let i = 0; i < SPARE_PAGES; i++) {
    const id = `in${i}`;
    const offset = (i * 20 + 5) * PAGE;
    const steps: (() => Step)[] = [
      () => ({ spawn: id, call: 'fault', args: { vnode: 'big', offset, access: 'read' } }),
      () => ({ run: id }),
      () => ({ complete: e.k.s.io[0]!.id, result: 'ok' }),
      () => ({ run: id }),
    ];
    for (const make of steps) {
      const step = make();
      const t0 = performance.now();
      must(e.apply(step), step);
      const next = builder.build(++at);
      pageInTotal.push(performance.now() - t0);
      pageInDelta.push(bytes(diffSnapshots(prev, next)));
      prev = next;
    }
  }
  if ((e.k as UvmKernel).vnode('big').uvn.npages !== BIG_PAGES)
    throw new Error('bench: the big object is not fully resident');
  const full = bytes(prev);

  // A fault on a resident page: uvn_get(PGO_LOCKED) finds it, the fault maps it and re-activates it.
  const faultEngine: number[] = [];
  const faultTotal: number[] = [];
  const faultDelta: number[] = [];
  const diffMs: number[] = [];
  for (let i = 0; i < 300; i++) {
    const id = `hot${i}`;
    const offset = Math.floor(rand() * BIG_PAGES) * PAGE;
    const spawn: Step = { spawn: id, call: 'fault', args: { vnode: 'big', offset, access: 'read' } };
    must(e.apply(spawn), spawn);
    prev = builder.build(++at);
    const t0 = performance.now();
    must(e.apply({ run: id }), { run: id });
    const t1 = performance.now();
    const next = builder.build(++at);
    const t2 = performance.now();
    const delta = diffSnapshots(prev, next);
    diffMs.push(performance.now() - t2);
    faultEngine.push(t1 - t0);
    faultTotal.push(t2 - t0);
    faultDelta.push(bytes(delta));
  }
  timed('(b) run a fault on a resident page: engine only', faultEngine, 1);
  timed('(b) run a fault on a resident page: engine + snapshot', faultTotal, 1);

  // One statement of uvn_flush(PGO_DEACTIVATE|PGO_ALLPAGES) walking the 4,096 pages.
  const walker: Step = {
    spawn: 'walker',
    call: 'uvn_flush',
    args: { vnode: 'big', flags: ['PGO_DEACTIVATE', 'PGO_ALLPAGES'] },
  };
  must(e.apply(walker), walker);
  prev = builder.build(++at);
  const stepEngine: number[] = [];
  const stepTotal: number[] = [];
  const stepDelta: number[] = [];
  const moveDelta: number[] = [];
  for (let i = 0; i < 1500; i++) {
    const t0 = performance.now();
    must(e.apply({ step: 'walker' }), { step: 'walker' });
    const t1 = performance.now();
    const next = builder.build(++at);
    const t2 = performance.now();
    stepEngine.push(t1 - t0);
    stepTotal.push(t2 - t0);
    const size = bytes(diffSnapshots(prev, next));
    stepDelta.push(size);
    if (next.queues[0] !== prev.queues[0]) moveDelta.push(size);
    prev = next;
  }
  timed('(b) step a flush walking 4,096 pages: engine only', stepEngine, 1);
  timed('(b) step a flush walking 4,096 pages: engine + snapshot', stepTotal, 1);
  timed('(b) each step of faulting a new page in (~4,000 resident): engine + snapshot', pageInTotal, 1);
  timed('(c) diffSnapshots(prev, next) itself (fault step)', diffMs, null);
  sized('(c) delta JSON: each step of faulting a new page in (~4,000 resident)', pageInDelta, 8 * 1024);
  sized('(c) delta JSON: run of a fault on a resident page', faultDelta, 8 * 1024);
  sized('(c) delta JSON: one flush statement, any', stepDelta, 8 * 1024);
  sized('(c) delta JSON: flush statement that moves a page between queues', moveDelta, 8 * 1024);
  sized('(c) full snapshot JSON at 4,096 pages (for comparison)', [full], null);
  const pagesOnly = bytes(prev.pages);
  const threadsOnly = bytes(prev.threads);
  const queues = bytes(prev.queues);
  rows.push({
    figure: '(c) ...of which pages / threads / queues',
    value: `${kb(pagesOnly)} / ${kb(threadsOnly)} / ${kb(queues)}`,
    target: '-',
    verdict: 'info',
  });
}

/** Rows from the other bench modules (hostile input, ...), each figure against its target. */
function adopt(bench: readonly BenchRow[]): void {
  for (const r of bench)
    rows.push({
      figure: r.name,
      value: `${r.value} ${r.unit}`,
      target: r.target,
      verdict: r.target === '-' ? 'info' : r.pass ? 'PASS' : 'MISS',
    });
}

console.log(`Pager Lab bench: node ${process.version}, gc ${gc ? 'exposed' : 'not exposed'}`);
// `tsx tools/bench.ts --session`: only the long-session rows (f), ~1 minute instead of the whole bench.
if (process.argv.includes('--session')) {
  benchLongSession(gc);
  print();
  process.exit(0);
}
// `tsx tools/bench.ts --engine`: only row (h), the engine under the explorer's workload (~8 s).
if (process.argv.includes('--engine')) {
  benchEngine();
  print();
  process.exit(0);
}
// `tsx tools/bench.ts --open`: only row (g), the link open.
if (process.argv.includes('--open')) {
  benchOpen();
  print();
  process.exit(0);
}
benchHistory();
benchBigStep();
benchFreeBsd();
benchWorkerStep();
benchSession(gc);
adopt(hostileBench());
// The explorer's rows say "no target" with null (bench-explore.ts runs on its own too).
adopt(benchExplore().map((r) => ({ ...r, target: r.target ?? '-', pass: r.pass ?? true })));
print();
