/**
 * The random caller of the OpenBSD model (random.ts): which calls to start, on
 * what, with what arguments, and which steps the contract makes impossible.
 *
 * Two kinds of caller: a chaotic one calls anything on any vnode (the caller
 * bugs the contract lets through: detach without a reference, mmap of a file
 * nobody has open...), and most such runs end in a panic; a disciplined one
 * behaves like the kernel's real callers and, so far, never panics.
 */
import type { Setup, Step } from '../../protocol/scenario';
import type { PagerEngine } from '../engine';
import type { KernelState } from '../kernel/types';
import type { UvmState, UvmVnode } from '../openbsd/state';
import type { Choice, RandomCaller } from './random';

type CallName = string;
type Vnode = UvmVnode;

/** The OpenBSD kernel state with its pager part flattened in (reads only). */
function S(e: PagerEngine) {
  const s = e.k.s as KernelState<UvmState, UvmVnode>;
  return { ...s, ...s.pager };
}

const PAGE = 4096;

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

/** OpenBSD's random caller: the model of what callers know, with its spawn and impossible steps. */
export class OpenBsdCaller implements RandomCaller {
  private readonly model: Model;

  constructor(
    private readonly setup: Setup,
    disciplined: boolean,
  ) {
    this.model = new Model(setup, disciplined);
  }

  get nextThread(): number {
    return this.model.nextThread;
  }

  spawnStep(e: PagerEngine, ch: Choice): Step {
    return spawnStep(e, this.setup, this.model, ch);
  }

  impossibleStep(e: PagerEngine, ch: Choice): Step {
    return impossibleStep(e, this.model, ch);
  }

  impossible(e: PagerEngine, step: Step): boolean {
    return this.model.impossible(e, step);
  }

  accepted(e: PagerEngine, step: Step): void {
    this.model.accepted(e, step);
  }
}
