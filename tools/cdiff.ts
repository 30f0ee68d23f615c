/**
 * Differential harness for the OpenBSD pager (docs/cdiff.md): the real seed
 * uvm_vnode.c (the repo's public/seeds copy, or $PAGER_LAB_SEEDS/uvm_vnode.c), compiled
 * unmodified against a small fake kernel (tools/cdiff/openbsd/), runs the
 * same scenario as our engine, and the two digest streams are compared
 * digest by digest. `run` granularity only: a `step` step is turned into a
 * `run` (random schedules) or the scenario is skipped (library files).
 *
 *   npx tsx tools/cdiff.ts FILE.json...          compare these scenarios
 *   npx tsx tools/cdiff.ts --library             every OpenBSD scenario in scenarios/ without `step`
 *   npx tsx tools/cdiff.ts --random N [--seed S] N random run-only schedules (half disciplined)
 *   --length L                                   steps per random schedule (default 80)
 *   --big                                        random setups with more memory and longer files (clusters)
 *   --steps-as-run                               library scenarios with `step` steps too, each turned into `run`
 *   --verbose                                    print every difference in full
 *
 * Exit 0 when everything compared equal, 1 when something differed, 2 on a usage or build error.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { PagerEngine } from '../src/engine/engine';
import { chooseStep, prng, randomCaller, randomChoice } from '../src/engine/explore/random';
import type { Scenario, Setup, Step, VnodeSpec } from '../src/protocol/scenario';
import { parseScenario } from '../src/scenario/schema';
import {
  buildHarness,
  compareWithHarness,
  describeDiff,
  findSeed,
  REPO,
  stepsToRuns,
  type Comparison,
} from './cdiff-common';

// Shared with the FreeBSD harness; still importable from here, as test/cdiff-openbsd.test.ts does.
export { describeDiff, engineLines, hasGcc, REPO, stepsToRuns, type Comparison, type Difference } from './cdiff-common';

const HERE = dirname(fileURLToPath(import.meta.url));
const CDIR = join(HERE, 'cdiff', 'openbsd');

/** Where the seed lives: $PAGER_LAB_SEEDS, else the repo's copy (public/seeds, byte for byte shared/seeds). */
export function seedPath(): string | null {
  return findSeed('uvm_vnode.c');
}

/** The harness files call each other through harness.h: a missing declaration is an error, not a guess. */
export const C_CHECKS = ['-Werror=implicit-function-declaration', '-Werror=implicit-int'];

/** Compile the seed and the fake kernel; the binary's path. Throws with gcc's output on failure. */
export function buildCdiff(outDir = join(tmpdir(), `pager-lab-cdiff-${process.pid}`)): string {
  const seed = seedPath();
  if (!seed) throw new Error('seeds/uvm_vnode.c not found (set PAGER_LAB_SEEDS)');
  return buildHarness({
    seed,
    kernel: CDIR,
    bin: join(outDir, 'uvn-cdiff'),
    flags: ['-O1', '-g', '-w', '-fno-strict-aliasing'],
    kernelFlags: C_CHECKS,
  });
}

/** A scenario as the C harness reads it (kern.c's header comment). */
export function toLines(s: Pick<Scenario, 'machine' | 'vnodes' | 'steps'>): string {
  const out: string[] = [`phys ${s.machine?.physPages ?? 64}`];
  for (const v of s.vnodes)
    out.push(`vnode ${v.name} ${v.size} ${v.type ?? 'VREG'} ${v.mount ?? 'm1'} ${v.usecount ?? 1} ${v.vtext ? 1 : 0}`);
  out.push('go');
  for (const st of s.steps) {
    if ('spawn' in st) {
      const words = [`spawn ${st.spawn} ${st.call}`];
      for (const [k, v] of Object.entries(st.args)) {
        if (k === 'flags') words.push(`flags=${(v as string[]).join(',')}`);
        else if (k === 'shared') words.push(`shared=${v ? 1 : 0}`);
        else words.push(`${k}=${String(v)}`);
      }
      out.push(words.join(' '));
    } else if ('run' in st) out.push(`run ${st.run}`);
    else if ('complete' in st) out.push(`complete ${st.complete} ${st.result}`);
    else throw new Error(`the C harness runs no 'step' steps (${JSON.stringify(st)})`);
  }
  return out.join('\n') + '\n';
}

