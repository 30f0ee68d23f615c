/**
 * Property tests of the engine: thousands of random step sequences, each built
 * against a live PagerEngine so that most steps are possible (run a ready
 * thread, complete a request in flight) and some are deliberately impossible.
 * After every step: the digest is well-formed as scenario-format.md fixes it,
 * and, unless the kernel has panicked, the kernel's own invariants hold.
 * Then: the same steps replayed give the same digests; a Session forked after
 * seeking back equals a fresh run; applyDelta(diffSnapshots(a, b)) equals b.
 *
 * A choice is a handful of random numbers read against the state reached, so
 * fast-check shrinks a failing sequence by dropping choices and the rest still
 * mean something. A failure prints the minimal scenario as JSON.
 *
 * Two kinds of caller: a chaotic one calls anything on any vnode (the caller
 * bugs the contract lets through: detach without a reference, mmap of a file
 * nobody has open...), and most such runs end in a panic; a disciplined one
 * behaves like the kernel's real callers and, so far, never panics. Set
 * PROPERTY_NO_PANIC=1 to make a disciplined panic fail and shrink to a scenario.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PagerEngine } from '../src/engine/engine';
import type { KernelState } from '../src/engine/kernel/types';
import { PG_INFO, UVN_FLAG_INFO } from '../src/engine/openbsd/flags';
import type { UvmState, UvmVnode } from '../src/engine/openbsd/state';
import type { OpenBsdDigest } from '../src/engine/openbsd/views';
import { scenarioDigests } from '../src/engine/run-scenario';
import { Session } from '../src/engine/session';
import { SnapshotBuilder } from '../src/engine/view';
import { applyDelta, diffSnapshots } from '../src/protocol/delta';
import type { FlagInfo } from '../src/protocol/profile';
import type { Scenario, Setup, Step, VnodeSpec } from '../src/protocol/scenario';
import type { PageView, ThreadView, ViewSnapshot } from '../src/protocol/snapshot';
import { parseScenario } from '../src/scenario/schema';

type CallName = string;
type Vnode = UvmVnode;
type Digest = OpenBsdDigest;

/** The OpenBSD kernel state with its pager part flattened in (reads only). */
function S(e: PagerEngine) {
  const s = e.k.s as KernelState<UvmState, UvmVnode>;
  return { ...s, ...s.pager };
}

const PAGE = 4096;

// ---------------------------------------------------------------- generators

interface Choice {
  kind: number;
  a: number;
  b: number;
  c: number;
  d: number;
}

const choiceArb: fc.Arbitrary<Choice> = fc.record({
  kind: fc.nat(99),
  a: fc.nat(),
  b: fc.nat(),
  c: fc.nat(),
  d: fc.nat(),
});

const sizeArb = fc.oneof(
  fc.nat(12).map((n) => n * PAGE),
  fc.nat(60_000),
  fc.constantFrom(0, 1, 511, 4095, 4097, 65_536, 65_537, 73_728 + 100),
);

const vnodeArb = fc.record({
  size: sizeArb,
  type: fc.constantFrom<'VREG' | 'VBLK'>('VREG', 'VREG', 'VBLK'),
  mount: fc.constantFrom('m1', 'm2'),
  usecount: fc.nat(2),
  vtext: fc.boolean(),
});

const setupArb: fc.Arbitrary<Setup> = fc
  .record({ physPages: fc.integer({ min: 1, max: 12 }), vnodes: fc.array(vnodeArb, { minLength: 1, maxLength: 3 }) })
  .map(({ physPages, vnodes }) => ({
    pager: 'openbsd',
    machine: { physPages },
    vnodes: vnodes.map((v, i): VnodeSpec => ({ name: `vn${i + 1}`, ...v })),
  }));

/** Calls, weighted: faults and flushes do most of the paging. */
const CALL_WEIGHTS: readonly (readonly [CallName, number])[] = [
  ['uvn_attach', 12],
  ['mmap', 6],
  ['fault', 26],
  ['uvn_flush', 16],
  ['uvn_reference', 3],
  ['uvn_detach', 6],
  ['uvm_vnp_terminate', 3],
  ['uvm_vnp_uncache', 4],
  ['uvm_vnp_setsize', 4],
  ['uvm_vnp_sync', 6],
  ['vref', 3],
  ['vrele', 3],
  ['recycle', 3],
  ['revoke', 2],
];
const CALL_TOTAL = CALL_WEIGHTS.reduce((n, [, w]) => n + w, 0);

const FLUSH_FLAGS = [
  'PGO_CLEANIT',
  'PGO_SYNCIO',
  'PGO_FREE',
  'PGO_DEACTIVATE',
  'PGO_ALLPAGES',
  'PGO_DOACTCLUST',
  'PGO_NOWAIT',
] as const;

/** uvm_map_clean's flags: msync (MS_SYNC or forced-sync MS_ASYNC, with or without MS_INVALIDATE), madvise. */
const MAP_CLEAN_FLAGS: readonly (readonly string[])[] = [
  ['PGO_CLEANIT', 'PGO_SYNCIO'],
  ['PGO_CLEANIT', 'PGO_SYNCIO', 'PGO_FREE'],
  ['PGO_DEACTIVATE'],
  ['PGO_FREE'],
];

function pickCall(n: number): CallName {
  let r = n % CALL_TOTAL;
  for (const [call, w] of CALL_WEIGHTS) {
    if (r < w) return call;
    r -= w;
  }
  return 'fault';
}

/** A byte count near `size`: page multiples, odd sizes, zero. */
function sizeNear(size: number, n: number): number {
  const pages = Math.ceil(size / PAGE) + 2;
  switch (n % 4) {
    case 0:
      return (n >> 2) % pages === 0 ? 0 : ((n >> 2) % pages) * PAGE;
    case 1:
      return (n >> 2) % (size + PAGE + 1);
    case 2:
      return size;
    default:
      return Math.max(0, size - 1 - ((n >> 2) % PAGE));
  }
}

