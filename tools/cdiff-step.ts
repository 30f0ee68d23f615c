/**
 * Step granularity for the C differential harness (docs/cdiff.md, "Step granularity"). The seed is compiled
 * -O0 -g and linked -no-pie; its line table gives one breakpoint per run of rows of one seed line, and
 * tools/cdiff/openbsd/stepper.c stops a stepped thread at each. gcc's rows and the contract's statements do not
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
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { PagerEngine } from '../src/engine/engine';
import { chooseStep, prng, randomCaller, randomChoice } from '../src/engine/explore/random';
import { stringifyDigest } from '../src/protocol/digest-json';
import type { Scenario, Setup, Step } from '../src/protocol/scenario';
import { parseScenario } from '../src/scenario/schema';
import { C_CHECKS, randomSchedule, REPO, seedPath, toLines } from './cdiff';
import { buildHarness } from './cdiff-common';

const CDIR = join(dirname(fileURLToPath(import.meta.url)), 'cdiff', 'openbsd');

/** Build the stepping binary and its breakpoint table; [binary, table]. */
export function buildCdiffStep(outDir = join(tmpdir(), `pager-lab-cdiff-step-${process.pid}`)): [string, string] {
  const seed = seedPath();
  if (!seed) throw new Error('seeds/uvm_vnode.c not found (set PAGER_LAB_SEEDS)');
  // The seed at -O0, so that every statement keeps its own rows in the line table; the fake kernel as the run harness.
  const bin = buildHarness({
    seed,
    kernel: CDIR,
    bin: join(outDir, 'uvn-cdiff-step'),
    flags: ['-g', '-w', '-fno-strict-aliasing', '-fno-pie'],
    seedFlags: ['-O0'],
    kernelFlags: [...C_CHECKS, '-O1'],
    linkFlags: ['-no-pie'],
  });
  const dump = spawnSync('objdump', ['--dwarf=decodedline', bin], { encoding: 'utf8', maxBuffer: 1 << 26 });
  if (dump.status !== 0) throw new Error(`objdump: ${dump.stderr}`);
  const rows: [number, number][] = [];
  let seedEnd = 0;
  for (const l of dump.stdout.split('\n')) {
    const m = /^uvm_vnode\.c\s+(\d+)\s+(0x[0-9a-f]+)\b/.exec(l);
    if (m) seedEnd = Math.max(seedEnd, Number(m[2]));
    if (m) rows.push([Number(m[2]), statementStart(Number(m[1]))]);
  }
  rows.sort((a, b) => a[0] - b[0]);
  // One breakpoint per run of rows of one line (in address order), at the run's first address.
  const starts: [number, number][] = [];
  let last = -1;
  let lastAddr = -1;
  for (const [addr, line] of rows) {
    if (addr === lastAddr) continue;
    lastAddr = addr;
    if (line !== last) starts.push([addr, line]);
    last = line;
  }
  const lineAt = (a: number): number => {
    let lo = 0;
    let hi = starts.length - 1;
    let best = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (starts[mid]![0] <= a) {
        best = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return best < 0 ? -1 : starts[best]![1];
  };
  // gcc may jump into the middle of a line's rows (an `if` whose false branch skips a `return;` row's nop): a
  // jump from another line to an address inside a line's code is a breakpoint too.
  const table = new Map(starts.map(([a, l]) => [a, l]));
  const lo = starts[0]?.[0] ?? 0;
  const hi = seedEnd; // the last function's closing brace: `leave; ret` follow
  const dis = spawnSync('objdump', ['-d', '--no-show-raw-insn', bin], { encoding: 'utf8', maxBuffer: 1 << 27 });
  for (const l of dis.stdout.split('\n')) {
    const m = /^\s*([0-9a-f]+):\s+j[a-z]+\s+([0-9a-f]+)\s</.exec(l);
    if (!m) continue;
    const from = parseInt(m[1]!, 16);
    const to = parseInt(m[2]!, 16);
    if (from < lo || from >= hi || to < lo || to >= hi || table.has(to)) continue;
    const src = lineAt(from);
    const dst = lineAt(to);
    if (src >= 0 && dst >= 0 && src !== dst) table.set(to, dst);
  }
  // A function's closing brace is no statement: after its last statement (a `return` jumps to the epilogue) the
  // thread goes on into its caller.
  for (const [a, l] of [...table]) if (functionEnds().has(l)) table.delete(a);
  const tablePath = join(outDir, 'breakpoints.txt');
  writeFileSync(tablePath, [...table].map(([a, l]) => `${a.toString(16)} ${l}`).join('\n') + '\n');
  return [bin, tablePath];
}

let ends: Set<number> | null = null;
/** The seed lines that close a function (a `}` in column 0). */
function functionEnds(): Set<number> {
  if (ends) return ends;
  ends = new Set();
  readFileSync(seedPath()!, 'utf8')
    .split('\n')
    .forEach((l, i) => {
      if (l.trimEnd() === '}') ends!.add(i + 1);
    });
  return ends;
}

let starts: number[] | null = null;
/**
 * The first line of the statement each seed line belongs to: a line begun inside an open parenthesis (a `for`
 * header's condition and increment, a call's arguments on the next line) continues the statement above, which
 * is where the engine tags it.
 */
export function statementStart(line: number): number {
  if (!starts) {
    starts = [0];
    let depth = 0;
    let comment = false;
    let start = 0;
    readFileSync(seedPath()!, 'utf8')
      .split('\n')
      .forEach((text, i) => {
        if (depth === 0) start = i + 1;
        starts!.push(start);
        for (let j = 0; j < text.length; j++) {
          const two = text.slice(j, j + 2);
          if (comment) {
            if (two === '*/') {
              comment = false;
              j++;
            }
          } else if (two === '/*') {
            comment = true;
            j++;
          } else if (text[j] === '"' || text[j] === "'") {
            const q = text[j];
            for (j++; j < text.length && text[j] !== q; j++) if (text[j] === '\\') j++;
          } else if (text[j] === '(') depth++;
          else if (text[j] === ')') depth--;
        }
      });
  }
  return starts[line] ?? line;
}

/** A schedule: the contract's steps, plus `cstep` (step until the digest changes, or a block, the end, a panic). */
export type Op = Step | { cstep: string } | { runto: string; line: number };

/** The engine running csteps; the digest's `step` counts ops. */
export class EngineStepper {
  readonly e: PagerEngine;
  private applied = 0;
  constructor(setup: Setup) {
    this.e = new PagerEngine(setup);
  }
  /** The line a thread stands at: its seed line, 0 in the caller. */
  lineOf(id: string): number {
    return this.e.k.thread(id)?.line ?? 0;
  }
  /** Apply one op; null, or why it is impossible. `line`: what a cstep is attributed to. */
  apply(op: Op): { refused: string | null; line: number | null } {
    if ('runto' in op) {
      const th = this.e.k.thread(op.runto);
      if (!th || th.status !== 'ready') return { refused: `cannot step ${op.runto}`, line: null };
      for (let i = 0; i < 1_000_000; i++) {
        const r = this.e.apply({ step: op.runto });
        if (r !== null) throw new Error(`engine refused a step of ready ${op.runto}: ${r}`);
        const t = this.e.k.thread(op.runto)!;
        if (t.status !== 'ready' || this.e.k.s.panic || t.line === op.line) break;
      }
      this.e.renumber(++this.applied);
      // where it stands now
      return { refused: null, line: this.lineOf(op.runto) };
    }
    if (!('cstep' in op)) {
      const r = this.e.apply(op);
      if (r === null) this.e.renumber(++this.applied);
      return { refused: r, line: null };
    }
    const id = op.cstep;
    const th = this.e.k.thread(id);
    if (!th || th.status !== 'ready') return { refused: `cannot step ${id}`, line: null };
    const before = stringifyDigest({ ...this.e.digest(), step: 0 });
    let attr = 0;
    for (let i = 0; i < 1_000_000; i++) {
      attr = this.lineOf(id);
      const r = this.e.apply({ step: id });
      if (r !== null) throw new Error(`engine refused a step of ready ${id}: ${r}`);
      const t = this.e.k.thread(id)!;
      if (t.status !== 'ready' || this.e.k.s.panic) break;
      if (stringifyDigest({ ...this.e.digest(), step: 0 }) !== before) break;
    }
    this.e.renumber(++this.applied);
    return { refused: null, line: attr };
  }
  digestLine(): string {
    return stringifyDigest(this.e.digest());
  }
}

export interface StepComparison {
  equal: boolean;
  ops: number;
  /** First differing op: index, what each side printed. */
  at: number | null;
  engine: string;
  c: string;
  cError: string | null;
}

function opLine(op: Op): string {
  if ('cstep' in op) return `cstep ${op.cstep}`;
  if ('runto' in op) return `runto ${op.runto} ${op.line}`;
  return toLines({ vnodes: [], steps: [op] })
    .split('\n')
    .filter((l) => l && l !== 'go' && !l.startsWith('phys'))[0]!;
}

/** Run `ops` on both; compare digest and attributed line op by op. */
export function compareOps(bin: string, table: string, setup: Setup, ops: Op[]): StepComparison {
  const es = new EngineStepper(setup);
  const eng: string[] = [stringifyDigest(es.e.digest())];
  const applied: Op[] = [];
  for (const op of ops) {
    const r = es.apply(op);
    if (r.refused !== null) break;
    applied.push(op);
    eng.push((r.line === null ? '' : `#line ${r.line} `) + es.digestLine());
    if (es.e.k.s.panic) break;
  }
  const head = toLines({ ...setup, steps: [] });
  const input = head + applied.map(opLine).join('\n') + '\n';
  const r = spawnSync(bin, [table], { input, encoding: 'utf8', maxBuffer: 1 << 28, timeout: 60_000 });
  const raw = r.stdout ? r.stdout.split('\n').filter((l) => l.length > 0) : [];
  const c: string[] = [];
  for (let i = 0; i < raw.length; i++) {
    if (raw[i]!.startsWith('#line') && i + 1 < raw.length) {
      c.push(`${raw[i]} ${raw[i + 1]}`);
      i++;
    } else c.push(raw[i]!);
  }
  // A cstep that ends its thread: where the thread returns (a seed `return`, its `}`, the caller's last
  // statement) is not compared, only that it ended.
  const end = (l: string | undefined, i: number): string | undefined => {
    const op = applied[i - 1];
    if (l === undefined || !op || !('cstep' in op || 'runto' in op) || !l.startsWith('#line')) return l;
    const d = JSON.parse(l.slice(l.indexOf('{'))) as { threads: { id: string; status: string }[] };
    return d.threads.find((t) => t.id === ('cstep' in op ? op.cstep : op.runto))?.status === 'done'
      ? l.replace(/^#line \d+/, '#line end')
      : l;
  };
  for (let i = 0; i < eng.length; i++) eng[i] = end(eng[i], i)!;
  for (let i = 0; i < c.length; i++) c[i] = end(c[i], i)!;
  const cError = r.status === 0 ? null : `exit ${r.status ?? r.signal}: ${r.stderr.trim()}`;
  if (process.env.CDIFF_STEP_DUMP) {
    writeFileSync(`${process.env.CDIFF_STEP_DUMP}.engine`, eng.join('\n') + '\n');
    writeFileSync(`${process.env.CDIFF_STEP_DUMP}.c`, c.join('\n') + '\n');
  }
  for (let i = 0; i < Math.max(eng.length, c.length); i++)
    if (eng[i] !== c[i])
      return { equal: false, ops: applied.length, at: i - 1, engine: eng[i] ?? '(none)', c: c[i] ?? '(none)', cError };
  return { equal: cError === null, ops: applied.length, at: null, engine: '', c: '', cError };
}

/** A library scenario as csteps: a `run` stays a `run`; each `step`... becomes a cstep (`asCsteps` all). */
export function libraryOps(s: Scenario, runsAsCsteps: boolean): Op[] {
  const es = new EngineStepper(s);
  const ops: Op[] = [];
  for (const st of s.steps) {
    const id = 'run' in st ? st.run : 'step' in st ? st.step : null;
    if (id !== null && (runsAsCsteps || 'step' in st)) {
      // A run as csteps until the thread blocks or ends; a step as one cstep.
      do {
        const r = es.apply({ cstep: id });
        if (r.refused !== null) break;
        ops.push({ cstep: id });
      } while ('run' in st && es.e.k.thread(id)?.status === 'ready' && !es.e.k.s.panic);
    } else {
      if (es.apply(st).refused !== null) break;
      ops.push(st);
    }
    if (es.e.k.s.panic) break;
  }
  return ops;
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
  let equal = 0;
  let differ = 0;
  const report = (name: string, setup: Setup, ops: Op[]) => {
    const c = compareOps(bin, table, setup, ops);
    if (c.equal) equal++;
    else differ++;
    if (!c.equal || verbose) {
      process.stdout.write(`${name}: ${c.equal ? 'equal' : `differs at op ${c.at}`} (${c.ops} ops)\n`);
      if (!c.equal) {
        process.stdout.write(`  op: ${c.at !== null && c.at >= 0 ? JSON.stringify(ops[c.at]) : '(setup)'}\n`);
        process.stdout.write(`  engine: ${c.engine}\n  C:      ${c.c}\n`);
        if (c.cError) process.stdout.write(`  C error: ${c.cError}\n`);
        if (verbose) process.stdout.write(`  ops: ${JSON.stringify({ setup, ops })}\n`);
      }
    }
  };
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
  process.stdout.write(`${equal} equal, ${differ} differ\n`);
  rmSync(outDir, { recursive: true, force: true });
  return differ === 0 ? 0 : 1;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href)
  process.exitCode = main(process.argv.slice(2));