/** Compare engine and C on one run-only scenario. */
export function compareScenario(bin: string, s: Scenario): Comparison {
  return compareWithHarness(bin, s, toLines);
}

/** A random run-only schedule: the explorer's random caller, a `step` choice turned into a `run`. */
export function randomSchedule(seed: number, disciplined: boolean, length = 80, big = false): Scenario {
  const rand = prng(seed);
  // `big`: more memory and longer files, so that flushes build multi-page clusters (up to 16 pages).
  const sizes = big ? [8192, 40000, 65536, 90000, 131072, 200000] : [0, 1, 4096, 8192, 12288, 40000, 65536, 90000];
  const vnodes = Array.from({ length: 1 + Math.floor(rand() * 3) }, (_, i): VnodeSpec => ({
    name: `vn${i + 1}`,
    size: sizes[Math.floor(rand() * sizes.length)]!,
    type: rand() < 0.15 ? 'VBLK' : 'VREG',
    mount: rand() < 0.7 ? 'm1' : 'm2',
    usecount: Math.floor(rand() * 3),
    vtext: rand() < 0.1,
  }));
  // Now and then no free page at all: every allocation waits in uvm_wait until a page is freed.
  const physPages = seed % 16 === 5 ? 0 : 1 + Math.floor(rand() * (big ? 40 : 8));
  const setup: Setup = { pager: 'openbsd', machine: { physPages }, vnodes };
  const caller = randomCaller(setup, disciplined);
  const e = new PagerEngine(setup);
  const steps: Step[] = [];
  const apply = (step: Step): boolean => {
    if (e.apply(step) !== null) return false;
    caller.accepted(e, step);
    steps.push(step);
    return true;
  };
  if (big) {
    // A prefix that dirties a run of consecutive pages through a writeable mapping, so that flushes cluster.
    const vp = vnodes[0]!;
    const pages = Math.max(1, Math.floor(vp.size / 4096));
    if (apply({ spawn: 't0a', call: 'mmap', args: { vnode: vp.name, prot: 'rw', shared: false } }))
      apply({ run: 't0a' });
    const base = Math.floor(rand() * pages);
    const count = 1 + Math.floor(rand() * 8);
    for (let p = base; p < Math.min(pages, base + count) && !e.k.s.panic; p++) {
      const id = `t0f${p}`;
      if (!apply({ spawn: id, call: 'fault', args: { vnode: vp.name, offset: p * 4096, access: 'write' } })) break;
      apply({ run: id });
      const req = e.k.s.io.find((r) => r.thread === id);
      if (req) {
        apply({ complete: req.id, result: 'ok' });
        apply({ run: id });
      }
    }
  }
  for (let i = 0; i < length && !e.k.s.panic; i++) {
    let step = chooseStep(e, caller, randomChoice(rand));
    if ('step' in step) step = { run: step.step };
    if ('complete' in step && step.result.startsWith('short:') && rand() < 0.6) {
      // The explorer draws B uniformly below the length, so 0 (EIO in uvn_io) and page edges almost never
      // come up: bias towards them.
      const id = step.complete;
      const req = e.k.s.io.find((r) => r.id === id);
      if (req) {
        const edges = [0, 0, 1, 4095, 4096, 4097, req.length - 1].filter((b) => b >= 0 && b < req.length);
        step = { complete: id, result: `short:${edges[Math.floor(rand() * edges.length)]!}` };
      }
    }
    if (big && 'spawn' in step && rand() < 0.25) {
      // More writes to the disk: a write fault on the first vnode, or an msync of all of it.
      const vp = vnodes[0]!;
      const pages = Math.max(1, Math.ceil(vp.size / 4096));
      step =
        rand() < 0.5
          ? {
              spawn: step.spawn,
              call: 'fault',
              args: { vnode: vp.name, offset: Math.floor(rand() * pages) * 4096, access: 'write' },
            }
          : {
              spawn: step.spawn,
              call: 'uvn_flush',
              args: {
                vnode: vp.name,
                flags: rand() < 0.7 ? ['PGO_CLEANIT', 'PGO_SYNCIO'] : ['PGO_CLEANIT', 'PGO_SYNCIO', 'PGO_FREE'],
                start: 0,
                stop: vp.size,
              },
            };
    }
    if (big && !disciplined && 'spawn' in step && step.call === 'uvn_flush') {
      // The flags the explorer never passes: any PGO_* name of uvm_pager.h is a valid argument.
      const more = ['PGO_LOCKED', 'PGO_PDFREECLUST', 'PGO_REALLOCSWAP'].filter(() => rand() < 0.3);
      const flags = [...(step.args.flags as string[]), ...more];
      step = { ...step, args: { ...step.args, flags } };
    }
    apply(step);
  }
  return { format: 'pager-scenario/1', ...setup, steps };
}