/**
 * The contract's spawn preconditions and the engine's user-open count, mirrored; and, for a disciplined run,
 * what a well-behaved caller knows: the mappings it holds (attach or uvn_reference done, detach not yet spawned).
 */
class Model {
  readonly opens = new Map<string, number>();
  readonly mappings = new Map<string, number>();
  private readonly counted = new Set<string>();
  nextThread = 1;
  constructor(
    setup: Setup,
    readonly disciplined: boolean,
  ) {
    for (const v of setup.vnodes) {
      this.opens.set(v.name, v.usecount ?? 1);
      this.mappings.set(v.name, 0);
    }
  }

  /** Whether the contract makes `step` impossible in the engine's current state. */
  impossible(e: PagerEngine, step: Step): boolean {
    const s = S(e);
    if (s.panic) return true;
    if ('spawn' in step) {
      if (s.threads.some((t) => t.id === step.spawn)) return true;
      const name = step.args.vnode;
      if (typeof name !== 'string') return false;
      const vp = s.vnodes.find((v) => v.name === name);
      if (!vp) return true;
      if (vp.state === 'reclaimed') return true;
      if (step.call === 'vref' && vp.state === 'dead') return true;
      if (step.call === 'recycle' && vp.state !== 'free') return true;
      if (step.call === 'revoke' && vp.state !== 'active') return true;
      if (step.call === 'vrele' && this.opens.get(name) === 0) return true;
      return false;
    }
    if ('run' in step || 'step' in step) {
      const id = 'run' in step ? step.run : step.step;
      const th = s.threads.find((t) => t.id === id);
      return !th || th.status !== 'ready';
    }
    const req = s.io.find((r) => r.id === step.complete);
    if (!req) return true;
    if (step.result.startsWith('short:')) return !(Number(step.result.slice(6)) < req.length);
    return false;
  }

  accepted(e: PagerEngine, step: Step): void {
    for (const t of e.k.s.threads) {
      if (t.status !== 'done' || this.counted.has(t.id)) continue;
      this.counted.add(t.id);
      const name = t.args.vnode as string;
      if (((t.call === 'uvn_attach' || t.call === 'mmap') && t.ret === 'obj') || t.call === 'uvn_reference')
        this.mappings.set(name, this.mappings.get(name)! + 1);
    }
    if (!('spawn' in step)) return;
    this.nextThread++;
    const name = step.args.vnode;
    if (typeof name !== 'string') return;
    if (step.call === 'vref') this.opens.set(name, this.opens.get(name)! + 1);
    if (step.call === 'vrele') this.opens.set(name, this.opens.get(name)! - 1);
    if (step.call === 'uvn_detach') this.mappings.set(name, this.mappings.get(name)! - 1);
  }

  /** Unfinished threads running one of `calls` on `vnode`. */
  pending(e: PagerEngine, vnode: string, calls: readonly string[]): number {
    return e.k.s.threads.filter((t) => t.status !== 'done' && t.args.vnode === vnode && calls.includes(t.call)).length;
  }
}

const MAPPING_USERS = ['fault', 'uvn_flush', 'uvn_reference'];
const NEEDS_A_REFERENCE = ['uvn_attach', 'mmap', 'uvm_vnp_uncache', 'uvm_vnp_setsize', 'vref'];

/**
 * A disciplined caller: mmap, unlink or truncate only a file some process has open (and nobody is closing),
 * fault, msync, fork or munmap only through a mapping it holds, never munmap a mapping another thread is using,
 * never close a file one of those is still using, or an open still to happen. Null when `call` has no fitting vnode now.
 */
function disciplinedVnode(e: PagerEngine, model: Model, call: CallName, pick: number): Vnode | null {
  const s = S(e);
  const fits = s.vnodes.filter((v) => {
    const mapped = model.mappings.get(v.name)!;
    switch (call) {
      case 'uvn_attach':
      case 'mmap':
      case 'uvm_vnp_uncache':
      case 'uvm_vnp_setsize':
        // mmap needs an open file; unlink and truncate hold a reference to the vnode. (A usecount held by the uvn
        // alone does not do: munmap may drop it first.)
        return (
          model.opens.get(v.name)! - model.pending(e, v.name, ['vref']) > 0 && model.pending(e, v.name, ['vrele']) === 0
        );
      case 'vrele':
        // Close only an open that has happened (a vref still to run opens nothing yet), and not under a caller
        // that needs the vnode referenced.
        return model.opens.get(v.name)! > 0 && model.pending(e, v.name, NEEDS_A_REFERENCE) === 0;
      case 'fault':
      case 'uvn_flush':
      case 'uvn_reference':
        return mapped > 0;
      case 'uvn_detach':
        return mapped > (model.pending(e, v.name, MAPPING_USERS) > 0 ? 1 : 0);
      case 'vref':
        return v.state === 'active' || v.state === 'free';
      default:
        return true;
    }
  });
  return fits.length > 0 ? fits[pick % fits.length]! : null;
}

