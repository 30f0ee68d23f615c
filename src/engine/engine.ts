/**
 * The pager engine: a kernel built from a scenario's setup by its pager model,
 * threads started, run and stepped by hand, disk requests completed in any
 * order. Deterministic: the same steps give the same state, in Node and in a
 * worker. The engine never throws on a valid scenario; an impossible step is
 * refused with a reason and changes nothing.
 */
import type { Setup, Step } from '../protocol/scenario';
import { cloneData } from './kernel/clone';
import { finishRequest, outcomeOf } from './kernel/disk';
import type { Kernel } from './kernel/kernel';
import { dropFrames, setStepping, takeSpinReason } from './kernel/sched';
import { BLOCK, newThread, PANIC, SPIN, type Effect, type KernelState, type KThread, type Proc } from './kernel/types';
import type { CallResult, Digest, PagerModel } from './model';
import { pagerModel } from './registry';

/** The model a setup names; throws only for a pager nobody registered (validation rejects those first). */
export function modelOf(setup: Pick<Setup, 'pager'>): PagerModel {
  const model = pagerModel(setup.pager);
  if (!model) throw new Error(`no pager model "${setup.pager}" is registered`);
  return model;
}

export interface EngineOptions {
  /**
   * Stand something in for the booted kernel before any thread starts: the schedule explorer passes a view
   * that logs what each step reads and writes (explore/access.ts). It must behave exactly as the kernel.
   */
  wrapKernel?: (k: Kernel) => Kernel;
}

/** Longest trail a step keeps: a run of a flush over 4,096 pages passes ~30,000 lines. */
export const TRAIL_MAX = 2000;

/**
 * The engine's state where no thread is inside a call (each is done or not yet
 * run): plain data, so it can be copied and an engine rebuilt from it, exactly
 * as replaying the steps would have left it. Done threads never change again:
 * a checkpoint shares them (in chunks of 64) with the live kernel and with the
 * checkpoint before, so thousands of finished threads cost a few pointers.
 */
export interface EngineCheckpoint {
  /** The kernel state without its threads. */
  readonly state: Omit<KernelState, 'threads'>;
  readonly threads: readonly (readonly KThread[])[];
  readonly stepIndex: number;
  /** The seed lines reached (the one before's list when no line was added: the set only grows). */
  readonly linesReached: readonly number[];
  /** Where the threads sit by name: the kernel the copy was taken from answers (no map rebuilt at restore). */
  readonly index: ReturnType<Kernel['threadIndex']>;
}

const CHUNK = 64;

const NO_THREADS: readonly string[] = [];

/** Each model's call names, looked up at every spawn (the explorer spawns four per schedule). */
const callNames = new WeakMap<PagerModel, ReadonlySet<string>>();

function callsOf(model: PagerModel): ReadonlySet<string> {
  let names = callNames.get(model);
  if (!names) callNames.set(model, (names = new Set(model.profile.calls.map((c) => c.name))));
  return names;
}

/** Threads in chunks, reusing each of `prev`'s chunks whose threads are all the same (done) objects. */
function threadChunks(threads: readonly KThread[], prev: EngineCheckpoint | null): KThread[][] {
  const out: KThread[][] = [];
  for (let at = 0, i = 0; at < threads.length; at += CHUNK, i++) {
    const part = threads.slice(at, at + CHUNK).map((t) => (t.status === 'done' ? t : cloneData(t)));
    const old = prev?.threads[i];
    out.push(old && old.length === part.length && old.every((t, j) => t === part[j]) ? (old as KThread[]) : part);
  }
  return out;
}

export class PagerEngine {
  readonly model: PagerModel;
  readonly k: Kernel;
  /** Index of the last step applied; -1 before the first. */
  stepIndex = -1;
  private readonly procs = new Map<string, Proc<CallResult>>();
  /**
   * Lines already reached, as bits (16 a word, so each word stays a small integer): a look-up per statement
   * beats a Set insert. A plain array grown on demand, not a typed array: an engine per schedule is what the
   * explorer makes, and a typed array's off-heap store cost more than the schedule's steps.
   */
  private reached: number[] = [];
  /**
   * The same lines in the order first reached. The Set `linesReached` is made from it only when asked: the
   * explorer's engines reach a hundred new lines in a few steps and never ask, and growing a Set line by line
   * was a tenth of their time.
   */
  private reachedList: number[] = [];
  private reachedSet: Set<number> | null = null;
  /**
   * The seed lines the last applied step ran, in order, a line repeated at
   * once (a statement re-tagged) kept once; at most TRAIL_MAX, the rest counted.
   */
  trail: number[] = [];
  trailOmitted = 0;
  /**
   * The threads the last applied step's disk completion made runnable, in spawn order: a synchronous
   * request's waiting thread, or whoever an asynchronous one's completion routine woke (FreeBSD's iodone
   * unbusying a page a fault sleeps on). Empty for any other step.
   */
  woken: readonly string[] = NO_THREADS;
  /**
   * The last applied step was a `run` stopped because its thread would loop for ever without blocking (see
   * sched.ts `loopsForEver`): which thread, the line it stands at, why. Null for any other step.
   */
  spun: { thread: string; line: number | null; why: string } | null = null;
  /** The kernel as booted, without the explorer's access log: what the step's own code did not read. */
  private readonly plain: Kernel;
  private lastLine = 0;
  /** Threads resumed at least once and not done: while there are none, the state can be checkpointed. */
  private readonly begun = new Set<string>();

