/**
 * What the two C differential harnesses share (docs/cdiff.md for OpenBSD, docs/cdiff-freebsd.md for FreeBSD):
 * finding the seed and gcc, building the seed unmodified with a fake kernel, running the binary, turning `step`
 * steps into `run`s, comparing the engine's digests with the C's and finding the first differing field, and
 * the report line. Each driver keeps what is its own: the line format its C reads and its random schedules.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PagerEngine } from '../src/engine/engine';
import { scenarioDigests } from '../src/engine/run-scenario';
import { stringifyDigest } from '../src/protocol/digest-json';
import type { Scenario, Step } from '../src/protocol/scenario';

export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..');
/** C shared by both fake kernels (the step harness's stepper.c). */
export const COMMON_DIR = join(REPO, 'tools', 'cdiff', 'common');

/** Where the seed `name` lives: $PAGER_LAB_SEEDS, else the repo's copy (public/seeds, byte for byte shared/seeds). */
export function findSeed(name: string): string | null {
  const dirs = [
    process.env.PAGER_LAB_SEEDS,
    join(REPO, 'public', 'seeds'),
    '/work/shared/seeds',
    resolve(REPO, '..', 'shared', 'seeds'),
    resolve(REPO, 'shared', 'seeds'),
  ];
  for (const d of dirs) if (d && existsSync(join(d, name))) return join(d, name);
  return null;
}

export function hasGcc(): boolean {
  return spawnSync('gcc', ['--version'], { stdio: 'ignore' }).status === 0;
}

export interface HarnessBuild {
  /** The seed file, compiled unmodified: `kernel/kern.h` forced in first, `kernel/include/` first on the path. */
  seed: string;
  /**
   * The fake kernel's directory: kern.h, include/ and the C files (every `*.c` in it, and every `*.c` of
   * tools/cdiff/common/, the parts both fake kernels share, built with the kernel's flags).
   */
  kernel: string;
  /** The binary to write; its objects go beside it and are removed once linked. */
  bin: string;
  /** gcc flags for every file, then those for the seed only and for the fake kernel only. */
  flags: string[];
  seedFlags?: string[];
  kernelFlags?: string[];
  /** gcc flags for the link only. */
  linkFlags?: string[];
}

