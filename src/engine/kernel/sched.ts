/**
 * Panic, KASSERT, sleep and wakeup: the parts of the scheduler every pager
 * leans on. Nothing here picks who runs next; the user does. A blocked thread
 * yields BLOCK and, once made runnable, retries when it is next run (no
 * hand-off), as the scenario contract says.
 */
import type { Kernel } from './kernel';
import { lockRelease } from './locks';
import { BLOCK, PANIC, SPIN, type KThread, type Proc } from './types';

/** Stop the whole kernel: every later step is refused. The thread stays "ready". */
export function* panic(k: Kernel, th: KThread, message: string): Proc<never> {
  k.s.panic = { message, thread: th.id, line: th.line };
  for (;;) yield PANIC;
}

/** A failed KASSERT's message, EXPR as written in the C with white space runs folded. */
export function kassertMessage(expr: string, file: string, line: number): string {
  return `kernel diagnostic assertion "${expr.replace(/\s+/g, ' ')}" failed: file "${file}", line ${line}`;
}

const DONE: IteratorResult<never, void> = Object.freeze({ done: true, value: undefined });

/**
 * A call that has already returned, nothing yielded: what a helper whose common path runs no statement and
 * never blocks (a KASSERT that holds, a free lock taken) returns instead of a generator, which costs an
 * allocation and a resume per call. Only for helpers every caller runs at once with `yield*`: the helper's
 * work then happens at the same moment either way.
 */
export const RETURNED: Proc = Object.freeze({
  next: () => DONE,
  return: () => DONE,
  throw: (e: unknown) => {
    throw e;
  },
  [Symbol.iterator]() {
    return this;
  },
}) as unknown as Proc;

/**
 * OpenBSD's KASSERT under DIAGNOSTIC: the message names the expression, the
 * file (the caller's seed) and the line.
 */
export function KASSERT(k: Kernel, th: KThread, cond: boolean, expr: string, file: string, line: number): Proc {
  return cond ? RETURNED : panic(k, th, kassertMessage(expr, file, line));
}

/** Put the thread to sleep on `channel`; returns once it has been woken and run again. */
export function* sleepOn(_k: Kernel, th: KThread, channel: string, wmesg: string): Proc {
  th.status = 'sleep';
  th.wait = wmesg;
  th.chan = channel;
  yield BLOCK;
}

/** Release `lock` and sleep on `channel` in one move (msleep, rwsleep): no wakeup can fall between. */
export function* sleepReleasing(k: Kernel, th: KThread, channel: string, lock: string, wmesg: string): Proc {
  lockRelease(k, lock);
  yield* sleepOn(k, th, channel, wmesg);
}

/** Every sleeper on `channel` becomes runnable. */
export function wakeup(k: Kernel, channel: string): void {
  const observer = k.observer;
  observer?.scanBegin(`chan:${channel}`);
  for (const t of k.liveThreads()) {
    if (t.status === 'sleep' && t.chan === channel) {
      t.status = 'ready';
      t.wait = null;
      t.chan = null;
    }
  }
  observer?.scanEnd();
}

/**
 * A traced call in progress: the thread's stack names the function from its first resume until its body
 * returns. An iterator rather than a wrapping generator: every statement a thread runs is yielded through
 * each frame of its stack, and a `yield*` through this object's `next` costs half what a second generator
 * frame did (the explorer replays millions of statements).
 */
class TracedCall<T, K extends Kernel, A extends unknown[]> {
  private inner: Proc<T> | null = null;
  /** Where the caller stood: its statement goes on after the return (and may block there). */
  private callerLine: number | null = null;
  private callerStmt: string | null = null;

  // The body and its arguments are kept, not a closure calling it: one object less per call.
  constructor(
    private readonly name: string,
    private readonly body: (k: K, th: KThread, ...args: A) => Proc<T>,
    private readonly k: K,
    private readonly th: KThread,
    private readonly args: A,
  ) {}

  next(): IteratorResult<number | string, T> {
    let inner = this.inner;
    if (inner === null) {
      this.callerLine = this.th.line;
      this.callerStmt = this.th.callerStmt;
      this.th.stack.push(this.name);
      enterFrame(this.th);
      inner = this.inner = this.body(this.k, this.th, ...this.args);
    }
    const r = inner.next();
    if (r.done === true) {
      leaveFrame(this.th);
      this.th.stack.pop();
      // The rest of the caller's statement runs at the caller's line: a block there shows that line.
      this.th.line = this.callerLine;
      this.th.callerStmt = this.callerStmt;
    }
    return r;
  }