  constructor(setup: Setup, options: EngineOptions = {}) {
    this.model = modelOf(setup);
    const k = this.model.boot(setup);
    this.plain = k;
    this.k = options.wrapKernel ? options.wrapKernel(k) : k;
  }

  /** Apply one step; returns null, or why the step is impossible (state unchanged). */
  apply(step: Step): string | null {
    if (this.k.s.panic) return `the kernel has panicked: ${this.k.s.panic.message}`;
    const trail = this.trail;
    const omitted = this.trailOmitted;
    const woken = this.woken;
    const spun = this.spun;
    this.spun = null;
    this.trail = [];
    this.trailOmitted = 0;
    this.lastLine = 0;
    this.woken = NO_THREADS;
    const refusal =
      'spawn' in step
        ? this.spawn(step.spawn, step.call, step.args)
        : 'run' in step
          ? this.resume(step.run, 'run')
          : 'step' in step
            ? this.resume(step.step, 'step')
            : this.complete(step.complete, step.result);
    if (refusal === null) this.stepIndex++;
    else {
      // A refused step ran nothing: the trail stays the last applied step's.
      this.trail = trail;
      this.trailOmitted = omitted;
      this.woken = woken;
      this.spun = spun;
    }
    return refusal;
  }

  private spawn(id: string, call: string, args: Record<string, unknown>): string | null {
    if (this.k.thread(id)) return `thread ${id} already exists`;
    if (!callsOf(this.model).has(call)) return `unknown call ${call}`;
    const th = newThread(id, call, args);
    this.k.addThread(th);
    const proc = this.model.spawn(this.k, th, call, args);
    if (typeof proc === 'string') {
      this.k.dropThread(th);
      return proc;
    }
    this.procs.set(id, proc);
    return null;
  }

  /** Run to the next block or the end; or (step) through one statement. */
  private resume(id: string, mode: 'run' | 'step'): string | null {
    const th = this.k.thread(id);
    if (!th) return `unknown thread ${id}`;
    if (th.status !== 'ready')
      return `thread ${id} is ${th.status === 'done' ? 'done' : `blocked (${th.status} ${th.wait})`}`;
    const proc = this.procs.get(id)!;
    this.begun.add(id);
    setStepping(th, mode === 'step');
    // The line it stands on runs first: the trail starts there.
    if (th.line !== null) {
      this.trail.push(th.line);
      this.lastLine = th.line;
    }
    let markers = th.line === null && th.callerStmt === null ? -1 : 0;
    for (;;) {
      const r = proc.next();
      if (r.done) {
        th.status = 'done';
        this.k.threadDone();
        th.ret = r.value;
        th.line = null;
        th.callerStmt = null;
        th.focusPage = null;
        th.stack = [];
        dropFrames(th);
        this.procs.delete(id);
        this.begun.delete(id);
        return null;
      }
      const effect = r.value;
      if (effect === BLOCK || effect === PANIC) return null;
      if (effect === SPIN) {
        // A run that would never end: it stops here, the thread ready at the line it stands at.
        this.spun = { thread: id, line: th.line, why: takeSpinReason() };
        return null;
      }
      this.mark(th, effect);
      if (mode === 'step' && ++markers >= 1) return null;
    }
  }

  private mark(th: KThread, effect: Effect): void {
    if (typeof effect === 'number') {
      const reached = this.reached;
      const word = effect >> 4;
      const bit = 1 << (effect & 15);
      if (word >= reached.length || (reached[word]! & bit) === 0) {
        this.reachedList.push(effect);
        while (reached.length <= word) reached.push(0);
        reached[word]! |= bit;
      }
      if (this.lastLine !== effect) {
        this.lastLine = effect;
        if (this.trail.length < TRAIL_MAX) this.trail.push(effect);
        else this.trailOmitted++;
      }
      th.line = effect;
      th.callerStmt = null;
    } else {
      th.line = null;
      th.callerStmt = effect;
    }
  }

