/**
 * Run a scenario and keep what teaching judges at every state: the digest
 * and the thread views (src/protocol/snapshot.ts). States are indexed by the
 * runner's digest step: `at(-1)` is the state before the first step, `at(k)`
 * the state after step k (0-based), exactly the `"step"` of the runner's line.
 *
 * With `lines`, a second engine replays each `run` one seed statement at a
 * time (a `run` is the same statements as repeated `step`s until the thread
 * blocks or returns; the replay is checked to end in the same state), and the
 * seed lines the thread went through are kept: a lesson may point at a line
 * the thread passed during its step, not only where it stopped.
 *
 * A `complete` step of an asynchronous read (FreeBSD's
 * vnode_pager_generic_getpages_done_async) runs seed lines in no thread of
 * the scenario, as an interrupt would. Its lines are kept too, credited to
 * the thread that started the request (the request's `thread` in the
 * digest): that is whose work the completion finishes.
 */
import { PagerEngine } from '../engine/engine';
import { SnapshotBuilder } from '../engine/view';
import { stringifyDigest } from '../protocol/digest-json';
import type { Scenario, Step } from '../protocol/scenario';
import { threadOf } from '../protocol/scenario';
import { digestIo, digestThreads, type JudgeState, type ThreadView } from './state';

export interface TracedState extends JudgeState {
  readonly threads: readonly ThreadView[];
  /**
   * The thread the step ran or stepped; for a completion that ran seed lines, the thread that started the
   * request; null for a spawn or a completion that ran none.
   */
  readonly ran: string | null;
  /** Seed lines that thread (or the completion) went through during the step (only with `lines`), in order. */
  readonly passed: readonly number[];
}

export interface Trace {
  /** States by digest step + 1: states[0] is step -1. */
  readonly states: readonly TracedState[];
  /** The first impossible step, if any (its digest step and why); the trace stops before it. */
  readonly refused: { step: number; reason: string } | null;
}

/** The state at digest step `step` (-1 .. steps-1), or undefined. */
export function stateAt(trace: Trace, step: number): TracedState | undefined {
  return trace.states[step + 1];
}

function freeze(
  engine: PagerEngine,
  builder: SnapshotBuilder,
  step: Step | null,
  passed: number[],
  completer: string | null,
): TracedState {
  const snapshot = builder.build(engine.stepIndex + 1);
  const ran = step && !('spawn' in step) ? (threadOf(step) ?? completer) : null;
  return { digest: engine.digest(), threads: snapshot.threads, ran, passed };
}

/** The thread that started the request a `complete` step finishes, if that step's completion ran seed lines. */
function completerOf(step: Step, before: ReturnType<PagerEngine['digest']>, after: PagerEngine): string | null {
  if (!('complete' in step) || after.trail.length === 0) return null;
  const thread = digestIo(before).find((r) => r.id === step.complete)?.thread;
  return typeof thread === 'string' ? thread : null;
}

/**
 * Apply a step to the shadow engine statement by statement, noting every seed line the thread stands at.
 * The shadow must end in the state the plain step gave: the replay is checked, not assumed.
 */
function replayNoting(shadow: PagerEngine, builder: SnapshotBuilder, step: Step, expected: PagerEngine): number[] {
  const id = threadOf(step);
  const passed: number[] = [];
  if (id === null || 'spawn' in step) {
    shadow.apply(step);
  } else {
    const note = () => {
      const line = builder.build(0).threads.find((t) => t.id === id)?.line ?? null;
      if (line !== null && passed.at(-1) !== line) passed.push(line);
    };
    const ready = () =>
      shadow.digest().panic === null && digestThreads(shadow.digest()).find((t) => t.id === id)?.status === 'ready';
    do {
      if (shadow.apply({ step: id }) !== null) break;
      note();
    } while ('run' in step && ready());
  }
  const same = (e: PagerEngine) => stringifyDigest({ ...e.digest(), step: 0 });
  if (same(shadow) !== same(expected))
    throw new Error(
      `replaying ${JSON.stringify(step)} statement by statement did not reach the state the step reached`,
    );
  return passed;
}

/** Run `scenario`, keeping every state; `lines` also records the seed lines each step went through. */
export function traceScenario(scenario: Scenario, options: { lines?: boolean } = {}): Trace {
  const engine = new PagerEngine(scenario);
  const builder = new SnapshotBuilder(engine.k, engine.model);
  const shadow = options.lines ? new PagerEngine(scenario) : null;
  const shadowBuilder = shadow ? new SnapshotBuilder(shadow.k, shadow.model) : null;
  const states: TracedState[] = [freeze(engine, builder, null, [], null)];
  for (const [i, step] of scenario.steps.entries()) {
    const before = engine.digest();
    const refusal = engine.apply(step);
    if (refusal !== null) return { states, refused: { step: i, reason: refusal } };
    const completer = completerOf(step, before, engine);
    // A completion runs no thread to replay: its lines are the engine's own trail of the step.
    const passed = shadow ? replayNoting(shadow, shadowBuilder!, step, engine) : [];
    if (completer !== null && shadow) passed.push(...engine.trail);
    states.push(freeze(engine, builder, step, passed, completer));
  }
  return { states, refused: null };
}
