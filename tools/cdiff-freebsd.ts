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
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { PagerEngine } from '../src/engine/engine';
import { scenarioDigests } from '../src/engine/run-scenario';
import { stringifyDigest } from '../src/protocol/digest-json';
import type { Scenario, Setup, Step } from '../src/protocol/scenario';
import { parseScenario } from '../src/scenario/schema';
import { prng, randomChoice } from '../src/engine/explore/random';
import { chooseStep, Mirror, setupArb } from './freebsd-property-gen';

const here = dirname(fileURLToPath(import.meta.url));
export const HARNESS_DIR = join(here, 'cdiff', 'freebsd');

/** Build the C harness with gcc into `out`; returns its path. */
export function buildHarness(out = join(HARNESS_DIR, 'cdiff-freebsd')): string {
  execFileSync('sh', [join(HARNESS_DIR, 'build.sh'), out], { stdio: ['ignore', 'ignore', 'inherit'] });
  return out;
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

/**
 * `step` steps become `run`s: the harness works at `run` granularity. A converted step that the engine
 * then refuses (the thread already ran to its end or blocked) is dropped, as is any later `run` of a
 * thread that is not ready because of the conversion, so the rest of the scenario still compares.
 */
export function runGranular(s: Scenario): Scenario {
  if (!s.steps.some((st) => 'step' in st)) return s;
  const e = new PagerEngine(s);
  const steps: Step[] = [];
  for (const st of s.steps) {
    const conv: Step = 'step' in st ? { run: st.step } : st;
    const refused = e.apply(conv);
    if (refused === null) steps.push(conv);
    else if (!('run' in conv)) {
      // Keep it: the engine refuses it too, and both sides must stop there.
      steps.push(conv);
      break;
    }
  }
  return { ...s, steps };
}

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
    else throw new Error('step steps are not supported: convert them with runGranular');
  }
  return `${out.join('\n')}\n`;
}

export interface SideRun {
  digests: string[];
  /** Why it stopped early (an impossible step), if it did. */
  stopped: string | null;
}

export function engineRun(s: Scenario): SideRun {
  const r = scenarioDigests(s);
  return {
    digests: r.digests.map((d) => stringifyDigest(d)),
    stopped: r.refused ? `step ${r.refused.step}: ${r.refused.reason}` : null,
  };
}

export function cRun(bin: string, s: Scenario): SideRun {
  const p = spawnSync(bin, [], { input: toLines(s), encoding: 'utf8', maxBuffer: 1 << 28 });
  if (p.error) throw p.error;
  const digests = p.stdout.split('\n').filter((l) => l.length > 0);
  const stopped = p.status === 0 ? null : `exit ${p.status ?? p.signal}: ${p.stderr.trim()}`;
  return { digests, stopped };
}

/** The first path where two JSON values differ, with both values. */
export function firstDiff(a: unknown, b: unknown, path = ''): { path: string; engine: unknown; c: unknown } | null {
  if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object') {
    return JSON.stringify(a) === JSON.stringify(b) ? null : { path: path || '.', engine: a, c: b };
  }
  if (Array.isArray(a) !== Array.isArray(b)) return { path: path || '.', engine: a, c: b };
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    for (let i = 0; i < Math.max(a.length, bb.length); i++) {
      // Name array elements by their id where they have one.
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
    const d = firstDiff(ao[k], bo[k], `${path}.${k}`);
    if (d) return d;
  }
  return null;
}

export interface Comparison {
  equal: boolean;
  steps: number;
  /** The first differing digest: its step (-1 = initial state), field path, both values. */
  diff: { step: number; path: string; engine: unknown; c: unknown } | null;
  engine: SideRun;
  c: SideRun;
}

export function compare(bin: string, scenario: Scenario): Comparison {
  const s = runGranular(scenario);
  const engine = engineRun(s);
  const c = cRun(bin, s);
  const n = Math.max(engine.digests.length, c.digests.length);
  for (let i = 0; i < n; i++) {
    const e = engine.digests[i];
    const x = c.digests[i];
    if (e === x) continue;
    const ej = e === undefined ? undefined : (JSON.parse(e) as unknown);
    const xj = x === undefined ? undefined : (JSON.parse(x) as unknown);
    const d = firstDiff(ej, xj) ?? { path: '(text)', engine: e, c: x };
    return { equal: false, steps: i, diff: { step: i - 1, ...d }, engine, c };
  }
  return { equal: true, steps: n, diff: null, engine, c };
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

function report(name: string, r: Comparison): void {
  if (r.equal) {
    const tail = r.engine.stopped || r.c.stopped ? ` (stopped: engine ${r.engine.stopped}; C ${r.c.stopped})` : '';
    console.log(`EQUAL ${name}: ${r.steps} digests${tail}`);
    return;
  }
  const d = r.diff!;
  console.log(
    `DIFF  ${name}: step ${d.step} field ${d.path}: engine ${JSON.stringify(d.engine)} C ${JSON.stringify(d.c)}` +
      (r.c.stopped ? ` [C stopped: ${r.c.stopped}]` : '') +
      (r.engine.stopped ? ` [engine stopped: ${r.engine.stopped}]` : ''),
  );
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
  bin ??= buildHarness();
  if (!existsSync(bin)) throw new Error(`no harness at ${bin}`);
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
    report(f, r);
    if (r.equal) equal++;
    else differ++;
  }
  for (let k = 0; k < random; k++) {
    const s = race ? raceScenario(seed + k, nsteps) : randomScenario(seed + k, nsteps, disciplined, big);
    const r = compare(bin, s);
    if (!r.equal || show) {
      report(`random seed ${seed + k}`, r);
      if (show || !r.equal) console.log(JSON.stringify({ ...s, steps: s.steps.slice(0, r.steps) }));
    }
    if (r.equal) equal++;
    else differ++;
  }
  console.log(`equal ${equal}, differ ${differ}, skipped ${skipped}`);
  return differ === 0 ? 0 : 1;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url))
  process.exit(main(process.argv.slice(2)));
