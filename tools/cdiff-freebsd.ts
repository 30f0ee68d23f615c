/**
 * Differential harness for the FreeBSD pager: runs a scenario through our engine and through the real seed
 * C (public/seeds/vnode_pager.c compiled unmodified with the fake kernel of tools/cdiff/freebsd/), digest by
 * digest, and prints the first step and field where they differ. See docs/cdiff-freebsd.md.
 *
 *   npx tsx tools/cdiff-freebsd.ts [--bin PATH] FILE.json...      library scenarios (or any FreeBSD scenario)
 *   npx tsx tools/cdiff-freebsd.ts --random N [--seed S] [--steps K] [--chaotic] [--big] [--race] [--show]
 *
 * Only `spawn`, `run` and `complete` are modelled: a `step` step becomes a `run` of the same thread, and
 * the engine runs the converted scenario too, so both sides see the same schedule.
 */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { PagerEngine } from '../src/engine/engine';
import type { Scenario, Setup, Step } from '../src/protocol/scenario';
import { parseScenario } from '../src/scenario/schema';
import { prng, randomChoice } from '../src/engine/explore/random';
import { buildHarness, compareWithHarness, describeDiff, findSeed, stepsToRuns, type Comparison } from './cdiff-common';
import { chooseStep, Mirror, setupArb } from './freebsd-property-gen';

const here = dirname(fileURLToPath(import.meta.url));
export const HARNESS_DIR = join(here, 'cdiff', 'freebsd');

/** Compile the seed vnode_pager.c and the fake kernel of HARNESS_DIR with gcc into `bin`; its path. */
export function buildFreebsdHarness(
  bin = join(tmpdir(), `pager-lab-cdiff-freebsd-${process.pid}`, 'cdiff-freebsd'),
): string {
  const seed = findSeed('vnode_pager.c');
  if (!seed) throw new Error('seeds/vnode_pager.c not found (set PAGER_LAB_SEEDS)');
  return buildHarness({
    seed,
    kernel: HARNESS_DIR,
    bin,
    flags: ['-std=gnu11', '-O1', '-g'],
    // The seed as it is, its warnings silenced; the fake kernel is ours and compiles clean with -Wall.
    seedFlags: ['-w', '-DSEED_TU'],
    kernelFlags: ['-Wall', '-Wno-unused-function', '-Wno-format-truncation'],
  });
}

/** The calls the C harness runs (every FreeBSD call of the contract). */
export const SUPPORTED_CALLS = new Set([
  'vref',
  'vrele',
  'vnode_create_vobject',
  'mmap',
  'munmap',
  'fault',
  'sendfile',
  'msync',
  'pageout',
  'haspage',
  'vnode_pager_setsize',
  'vgone',
]);

const PC_BITS: Record<string, number> = { OBJPC_SYNC: 1, OBJPC_INVAL: 2, OBJPC_NOSYNC: 4 };

function spawnLine(st: Extract<Step, { spawn: string }>): string {
  const a = st.args as Record<string, unknown>;
  const n = (k: string, d = 0) => String((a[k] as number | undefined) ?? d);
  const head = `spawn ${st.spawn} ${st.call}`;
  switch (st.call) {
    case 'vref':
    case 'vrele':
    case 'vnode_create_vobject':
    case 'vgone':
      return `${head} ${a.vnode}`;
    case 'mmap':
      return `${head} ${a.vnode} ${a.prot === 'rw' ? 1 : 0} ${a.shared ? 1 : 0} ${n('length')}`;
    case 'munmap':
      return `${head} ${a.mapping}`;
    case 'fault':
      return `${head} ${a.mapping} ${n('offset')} ${a.access === 'write' ? 1 : 0} ${n('behind')} ${n('ahead')}`;
    case 'sendfile':
      return `${head} ${a.vnode} ${n('offset')} ${n('length')} ${n('rahead')}`;
    case 'msync': {
      const flags = ((a.flags as string[]) ?? []).reduce((f, name) => f | (PC_BITS[name] ?? 0), 0);
      return `${head} ${a.vnode} ${flags} ${n('start')} ${n('end')}`;
    }
    case 'pageout':
    case 'haspage':
      return `${head} ${a.vnode} ${n('pindex')}`;
    case 'vnode_pager_setsize':
      return `${head} ${a.vnode} ${n('size')}`;
    default:
      throw new Error(`unsupported call ${st.call}`);
  }
}