/** Compile the seed and the fake kernel and link them; the binary's path. Throws with gcc's output on failure. */
export function buildHarness(b: HarnessBuild): string {
  mkdirSync(dirname(b.bin), { recursive: true });
  const units: [string, string[]][] = [
    [b.seed, [...(b.seedFlags ?? []), '-I', join(b.kernel, 'include'), '-include', join(b.kernel, 'kern.h')]],
  ];
  for (const dir of [b.kernel, COMMON_DIR])
    for (const f of readdirSync(dir).sort()) if (f.endsWith('.c')) units.push([join(dir, f), b.kernelFlags ?? []]);
  const objects: string[] = [];
  const gcc = (args: string[]) => {
    const r = spawnSync('gcc', args, { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`gcc ${args.join(' ')}\n${r.error?.message ?? r.stderr}`);
    // Warnings of a build that worked: the fake kernel is meant to compile clean.
    if (r.stderr) process.stderr.write(r.stderr);
  };
  try {
    for (const [src, unitFlags] of units) {
      const obj = `${b.bin}.${basename(src, '.c')}.o`;
      objects.push(obj);
      gcc([...b.flags, ...unitFlags, '-c', src, '-o', obj]);
    }
    gcc([...(b.linkFlags ?? []), '-o', b.bin, ...objects]);
  } finally {
    for (const o of objects) rmSync(o, { force: true });
  }
  return b.bin;
}

/** The C harness's digest lines, and its failure (exit status, stderr) when it did not exit 0. */
export interface HarnessRun {
  lines: string[];
  error: string | null;
}

/** Run the C harness on `input` (its line format); a binary that hangs is stopped after 20 s. */
export function runHarness(bin: string, input: string): HarnessRun {
  const r = spawnSync(bin, [], { input, encoding: 'utf8', maxBuffer: 1 << 28, timeout: 20_000 });
  if (r.error && (r.error as NodeJS.ErrnoException).code !== 'ETIMEDOUT') throw r.error;
  const lines = r.stdout ? r.stdout.split('\n').filter((l) => l.length > 0) : [];
  const error = r.status === 0 ? null : `exit ${r.status ?? r.signal}: ${r.stderr.trim()}`;
  return { lines, error };
}

/** The engine's digest lines for `s`, and where it refused a step (digests up to there). */
export function engineLines(s: Scenario): { lines: string[]; cutAt: number | null } {
  const run = scenarioDigests(s);
  return { lines: run.digests.map((d) => stringifyDigest(d)), cutAt: run.refused?.step ?? null };
}

/**
 * `s` with every `step` turned into a `run` of the same thread, for harnesses that work at `run` granularity;
 * the engine runs the converted scenario too, so both sides see the same, coarser schedule. A `run` the engine
 * then refuses is dropped (the conversion may have run its thread to its end or into a wait already); any other
 * refused step is kept as the last, where the comparison cuts both sides.
 */
export function stepsToRuns(s: Scenario): Scenario {
  if (!s.steps.some((st) => 'step' in st)) return s;
  const e = new PagerEngine(s);
  const steps: Step[] = [];
  for (const st of s.steps) {
    const step: Step = 'step' in st ? { run: st.step } : st;
    if (e.apply(step) === null) steps.push(step);
    else if (!('run' in step)) {
      steps.push(step);
      break;
    }
  }
  return { ...s, steps };
}

export interface FieldDifference {
  /** The first differing field, as a path (`vnodes[0=vn1].object`, `threads[1=t2].wait`). */
  field: string;
  engine: unknown;
  c: unknown;
}

/** The first field where two digests (parsed JSON) differ; array elements are named by their id, name or pindex. */
export function firstDiff(a: unknown, b: unknown, path = ''): FieldDifference | null {
  if (a === b) return null;
  if (a && b && typeof a === 'object' && typeof b === 'object' && Array.isArray(a) === Array.isArray(b)) {
    if (Array.isArray(a)) {
      const bb = b as unknown[];
      for (let i = 0; i < Math.max(a.length, bb.length); i++) {
        const el = (a[i] ?? bb[i]) as Record<string, unknown> | undefined;
        const tag = el && typeof el === 'object' ? (el.id ?? el.name ?? el.pindex) : undefined;
        const d = firstDiff(a[i], bb[i], `${path}[${tag === undefined ? i : `${i}=${String(tag)}`}]`);
        if (d) return d;
      }
      return null;
    }
    const ao = a as Record<string, unknown>;
    const bo = b as Record<string, unknown>;
    for (const k of new Set([...Object.keys(ao), ...Object.keys(bo)])) {
      const d = firstDiff(ao[k], bo[k], path ? `${path}.${k}` : k);
      if (d) return d;
    }
    return null;
  }
  return JSON.stringify(a) === JSON.stringify(b) ? null : { field: path || '(digest)', engine: a, c: b };
}

export interface Difference extends FieldDifference {
  /** The step index of the first digest that differs (-1: the initial state). */
  step: number;
  engineLine: string;
  cLine: string;
}

export interface Comparison {
  equal: boolean;
  /** Digests compared equal (all of them when `equal`). */
  digests: number;
  /** The step the engine refused (both sides were cut there), if any. */
  cutAt: number | null;
  diff: Difference | null;
  /** The C harness failed (exit code, stderr). */
  cError: string | null;
  /** The C's digest lines (the first is the initial state), for who reads values out of them. */
  cLines?: string[];
}

/**
 * Run `s` on the engine and on the C harness `bin` (fed `toLines` of the scenario, cut where the engine refused
 * a step: the C trusts its input) and compare the two digest streams line by line.
 */
export function compareWithHarness(bin: string, s: Scenario, toLines: (s: Scenario) => string): Comparison {
  const eng = engineLines(s);
  const steps = eng.cutAt === null ? s.steps : s.steps.slice(0, eng.cutAt);
  const c = runHarness(bin, toLines({ ...s, steps }));
  const n = Math.max(eng.lines.length, c.lines.length);
  for (let i = 0; i < n; i++) {
    const a = eng.lines[i];
    const b = c.lines[i];
    if (a === b) continue;
    const ja = a === undefined ? undefined : (JSON.parse(a) as unknown);
    const jb = b === undefined ? undefined : (JSON.parse(b) as unknown);
    // Equal values written differently (key order, number format): the text differs, no field does.
    const d = firstDiff(ja, jb) ?? { field: '(text)', engine: a, c: b };
    const diff = { step: i - 1, ...d, engineLine: a ?? '(none)', cLine: b ?? '(none)' };
    return { equal: false, digests: i, cutAt: eng.cutAt, diff, cError: c.error, cLines: c.lines };
  }
  return { equal: c.error === null, digests: n, cutAt: eng.cutAt, diff: null, cError: c.error, cLines: c.lines };
}

/** One report line (and, `verbose`, both digest lines) for a comparison. */
export function describeDiff(name: string, c: Comparison, verbose: boolean): string {
  const cut = c.cutAt === null ? '' : `, cut where the engine refused step ${c.cutAt}`;
  if (c.equal) return `${name}: equal (${c.digests} digests${cut})`;
  if (!c.diff) return `${name}: C harness failed after ${c.digests} equal digests${cut}: ${c.cError}`;
  const d = c.diff;
  const lines = [
    `${name}: differs at step ${d.step}, field ${d.field}: engine ${JSON.stringify(d.engine)} vs C ${JSON.stringify(d.c)}`,
  ];
  if (c.cError) lines.push(`  C: ${c.cError}`);
  if (verbose) lines.push(`  engine: ${d.engineLine}`, `  C:      ${d.cLine}`);
  return lines.join('\n');
}