  return(value: T): IteratorResult<number | string, T> {
    return this.inner ? this.inner.return(value) : { done: true, value };
  }

  throw(e: unknown): IteratorResult<number | string, T> {
    if (this.inner) return this.inner.throw(e);
    throw e;
  }

  [Symbol.iterator](): this {
    return this;
  }
}

/**
 * Wrap a modelled function so the thread's stack names it while it runs
 * (the source pane shows the stack). A panic leaves the stack as it was.
 */
export function traced<A extends unknown[], T, K extends Kernel = Kernel>(
  name: string,
  body: (k: K, th: KThread, ...args: A) => Proc<T>,
): (k: K, th: KThread, ...args: A) => Proc<T> {
  // Not a generator (see TracedCall): `yield*` only needs next(); the engine resumes it the same way.
  return (k, th, ...args) => new TracedCall(name, body, k, th, args) as unknown as Proc<T>;
}

/**
 * The thread being resumed by a `step` (stop after one statement) rather than a `run` (go on until the thread
 * blocks or returns). In a run nobody sees the statements between two blocks, so a loop may cross, in one
 * move, a stretch of iterations that change nothing (uvn_flush's walk over offsets with no page). Only the
 * thread being resumed ever asks (engines run one thread at a time, to its next stop), so one slot does.
 */
let stepping: KThread | null = null;

/** The engine says how it resumes `th` (before each resume). */
export function setStepping(th: KThread, on: boolean): void {
  if (on) stepping = th;
  else if (stepping === th) stepping = null;
}

/** Whether `th` is being stepped: every statement must then be its own stop. */
export function isStepping(th: KThread): boolean {
  return stepping === th;
}

/** Why the thread that last yielded SPIN loops for ever (read once by the engine). */
let spinWhy: string | null = null;

/**
 * The thread stands at a statement from which, in a `run`, it would loop for ever without blocking (no other
 * thread runs during a run, so nothing can end the loop): the run stops here, the thread ready at this
 * statement, as if it had been stepped up to it; `why` says what the lab tells. A `step` runs on: every
 * statement of every lap stays its own stop. The model calls it right after the statement's line, before
 * running it: `yield 1469; if (...) yield* loopsForEver(th, '...');`.
 */
export function* loopsForEver(th: KThread, why: string): Proc {
  if (isStepping(th)) return;
  spinWhy = why;
  yield SPIN;
}

/** The reason the last SPIN gave, cleared. */
export function takeSpinReason(): string {
  const why = spinWhy ?? 'it loops for ever';
  spinWhy = null;
  return why;
}

/** A C local's value as the locals pane shows it. */
export type LocalValue = string | number | boolean | null;

/**
 * Reads a seed function's C locals, by their C names, at the moment it is
 * called: a closure over the generator's own variables, so the model keeps
 * plain JS locals and pays nothing per statement.
 */
export type LocalsReader = () => Readonly<Record<string, LocalValue>>;

/**
 * The locals readers of each thread's frames, parallel to `th.stack`. Kept
 * beside the kernel state, like the generators themselves: a closure is not
 * data, but what it reads is the generator's state, which replay rebuilds.
 */
const frames = new WeakMap<KThread, (LocalsReader | null)[]>();

function enterFrame(th: KThread): void {
  let list = frames.get(th);
  if (!list) frames.set(th, (list = []));
  list.push(null);
}

function leaveFrame(th: KThread): void {
  frames.get(th)?.pop();
}

/**
 * Declare the C locals of the innermost traced function `th` is in. Call it
 * once, after the locals are declared:
 * `locals(th, () => ({ lcv, result, pp: pageName(pp) }))`.
 */
export function locals(th: KThread, read: LocalsReader): void {
  const list = frames.get(th);
  if (list && list.length > 0) list[list.length - 1] = read;
}

/** Each frame's locals now, outermost first (empty for a frame that declared none). */
export function readLocals(th: KThread): Readonly<Record<string, LocalValue>>[] {
  return (frames.get(th) ?? []).map((read) => (read ? read() : {}));
}

/** Forget a finished thread's frames. */
export function dropFrames(th: KThread): void {
  frames.delete(th);
}
