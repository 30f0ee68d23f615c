/**
 * The OpenBSD pager engine: a kernel built from a scenario's setup, threads
 * started, run and stepped by hand, disk requests completed in any order.
 * Deterministic: the same steps give the same state, in Node and in a worker.
 * The engine never throws on a valid scenario; an impossible step is refused
 * with a reason and changes nothing.
 */
import type { Digest, Scenario, Step } from './api';
import { bitNames, EIO, PG_NAMES, VTEXT } from './kernel/constants';
import { Kernel } from './kernel/kernel';
import { BLOCK, PANIC, type KernelState, type KThread, type Proc } from './kernel/types';
import { OPENBSD_CALLS, type CallResult } from './openbsd/calls';
import { UVN_FLAG_NAMES } from './openbsd/flags';
import { uvn_init } from './openbsd/uvn_init';

export const DEFAULT_PHYS_PAGES = 64;

export function initialState(setup: Pick<Scenario, 'machine' | 'vnodes'>): KernelState {
  return {
    freePages: setup.machine?.physPages ?? DEFAULT_PHYS_PAGES,
    nextPageId: 1,
    pages: {},
    activeQueue: [],
    inactiveQueue: [],
    vnodes: setup.vnodes.map((v) => {
      const usecount = v.usecount ?? 1;
      return {
        name: v.name,
        type: v.type ?? 'VREG',
        mount: v.mount ?? 'm1',
        usecount,
        vflag: v.vtext ? VTEXT : 0,
        state: usecount > 0 ? 'active' : 'free',
        size: v.size,
        uvn: { flags: 0, refs: 0, size: 0, nio: 0, npages: 0, offsets: [], pageAt: {} },
      };
    }),
    threads: [],
    locks: {},
    io: [],
    nextIoId: 1,
    wlist: [],
    syncq: [],
    panic: null,
    statics: {},
  };
}

export class PagerEngine {
  readonly k: Kernel;
  /** Index of the last step applied; -1 before the first. */
  stepIndex = -1;
  private readonly procs = new Map<string, Proc<CallResult>>();
  /** User opens per vnode (initial usecount plus spawned vrefs, minus vreles). */
  private readonly opens = new Map<string, number>();
  /** Every seed line any thread has reached (for the seed-coverage report). */
  readonly linesReached = new Set<number>();

  constructor(setup: Pick<Scenario, 'machine' | 'vnodes'>) {
    const state = initialState(setup);
    uvn_init(state);
    this.k = new Kernel(state);
    for (const vp of this.k.s.vnodes) this.opens.set(vp.name, vp.usecount);
  }

  /** Apply one step; returns null, or why the step is impossible (state unchanged). */
  apply(step: Step): string | null {
    if (this.k.s.panic) return `the kernel has panicked: ${this.k.s.panic.message}`;
    const refusal =
      'spawn' in step
        ? this.spawn(step.spawn, step.call, step.args)
        : 'run' in step
          ? this.resume(step.run, 'run')
          : 'step' in step
            ? this.resume(step.step, 'step')
            : this.complete(step.complete, step.result);
    if (refusal === null) this.stepIndex++;
    return refusal;
  }

  private spawn(id: string, call: string, args: Record<string, unknown>): string | null {
    if (this.k.thread(id)) return `thread ${id} already exists`;
    const body = OPENBSD_CALLS[call];
    if (!body) return `unknown call ${call}`;
    const vnodeName = typeof args.vnode === 'string' ? args.vnode : null;
    const vp = vnodeName === null ? null : (this.k.vnodeByName.get(vnodeName) ?? null);
    if (vnodeName !== null && !vp) return `unknown vnode ${vnodeName}`;
    if (vp) {
      if (vp.state === 'reclaimed') return `vnode ${vp.name} has been recycled`;
      if (call === 'vref' && vp.state === 'dead') return `vref of dead vnode ${vp.name}`;
      if (call === 'recycle' && vp.state !== 'free') return `recycle needs a free vnode; ${vp.name} is ${vp.state}`;
      if (call === 'revoke' && vp.state !== 'active') return `revoke needs an active vnode; ${vp.name} is ${vp.state}`;
      const opens = this.opens.get(vp.name)!;
      if (call === 'vrele' && opens === 0) return `vrele: every open of ${vp.name} has already been released`;
      if (call === 'vref') this.opens.set(vp.name, opens + 1);
      if (call === 'vrele') this.opens.set(vp.name, opens - 1);
    }
    const th: KThread = {
      id,
      call,
      args,
      status: 'ready',
      wait: null,
      chan: null,
      ret: null,
      line: null,
      callerStmt: null,
      stack: [],
      io: null,
      focusPage: null,
    };
    this.k.s.threads.push(th);
    this.procs.set(id, body(this.k, th, vp, args));
    return null;
  }