/** The line format the C harness reads on stdin. */
export function toLines(s: Setup & { steps: Step[] }): string {
  const m = s.machine ?? {};
  const out = [`machine ${m.physPages ?? 64} ${m.pageoutFreeMin ?? 34} ${m.pbufs ?? 129} ${m.asyncPbufs ?? 128}`];
  const mounts = [...(s.mounts ?? [])];
  for (const v of s.vnodes) {
    const name = v.mount ?? 'm1';
    if (!mounts.some((x) => x.name === name)) mounts.push({ name });
  }
  for (const x of mounts)
    out.push(
      `mount ${x.name} ${x.iosize ?? 4096} ${x.sectorSize ?? 512} ${x.bmap === false ? 0 : 1} ${x.putpages === 'undirty' ? 1 : 0}`,
    );
  for (const v of s.vnodes) {
    const blocks = v.blocks ? `${v.blocks.length} ${v.blocks.join(' ')}` : '-1';
    out.push(`vnode ${v.name} ${v.size} ${v.mount ?? 'm1'} ${v.usecount ?? 1} ${v.vtext ? 1 : 0} ${blocks}`.trim());
  }
  out.push('go');
  for (const st of s.steps) {
    if ('spawn' in st) out.push(spawnLine(st));
    else if ('run' in st) out.push(`run ${st.run}`);
    else if ('complete' in st) out.push(`complete ${st.complete} ${st.result}`);
    else throw new Error('step steps are not supported: convert them with stepsToRuns');
  }
  return `${out.join('\n')}\n`;
}

/** Compare engine and C on one scenario, its `step` steps turned into `run`s on both sides. */
export function compare(bin: string, scenario: Scenario): Comparison {
  return compareWithHarness(bin, stepsToRuns(scenario), toLines);
}

/** Whether the harness can run this scenario (FreeBSD, known calls). */
export function supported(s: Scenario): boolean {
  return s.pager === 'freebsd' && s.steps.every((st) => !('spawn' in st) || SUPPORTED_CALLS.has(st.call));
}

// ---------------------------------------------------------------- random schedules

/** A random FreeBSD scenario from the property test's generators, `step`s turned into `run`s. */
export function randomScenario(seed: number, nsteps: number, disciplined = true, big = false): Scenario {
  let [setup] = fc.sample(setupArb, { seed, numRuns: 1 });
  const rand = prng(seed ^ 0x5eed);
  if (big) setup = bigger(setup!, rand);
  const e = new PagerEngine(setup!);
  const mirror = new Mirror(setup!);
  const steps: Step[] = [];
  let tries = 0;
  while (steps.length < nsteps && !e.k.s.panic && tries++ < nsteps * 20) {
    let st = chooseStep(e, mirror, disciplined, randomChoice(rand));
    if ('step' in st) st = { run: st.step };
    if (mirror.impossible(e, st)) continue;
    if (e.apply(st) !== null) continue;
    if ('spawn' in st) mirror.nextThread++;
    steps.push(st);
  }
  return { format: 'pager-scenario/1', ...setup!, steps } as Scenario;
}

/**
 * The property generator's files are at most 16 pages, too small for the MAXPHYS trimming of read-behind
 * and read-ahead (32 pages a buf): scale sizes up to about 150 pages, with more memory and a block map with
 * holes and runs that may break.
 */
