/**
 * The FreeBSD property test's generators: random setups (mounts with every iosize, sector size, bmap and
 * putpages, block maps with holes, few physical pages and pbufs) and, from a handful of random numbers read
 * against the live engine, the next step: mostly possible, sometimes deliberately impossible. A Mirror
 * keeps the contract's spawn-time preconditions from the outside, to know which steps must be refused.
 * In tools/ because a tool uses them too (the C differential harness's random schedules,
 * tools/cdiff-freebsd.ts) and a tool does not import from test/.
 *
 * Two kinds of caller: a disciplined one acts as the kernel's real callers do (opens a file before
 * VOP_OPEN, mmap, sendfile, msync or truncate, closes only what it opened and nobody still uses); a chaotic
 * one calls anything the contract lets through (VOP_OPEN of a vnode nobody has open panics in
 * vnode_pager_alloc).
 */
import fc from 'fast-check';
import type { PagerEngine } from '../src/engine/engine';
import type { Choice } from '../src/engine/explore/random';
import type { BsdKernel, BsdVnode } from '../src/engine/freebsd/state';
import type { MountSpec, Setup, Step, VnodeSpec } from '../src/protocol/scenario';

const PAGE = 4096;
const IOSIZES = [512, 1024, 2048, 4096, 8192, 16384, 32768, 65536];
const SECTORS = [512, 1024, 2048, 4096];

// ---------------------------------------------------------------- setups

export const mountArb = fc.record({
  iosize: fc.constantFrom(...IOSIZES),
  sectorSize: fc.constantFrom(...SECTORS),
  bmap: fc.constantFrom(true, true, true, false),
  putpages: fc.constantFrom<'generic' | 'undirty'>('generic', 'generic', 'undirty'),
});

export const sizeArb = fc.oneof(
  fc.nat(12).map((n) => n * PAGE),
  fc.nat(60_000),
  fc.constantFrom(0, 1, 511, 512, 4095, 4097, 40_000, 65_536, 65_537),
);

export const vnodeArb = fc.record({
  size: sizeArb,
  mount: fc.constantFrom('m1', 'm1', 'm2', 'm3'),
  usecount: fc.nat(2),
  vtext: fc.boolean(),
  /** A block map: none (every block present and contiguous), or one built from these numbers. */
  blocks: fc.option(fc.array(fc.integer({ min: -1, max: 40 }), { maxLength: 16 }), { freq: 2 }),
});

/** A block map of at most `nblocks` entries from `seed`: holes (-1), runs of contiguous blocks, odd addresses. */
export function blockMap(seed: readonly number[], nblocks: number, iosize: number): number[] {
  const step = iosize / 512;
  const out: number[] = [];
  for (let i = 0; i < Math.min(seed.length, nblocks); i++) {
    const n = seed[i]!;
    const prev = out[i - 1];
    if (n === -1 || n % 9 === 8) out.push(-1);
    else if (n % 3 !== 0 && prev !== undefined && prev >= 0) out.push(prev + step);
    else out.push(n % 2 ? n * step : n);
  }
  return out;
}

export const setupArb: fc.Arbitrary<Setup> = fc
  .record({
    physPages: fc.integer({ min: 1, max: 16 }),
    pageoutFreeMin: fc.constantFrom(0, 2, 8, 34),
    pbufs: fc.constantFrom(0, 1, 1, 2, 129),
    asyncPbufs: fc.constantFrom(0, 1, 1, 2, 128),
    mounts: fc.tuple(fc.option(mountArb), fc.option(mountArb)),
    vnodes: fc.array(vnodeArb, { minLength: 1, maxLength: 3 }),
  })
  .map(({ physPages, pageoutFreeMin, pbufs, asyncPbufs, mounts, vnodes }) => {
    const listed: MountSpec[] = [];
    mounts.forEach((m, i) => {
      if (m) listed.push({ name: `m${i + 1}`, ...m });
    });
    const iosize = (name: string) => listed.find((m) => m.name === name)?.iosize ?? 4096;
    return {
      pager: 'freebsd',
      machine: { physPages, pageoutFreeMin, pbufs, asyncPbufs },
      mounts: listed,
      vnodes: vnodes.map(({ blocks, ...v }, i): VnodeSpec => {
        const spec: VnodeSpec = { name: `vn${i + 1}`, ...v };
        if (blocks) spec.blocks = blockMap(blocks, Math.ceil(v.size / iosize(v.mount)), iosize(v.mount));
        return spec;
      }),
    };
  });

