/**
 * The FreeBSD property test's generators, checks and driver (test/freebsd-property.test.ts runs them; a
 * script can too, to replay a seed outside vitest): random setups (mounts with every iosize, sector size,
 * bmap and putpages, block maps with holes, few physical pages and pbufs) and random schedules of every
 * call, built against a live PagerEngine so most steps are possible and some deliberately are not.
 *
 * A choice is a few random numbers read against the state reached, so fast-check shrinks a failing run by
 * dropping choices and the rest still mean something; a failure prints the scenario so far as JSON.
 *
 * Two kinds of caller: a disciplined one acts as the kernel's real callers do (opens a file before
 * VOP_OPEN, mmap, sendfile, msync or truncate, closes only what it opened and nobody still uses); a chaotic
 * one calls anything the contract lets through (VOP_OPEN of a vnode nobody has open panics in
 * vnode_pager_alloc). Set PROPERTY_NO_PANIC=1 to make a disciplined panic fail and shrink.
 */
import fc from 'fast-check';
import { PagerEngine } from '../src/engine/engine';
import { OBJ_FLAG_INFO } from '../src/engine/freebsd/flags';
import { freebsdInvariants } from '../src/engine/freebsd/invariants';
import type { BsdKernel, BsdVnode } from '../src/engine/freebsd/state';
import type { FreeBsdDigest } from '../src/engine/freebsd/views';
import { SnapshotBuilder } from '../src/engine/view';
import type { MountSpec, Scenario, Setup, Step, VnodeSpec } from '../src/protocol/scenario';

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

