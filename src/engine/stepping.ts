/**
 * Debugger stepping on a session: step over, step out, run to a line, and a
 * run that stops at breakpoints. Each is made of the contract's primitive
 * steps (`step`: one seed statement), applied one at a time until the
 * condition holds or the thread blocks, returns or panics, so the history,
 * exports and links hold only primitives. A run that never met a breakpoint
 * is recorded as the one `run` it equals.
 */
import type { StopInfo, StopReason } from '../protocol/debug';
import type { Step } from '../protocol/scenario';
import type { ThreadView } from '../protocol/snapshot';
import type { Session } from './session';

/** What to do with a thread. */
export type DebugAction =
  | { readonly kind: 'step' }
  /** Run through a call into a seed function to its return: stop at the next statement of this frame or an outer one. */
  | { readonly kind: 'over' }
  /** Run until the thread leaves the seed function it is in (from a caller's statement: to its end). */
  | { readonly kind: 'out' }
  /** Run until the thread stands at seed line `line`. */
  | { readonly kind: 'runTo'; readonly line: number }
  /** Run to a block or the end, stopping at breakpoints. */
  | { readonly kind: 'run' };

/**
 * The most primitive steps one command makes. A run of every seed function
 * here takes a few hundred; the bound only stops a thread that would loop
 * without blocking (uvm_vnp_sync on a uvn_wlist made a cycle, stepped or run
 * with breakpoints), leaving it ready where it got to.
 */
export const MACRO_STEP_LIMIT = 5000;

export interface DebugResult {
  /** The primitive steps now at the end of the history, in order. */
  readonly applied: readonly Step[];
  readonly stop: StopInfo;
}

function threadIn(session: Session, id: string): ThreadView | undefined {
  return session.threadView(id);
}

/** Why the thread must stop now, or null to go on. */
function stopReason(
  action: DebugAction,
  t: ThreadView,
  panicked: boolean,
  depth0: number,
  breakpoints: ReadonlySet<number>,
): StopReason | null {
  if (panicked) return 'panic';
  if (t.status === 'done') return 'done';
  if (t.status !== 'ready') return 'blocked';
  const depth = t.stack.length;
  switch (action.kind) {
    case 'step':
      return 'step';
    case 'over':
      if (depth <= depth0) return 'step';
      break;
    case 'out':
      if (depth < depth0) return 'returned';
      break;
    case 'runTo':
      if (t.line === action.line) return 'line';
      break;
    case 'run':
      break;
  }
  return t.line !== null && breakpoints.has(t.line) ? 'breakpoint' : null;
}

/** Lets a caller stop a stepping loop between two primitive steps (the worker's Cancel). */
export interface StopSignal {
  readonly cancelled: boolean;
}

const NEVER: StopSignal = { cancelled: false };

/**
 * Do `action` to `thread` at the session's cursor (forking a branch there if
 * it is behind the end); the steps it made and why it stopped, or the reason
 * it is impossible (nothing changed).
 */
export function debugStep(
  session: Session,
  thread: string,
  action: DebugAction,
  breakpoints: ReadonlySet<number> = new Set(),
  limit = MACRO_STEP_LIMIT,
): DebugResult | string {
  const stepping = debugStepping(session, thread, action, breakpoints, limit);
  for (;;) {
    const next = stepping.next();
    if (next.done) return next.value;
  }
}

/**
 * `debugStep` one primitive step at a time: it yields the number of steps
 * made after each, so the worker can run it in slices and answer in between;
 * if `signal` is cancelled when it is resumed, it stops there (reason
 * `cancelled`, the steps made so far kept).
 */
export function* debugStepping(
  session: Session,
  thread: string,
  action: DebugAction,
  breakpoints: ReadonlySet<number> = new Set(),
  limit = MACRO_STEP_LIMIT,
  signal: StopSignal = NEVER,
): Generator<number, DebugResult | string, void> {
  const start = threadIn(session, thread);
  const depth0 = start?.stack.length ?? 0;
  // A plain run is the contract's own step: one `run`.
  const primitive: Step = action.kind === 'run' && breakpoints.size === 0 ? { run: thread } : { step: thread };
  const squashable = action.kind === 'run' && 'step' in primitive;
  const applied: Step[] = [];
  let reason: StopReason | null = null;
  while (reason === null) {
    // A run stopped by no breakpoint is squashed into one `run` at the branch's end: it never follows the old future.
    const refusal = session.apply(primitive, { follow: !squashable });
    if (refusal !== null) {
      if (applied.length === 0) return refusal;
      // Not reached: the loop stops as soon as the thread cannot run.
      throw new Error(`debugStep: step ${applied.length + 1} refused: ${refusal}`);
    }
    applied.push(primitive);
    const t = threadIn(session, thread)!;
    reason = 'run' in primitive ? 'blocked' : stopReason(action, t, session.panic !== null, depth0, breakpoints);
    if (reason === null && applied.length >= limit) reason = 'limit';
    if (reason === null) {
      yield applied.length;
      if (signal.cancelled) reason = 'cancelled';
    }
  }
  const t = threadIn(session, thread)!;
  if ('run' in primitive || reason === 'blocked' || reason === 'done' || reason === 'panic') {
    // Say what actually happened to a plain run, too.
    reason = session.panic ? 'panic' : t.status === 'done' ? 'done' : t.status === 'ready' ? 'step' : 'blocked';
  }
  // A plain run the engine stopped at a loop that never ends (PagerEngine.spun): say so.
  const spun = 'run' in primitive ? session.spun : null;
  if (spun !== null && reason === 'step') reason = 'loops';
  let recorded: readonly Step[] = applied;
  if (squashable && (reason === 'blocked' || reason === 'done' || reason === 'panic')) {
    session.squashIntoRun(applied.length, thread);
    recorded = [{ run: thread }];
  }
  return {
    applied: recorded,
    stop: { thread, reason, line: t.line, steps: applied.length, ...(spun ? { why: spun.why } : {}) },
  };
}