// ---------------------------------------------------------------- choosing steps

/** The explorer's random decision, drawn here by fast-check (`choiceArb`) instead of a PRNG. */
export type { Choice };

export const choiceArb: fc.Arbitrary<Choice> = fc.record({
  kind: fc.nat(99),
  a: fc.nat(),
  b: fc.nat(),
  c: fc.nat(),
  d: fc.nat(),
});

export const CALL_WEIGHTS: readonly (readonly [string, number])[] = [
  ['vref', 4],
  ['vrele', 4],
  ['vnode_create_vobject', 10],
  ['mmap', 10],
  ['munmap', 5],
  ['fault', 26],
  ['sendfile', 9],
  ['msync', 8],
  ['pageout', 5],
  ['haspage', 4],
  ['vnode_pager_setsize', 5],
  ['vgone', 3],
];
const CALL_TOTAL = CALL_WEIGHTS.reduce((n, [, w]) => n + w, 0);

function pickCall(n: number): string {
  let r = n % CALL_TOTAL;
  for (const [call, w] of CALL_WEIGHTS) {
    if (r < w) return call;
    r -= w;
  }
  return 'fault';
}

/** Calls a process makes through an open file descriptor. */
const USES_AN_OPEN = ['vnode_create_vobject', 'mmap', 'sendfile', 'msync', 'pageout', 'haspage', 'vnode_pager_setsize'];

const k = (e: PagerEngine) => e.k as BsdKernel;

/** The contract's spawn-time preconditions, mirrored from the outside (scenario-format.md, "FreeBSD calls"). */
export class Mirror {
  nextThread = 1;
  constructor(readonly setup: Setup) {}

  /** Opens of `vnode` a vrele may still close: initial usecount + done vrefs - vreles spawned. */
  opens(e: PagerEngine, vnode: string): number {
    const threads = e.k.s.threads.filter((t) => t.args.vnode === vnode);
    return (
      (this.setup.vnodes.find((v) => v.name === vnode)!.usecount ?? 1) +
      threads.filter((t) => t.call === 'vref' && t.status === 'done').length -
      threads.filter((t) => t.call === 'vrele').length
    );
  }

  /** Mappings a fault or munmap may name: done mmaps that returned an object and no munmap has named. */
  mappings(e: PagerEngine): { id: string; length: number; shared: boolean; prot: string }[] {
    const unmapped = new Set(e.k.s.threads.filter((t) => t.call === 'munmap').map((t) => t.args.mapping as string));
    return e.k.s.threads
      .filter((t) => t.call === 'mmap' && t.status === 'done' && /^obj\d+$/.test(String(t.ret)) && !unmapped.has(t.id))
      .map((t) => ({
        id: t.id,
        length: t.args.length as number,
        shared: t.args.shared as boolean,
        prot: t.args.prot as string,
      }));
  }

  impossible(e: PagerEngine, step: Step): boolean {
    const s = e.k.s;
    if (s.panic) return true;
    if ('spawn' in step) {
      if (s.threads.some((t) => t.id === step.spawn)) return true;
      const name = step.args.vnode as string | undefined;
      const vp = name === undefined ? undefined : (s.vnodes.find((v) => v.name === name) as BsdVnode);
      if (step.call === 'vref' || step.call === 'vgone') return vp!.doomed;
      if (step.call === 'vrele') return this.opens(e, name!) <= 0;
      if (step.call === 'fault' || step.call === 'munmap') {
        const map = this.mappings(e).find((m) => m.id === step.args.mapping);
        if (!map) return true;
        if (step.call === 'munmap')
          return s.threads.some((t) => t.call === 'fault' && t.args.mapping === map.id && t.status !== 'done');
        if ((step.args.offset as number) >= map.length) return true;
        return step.args.access === 'write' && !map.shared && map.prot === 'rw';
      }
      return false;
    }
    if ('run' in step || 'step' in step) {
      const th = s.threads.find((t) => t.id === ('run' in step ? step.run : step.step));
      return !th || th.status !== 'ready';
    }
    const req = s.io.find((r) => r.id === step.complete);
    if (!req) return true;
    if (step.result.startsWith('short:') && !(Number(step.result.slice(6)) < req.length)) return true;
    // An asynchronous read's completion cannot wait for the object lock a stepped thread holds.
    if (req.iodone !== null) {
      const vp = k(e).vnode(req.vnode);
      const lock = vp.v_object === null ? undefined : s.locks[`vmobjlock:obj${vp.v_object}`];
      if (lock && (lock.owner !== null || lock.shared.length > 0)) return true;
    }
    return false;
  }