function spawnStep(e: PagerEngine, setup: Setup, model: Model, ch: Choice): Step {
  const s = S(e);
  let call = pickCall(ch.a);
  let vp = s.vnodes[ch.b % s.vnodes.length]!;
  if (model.disciplined) {
    // Fall back on what a caller can always do: open a file, mmap it, sync.
    let fit: Vnode | null = null;
    for (const c of [call, 'mmap', 'vref', 'uvm_vnp_sync'] as const) {
      call = c;
      fit = disciplinedVnode(e, model, c, ch.b);
      if (fit) break;
    }
    vp = fit ?? vp;
  }
  const id = `t${model.nextThread}`;
  const span = Math.max(vp.size, vp.uvn.size);
  const pages = Math.ceil(span / PAGE) + 1;
  const vnode = vp.name;
  /** Mostly a vnode some process has open (mmap needs an open file); sometimes any, a caller bug. */
  const opened = (c: Choice): string => {
    if (model.disciplined) return vnode;
    const open = s.vnodes.filter((v) => v.usecount > 0);
    return open.length > 0 && c.d % 8 !== 0 ? open[(c.d >> 3) % open.length]!.name : vnode;
  };
  /** Mostly a uvn that holds a reference; sometimes any, a caller bug. */
  const referenced = (c: Choice): Vnode => {
    if (model.disciplined) return vp;
    const withRef = s.vnodes.filter((v) => v.uvn.refs > 0);
    return withRef.length > 0 && c.c % 8 !== 0 ? withRef[(c.c >> 3) % withRef.length]! : vp;
  };
  switch (call) {
    case 'uvn_attach':
      // No real caller attaches writeable without uvm_vnp_uncache after (exec maps read-only; mmap is below): a
      // bare writeable attach can leave a persisting uvn on uvn_wlist, which uvm_vnp_sync vrefs even when free.
      return {
        spawn: id,
        call,
        args: { vnode: opened(ch), prot: model.disciplined || ch.c % 3 === 0 ? 'r' : 'rw' },
      };
    case 'mmap':
      return { spawn: id, call, args: { vnode: opened(ch), prot: ch.c % 2 ? 'r' : 'rw', shared: ch.d % 2 === 0 } };
    case 'fault': {
      // Mostly through a mapping (the uvn holds a reference); sometimes the caller bug of an unreferenced fault.
      const target = referenced(ch);
      const extent = Math.max(target.size, target.uvn.size);
      const offset = (ch.c % (Math.ceil(extent / PAGE) + 1)) * PAGE;
      return { spawn: id, call, args: { vnode: target.name, offset, access: ch.d % 3 === 0 ? 'write' : 'read' } };
    }
    case 'uvn_flush': {
      // A disciplined caller passes what uvm_map_clean does (msync, madvise); others, any distinct subset.
      const flags = model.disciplined
        ? [...MAP_CLEAN_FLAGS[ch.c % MAP_CLEAN_FLAGS.length]!]
        : FLUSH_FLAGS.filter((_, i) => (ch.c >> i) & 1);
      if ((ch.c >> 8) & 1) flags.reverse();
      const args: Record<string, unknown> = { vnode, flags };
      const mode = (ch.d >> 4) % 4;
      if (mode !== 0) args.start = mode === 1 ? (ch.d % pages) * PAGE : ch.d % (span + 1);
      if (mode >= 2) args.stop = mode === 2 ? ((ch.d >> 8) % (pages + 1)) * PAGE : 0;
      return { spawn: id, call, args };
    }
    case 'uvm_vnp_setsize':
      return { spawn: id, call, args: { vnode, size: sizeNear(vp.size, ch.c) } };
    case 'uvm_vnp_sync': {
      const mounts = [...new Set(setup.vnodes.map((v) => v.mount ?? 'm1'))].sort();
      const pick = ch.c % (mounts.length + 1);
      return { spawn: id, call, args: pick === mounts.length ? {} : { mount: mounts[pick]! } };
    }
    case 'uvn_detach':
    case 'uvn_reference':
      return { spawn: id, call, args: { vnode: referenced(ch).name } };
    case 'recycle': {
      const free = s.vnodes.filter((v) => v.state === 'free');
      const target = free.length > 0 ? free[ch.c % free.length]! : vp;
      return { spawn: id, call, args: { vnode: target.name } };
    }
    default:
      return { spawn: id, call, args: { vnode } };
  }
}

/** A step the contract makes impossible here (schema-valid or not; never applied). */
function impossibleStep(e: PagerEngine, model: Model, ch: Choice): Step {
  const s = S(e);
  const stuck = s.threads.filter((t) => t.status !== 'ready');
  switch (ch.a % 6) {
    case 0:
      if (stuck.length > 0) {
        const t = stuck[ch.b % stuck.length]!;
        return ch.c % 2 ? { run: t.id } : { step: t.id };
      }
      return { run: `t${model.nextThread + 5}` };
    case 1:
      return { complete: s.nextIoId + (ch.b % 3), result: 'ok' };
    case 2: {
      const done = s.nextIoId > 1 ? 1 + (ch.b % (s.nextIoId - 1)) : 1;
      if (s.io.some((r) => r.id === done)) {
        const req = s.io.find((r) => r.id === done)!;
        return { complete: done, result: `short:${req.length + (ch.c % 3)}` };
      }
      return { complete: done, result: 'eio' };
    }
    case 3:
      if (s.threads.length > 0)
        return { spawn: s.threads[ch.b % s.threads.length]!.id, call: 'vref', args: { vnode: s.vnodes[0]!.name } };
      return { complete: 7, result: 'ok' };
    case 4: {
      const notFree = s.vnodes.find((v) => v.state !== 'free');
      if (notFree) return { spawn: `t${model.nextThread}`, call: 'recycle', args: { vnode: notFree.name } };
      return { spawn: `t${model.nextThread}`, call: 'revoke', args: { vnode: s.vnodes[0]!.name } };
    }
    default: {
      const drained = [...model.opens.entries()].find(([, n]) => n === 0);
      if (drained) return { spawn: `t${model.nextThread}`, call: 'vrele', args: { vnode: drained[0] } };
      return { complete: 0x7fff_0000, result: 'ok' };
    }
  }
}

/** Read one choice against the live state: mostly a possible step. */
function chooseStep(e: PagerEngine, setup: Setup, model: Model, ch: Choice): Step {
  const s = S(e);
  const ready = s.threads.filter((t) => t.status === 'ready');
  if (ch.kind < 7) return impossibleStep(e, model, ch);
  if (ch.kind < 40 && ready.length > 0) return { run: ready[ch.a % ready.length]!.id };
  if (ch.kind < 50 && ready.length > 0) return { step: ready[ch.a % ready.length]!.id };
  if (ch.kind < 66 && s.io.length > 0) {
    const req = s.io[ch.a % s.io.length]!;
    const r = ch.b % 20;
    const result = r < 14 ? 'ok' : r < 17 ? 'eio' : `short:${ch.c % req.length}`;
    return { complete: req.id, result };
  }
  return spawnStep(e, setup, model, ch);
}