function bigger(setup: Setup, rand: () => number): Setup {
  const machine = { ...setup.machine, physPages: 8 + Math.floor(rand() * 200) };
  const iosize = (m: string | undefined) => setup.mounts?.find((x) => x.name === (m ?? 'm1'))?.iosize ?? 4096;
  const vnodes = setup.vnodes.map((v) => {
    const size = Math.floor(rand() * 150 * 4096) + (rand() < 0.3 ? 0 : Math.floor(rand() * 4096));
    const out = { ...v, size };
    delete out.blocks;
    if (rand() < 0.5) {
      const io = iosize(v.mount);
      const n = Math.ceil(size / io);
      const blocks: number[] = [];
      for (let i = 0; i < n; i++) {
        const r = rand();
        const prev = blocks[i - 1];
        if (r < 0.08) blocks.push(-1);
        else if (r < 0.85 && prev !== undefined && prev >= 0) blocks.push(prev + io / 512);
        else blocks.push(Math.floor(rand() * 5000) * (io / 512));
      }
      out.blocks = blocks;
    }
    return out;
  });
  return { ...setup, machine, vnodes };
}

/**
 * A contention-heavy schedule: one vnode, few pages of memory and pbufs, every call aimed at it, so that
 * faults, sendfile reads, msync, pageout, truncation and vgone meet on the same object and pages.
 */
export function raceScenario(seed: number, nsteps: number): Scenario {
  const r = prng(seed);
  const pick = <T>(a: readonly T[]): T => a[Math.floor(r() * a.length)]!;
  const size = Math.floor(r() * 20 * 4096) + (r() < 0.5 ? 0 : 1000);
  const setup: Setup = {
    pager: 'freebsd',
    machine: {
      physPages: 1 + Math.floor(r() * 30),
      pageoutFreeMin: pick([0, 34]),
      pbufs: pick([1, 2, 129]),
      asyncPbufs: pick([0, 1, 128]),
    },
    mounts: [
      {
        name: 'm1',
        iosize: pick([512, 2048, 4096, 16384]),
        sectorSize: 512,
        bmap: r() < 0.85,
        putpages: pick(['generic', 'undirty'] as const),
      },
    ],
    vnodes: [{ name: 'vn1', size, usecount: 1 + Math.floor(r() * 2), vtext: r() < 0.5 }],
  };
  const e = new PagerEngine(setup);
  const mirror = new Mirror(setup);
  const steps: Step[] = [];
  const pages = Math.ceil(size / 4096) + 1;
  const calls = ['vnode_create_vobject', 'mmap', 'mmap', 'munmap', 'fault', 'fault', 'fault', 'sendfile', 'msync'];
  calls.push('pageout', 'vgone', 'vref', 'vrele', 'vnode_pager_setsize', 'haspage');
  for (let tries = 0; steps.length < nsteps && tries < nsteps * 30 && !e.k.s.panic; tries++) {
    const s = e.k.s;
    const ready = s.threads.filter((t) => t.status === 'ready');
    const k = r();
    let st: Step;
    if (k < 0.35 && ready.length > 0) st = { run: pick(ready).id };
    else if (k < 0.5 && s.io.length > 0) {
      const q = pick(s.io);
      const x = r();
      st = { complete: q.id, result: x < 0.7 ? 'ok' : x < 0.85 ? 'eio' : `short:${Math.floor(r() * q.length)}` };
    } else {
      const maps = mirror.mappings(e);
      const call = pick(calls);
      const spawn = `t${mirror.nextThread}`;
      const vnode = 'vn1';
      if ((call === 'munmap' || call === 'fault') && maps.length === 0) continue;
      switch (call) {
        case 'mmap':
          st = {
            spawn,
            call,
            args: { vnode, prot: pick(['r', 'rw']), shared: r() < 0.8, length: 4096 * (1 + Math.floor(r() * pages)) },
          };
          break;
        case 'munmap':
          st = { spawn, call, args: { mapping: pick(maps).id } };
          break;
        case 'fault': {
          const m = pick(maps);
          const offset = 4096 * Math.floor(r() * (m.length / 4096));
          const access = r() < 0.4 ? 'write' : 'read';
          st = {
            spawn,
            call,
            args: { mapping: m.id, offset, access, behind: Math.floor(r() * 8), ahead: Math.floor(r() * 40) },
          };
          break;
        }
        case 'sendfile':
          st = {
            spawn,
            call,
            args: {
              vnode,
              offset: 4096 * Math.floor(r() * pages),
              length: Math.floor(r() * size),
              rahead: Math.floor(r() * 10),
            },
          };
          break;
        case 'msync':
          st = {
            spawn,
            call,
            args: { vnode, flags: ['OBJPC_SYNC', 'OBJPC_INVAL', 'OBJPC_NOSYNC'].filter(() => r() < 0.4) },
          };
          break;
        case 'pageout':
        case 'haspage':
          st = { spawn, call, args: { vnode, pindex: Math.floor(r() * pages) } };
          break;
        case 'vnode_pager_setsize':
          st = { spawn, call, args: { vnode, size: Math.floor(r() * size * 1.3) } };
          break;
        default:
          st = { spawn, call, args: { vnode } };
      }
    }
    if (mirror.impossible(e, st)) continue;
    if (e.apply(st) !== null) continue;
    if ('spawn' in st) mirror.nextThread++;
    steps.push(st);
  }
  return { format: 'pager-scenario/1', ...setup, steps } as Scenario;
}