  pending(e: PagerEngine, vnode: string, calls: readonly string[]): number {
    return e.k.s.threads.filter((t) => t.status !== 'done' && t.args.vnode === vnode && calls.includes(t.call)).length;
  }
}

/** A vnode a disciplined caller may use for `call` now, or null. */
function disciplinedVnode(e: PagerEngine, mirror: Mirror, call: string, pick: number): BsdVnode | null {
  const fits = (k(e).s.vnodes as BsdVnode[]).filter((v) => {
    const open = mirror.opens(e, v.name) - mirror.pending(e, v.name, ['vrele']);
    if (USES_AN_OPEN.includes(call)) return open > 0;
    // Close an open that has happened, while no call that needs it runs.
    if (call === 'vrele') return open > 0 && mirror.pending(e, v.name, [...USES_AN_OPEN, 'vref']) === 0;
    if (call === 'vref' || call === 'vgone') return !v.doomed;
    return true;
  });
  return fits.length > 0 ? fits[pick % fits.length]! : null;
}

function spawnStep(e: PagerEngine, mirror: Mirror, disciplined: boolean, ch: Choice): Step {
  const vnodes = k(e).s.vnodes as BsdVnode[];
  let call = pickCall(ch.a);
  let vp = vnodes[ch.b % vnodes.length]!;
  const maps = mirror.mappings(e);
  if ((call === 'fault' || call === 'munmap') && maps.length === 0) call = 'mmap';
  if (disciplined && call !== 'fault' && call !== 'munmap') {
    // Fall back on what a process can always do: open a file, then use it.
    for (const c of [call, 'vref', 'vnode_create_vobject', 'mmap']) {
      const fit = disciplinedVnode(e, mirror, c, ch.b);
      if (fit) {
        call = c;
        vp = fit;
        break;
      }
    }
  } else if (call === 'vgone' || call === 'vref') {
    const alive = vnodes.filter((v) => !v.doomed);
    if (alive.length > 0) vp = alive[ch.b % alive.length]!;
  }
  const id = `t${mirror.nextThread}`;
  const vnode = vp.name;
  const pages = Math.ceil(vp.size / PAGE) + 1;
  switch (call) {
    case 'mmap': {
      const length = PAGE * (1 + (ch.c % (pages + 1)));
      return { spawn: id, call, args: { vnode, prot: ch.d % 3 ? 'rw' : 'r', shared: ch.d % 5 !== 0, length } };
    }
    case 'munmap':
    case 'fault': {
      const map = maps[ch.b % maps.length]!;
      if (call === 'munmap') return { spawn: id, call, args: { mapping: map.id } };
      const mpages = map.length / PAGE;
      const write = ch.d % 3 === 0 && (disciplined ? map.shared || map.prot === 'r' : true);
      const args: Record<string, unknown> = {
        mapping: map.id,
        offset: PAGE * (ch.c % (disciplined ? mpages : mpages + 1)),
        access: write ? 'write' : 'read',
      };
      if ((ch.d >> 2) % 3 !== 0) args.behind = (ch.d >> 4) % 10;
      if ((ch.d >> 6) % 3 !== 0) args.ahead = (ch.d >> 8) % 40;
      return { spawn: id, call, args };
    }
    case 'sendfile': {
      const args: Record<string, unknown> = {
        vnode,
        offset: PAGE * (ch.c % pages),
        length: (ch.d >> 3) % (vp.size + 2),
      };
      if (ch.d % 4 === 0) args.length = 0;
      if (ch.d % 3 !== 0) args.rahead = (ch.c >> 4) % 40;
      return { spawn: id, call, args };
    }
    case 'msync': {
      const names = ['OBJPC_SYNC', 'OBJPC_INVAL', 'OBJPC_NOSYNC'];
      const flags = names.filter((_, i) => (ch.c >> i) & 1);
      const args: Record<string, unknown> = { vnode, flags };
      if ((ch.c >> 3) % 3 === 1) args.start = PAGE * ((ch.d >> 2) % pages);
      if ((ch.c >> 3) % 3 === 2) {
        args.start = (ch.d >> 2) % (vp.size + 1);
        args.end = (ch.d >> 10) % (vp.size + PAGE);
      }
      return { spawn: id, call, args };
    }
    case 'pageout':
    case 'haspage':
      return { spawn: id, call, args: { vnode, pindex: ch.c % (pages + 1) } };
    case 'vnode_pager_setsize': {
      const options = [0, vp.size, vp.size + 1 + (ch.d % 9000), ch.d % (vp.size + 1), PAGE * (ch.d % pages)];
      return { spawn: id, call, args: { vnode, size: options[ch.c % options.length]! } };
    }
    default:
      return { spawn: id, call, args: { vnode } };
  }
}