// ---------------------------------------------------------------- checks

/** What the runs covered, printed at the end. */
const stats = { runs: 0, steps: 0, refused: 0, panics: 0, io: 0, nioResets: 0, leakedVnlocks: 0 };

class Broken extends Error {}
function check(cond: unknown, what: string): asserts cond {
  if (!cond) throw new Broken(what);
}

const DIGEST_KEYS = ['step', 'panic', 'freePages', 'threads', 'vnodes', 'io'];
const THREAD_KEYS = ['id', 'call', 'status', 'wait', 'ret'];
const VNODE_KEYS = ['name', 'usecount', 'vflag', 'state', 'size', 'uvn'];
const UVN_KEYS = ['flags', 'refs', 'size', 'nio', 'npages', 'pages'];
const PAGE_KEYS = ['offset', 'flags', 'queue', 'wired', 'mapped', 'modified'];
const IO_KEYS = ['id', 'thread', 'vnode', 'rw', 'offset', 'length'];
const SLEEP_MESSAGES = new Set([
  'uvn_attach',
  'uvn_term',
  'uvn_flsh',
  'uvn_flush',
  'uvn_get',
  'uvn_getpage',
  'uvn_iosync',
]);
const PAGER_RESULTS = new Set([
  'VM_PAGER_OK',
  'VM_PAGER_BAD',
  'VM_PAGER_FAIL',
  'VM_PAGER_PEND',
  'VM_PAGER_ERROR',
  'VM_PAGER_AGAIN',
  'VM_PAGER_UNLOCK',
]);

const isUint = (n: unknown): n is number => typeof n === 'number' && Number.isSafeInteger(n) && n >= 0;

function keysAre(o: object, keys: readonly string[], what: string): void {
  check(JSON.stringify(Object.keys(o)) === JSON.stringify(keys), `${what}: keys ${Object.keys(o).join(',')}`);
}

function inBitOrder(names: readonly string[], table: readonly FlagInfo[], what: string): void {
  const order = table.map((f) => f.name);
  let last = -1;
  for (const n of names) {
    const at = order.indexOf(n);
    check(at > last, `${what}: ${names.join('|')} not distinct known names in ascending bit order`);
    last = at;
  }
}

/** The digest is exactly what scenario-format.md prints. */
function checkDigest(d: Digest, setup: Setup, stepIndex: number): void {
  keysAre(d, DIGEST_KEYS, 'digest');
  check(d.step === stepIndex, `digest step ${d.step}, expected ${stepIndex}`);
  check(d.panic === null || (typeof d.panic === 'string' && d.panic.length > 0), 'panic');
  check(isUint(d.freePages), 'freePages');
  const ids = new Set(d.threads.map((t) => t.id));
  const vnodeNames = new Set(setup.vnodes.map((v) => v.name));
  const ioIds = new Map(d.io.map((r) => [r.id, r]));
  for (const t of d.threads) {
    keysAre(t, THREAD_KEYS, `thread ${t.id}`);
    check(/^t\d+$/.test(t.id), `thread id ${t.id}`);
    const where = `thread ${t.id} ${t.status} ${t.wait}`;
    switch (t.status) {
      case 'ready':
        check(t.wait === null && t.ret === null, where);
        break;
      case 'done':
        check(t.wait === null, where);
        break;
      case 'lock': {
        const m = /^(?:vmobjlock|vnlock):(.+)$/.exec(t.wait ?? '');
        check(
          (m !== null && vnodeNames.has(m[1]!)) || t.wait === 'pageq' || t.wait === 'uvn_sync_lock',
          `${where}: lock name`,
        );
        check(t.ret === null, where);
        break;
      }
      case 'sleep':
        check(SLEEP_MESSAGES.has(t.wait ?? ''), `${where}: wait message`);
        check(t.ret === null, where);
        break;
      case 'io': {
        const m = /^io:([1-9]\d*)$/.exec(t.wait ?? '');
        check(m !== null && ioIds.get(Number(m[1]))?.thread === t.id, `${where}: request`);
        check(t.ret === null, where);
        break;
      }
      default:
        check(false, `${where}: status`);
    }
    if (t.status === 'done') {
      const ret = t.ret;
      switch (t.call) {
        case 'uvn_attach':
        case 'mmap':
          check(ret === 'obj' || ret === 'NULL', `${where}: ret ${String(ret)}`);
          break;
        case 'uvn_flush':
        case 'uvm_vnp_uncache':
          check(typeof ret === 'boolean', `${where}: ret ${String(ret)}`);
          break;
        case 'fault':
          check(typeof ret === 'string' && PAGER_RESULTS.has(ret), `${where}: ret ${String(ret)}`);
          break;
        default:
          check(ret === null, `${where}: ret ${String(ret)}`);
      }
    }
  }
  check(ids.size === d.threads.length, 'thread ids unique');
  check(d.vnodes.map((v) => v.name).join() === setup.vnodes.map((v) => v.name).join(), 'vnodes in scenario order');
  for (const v of d.vnodes) {
    keysAre(v, VNODE_KEYS, `vnode ${v.name}`);
    // Integers, not necessarily non-negative: a caller bug (vrele before the vref that allowed it, uvn_detach
    // without a reference, an unreferenced fault across a re-attach) drives C's int counters below zero too.
    check(Number.isSafeInteger(v.usecount), `${v.name} usecount ${v.usecount}`);
    check(v.vflag.length === 0 || (v.vflag.length === 1 && v.vflag[0] === 'VTEXT'), `${v.name} vflag`);
    check(['active', 'free', 'dead', 'reclaimed'].includes(v.state), `${v.name} state ${v.state}`);
    check(isUint(v.size), `${v.name} size`);
    const u = v.uvn;
    keysAre(u, UVN_KEYS, `uvn ${v.name}`);
    inBitOrder(u.flags, UVN_FLAG_INFO, `${v.name} uvn flags`);
    check(Number.isSafeInteger(u.refs), `${v.name} refs`);
    check(isUint(u.size) && Number.isSafeInteger(u.nio) && isUint(u.npages), `${v.name} uvn numbers`);
    check(u.npages === u.pages.length, `${v.name} npages ${u.npages} != ${u.pages.length} pages`);
    let last = -1;
    for (const p of u.pages) {
      keysAre(p, PAGE_KEYS, `page ${v.name}@${p.offset}`);
      check(isUint(p.offset) && p.offset % PAGE === 0 && p.offset > last, `${v.name} pages sorted, page-aligned`);
      last = p.offset;
      check(!p.flags.includes('PG_TABLED'), 'PG_TABLED in digest');
      inBitOrder(p.flags, PG_INFO, `${v.name}@${p.offset} flags`);
      check(['active', 'inactive', 'none'].includes(p.queue), 'page queue');
      check(p.wired === 0, 'no page is wired');
      check(typeof p.mapped === 'boolean' && typeof p.modified === 'boolean', 'page bools');
    }
  }
  let lastIo = 0;
  for (const r of d.io) {
    keysAre(r, IO_KEYS, `io ${r.id}`);
    check(isUint(r.id) && r.id > lastIo, 'io by ascending id');
    lastIo = r.id;
    check(ids.has(r.thread) && vnodeNames.has(r.vnode), `io ${r.id} names`);
    check(r.rw === 'read' || r.rw === 'write', 'io rw');
    check(isUint(r.offset) && r.offset % PAGE === 0 && isUint(r.length) && r.length > 0, `io ${r.id} extent`);
  }
}

