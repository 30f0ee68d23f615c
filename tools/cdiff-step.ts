/**
 * Step granularity for the C differential harness (docs/cdiff.md, "Step granularity"). The seed is compiled
 * -O0 -g and linked -no-pie; its line table gives one breakpoint per run of rows of one seed line, and
 * tools/cdiff/common/stepper.c stops a stepped thread at each. gcc's rows and the contract's statements do not
 * match one to one, so the two sides are compared on `cstep T` ("step T until the digest changes, or it blocks,
 * ends or panics"), and each such change is attributed to the seed line the thread stood at before the
 * statement that made it.
 *
 *   npx tsx tools/cdiff-step.ts --library            every OpenBSD library scenario, each `run` and `step` as csteps
 *   npx tsx tools/cdiff-step.ts --random N [--seed S] [--length L] [--big]   random schedules of csteps
 *   --only FILE.json                                 one scenario, runs as csteps
 *   --verbose                                        print every difference in full, and the ops
 * Environment: CDIFF_STEP_ONLY=S runs only random seed S; CDIFF_STEP_DUMP=PREFIX writes both sides' lines to
 * PREFIX.engine and PREFIX.c.
 *
 * Exit 0 when everything compared equal, 1 when something differed.
 */
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chooseStep, prng, randomCaller, randomChoice } from '../src/engine/explore/random';
import type { Scenario, Setup } from '../src/protocol/scenario';
import { parseScenario } from '../src/scenario/schema';
import { C_CHECKS, randomSchedule, REPO, seedPath, toLines } from './cdiff';
import {
  buildStepHarness,
  compareStepOps,
  EngineStepper,
  libraryOps,
  type Op,
  statementStart as commonStatementStart,
  type StepComparison,
  StepReport,
} from './cdiff-step-common';

const CDIR = join(dirname(fileURLToPath(import.meta.url)), 'cdiff', 'openbsd');

/** Build the stepping binary and its breakpoint table; [binary, table]. */
export function buildCdiffStep(outDir = join(tmpdir(), `pager-lab-cdiff-step-${process.pid}`)): [string, string] {
  const seed = seedPath();
  if (!seed) throw new Error('seeds/uvm_vnode.c not found (set PAGER_LAB_SEEDS)');
  // The seed at -O0, so that every statement keeps its own rows in the line table; the fake kernel as the run harness.
  return buildStepHarness({
    seed,
    kernel: CDIR,
    bin: join(outDir, 'uvn-cdiff-step'),
    flags: ['-g', '-w', '-fno-strict-aliasing', '-fno-pie'],
    seedFlags: ['-O0'],
    kernelFlags: [...C_CHECKS, '-O1'],
    linkFlags: ['-no-pie'],
  });
}

/** The first line of the statement a seed line belongs to (tools/cdiff-step-common.ts). */
export function statementStart(line: number): number {
  return commonStatementStart(seedPath()!, line);
}

export { EngineStepper, libraryOps, type Op, type StepComparison };

/** Run `ops` on both; compare digest and attributed line op by op. */
export function compareOps(bin: string, table: string, setup: Setup, ops: Op[]): StepComparison {
  return compareStepOps(bin, table, setup, ops, toLines);
}

/** A random schedule: the run-only one of cdiff.ts, each `run` made a series of csteps (some left as runs). */
export function randomOps(seed: number, disciplined: boolean, length: number, big: boolean): [Setup, Op[]] {
  const s = randomSchedule(seed, disciplined, length, big);
  const rand = prng(seed * 7919 + 1);
  const setup: Setup = { pager: s.pager, machine: s.machine, vnodes: s.vnodes };
  // Re-draw the schedule with csteps: whenever the random caller would run a thread, cstep it instead (most
  // times), so threads interleave between digest changes.
  const caller = randomCaller(setup, disciplined);
  const es = new EngineStepper(setup);
  const ops: Op[] = [];
  for (const st of s.steps.slice(0, 12)) {
    if (es.apply(st).refused !== null) break;
    caller.accepted(es.e, st);
    ops.push(st);
  }
  for (let i = 0; i < length && !es.e.k.s.panic; i++) {
    const step = chooseStep(es.e, caller, randomChoice(rand));
    const id = 'run' in step ? step.run : 'step' in step ? step.step : null;
    const reached = [...es.e.linesReached];
    const p = rand();
    const op: Op =
      id === null
        ? step
        : p < 0.6
          ? { cstep: id }
          : p < 0.85 && reached.length > 0
            ? { runto: id, line: reached[Math.floor(rand() * reached.length)]! }
            : { run: id };
    if (es.apply(op).refused !== null) continue;
    if (!('cstep' in op) && !('runto' in op)) caller.accepted(es.e, op);
    ops.push(op);
  }
  return [setup, ops];
}

/** Every OpenBSD scenario of the library, `step` steps or not. */
export function openbsdLibrary(): { file: string; scenario: Scenario }[] {
  const dir = join(REPO, 'scenarios');
  const out: { file: string; scenario: Scenario }[] = [];
  for (const f of readdirSync(dir).sort()) {
    if (!f.endsWith('.json')) continue;
    const p = parseScenario(readFileSync(join(dir, f), 'utf8'));
    if (p.ok && p.scenario.pager === 'openbsd') out.push({ file: `scenarios/${f}`, scenario: p.scenario });
  }
  return out;
}

function main(argv: string[]): number {
  const verbose = argv.includes('--verbose');
  let random = 0;
  let seed = 1;
  let length = 80;
  let big = false;
  let library = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--verbose') continue;
    else if (a === '--only') i++;
    else if (a === '--library') library = true;
    else if (a === '--random') random = Number(argv[++i]);
    else if (a === '--seed') seed = Number(argv[++i]);
    else if (a === '--length') length = Number(argv[++i]);
    else if (a === '--big') big = true;
    else {
      process.stderr.write(`unknown option ${a}\n`);
      return 2;
    }
  }
  const outDir = join(tmpdir(), `pager-lab-cdiff-step-${process.pid}`);
  const [bin, table] = buildCdiffStep(outDir);
  const tally = new StepReport(verbose);
  const report = (name: string, setup: Setup, list: Op[]) =>
    tally.add(name, setup, list, compareOps(bin, table, setup, list));
  const only = argv.indexOf('--only');
  if (only >= 0) {
    const p = parseScenario(readFileSync(argv[only + 1]!, 'utf8'));
    if (p.ok) report(argv[only + 1]!, p.scenario, libraryOps(p.scenario, true));
  }
  if (library) for (const { file, scenario } of openbsdLibrary()) report(file, scenario, libraryOps(scenario, true));
  for (let i = 0; i < random; i++) {
    if (process.env.CDIFF_STEP_ONLY && Number(process.env.CDIFF_STEP_ONLY) !== seed + i) continue;
    const [setup, ops] = randomOps(seed + i, i % 2 === 0, length, big);
    report(`random seed ${seed + i} ${i % 2 === 0 ? 'disciplined' : 'chaotic'}`, setup, ops);
  }
  process.stdout.write(`${tally.summary()}\n`);
  rmSync(outDir, { recursive: true, force: true });
  return tally.differ === 0 ? 0 : 1;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href)
  process.exitCode = main(process.argv.slice(2));