/** A step the contract makes impossible here (valid by the schema; never applied). */
function impossibleStep(e: PagerEngine, mirror: Mirror, ch: Choice): Step {
  const s = e.k.s;
  const stuck = s.threads.filter((t) => t.status !== 'ready');
  const id = `t${mirror.nextThread}`;
  switch (ch.a % 6) {
    case 0:
      if (stuck.length > 0) {
        const t = stuck[ch.b % stuck.length]!;
        return ch.c % 2 ? { run: t.id } : { step: t.id };
      }
      return { complete: s.nextIoId, result: 'ok' };
    case 1: {
      const req = s.io[ch.b % Math.max(1, s.io.length)];
      return req ? { complete: req.id, result: `short:${req.length + (ch.c % 3)}` } : { complete: 99, result: 'eio' };
    }
    case 2: {
      const drained = s.vnodes.find((v) => mirror.opens(e, v.name) <= 0);
      if (drained) return { spawn: id, call: 'vrele', args: { vnode: drained.name } };
      return { complete: s.nextIoId + 1, result: 'ok' };
    }
    case 3: {
      const doomed = (s.vnodes as BsdVnode[]).find((v) => v.doomed);
      if (doomed) return { spawn: id, call: ch.b % 2 ? 'vref' : 'vgone', args: { vnode: doomed.name } };
      return { spawn: id, call: 'fault', args: { mapping: s.threads[0]?.id ?? 'x', offset: 0, access: 'read' } };
    }
    case 4: {
      const map = mirror.mappings(e)[0];
      if (map) return { spawn: id, call: 'fault', args: { mapping: map.id, offset: map.length, access: 'read' } };
      const t = s.threads.find((x) => x.call !== 'mmap');
      if (t) return { spawn: id, call: 'munmap', args: { mapping: t.id } };
      return { run: 'nobody' };
    }
    default:
      if (s.threads.length > 0)
        return { spawn: s.threads[ch.b % s.threads.length]!.id, call: 'vref', args: { vnode: 'vn1' } };
      return { complete: 1, result: 'ok' };
  }
}

export function chooseStep(e: PagerEngine, mirror: Mirror, disciplined: boolean, ch: Choice): Step {
  const s = e.k.s;
  const ready = s.threads.filter((t) => t.status === 'ready');
  if (ch.kind < 6) return impossibleStep(e, mirror, ch);
  if (ch.kind < 38 && ready.length > 0) return { run: ready[ch.a % ready.length]!.id };
  if (ch.kind < 48 && ready.length > 0) return { step: ready[ch.a % ready.length]!.id };
  if (ch.kind < 66 && s.io.length > 0) {
    const req = s.io[ch.a % s.io.length]!;
    const r = ch.b % 20;
    return { complete: req.id, result: r < 13 ? 'ok' : r < 17 ? 'eio' : `short:${ch.c % req.length}` };
  }
  return spawnStep(e, mirror, disciplined, ch);
}