/** A thread counts in u_nio from `u_nio++` (line 1188, so standing at 1189 or later) to `u_nio--` (line 1277). */
function insideUvnIo(t: { stack: readonly string[]; line: number | null }): boolean {
  return t.stack.includes('uvn_io') && t.line !== null && t.line >= 1189 && t.line <= 1277;
}

/**
 * Threads inside uvn_io, by the vnode they do I/O on: the request's vnode, else the page the thread works on
 * (uvn_get and uvn_flush set it before uvn_io, and it stays busy in the object), else the call's vnode.
 */
function insideByVnode(e: PagerEngine): Map<string, number> {
  const s = S(e);
  const count = new Map(s.vnodes.map((v) => [v.name, 0]));
  for (const t of s.threads) {
    if (!insideUvnIo(t)) continue;
    const req = s.io.find((r) => r.thread === t.id);
    const focus = t.focusPage === null ? null : (s.pages[t.focusPage]?.object ?? null);
    const vnode = req?.vnode ?? focus ?? (typeof t.args.vnode === 'string' ? t.args.vnode : null);
    check(vnode !== null, `${t.id} inside uvn_io on no known vnode`);
    count.set(vnode, count.get(vnode)! + 1);
  }
  return count;
}

/** What must hold in any kernel that has not panicked. */
function checkKernel(
  e: PagerEngine,
  physPages: number,
  nioOffset: ReadonlyMap<string, number>,
  negRefs: ReadonlySet<string>,
): void {
  const s = S(e);
  const allocated = Object.keys(s.pages).length;
  check(s.freePages + allocated === physPages, `freePages ${s.freePages} + allocated ${allocated} != ${physPages}`);

  // Queues: no duplicates, no page on both, each entry's page agrees.
  const active = new Set(s.activeQueue);
  const inactive = new Set(s.inactiveQueue);
  check(active.size === s.activeQueue.length, 'page twice on the active queue');
  check(inactive.size === s.inactiveQueue.length, 'page twice on the inactive queue');
  for (const id of active) check(!inactive.has(id), `page ${id} on both queues`);
  for (const [id, pg] of Object.entries(s.pages)) {
    const n = Number(id);
    check(pg.id === n, `page ${id} id`);
    const q = active.has(n) ? 'active' : inactive.has(n) ? 'inactive' : 'none';
    check(pg.queue === q, `page ${id} says ${pg.queue}, queues say ${q}`);
    if (pg.object === null) check(pg.queue === 'none', `dead-list page ${id} on a queue`);
  }
  for (const id of [...active, ...inactive]) check(s.pages[id] !== undefined, `queued page ${id} not allocated`);

  // Each object's page tree.
  for (const vp of s.vnodes) {
    const u = vp.uvn;
    const owned = Object.values(s.pages).filter((p) => p.object === vp.name);
    check(u.npages === u.offsets.length, `${vp.name}: npages ${u.npages} != tree size ${u.offsets.length}`);
    check(owned.length === u.npages, `${vp.name}: ${owned.length} pages name it, npages ${u.npages}`);
    for (let i = 1; i < u.offsets.length; i++) check(u.offsets[i - 1]! < u.offsets[i]!, `${vp.name}: tree order`);
    check(Object.keys(u.pageAt).length === u.offsets.length, `${vp.name}: pageAt size`);
    for (const off of u.offsets) {
      const pg = s.pages[u.pageAt[off]!];
      check(pg && pg.object === vp.name && pg.offset === off, `${vp.name}: tree entry ${off}`);
    }
  }

  // Threads and locks.
  const byId = new Map(s.threads.map((t) => [t.id, t]));
  for (const [name, lock] of Object.entries(s.locks)) {
    if (lock.owner === null) {
      check(lock.count === 0, `${name}: free with count ${lock.count}`);
      continue;
    }
    const owner = byId.get(lock.owner);
    check(owner !== undefined, `${name} held by unknown ${lock.owner}`);
    // After a caller bug took uo_refs below zero, an mmap's uvm_vnp_uncache (run without the vnode lock) reaches
    // VOP_UNLOCK + uvn_detach + vn_lock(LK_RETRY) (lines 1388-1390) and returns holding the vnode lock.
    const excused =
      owner.call === 'mmap' && name === `vnlock:${owner.args.vnode as string}` && negRefs.has(name.slice(7));
    if (excused) stats.leakedVnlocks++;
    else check(owner.status !== 'done', `${name} held by ${lock.owner}, which is done`);
    check(lock.count >= 1 && (name.startsWith('vnlock:') || lock.count === 1), `${name}: count ${lock.count}`);
  }
  for (const t of s.threads) {
    if (t.status === 'lock') {
      const owner = s.locks[t.wait!]?.owner;
      check(owner != null && owner !== t.id, `${t.id} waits for ${t.wait}, owned by ${owner}`);
    }
    if (t.status === 'sleep') check(t.chan !== null, `${t.id} asleep on no channel`);
    else check(t.chan === null, `${t.id} ${t.status} with channel ${t.chan}`);
    if (t.status === 'done') check(t.stack.length === 0 && t.io === null, `${t.id} done with a stack`);
  }
  for (const r of s.io) {
    const t = byId.get(r.thread);
    check(t?.status === 'io' && t.wait === `io:${r.id}`, `request ${r.id}: thread ${r.thread} is ${t?.status}`);
    check(
      r.pages.every((id) => s.pages[id]?.object === r.vnode),
      `request ${r.id} maps pages of another object`,
    );
  }

  // u_nio: the threads between u_nio++ and u_nio--, less what an attach's `u_nio = 0` (line 239) wiped.
  const inside = insideByVnode(e);
  for (const vp of s.vnodes) {
    const expected = inside.get(vp.name)! + (nioOffset.get(vp.name) ?? 0);
    check(
      vp.uvn.nio === expected,
      `${vp.name}: nio ${vp.uvn.nio}, but ${inside.get(vp.name)} threads are between u_nio++ and u_nio--` +
        (nioOffset.get(vp.name) ? ` (offset ${nioOffset.get(vp.name)} from an attach's reset)` : ''),
    );
    if (!nioOffset.get(vp.name)) {
      const inFlight = s.io.filter((r) => r.vnode === vp.name).length;
      check(vp.uvn.nio >= inFlight, `${vp.name}: nio ${vp.uvn.nio} < ${inFlight} requests in flight`);
    }
  }
}