export interface Choice {
  kind: number;
  a: number;
  b: number;
  c: number;
  d: number;
}

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
class Mirror {
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

function chooseStep(e: PagerEngine, mirror: Mirror, disciplined: boolean, ch: Choice): Step {
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

// ---------------------------------------------------------------- the digest, as the contract prints it

class Broken extends Error {}
function check(cond: unknown, what: string): asserts cond {
  if (!cond) throw new Broken(what);
}

const DIGEST_KEYS = ['step', 'panic', 'freePages', 'pbufs', 'asyncPbufs', 'threads', 'vnodes', 'objects', 'io'];
const THREAD_KEYS = ['id', 'call', 'status', 'wait', 'ret'];
const VNODE_KEYS = ['name', 'usecount', 'writecount', 'vflag', 'state', 'size', 'object'];
const OBJECT_KEYS = [
  'id',
  'vnode',
  'type',
  'flags',
  'ref_count',
  'paging_in_progress',
  'size',
  'vnp_size',
  'writemappings',
  'pages',
];
const PAGE_KEYS = ['pindex', 'valid', 'dirty', 'xbusy', 'sbusy', 'waiters', 'queue', 'mapped', 'writeable', 'modified'];
const IO_KEYS = ['id', 'thread', 'vnode', 'rw', 'offset', 'length', 'blkno', 'async'];
const SLEEPS = new Set(
  'vodead vadead vnpdea objtrm bovlbx vmopar vpcwai vmpfw pfault vmwait grbmaw wswbuf0'.split(' '),
);
const ERRNOS = new Set(['0', 'ENOENT', 'EINVAL', 'EBADF', 'EIO']);
const KERN = new Set(['KERN_SUCCESS', 'KERN_PROTECTION_FAILURE', 'KERN_FAILURE']);

const isUint = (n: unknown): n is number => typeof n === 'number' && Number.isSafeInteger(n) && n >= 0;
const keysAre = (o: object, keys: readonly string[], what: string) =>
  check(JSON.stringify(Object.keys(o)) === JSON.stringify(keys), `${what}: keys ${Object.keys(o).join(',')}`);

function checkRet(call: string, ret: unknown, where: string): void {
  switch (call) {
    case 'vnode_create_vobject':
    case 'sendfile':
      return check(typeof ret === 'string' && ERRNOS.has(ret), `${where}: ret ${JSON.stringify(ret)}`);
    case 'mmap':
      return check(
        typeof ret === 'string' && (/^obj[1-9]\d*$/.test(ret) || ERRNOS.has(ret)),
        `${where}: ret ${JSON.stringify(ret)}`,
      );
    case 'fault':
      return check(typeof ret === 'string' && KERN.has(ret), `${where}: ret ${JSON.stringify(ret)}`);
    case 'msync':
      return check(typeof ret === 'boolean', `${where}: ret ${JSON.stringify(ret)}`);
    case 'pageout':
      return check(ret === 0 || ret === 1, `${where}: ret ${JSON.stringify(ret)}`);
    case 'haspage':
      if (ret === null) return;
      check(typeof ret === 'object', `${where}: ret ${JSON.stringify(ret)}`);
      keysAre(ret, ['has', 'before', 'after'], `${where} ret`);
      {
        const r = ret as { has: unknown; before: unknown; after: unknown };
        return check(
          typeof r.has === 'boolean' && isUint(r.before) && isUint(r.after),
          `${where}: ret ${JSON.stringify(ret)}`,
        );
      }
    default:
      return check(ret === null, `${where}: ret ${JSON.stringify(ret)}`);
  }
}

/** The digest is exactly what the contract's "FreeBSD digest" section prints. */
export function checkDigest(d: FreeBsdDigest, setup: Setup, stepIndex: number): void {
  keysAre(d, DIGEST_KEYS, 'digest');
  check(d.step === stepIndex, `digest step ${d.step}, expected ${stepIndex}`);
  check(d.panic === null || (typeof d.panic === 'string' && d.panic.length > 0), 'panic');
  check(isUint(d.freePages) && isUint(d.pbufs) && isUint(d.asyncPbufs), 'counters');
  const vnodeNames = new Set(setup.vnodes.map((v) => v.name));
  const objectIds = new Set(d.objects.map((o) => o.id));
  const ioById = new Map(d.io.map((r) => [r.id, r]));
  const threadIds = new Set(d.threads.map((t) => t.id));
  check(threadIds.size === d.threads.length, 'thread ids unique');
  for (const t of d.threads) {
    keysAre(t, THREAD_KEYS, `thread ${t.id}`);
    const where = `thread ${t.id} (${t.call}) ${t.status} ${t.wait}`;
    switch (t.status) {
      case 'ready':
        check(t.wait === null && t.ret === null, where);
        break;
      case 'done':
        check(t.wait === null, where);
        checkRet(t.call, t.ret, where);
        break;
      case 'lock': {
        const m = /^(vmobjlock:obj([1-9]\d*)|vnlock:(.+))$/.exec(t.wait ?? '');
        check(m !== null && (m[2] !== undefined || vnodeNames.has(m[3]!)), `${where}: lock name`);
        check(t.ret === null, where);
        break;
      }
      case 'sleep':
        check(SLEEPS.has(t.wait ?? '') && t.ret === null, `${where}: wait message`);
        break;
      case 'io': {
        const m = /^io:([1-9]\d*)$/.exec(t.wait ?? '');
        check(m !== null && ioById.get(Number(m[1]))?.thread === t.id && t.ret === null, `${where}: request`);
        break;
      }
      default:
        check(false, `${where}: status`);
    }
  }
  check(d.vnodes.map((v) => v.name).join() === setup.vnodes.map((v) => v.name).join(), 'vnodes in scenario order');
  for (const v of d.vnodes) {
    keysAre(v, VNODE_KEYS, `vnode ${v.name}`);
    check(isUint(v.usecount) && isUint(v.writecount) && isUint(v.size), `${v.name} numbers`);
    check(v.vflag.length === 0 || (v.vflag.length === 1 && v.vflag[0] === 'VV_TEXT'), `${v.name} vflag`);
    check(['active', 'free', 'doomed'].includes(v.state), `${v.name} state ${v.state}`);
    check(v.object === null || objectIds.has(v.object), `${v.name} object ${v.object} not in objects[]`);
  }
  let lastId = 0;
  for (const o of d.objects) {
    keysAre(o, OBJECT_KEYS, `obj${o.id}`);
    check(isUint(o.id) && o.id > lastId, 'objects by ascending number');
    lastId = o.id;
    check(vnodeNames.has(o.vnode), `obj${o.id} vnode`);
    check(o.type === 'OBJT_VNODE' || o.type === 'OBJT_DEAD', `obj${o.id} type`);
    const order = OBJ_FLAG_INFO.map((f) => f.name);
    let last = -1;
    for (const f of o.flags) {
      check(order.indexOf(f) > last, `obj${o.id} flags ${o.flags.join('|')} not in ascending bit order`);
      last = order.indexOf(f);
    }
    for (const key of ['ref_count', 'paging_in_progress', 'size', 'vnp_size', 'writemappings'] as const)
      check(isUint(o[key]), `obj${o.id} ${key} ${o[key]}`);
    let lastPindex = -1;
    for (const p of o.pages) {
      keysAre(p, PAGE_KEYS, `obj${o.id}[${p.pindex}]`);
      check(isUint(p.pindex) && p.pindex > lastPindex, `obj${o.id} pages by ascending pindex`);
      lastPindex = p.pindex;
      check(isUint(p.valid) && p.valid <= 255 && isUint(p.dirty) && p.dirty <= 255, `obj${o.id}[${p.pindex}] bits`);
      check(isUint(p.sbusy) && typeof p.xbusy === 'boolean' && typeof p.waiters === 'boolean', 'busy');
      check(['active', 'inactive', 'none'].includes(p.queue), 'queue');
      check(
        [p.mapped, p.writeable, p.modified].every((b) => typeof b === 'boolean'),
        'pmap bools',
      );
    }
  }
  let lastIo = 0;
  for (const r of d.io) {
    keysAre(r, IO_KEYS, `io ${r.id}`);
    check(isUint(r.id) && r.id > lastIo, 'io by ascending id');
    lastIo = r.id;
    check(threadIds.has(r.thread) && vnodeNames.has(r.vnode), `io ${r.id} names`);
    check(r.rw === 'read' || r.rw === 'write', 'io rw');
    check(isUint(r.offset) && isUint(r.length) && r.length > 0, `io ${r.id} extent`);
    check(r.blkno === null || Number.isSafeInteger(r.blkno), `io ${r.id} blkno`);
    check(typeof r.async === 'boolean', `io ${r.id} async`);
  }
}

// ---------------------------------------------------------------- driving

export interface Run {
  steps: Step[];
  digests: string[];
  panic: string | null;
  refused: number;
}

export const scenarioOf = (setup: Setup, steps: readonly Step[]): Scenario => ({
  format: 'pager-scenario/1',
  ...setup,
  steps: [...steps],
});

export const stats = { runs: 0, steps: 0, refused: 0, panics: 0, io: 0, calls: new Map<string, number>() };
export const panics = new Map<string, number>();

export function drive(
  setup: Setup,
  choices: readonly Choice[],
  disciplined: boolean,
  onStep?: (step: Step) => void,
): Run {
  // Comparing the incremental view snapshot with a fresh one is the slow part: one run in three does it.
  const snapshots = choices.length % 3 === 0;
  const e = new PagerEngine(setup);
  const mirror = new Mirror(setup);
  const builder = new SnapshotBuilder(e.k, e.model);
  const memo: Record<string, unknown> = {};
  const steps: Step[] = [];
  const first = e.digest() as FreeBsdDigest;
  const digests = [JSON.stringify(first)];
  let refused = 0;
  let step: Step | null = null;
  try {
    checkDigest(first, setup, -1);
    check(freebsdInvariants(k(e), memo).length === 0, freebsdInvariants(k(e), memo).join('; '));
    builder.build(0);
    for (const ch of choices) {
      step = e.k.s.panic ? { run: e.k.s.threads[0]!.id } : chooseStep(e, mirror, disciplined, ch);
      onStep?.(step);
      const expectImpossible = mirror.impossible(e, step);
      const before = expectImpossible ? JSON.stringify(e.k.s) : '';
      const reason = e.apply(step);
      if (reason !== null) {
        refused++;
        check(expectImpossible, `refused a possible step: ${reason}`);
        check(reason.length > 0, 'a refusal without a reason');
        check(JSON.stringify(e.k.s) === before, 'a refused step changed the state');
        continue;
      }
      check(!expectImpossible, 'accepted an impossible step');
      if ('spawn' in step) {
        mirror.nextThread++;
        stats.calls.set(step.call, (stats.calls.get(step.call) ?? 0) + 1);
      }
      steps.push(step);
      const d = e.digest() as FreeBsdDigest;
      checkDigest(d, setup, steps.length - 1);
      digests.push(JSON.stringify(d));
      if (d.io.length > 0) stats.io++;
      const snap = builder.build(steps.length);
      if (snapshots)
        check(
          JSON.stringify(snap) === JSON.stringify(new SnapshotBuilder(e.k, e.model).build(steps.length)),
          'the incremental snapshot differs from a fresh one (a page change bypassed touch)',
        );
      if (process.env.PROPERTY_NO_PANIC && disciplined) check(!e.k.s.panic, `panic: ${e.k.s.panic?.message}`);
      if (!e.k.s.panic) {
        const broken = freebsdInvariants(k(e), memo);
        check(broken.length === 0, `invariants: ${broken.join('; ')}`);
      }
    }
  } catch (err) {
    const msg = err instanceof Error ? (err.stack ?? err.message) : String(err);
    throw new Error(
      `${msg}\n  at step ${JSON.stringify(step)}\n  scenario so far:\n${JSON.stringify(scenarioOf(setup, steps))}`,
      { cause: err },
    );
  }
  const p = e.k.s.panic;
  return { steps, digests, panic: p ? `${p.message} (in ${e.k.thread(p.thread)?.call})` : null, refused };
}

export function note(run: Run, disciplined: boolean): void {
  stats.runs++;
  stats.steps += run.steps.length;
  stats.refused += run.refused;
  if (!run.panic) return;
  stats.panics++;
  const key = `${disciplined ? 'disciplined' : 'chaotic'}: ${run.panic}`;
  panics.set(key, (panics.get(key) ?? 0) + 1);
}