  /** Run to the next block or the end; or (step) through one statement. */
  private resume(id: string, mode: 'run' | 'step'): string | null {
    const th = this.k.thread(id);
    if (!th) return `unknown thread ${id}`;
    if (th.status !== 'ready')
      return `thread ${id} is ${th.status === 'done' ? 'done' : `blocked (${th.status} ${th.wait})`}`;
    const proc = this.procs.get(id)!;
    let markers = th.line === null && th.callerStmt === null ? -1 : 0;
    for (;;) {
      const r = proc.next();
      if (r.done) {
        th.status = 'done';
        th.ret = r.value;
        th.line = null;
        th.callerStmt = null;
        th.focusPage = null;
        th.stack = [];
        this.procs.delete(id);
        return null;
      }
      const effect = r.value;
      if (effect === BLOCK || effect === PANIC) return null;
      if (typeof effect === 'number') {
        this.linesReached.add(effect);
        th.line = effect;
        th.callerStmt = null;
      } else {
        th.line = null;
        th.callerStmt = effect;
      }
      if (mode === 'step' && ++markers >= 1) return null;
    }
  }

  private complete(id: number, result: string): string | null {
    const at = this.k.s.io.findIndex((r) => r.id === id);
    if (at < 0) return `request ${id} is not in flight`;
    const req = this.k.s.io[at]!;
    let outcome = { error: 0, done: req.length };
    if (result === 'eio') outcome = { error: EIO, done: 0 };
    else if (result.startsWith('short:')) {
      const bytes = Number(result.slice(6));
      if (!(bytes < req.length)) return `short:${bytes} needs fewer bytes than the request's length ${req.length}`;
      outcome = { error: 0, done: bytes };
    }
    this.k.s.io.splice(at, 1);
    const th = this.k.thread(req.thread)!;
    th.io = outcome;
    th.status = 'ready';
    th.wait = null;
    return null;
  }

  digest(): Digest {
    const s = this.k.s;
    return {
      step: this.stepIndex,
      panic: s.panic?.message ?? null,
      freePages: s.freePages,
      threads: s.threads.map((t) => ({ id: t.id, call: t.call, status: t.status, wait: t.wait, ret: t.ret })),
      vnodes: s.vnodes.map((vp) => ({
        name: vp.name,
        usecount: vp.usecount,
        vflag: vp.vflag & VTEXT ? ['VTEXT'] : [],
        state: vp.state,
        size: vp.size,
        uvn: {
          flags: bitNames(vp.uvn.flags, UVN_FLAG_NAMES),
          refs: vp.uvn.refs,
          size: vp.uvn.size,
          nio: vp.uvn.nio,
          npages: vp.uvn.npages,
          pages: vp.uvn.offsets.map((off) => {
            const pg = s.pages[vp.uvn.pageAt[off]!]!;
            return {
              offset: pg.offset,
              flags: bitNames(pg.flags, PG_NAMES),
              queue: pg.queue,
              wired: pg.wired,
              mapped: pg.mapped,
              modified: pg.modified,
            };
          }),
        },
      })),
      io: s.io.map((r) => ({
        id: r.id,
        thread: r.thread,
        vnode: r.vnode,
        rw: r.rw,
        offset: r.offset,
        length: r.length,
      })),
    };
  }
}