// ---------------------------------------------------------------- driving

interface Run {
  setup: Setup;
  steps: Step[];
  digests: string[];
  /** The panic message, with the call that panicked, if the run ended in one. */
  panic: string | null;
  refused: number;
}

function scenarioOf(setup: Setup, steps: readonly Step[]): Scenario {
  return { format: 'pager-scenario/1', ...setup, steps: [...steps] };
}

function explain(setup: Setup, steps: readonly Step[], step: Step | null, err: unknown): Error {
  const msg = err instanceof Error ? err.message : String(err);
  const json = JSON.stringify(scenarioOf(setup, steps));
  return new Error(`${msg}\n  at step ${JSON.stringify(step)}\n  scenario (steps accepted so far):\n${json}`);
}

/** Build and check a sequence from `choices`; returns the accepted steps and their digests. */
function drive(setup: Setup, choices: readonly Choice[], disciplined: boolean): Run {
  const physPages = setup.machine!.physPages!;
  const e = new PagerEngine(setup);
  const model = new Model(setup, disciplined);
  const builder = new SnapshotBuilder(e.k, e.model);
  const steps: Step[] = [];
  const first = e.digest() as Digest;
  const digests = [JSON.stringify(first)];
  let refused = 0;
  let step: Step | null = null;
  const nioOffset = new Map<string, number>();
  /** Vnodes whose uo_refs a caller bug has taken below zero. */
  const negRefs = new Set<string>();
  try {
    checkDigest(first, setup, -1);
    checkKernel(e, physPages, nioOffset, negRefs);
    builder.build(0);
    for (const ch of choices) {
      step = e.k.s.panic ? { run: e.k.s.threads[0]!.id } : chooseStep(e, setup, model, ch);
      const expectImpossible = model.impossible(e, step);
      const before = expectImpossible ? JSON.stringify(e.k.s) : '';
      const reason = e.apply(step);
      if (reason !== null) {
        refused++;
        check(expectImpossible, `refused a possible step: ${reason}`);
        check(typeof reason === 'string' && reason.length > 0, 'refusal without a reason');
        check(JSON.stringify(e.k.s) === before, 'a refused step changed the state');
        check(JSON.stringify(e.digest()) === digests[digests.length - 1], 'a refused step changed the digest');
        continue;
      }
      check(!expectImpossible, 'accepted an impossible step');
      model.accepted(e, step);
      steps.push(step);
      const d = e.digest() as Digest;
      checkDigest(d, setup, steps.length - 1);
      digests.push(JSON.stringify(d));
      // The incremental snapshot must equal one built from scratch (no page change missed by touch()).
      const snap = builder.build(steps.length);
      check(
        JSON.stringify(snap) === JSON.stringify(new SnapshotBuilder(e.k, e.model).build(steps.length)),
        'incremental snapshot differs from a fresh one (a page mutation bypassed Kernel.touch)',
      );
      // PROPERTY_NO_PANIC=1: a disciplined run that panics fails, to shrink it to a minimal scenario.
      if (process.env.PROPERTY_NO_PANIC && disciplined) check(!e.k.s.panic, `panic: ${e.k.s.panic?.message}`);
      if (!e.k.s.panic) {
        noteNioReset(e, step, nioOffset);
        for (const vp of S(e).vnodes) if (vp.uvn.refs < 0) negRefs.add(vp.name);
        checkKernel(e, physPages, nioOffset, negRefs);
      }
    }
  } catch (err) {
    throw explain(setup, steps, step, err);
  }
  const p = e.k.s.panic;
  const panic = p ? `${p.message} (in ${e.k.thread(p.thread)?.call})` : null;
  return { setup, steps, digests, panic, refused };
}

/**
 * uvn_attach sets `u_nio = 0` (line 239) when it attaches an object that is not VALID. If a thread that faulted
 * without a reference (a caller bug the contract lets through) is still inside uvn_io then, its I/O no longer
 * counts, and its later `u_nio--` takes the count below the truth. Record that offset when it happens.
 */