// ---------------------------------------------------------------- command line

/**
 * A scenario file's text; a challenge solution (`pager-solution/1`, test/fixtures/solutions) becomes the
 * scenario of its challenge's setup (challenges/NAME.json) and the solution's steps.
 */
export function scenarioText(file: string): string {
  const text = readFileSync(resolve(file), 'utf8');
  const doc = JSON.parse(text) as { format?: string; challenge?: string; steps?: unknown };
  if (doc.format !== 'pager-solution/1') return text;
  const challenge = JSON.parse(readFileSync(join(here, '..', 'challenges', `${doc.challenge}.json`), 'utf8')) as {
    setup: Record<string, unknown>;
  };
  return JSON.stringify({ format: 'pager-scenario/1', ...challenge.setup, steps: doc.steps });
}

function main(argv: string[]): number {
  let bin: string | null = null;
  let random = 0;
  let seed = 1;
  let nsteps = 40;
  let disciplined = true;
  let show = false;
  let big = false;
  let race = false;
  const files: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--bin') bin = argv[++i]!;
    else if (a === '--random') random = Number(argv[++i]);
    else if (a === '--seed') seed = Number(argv[++i]);
    else if (a === '--steps') nsteps = Number(argv[++i]);
    else if (a === '--chaotic') disciplined = false;
    else if (a === '--show') show = true;
    else if (a === '--big') big = true;
    else if (a === '--race') race = true;
    else files.push(a);
  }
  const built = bin === null;
  bin ??= buildFreebsdHarness();
  if (!existsSync(bin)) throw new Error(`no harness at ${bin}`);
  try {
    return compareAll(bin, files, { random, seed, nsteps, disciplined, show, big, race });
  } finally {
    if (built) rmSync(dirname(bin), { recursive: true, force: true });
  }
}

interface RandomOptions {
  random: number;
  seed: number;
  nsteps: number;
  disciplined: boolean;
  show: boolean;
  big: boolean;
  race: boolean;
}

/** Compare the scenario files, then `random` random schedules; prints a line for each and the totals. */
function compareAll(bin: string, files: string[], o: RandomOptions): number {
  const { random, seed, nsteps, disciplined, show, big, race } = o;
  let equal = 0;
  let differ = 0;
  let skipped = 0;
  for (const f of files) {
    const parsed = parseScenario(scenarioText(f));
    if (!parsed.ok) {
      console.log(`SKIP  ${f}: invalid`);
      skipped++;
      continue;
    }
    if (!supported(parsed.scenario)) {
      skipped++;
      continue;
    }
    const r = compare(bin, parsed.scenario);
    console.log(describeDiff(f, r, show));
    if (r.equal) equal++;
    else differ++;
  }
  for (let k = 0; k < random; k++) {
    const s = race ? raceScenario(seed + k, nsteps) : randomScenario(seed + k, nsteps, disciplined, big);
    const r = compare(bin, s);
    if (!r.equal || show) {
      console.log(describeDiff(`random seed ${seed + k}`, r, show));
      console.log(JSON.stringify({ ...s, steps: s.steps.slice(0, r.digests) }));
    }
    if (r.equal) equal++;
    else differ++;
  }
  console.log(`equal ${equal}, differ ${differ}, skipped ${skipped}`);
  return differ === 0 ? 0 : 1;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url))
  process.exit(main(process.argv.slice(2)));
