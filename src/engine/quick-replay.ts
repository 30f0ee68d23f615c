/**
 * A scenario replayed on the engine alone, for the answer to an open (link-open3): the snapshot at the
 * target step (and the one before it, which its changes are taken against), and each step's label and
 * trail for the timeline, without the history a Session records per step (keyframes, changes, checkpoints:
 * most of an open's CPU). The host answers with this, then records the history behind it.
 *
 * Each label is `describeStep`'s own, fed from the live kernel instead of the builder's views: the thread
 * that ran (its status, wait, line, stack, return), the lock it blocks on and the panic before and after are
 * the very fields the builder copies into its views, and the threads a completion woke are the engine's list,
 * as a Session's. test/quick-replay.test.ts
 * checks every label, trail and both snapshots against a Session's on each library scenario.
 */
import type { PagerProfile } from '../protocol/profile';
import type { Setup, Step } from '../protocol/scenario';
import type { TrailView, ViewSnapshot } from '../protocol/snapshot';
import { TrailPacker, type PackedTimeline } from '../protocol/timeline';
import { describeStep, type DescribedThread } from './describe';
import { PagerEngine } from './engine';
import { SnapshotBuilder } from './view';

export interface QuickReplay {
  readonly profile: PagerProfile;
  /** Each step in words, one per step. */
  readonly labels: readonly string[];
  /** The timeline as the answer carries it: the labels and every step's seed lines, packed as they came. */
  readonly packed: PackedTimeline;
  /** The seed lines step `i + 1` ran. */
  trail(i: number): TrailView;
  /** The snapshot after `target` steps, and after `target - 1` (null at the setup). */
  readonly snapshot: ViewSnapshot;
  readonly before: ViewSnapshot | null;
}

/** A step the engine refused: its index (0-based) and why. */
export interface QuickRefusal {
  readonly at: number;
  readonly refusal: string;
}

/** Seed lines as a Session's snapshot keeps them. */
const trailOf = (lines: number[], omitted: number): TrailView =>
  Object.freeze({ lines: Object.freeze(lines), omitted });

/** The replay's answer: its trails decoded from the packed timeline only when read. */
class Replayed implements QuickReplay {
  constructor(
    readonly profile: PagerProfile,
    readonly labels: readonly string[],
    private readonly trailPacker: TrailPacker,
    readonly snapshot: ViewSnapshot,
    readonly before: ViewSnapshot | null,
  ) {}

  get packed(): PackedTimeline {
    return this.trailPacker.finish(this.labels);
  }

  trail(i: number): TrailView {
    return this.trailPacker.trail(i);
  }
}

const NO_LOCKS: ViewSnapshot['locks'] = [];

/**
 * Replay `steps` from `setup`: a generator yielding the steps done (so a host can slice it and look for a
 * Cancel) that returns the replay, or the first refusal. It yields after each step, or with `due`, only after
 * a step when `due()` says the host's slice is over. The engine is made at once: a bad setup throws here, as
 * a Session's constructor would.
 */
export function quickReplay(
  setup: Setup,
  steps: readonly Step[],
  target: number,
  due?: () => boolean,
): Generator<number, QuickReplay | QuickRefusal, void> {
  return replaying(new PagerEngine(setup), steps, target, due);
}

function* replaying(
  engine: PagerEngine,
  steps: readonly Step[],
  target: number,
  due: (() => boolean) | undefined,
): Generator<number, QuickReplay | QuickRefusal, void> {
  const k = engine.k;
  const s = k.s;
  const views = engine.model.views;
  const builder = new SnapshotBuilder(k, engine.model);
  let before: ViewSnapshot | null = null;
  let snapshot = target === 0 ? builder.build(0) : null;
  const labels: string[] = [];
  // Each step's lines go straight into the packed timeline: no TrailView per step (the engine makes a new
  // list per step, so the last step's is kept as it is for the two snapshots that show it).
  const trails = new TrailPacker(steps.length, steps.length * 4);
  let lastLines: number[] = [];
  let lastOmitted = 0;
  // The thread a run or step moved, as describeStep reads it (the fields a ThreadView copies from it).
  const thread = (id: string): DescribedThread | undefined => {
    const t = k.thread(id);
    if (!t) return undefined;
    const blockedOn = t.status === 'sleep' ? (views.blockedOn?.(k, t) ?? null) : null;
    const { status, wait, ret, line, callerStmt, stack } = t;
    return { status, wait, ret, line, callerStmt, stack, blockedOn };
  };
  for (let i = 0; i < steps.length; i++) {
    const step = steps[i]!;
    if (i === target - 1) before = builder.build(i, i === 0 ? undefined : trailOf(lastLines, lastOmitted));
    const panicked = s.panic !== null;
    const refusal = engine.apply(step);
    if (refusal !== null) return { at: i, refusal };
    lastLines = engine.trail;
    lastOmitted = engine.trailOmitted;
    trails.add(lastLines, lastOmitted);
    const moved = 'run' in step ? step.run : 'step' in step ? step.step : null;
    const t = moved === null ? undefined : k.thread(moved);
    // A thread blocked on a lock is one of its waiters, so the lock is listed, with its owner.
    const locks =
      t?.status === 'lock' && t.wait !== null
        ? [{ name: t.wait, owner: s.locks[t.wait]?.owner ?? null } as ViewSnapshot['locks'][number]]
        : NO_LOCKS;
    labels.push(
      describeStep(
        step,
        { panic: panicked ? s.panic : null },
        { panic: s.panic && { ...s.panic }, locks },
        thread,
        engine.woken,
        engine.spun,
      ),
    );
    if (i === target - 1) {
      builder.advance(i + 1, trailOf(lastLines, lastOmitted));
      snapshot = builder.snapshot();
    }
    if (due === undefined || due()) yield i + 1;
  }
  return new Replayed(engine.model.profile, labels, trails, snapshot!, before);
}