function noteNioReset(e: PagerEngine, step: Step, nioOffset: Map<string, number>): void {
  if (!('run' in step || 'step' in step)) return;
  const th = e.k.thread('run' in step ? step.run : step.step)!;
  if (th.call !== 'uvn_attach' && th.call !== 'mmap') return;
  const name = th.args.vnode as string;
  const vp = S(e).vnodes.find((v) => v.name === name)!;
  const inside = insideByVnode(e).get(name)!;
  if (vp.uvn.nio === 0 && inside + (nioOffset.get(name) ?? 0) !== 0) {
    nioOffset.set(name, -inside);
    stats.nioResets++;
  }
}

// ---------------------------------------------------------------- properties

/** Let the event loop turn between runs, so vitest's worker can talk to its parent during a long property. */
const breathe = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Panic messages seen, with the call that panicked (line numbers folded), by mode. */
const panics = new Map<string, number>();

function notePanic(run: Run, disciplined: boolean): void {
  if (!run.panic) return;
  stats.panics++;
  const key = `${disciplined ? 'disciplined' : 'chaotic'}: ${run.panic.replace(/line \d+/, 'line N')}`;
  panics.set(key, (panics.get(key) ?? 0) + 1);
}

describe('engine properties', () => {
  it('random step sequences: well-formed digests, invariants, refusals change nothing, replay is deterministic', async () => {
    await fc.assert(
      fc.asyncProperty(
        setupArb,
        fc.array(choiceArb, { minLength: 1, maxLength: 100, size: 'max' }),
        fc.boolean(),
        async (setup, choices, disciplined) => {
          await breathe();
          const run = drive(setup, choices, disciplined);
          stats.runs++;
          stats.steps += run.steps.length;
          stats.refused += run.refused;
          notePanic(run, disciplined);
          // The accepted steps are a valid scenario, and the headless runner replays them exactly.
          const parsed = parseScenario(JSON.stringify(scenarioOf(setup, run.steps)));
          expect(parsed.ok ? null : parsed.error).toBeNull();
          if (!parsed.ok) return;
          const replay = scenarioDigests(parsed.scenario);
          expect(replay.refused).toBeNull();
          expect(replay.digests.map((d) => JSON.stringify(d))).toEqual(run.digests);
        },
      ),
      { numRuns: 2000 },
    );
    expect(stats.steps).toBeGreaterThan(2000 * 20);
  });

  it('long disciplined sequences reach deep states and replay identically', async () => {
    await fc.assert(
      fc.asyncProperty(
        setupArb,
        fc.array(choiceArb, { minLength: 150, maxLength: 300, size: 'max' }),
        async (setup, choices) => {
          await breathe();
          const run = drive(setup, choices, true);
          stats.runs++;
          stats.steps += run.steps.length;
          stats.io += run.digests.filter((d) => d.includes('"rw"')).length;
          notePanic(run, true);
          expect(drive(setup, choices, true).digests).toEqual(run.digests);
        },
      ),
      { numRuns: 100, endOnFailure: !!process.env.PROPERTY_NO_PANIC },
    );
    expect(stats.io).toBeGreaterThan(0);
  });

  it('a Session forked after seeking back equals a fresh run; deltas rebuild snapshots', async () => {
    await fc.assert(
      fc.asyncProperty(
        setupArb,
        fc.array(choiceArb, { minLength: 1, maxLength: 60, size: 'max' }),
        fc.nat(),
        fc.array(choiceArb, { minLength: 1, maxLength: 30, size: 'max' }),
        fc.array(fc.nat(), { minLength: 1, maxLength: 4 }),
        fc.boolean(),
        async (setup, choices, cut, more, jumps, disciplined) => {
          await breathe();
          const first = drive(setup, choices, disciplined);
          stats.runs++;
          const n = first.steps.length;
          const at = cut % (n + 1);
          // `more` read against the state at `at`: the new future, built on a fresh engine there.
          const head = first.steps.slice(0, at);
          const future = extend(setup, head, more, disciplined);

          const session = new Session(setup);
          for (const step of first.steps) expect(session.apply(step)).toBeNull();
          expect(session.length).toBe(n);
          const all = Array.from({ length: n + 1 }, (_, i) => session.snapshot(i));
          checkDeltas(all, jumps);

          // Jump around (seek is a lookup), then come back to the cut and fork.
          for (const j of jumps) expect(session.seek(j % (n + 1))).toEqual(all[j % (n + 1)]);
          expect(session.seek(at)).toEqual(all[at]);
          expect(session.cursor).toBe(at);
          // An impossible step at the cut is refused and forks nothing: the future stays.
          expect(session.apply({ complete: 0x7fff_ffff, result: 'ok' })).not.toBeNull();
          expect([session.length, session.cursor]).toEqual([n, at]);
          expect(session.snapshot(n)).toEqual(all[n]);
          const engine = new PagerEngine(setup);
          for (const step of head) engine.apply(step);
          expect(session.digest()).toEqual(engine.digest());
          for (const step of future) {
            expect(session.apply(step)).toBeNull();
            expect(engine.apply(step)).toBeNull();
            expect(session.digest()).toEqual(engine.digest());
          }
          // With no step applied nothing forked: the old future stays.
          const kept = future.length > 0 ? [...head, ...future] : first.steps;
          expect(session.length).toBe(kept.length);

          const fresh = new Session(setup);
          for (const step of kept) expect(fresh.apply(step)).toBeNull();
          for (let i = 0; i <= fresh.length; i++) expect(session.snapshot(i)).toEqual(fresh.snapshot(i));
          checkDeltas(
            Array.from({ length: session.length + 1 }, (_, i) => session.snapshot(i)),
            jumps,
          );
        },
      ),
      { numRuns: 400 },
    );
  });

  it('deltas between large snapshots rebuild them exactly (edited queues, page and thread lists)', () => {
    const listArb = fc.uniqueArray(fc.nat(5000), { maxLength: 300 });
    const opsArb = fc.array(fc.tuple(fc.nat(3), fc.nat(), fc.nat(4999)), { maxLength: 12 });
    /** Edit a list of distinct ids as the kernel does: drop anywhere, move to the tail, insert, append. */
    const edit = (ids: readonly number[], ops: readonly [number, number, number][]): number[] => {
      const out = [...ids];
      for (const [op, at, id] of ops) {
        const i = out.length === 0 ? 0 : at % out.length;
        if (op === 0 && out.length > 0) out.splice(i, 1);
        else if (op === 1 && out.length > 0) out.push(...out.splice(i, 1));
        else if (!out.includes(id + 5000)) {
          if (op === 2) out.splice(i, 0, id + 5000);
          else out.push(id + 5000);
        }
      }
      return out;
    };
    const page = (id: number, rev: number): PageView =>
      Object.freeze({
        id,
        vnode: 'vn1',
        object: 'vn1',
        offset: id * PAGE,
        state: rev ? 'clean' : 'dirty',
        busy: false,
        wanted: false,
        owner: null,
        queue: 'none',
        mapped: false,
        modified: rev > 1,
        summary: rev ? 'PG_CLEAN' : 'no PG_ flags',
        flagWord: rev ? 0x008 : 0,
        cells: {},
      });
    const thread = (id: number): ThreadView => ({
      id: `t${id}`,
      call: 'fault',
      args: {},
      status: 'done',
      wait: null,
      chan: null,
      blockedOn: null,
      ret: 'VM_PAGER_OK',
      line: null,
      callerStmt: null,
      stack: [],
      frames: [],
      focusPage: null,
      locksHeld: [],
      unblockers: [],
    });
    const snap = (step: number, order: number[], active: number[], inactive: number[], threads: ThreadView[]) =>
      ({
        step,
        panic: null,
        freePages: 0,
        pages: order.map((id) => page(id, 0)),
        queues: [active, inactive],
        threads,
        vnodes: [],
        objects: [],
        io: [],
        locks: [],
        counters: [],
        hung: false,
        waits: [],
        trail: { lines: [], omitted: 0 },
      }) as ViewSnapshot;
    fc.assert(
      fc.property(listArb, opsArb, opsArb, opsArb, fc.array(fc.nat(), { maxLength: 5 }), (ids, o1, o2, o3, touched) => {
        const threadsA = ids.slice(0, 50).map(thread);
        const a = snap(
          1,
          ids,
          ids.filter((id) => id % 2),
          ids.filter((id) => id % 2 === 0),
          threadsA,
        );
        const order = edit(ids, o1);
        const pages = order.map((id) => a.pages.find((p) => p.id === id) ?? page(id, 0));
        for (const t of touched) if (pages.length > 0) pages[t % pages.length] = page(pages[t % pages.length]!.id, 2);
        const threadsB = [...threadsA.filter((_, i) => i % 7 !== 3), ...o2.map(([, , id]) => thread(id + 5000))];
        const b: ViewSnapshot = {
          ...snap(2, order, edit(a.queues[0]!, o2), edit(a.queues[1]!, o3), threadsB),
          pages,
        };
        for (const [x, y] of [
          [a, b],
          [b, a],
        ] as const) {
          const delta = diffSnapshots(x, y);
          expect(applyDelta(x, delta)).toEqual(y);
          expect(applyDelta(x, JSON.parse(JSON.stringify(delta)) as typeof delta)).toEqual(y);
          expect(JSON.stringify(delta).length).toBeLessThanOrEqual(JSON.stringify(diffSnapshots(null, y)).length + 200);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('covered enough', () => {
    // Not a property: a guard that the generators keep reaching the interesting states.
    expect(stats.runs).toBeGreaterThanOrEqual(2500);
    expect(stats.refused).toBeGreaterThan(0);
    const lines = [...panics.entries()].sort((a, b) => b[1] - a[1]).map(([m, n]) => `  ${n} × ${m}`);
    console.log(
      `property runs: ${stats.runs} on the engine (+500 on synthetic deltas); ${stats.steps} steps accepted, ${stats.refused} refused; ` +
        `${stats.nioResets} attaches reset u_nio under a thread inside uvn_io; ` +
        `${stats.leakedVnlocks} checks excused an mmap holding its vnode lock after a negative uo_refs\n` +
        `${stats.panics} runs ended in a panic:\n${lines.join('\n')}`,
    );
  });
});

/** Steps read from `choices` against the state after `head` (all accepted). */
function extend(setup: Setup, head: readonly Step[], choices: readonly Choice[], disciplined: boolean): Step[] {
  const e = new PagerEngine(setup);
  const model = new Model(setup, disciplined);
  for (const step of head) {
    e.apply(step);
    model.accepted(e, step);
  }
  const out: Step[] = [];
  for (const ch of choices) {
    if (e.k.s.panic) break;
    const step = chooseStep(e, setup, model, ch);
    if (e.apply(step) !== null) continue;
    model.accepted(e, step);
    out.push(step);
  }
  return out;
}

/** applyDelta(diffSnapshots(a, b)) is b: consecutive pairs, from scratch, and jumps both ways. */
function checkDeltas(all: readonly ViewSnapshot[], jumps: readonly number[]): void {
  const n = all.length;
  for (let i = 0; i < n; i++) {
    expect(applyDelta(null, diffSnapshots(null, all[i]!))).toEqual(all[i]);
    if (i > 0) expect(applyDelta(all[i - 1]!, diffSnapshots(all[i - 1]!, all[i]!))).toEqual(all[i]);
  }
  for (const j of jumps) {
    const a = all[j % n]!;
    const b = all[(j >> 3) % n]!;
    const delta = diffSnapshots(a, b);
    expect(applyDelta(a, delta)).toEqual(b);
    // A delta survives the worker boundary (structured clone / JSON).
    expect(applyDelta(a, JSON.parse(JSON.stringify(delta)))).toEqual(JSON.parse(JSON.stringify(b)));
  }
}
