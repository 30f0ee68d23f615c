/**
 * Step granularity for the FreeBSD C differential harness (docs/cdiff-freebsd.md, "Step granularity"): the seed
 * vnode_pager.c compiled -O0 -g with the fake kernel of tools/cdiff/freebsd/ and tools/cdiff/common/stepper.c;
 * both sides run `cstep T` and `runto T L` (tools/cdiff-step-common.ts) and each digest and the seed line of
 * each change are compared.
 *
 *   npx tsx tools/cdiff-step-freebsd.ts --library          every FreeBSD library scenario, each run and step as csteps
 *   npx tsx tools/cdiff-step-freebsd.ts --random N [--seed S] [--steps K] [--big] [--race]
 *                                                          random interleavings of csteps, runtos and runs
 *   --only FILE.json                                       one scenario, runs as csteps
 *   --verbose                                              every difference in full, and the ops
 * Environment: CDIFF_STEP_DUMP=PREFIX writes both sides' lines to PREFIX.engine and PREFIX.c.
 *
 * Exit 0 when everything compared equal, 1 when something differed.
 */
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { prng } from '../src/engine/explore/random';
import type { Scenario, Setup } from '../src/protocol/scenario';
import { parseScenario } from '../src/scenario/schema';
import { REPO, findSeed } from './cdiff-common';
import { HARNESS_DIR, raceScenario, randomScenario, supported, toLines } from './cdiff-freebsd';
import {
  buildStepHarness,
  compareStepOps,
  EngineStepper,
  libraryOps,
  type Op,
  type StepComparison,
  StepReport,
} from './cdiff-step-common';

/** Build the FreeBSD stepping binary and its breakpoint table; [binary, table]. */
export function buildFreebsdStep(
  outDir = join(tmpdir(), `pager-lab-cdiff-step-freebsd-${process.pid}`),
): [string, string] {
  const seed = findSeed('vnode_pager.c');
  if (!seed) throw new Error('seeds/vnode_pager.c not found (set PAGER_LAB_SEEDS)');
  // The seed at -O0 (every statement its own rows); the fake kernel as the run harness builds it.
  return buildStepHarness({
    seed,
    kernel: HARNESS_DIR,
    bin: join(outDir, 'cdiff-step-freebsd'),
    flags: ['-std=gnu11', '-g', '-fno-pie'],
    seedFlags: ['-O0', '-w', '-DSEED_TU'],
    kernelFlags: ['-O1', '-Wall', '-Wno-unused-function', '-Wno-format-truncation'],
    linkFlags: ['-no-pie'],
  });
}

/** Run `ops` on the engine and the FreeBSD C; compare digest and attributed line op by op. */
export function compareFreebsdOps(bin: string, table: string, setup: Setup, ops: Op[]): StepComparison {
  return compareStepOps(bin, table, setup, ops, toLines);
}

/** Every FreeBSD scenario of the library the harness runs. */
export function freebsdLibrary(): { file: string; scenario: Scenario }[] {
  const dir = join(REPO, 'scenarios');
  const out: { file: string; scenario: Scenario }[] = [];
  for (const f of readdirSync(dir).sort()) {
    if (!f.endsWith('.json')) continue;
    const p = parseScenario(readFileSync(join(dir, f), 'utf8'));
    if (p.ok && supported(p.scenario)) out.push({ file: `scenarios/${f}`, scenario: p.scenario });
  }
  return out;
}

export type RandomKind = 'disciplined' | 'chaotic' | 'big' | 'race';

/**
 * A random interleaving: a schedule of the run harness's generators (cdiff-freebsd.ts), each `run` made a cstep
 * (60 %), a runto of a seed line the engine has reached so far (25 %) or a run; a step the engine now refuses (its
 * thread is not ready, the request not in flight) is left out. Then every thread still ready is csteped to
 * its end, a random one at a time (a cstep, or a quarter of the time a runto).
 */
export function randomFreebsdOps(seed: number, kind: RandomKind, nsteps: number): [Setup, Op[]] {
  const s =
    kind === 'race' ? raceScenario(seed, nsteps) : randomScenario(seed, nsteps, kind !== 'chaotic', kind === 'big');
  const { steps, format: _f, ...setup } = s as Scenario & { format?: string };
  const rand = prng(seed * 7919 + 3);
  const es = new EngineStepper(setup);
  const ops: Op[] = [];
  const push = (op: Op): boolean => {
    if (es.apply(op).refused !== null) return false;
    ops.push(op);
    return true;
  };
  for (const st of steps) {
    if (es.e.k.s.panic) break;
    if (!('run' in st)) {
      push(st);
      continue;
    }
    const reached = [...es.e.linesReached];
    const p = rand();
    const id = st.run;
    if (p < 0.6) push({ cstep: id });
    else if (p < 0.85 && reached.length > 0) push({ runto: id, line: reached[Math.floor(rand() * reached.length)]! });
    else push({ run: id });
  }
  for (let round = 0; round < 10_000 && !es.e.k.s.panic; round++) {
    const ready = es.e.k.s.threads.filter((t) => t.status === 'ready').map((t) => t.id);
    if (ready.length === 0) break;
    const id = ready[Math.floor(rand() * ready.length)]!;
    const reached = [...es.e.linesReached];
    if (rand() < 0.75 || reached.length === 0) push({ cstep: id });
    else push({ runto: id, line: reached[Math.floor(rand() * reached.length)]! });
  }
  return [setup, ops];
}

function main(argv: string[]): number {
  const verbose = argv.includes('--verbose');
  let random = 0;
  let seed = 1;
  let nsteps = 60;
  let kind: RandomKind | null = null;
  let library = false;
  let only: string | null = null;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--verbose') continue;
    else if (a === '--only') only = argv[++i]!;
    else if (a === '--library') library = true;
    else if (a === '--random') random = Number(argv[++i]);
    else if (a === '--seed') seed = Number(argv[++i]);
    else if (a === '--steps') nsteps = Number(argv[++i]);
    else if (a === '--big') kind = 'big';
    else if (a === '--race') kind = 'race';
    else if (a === '--chaotic') kind = 'chaotic';
    else {
      process.stderr.write(`unknown option ${a}\n`);
      return 2;
    }
  }
  const outDir = join(tmpdir(), `pager-lab-cdiff-step-freebsd-${process.pid}`);
  const [bin, table] = buildFreebsdStep(outDir);
  const tally = new StepReport(verbose);
  const report = (name: string, setup: Setup, list: Op[]) =>
    tally.add(name, setup, list, compareFreebsdOps(bin, table, setup, list));
  try {
    if (only !== null) {
      const p = parseScenario(readFileSync(only, 'utf8'));
      if (!p.ok) throw new Error(`${only}: invalid scenario`);
      report(only, p.scenario, libraryOps(p.scenario, true));
    }
    if (library) for (const { file, scenario } of freebsdLibrary()) report(file, scenario, libraryOps(scenario, true));
    const kinds: RandomKind[] = ['disciplined', 'chaotic'];
    for (let i = 0; i < random; i++) {
      const k = kind ?? kinds[i % 2]!;
      const [setup, list] = randomFreebsdOps(seed + i, k, nsteps);
      report(`random seed ${seed + i} ${k}`, setup, list);
    }
    process.stdout.write(`${tally.summary()}\n`);
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
  return tally.differ === 0 ? 0 : 1;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href)
  process.exitCode = main(process.argv.slice(2));