/** The OpenBSD library scenarios in scenarios/ with no `step` step. */
export function libraryScenarios(): { file: string; scenario: Scenario }[] {
  const dir = join(REPO, 'scenarios');
  const out: { file: string; scenario: Scenario }[] = [];
  for (const f of readdirSync(dir).sort()) {
    if (!f.endsWith('.json')) continue;
    const parsed = parseScenario(readFileSync(join(dir, f), 'utf8'));
    if (!parsed.ok || parsed.scenario.pager !== 'openbsd') continue;
    if (parsed.scenario.steps.some((s) => 'step' in s)) continue;
    out.push({ file: join('scenarios', f), scenario: parsed.scenario });
  }
  return out;
}

/** The library scenarios that have `step` steps (not compared: `run` granularity only). */
export function libraryScenariosWithStep(): string[] {
  const dir = join(REPO, 'scenarios');
  return readdirSync(dir)
    .sort()
    .filter((f) => f.endsWith('.json'))
    .filter((f) => {
      const parsed = parseScenario(readFileSync(join(dir, f), 'utf8'));
      return parsed.ok && parsed.scenario.pager === 'openbsd' && parsed.scenario.steps.some((s) => 'step' in s);
    });
}

function main(argv: string[]): number {
  const verbose = argv.includes('--verbose');
  const files: string[] = [];
  let random = 0;
  let seed = 1;
  let library = false;
  let length = 80;
  let stepsAsRun = false;
  let big = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--verbose') continue;
    else if (a === '--library') library = true;
    else if (a === '--random') random = Number(argv[++i]);
    else if (a === '--seed') seed = Number(argv[++i]);
    else if (a === '--length') length = Number(argv[++i]);
    else if (a === '--steps-as-run') stepsAsRun = true;
    else if (a === '--big') big = true;
    else if (a.startsWith('--')) {
      process.stderr.write(`unknown option ${a}\n`);
      return 2;
    } else files.push(a);
  }
  let bin: string;
  try {
    bin = buildCdiff();
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n`);
    return 2;
  }
  let equal = 0;
  let differ = 0;
  const report = (name: string, c: Comparison) => {
    if (c.equal) equal++;
    else differ++;
    if (!c.equal || verbose || files.length > 0) process.stdout.write(describeDiff(name, c, verbose) + '\n');
  };
  const todo: { file: string; scenario: Scenario }[] = library ? libraryScenarios() : [];
  if (stepsAsRun)
    for (const f of libraryScenariosWithStep()) {
      const parsed = parseScenario(readFileSync(join(REPO, 'scenarios', f), 'utf8'));
      if (parsed.ok) todo.push({ file: `scenarios/${f} (step as run)`, scenario: stepsToRuns(parsed.scenario) });
    }
  for (const f of files) {
    const parsed = parseScenario(readFileSync(f, 'utf8'));
    if (!parsed.ok) {
      process.stderr.write(`${f}: not a valid scenario\n`);
      return 2;
    }
    todo.push({ file: f, scenario: parsed.scenario });
  }
  for (const { file, scenario } of todo) {
    if (scenario.steps.some((s) => 'step' in s)) {
      process.stdout.write(`${file}: skipped (has 'step' steps)\n`);
      continue;
    }
    report(file, compareScenario(bin, scenario));
  }
  for (let i = 0; i < random; i++) {
    const disciplined = i % 2 === 0;
    const s = randomSchedule(seed + i, disciplined, length, big);
    const c = compareScenario(bin, s);
    report(`random seed ${seed + i} ${disciplined ? 'disciplined' : 'chaotic'}`, c);
    if (!c.equal && verbose) process.stdout.write(`  scenario: ${JSON.stringify(s)}\n`);
  }
  process.stdout.write(`${equal} equal, ${differ} differ\n`);
  return differ === 0 ? 0 : 1;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href)
  process.exitCode = main(process.argv.slice(2));