  private complete(id: number, result: string): string | null {
    const req = this.k.s.io.find((r) => r.id === id);
    if (!req) return `request ${id} is not in flight`;
    const outcome = outcomeOf(req, result);
    if (typeof outcome === 'string') return outcome;
    if (req.iodone !== null) {
      const refusal = this.model.completeRefusal?.(this.k, req) ?? null;
      if (refusal !== null) return refusal;
    }
    // Who is blocked before the completion, read past the access log: the labels' business, not the step's.
    const blocked =
      req.iodone === null
        ? [this.plain.thread(req.thread)].filter((t): t is KThread => t?.status === 'io')
        : this.plain.liveThreads().filter((t) => t.status !== 'ready' && t.status !== 'done');
    finishRequest(this.k, req, outcome);
    if (req.iodone !== null && this.model.iodone) {
      // bufdone runs b_iodone at once, as an interrupt would: in no thread of the scenario.
      const ctx = newThread(`bufdone:${req.id}`, 'bufdone', {});
      const proc = this.model.iodone(this.k, ctx, req, outcome);
      for (let r = proc.next(); !r.done; r = proc.next()) {
        if (r.value === PANIC) break;
        if (r.value === BLOCK) throw new Error(`the completion of request ${req.id} blocked`);
        this.mark(ctx, r.value);
      }
    }
    const woken = blocked.filter((t) => t.status === 'ready').map((t) => t.id);
    if (woken.length > 0) this.woken = woken;
    return null;
  }

  /**
   * Say that `applied` steps have been applied: the session records several
   * `step`s that ran a thread to a block as the one `run` they equal.
   */
  renumber(applied: number): void {
    this.stepIndex = applied - 1;
  }

  /** Every seed line any thread (or completion routine) has reached, in the order first reached (seed coverage). */
  get linesReached(): ReadonlySet<number> {
    let set = this.reachedSet;
    if (set === null || set.size !== this.reachedList.length) set = this.reachedSet = new Set(this.reachedList);
    return set;
  }

  digest(): Digest {
    return this.model.digest(this.k, this.stepIndex);
  }

  /**
   * Whether the state can be checkpointed now: no thread inside a call (each
   * done, or not yet run and restartable by the model's `start`), no panic.
   */
  get quiescent(): boolean {
    if (this.begun.size > 0 || this.k.s.panic !== null || this.k.observer !== null) return false;
    return this.model.start !== undefined || this.procs.size === 0;
  }

  /** A copy of the state (call only when `quiescent`); `prev`, the last one taken, shares its done threads. */
  checkpoint(prev: EngineCheckpoint | null = null): EngineCheckpoint {
    if (!this.quiescent) throw new Error('checkpoint: a thread is inside a call');
    const { threads, ...state } = this.k.s;
    return {
      state: cloneData(state),
      threads: threadChunks(threads, prev),
      stepIndex: this.stepIndex,
      linesReached: prev?.linesReached.length === this.reachedList.length ? prev.linesReached : [...this.reachedList],
      index: this.k.threadIndex(),
    };
  }

  /** An engine in the state `cp` copied: as if the steps before it had been replayed. */
  static restore(setup: Setup, cp: EngineCheckpoint): PagerEngine {
    const engine = new PagerEngine(setup);
    const Kind = engine.k.constructor as new (s: KernelState, base: EngineCheckpoint['index']) => Kernel;
    // A loop into a list sized at once, not flat(): gathering 500 chunks with flat() takes milliseconds.
    let n = 0;
    for (const part of cp.threads) n += part.length;
    const threads = new Array<KThread>(n);
    let at = 0;
    for (const part of cp.threads) for (const t of part) threads[at++] = t.status === 'done' ? t : cloneData(t);
    const k = new Kind({ ...cloneData(cp.state), threads } as KernelState, cp.index);
    const restored = Object.create(PagerEngine.prototype) as PagerEngine;
    const reached: number[] = [];
    for (const line of cp.linesReached) {
      const word = line >> 4;
      while (reached.length <= word) reached.push(0);
      reached[word]! |= 1 << (line & 15);
    }
    Object.assign(restored, engine, {
      k,
      plain: k,
      stepIndex: cp.stepIndex,
      reached,
      reachedList: [...cp.linesReached],
      reachedSet: null,
    });
    for (const th of threads)
      if (th.status !== 'done') restored.procs.set(th.id, engine.model.start!(k, th, th.call, th.args));
    return restored;
  }
}
