/**
 * A session: the scenario's setup and its history. The history is a set of
 * branches (lines of steps); the current one holds the steps applied so far,
 * the snapshot after each and its label in words. Going back or jumping to a
 * step returns its stored snapshot at once. Acting on a past step keeps the
 * old future: a new branch is made that shares the steps up to the cursor,
 * and the live engine is rebuilt by replaying them, which determinism makes
 * exact. Branches can be switched to and compared step by step by digest.
 */
import { changesBetween, type ChangeSet } from '../protocol/changes';
import type { BranchView, Comparison, ComparisonRow } from '../protocol/debug';
import type { PagerProfile } from '../protocol/profile';
import type { Setup, Step } from '../protocol/scenario';
import type { ThreadView, TrailView, ViewSnapshot } from '../protocol/snapshot';
import { describeStep } from './describe';
import { digestDiff } from './digest-diff';
import { PagerEngine, TRAIL_MAX, type EngineCheckpoint } from './engine';
import type { Digest } from './model';
import { SnapshotHistory } from './history';
import { LabelList } from './labels';
import { listHint } from './list-hints';
import { SnapshotBuilder } from './view';

/** One branch of the history. Its arrays share nothing mutable with another branch's. */
interface Line {
  readonly id: number;
  readonly parent: number | null;
  /** Steps shared with the parent branch. */
  readonly forkAt: number;
  readonly steps: Step[];
  /** Each step in words (packed: see labels.ts). */
  readonly labels: LabelList;
  /** One more than the steps: the setup's snapshot first. */
  readonly snapshots: SnapshotHistory;
  /** The engine's state at some steps where no thread was inside a call, ascending: replays start there. */
  readonly checkpoints: { at: number; cp: EngineCheckpoint; next: number }[];
}

/**
 * Fewest steps between two checkpoints: a fork replays at most this many (plus
 * the steps since the last quiet moment). A bigger state makes a bigger copy,
 * so the next one waits longer: a step per 40 entries of the copy (about a
 * byte of its JSON per 600 steps, as when the JSON itself was measured, at a
 * hundredth of the cost).
 */
const MIN_SPACING = 200;
const spacingAfter = (cp: EngineCheckpoint): number => Math.max(MIN_SPACING, Math.round(entries(cp.state, 3) / 40));

/**
 * While a whole scenario is replayed at once (a link or a file opened), checkpoints are this many times
 * further apart: fewer big copies during the load, and a fork into the loaded history replays a few
 * thousand steps more (the engine alone runs them in milliseconds). Steps applied after it use the spacing.
 */
const LOAD_STRETCH = 2;

/**
 * Array items and object fields in `value`, down to `depth` levels: the size of a kernel state without
 * serialising it. Three levels reach each page's and thread's fields (state, pager, its lists, their
 * items); measured on the OpenBSD and FreeBSD models, one entry is 13 to 17 bytes of JSON.
 */
function entries(value: unknown, depth: number): number {
  if (value === null || typeof value !== 'object') return 0;
  const items = Array.isArray(value) ? (value as unknown[]) : Object.values(value);
  let n = items.length;
  if (depth > 1) for (const item of items) n += entries(item, depth - 1);
  else if (depth === 1)
    for (const item of items) n += item !== null && typeof item === 'object' ? Object.keys(item).length : 0;
  return n;
}

/** A branch made by a fork holds its parent's very step objects: identity answers at once. */
const sameStep = (a: Step, b: Step) => a === b || JSON.stringify(a) === JSON.stringify(b);

/** Steps two lists share from the start. */
function sharedPrefix(a: readonly Step[], b: readonly Step[]): number {
  let i = 0;
  while (i < a.length && i < b.length && sameStep(a[i]!, b[i]!)) i++;
  return i;
}

/** What the engine's last step ran, for its snapshot. */
function trailOf(engine: PagerEngine): TrailView {
  return Object.freeze({ lines: Object.freeze(engine.trail), omitted: engine.trailOmitted });
}

/** The trail of several steps taken one after another, as one step would have kept it. */
function joinTrails(trails: readonly TrailView[]): TrailView {
  const lines: number[] = [];
  let omitted = 0;
  for (const t of trails) {
    for (const line of t.lines) {
      if (lines.at(-1) === line) continue;
      if (lines.length < TRAIL_MAX) lines.push(line);
      else omitted++;
    }
    omitted += t.omitted;
  }
  return Object.freeze({ lines: Object.freeze(lines), omitted });
}

/**
 * The first seed line `thread` reaches when it is stepped from its spawn in `steps` (on a scratch engine), or
 * null: where the source shows a thread the user is about to follow before it has started.
 */
export function entryLineOf(setup: Setup, steps: readonly Step[], thread: string, bound = 200): number | null {
  const spawn = steps.findIndex((s) => 'spawn' in s && s.spawn === thread);
  if (spawn < 0) return null;
  const engine = new PagerEngine(setup);
  for (let i = 0; i <= spawn; i++) engine.apply(steps[i]!);
  for (let i = 0; i < bound; i++) {
    if (engine.apply({ step: thread }) !== null) return null;
    const t = engine.k.thread(thread);
    if (t?.line != null) return t.line;
    if (!t || t.status !== 'ready') return null;
  }
  return null;
}

/** A branch as the Timeline shows it (named by its id); also the open's answer's one branch, before its history is built. */
export function branchView(
  id: number,
  length: number,
  parent: number | null,
  forkAt: number,
  firstLabel: string | null,
): BranchView {
  return { id, name: `Branch ${id}`, length, parent, forkAt, firstLabel };
}

export class Session {
  private engine: PagerEngine;
  private builder: SnapshotBuilder;
  /** Steps of the current branch the live engine has applied (it may be ahead of the cursor); -1: none valid. */
  private engineAt = 0;
  private readonly lines: Line[];
  private line: Line;
  /** The snapshot last materialised, so repeated reads of one step are free. */
  private materialised: { line: Line; at: number; snapshot: ViewSnapshot } | null = null;
  /** Steps applied in what the user sees: 0..steps.length. */
  private cursorAt = 0;
  /** The snapshot shown before the last step applied, if one was asked for: what its changes are against. */
  private previous: { line: Line; at: number; snapshot: ViewSnapshot } | null = null;

  constructor(readonly setup: Setup) {
    this.engine = new PagerEngine(setup);
    this.builder = new SnapshotBuilder(this.engine.k, this.engine.model);
    const snapshots = new SnapshotHistory();
    snapshots.push(this.builder.build(0));
    this.line = { id: 1, parent: null, forkAt: 0, steps: [], labels: new LabelList(), snapshots, checkpoints: [] };
    this.lines = [this.line];
  }

  /** What the panels show for this session's pager. */
  get profile(): PagerProfile {
    return this.engine.model.profile;
  }

  get cursor(): number {
    return this.cursorAt;
  }

  get length(): number {
    return this.line.steps.length;
  }

  /** The current branch's steps. */
  get history(): readonly Step[] {
    return this.line.steps;
  }

  /** The current branch's steps in words, one per step. */
  get labels(): readonly string[] {
    return this.line.labels.slice();
  }

  /** The current branch's labels from step `from + 1` on (what a timeline update sends). */
  labelsFrom(from: number): string[] {
    return this.line.labels.slice(from);
  }

  /** The seed lines step `at` of the current branch ran (1 for the first step). */
  trailAt(at: number): TrailView {
    return this.line.snapshots.trailAt(at);
  }

  /** The steps of the current branch at which the engine's state is kept (a replay starts at the nearest). */
  get checkpoints(): readonly number[] {
    return this.line.checkpoints.map((c) => c.at);
  }

  /** The current branch's id. */
  get branch(): number {
    return this.line.id;
  }

  get branches(): readonly BranchView[] {
    return this.lines.map((l) => branchView(l.id, l.steps.length, l.parent, l.forkAt, l.labels.at(l.forkAt) ?? null));
  }

  /** The steps of every branch but the current one (copies). */
  otherBranches(): { id: number; steps: Step[] }[] {
    return this.lines.filter((l) => l !== this.line).map((l) => ({ id: l.id, steps: l.steps.slice() }));
  }

  snapshot(at = this.cursorAt): ViewSnapshot {
    const m = this.materialised;
    if (m?.at === at && m.line === this.line) return m.snapshot;
    // The builder holds the live engine's state: copying its lists out beats replaying records.
    const snapshot = at === this.engineAt ? this.builder.snapshot() : this.line.snapshots.at(at);
    this.materialised = { line: this.line, at, snapshot };
    return snapshot;
  }

  /** What the step that led to `at` changed, against the step before it (nothing at the setup). */
  changes(at = this.cursorAt): ChangeSet {
    const p = this.previous;
    const before =
      at === 0 ? null : p?.line === this.line && p.at === at - 1 ? p.snapshot : this.line.snapshots.at(at - 1);
    const after = this.snapshot(at);
    return changesBetween(before, after, listHint(before, after));
  }

  /** The panic at the cursor, if any: where the live engine is, read without copying a snapshot out. */
  get panic(): ViewSnapshot['panic'] {
    return this.engineAt === this.cursorAt ? this.builder.current!.panic : this.snapshot().panic;
  }

  /** Thread `id` at the cursor: where the live engine is, the builder's (no copy of thousands of threads). */
  /** The last applied step was a run stopped at an endless loop (PagerEngine.spun), at the cursor. */
  get spun(): PagerEngine['spun'] {
    return this.engineAt === this.cursorAt ? this.engine.spun : null;
  }

  threadView(id: string): ThreadView | undefined {
    if (this.engineAt === this.cursorAt) return this.builder.threadView(id);
    return this.snapshot().threads.find((t) => t.id === id);
  }

  /**
   * Apply a step at the cursor; null or the reason it is impossible. Behind
   * the end, the step the branch takes next is followed (the cursor moves on,
   * nothing forks: determinism makes it the very state recorded), and any other
   * step keeps the branch's future and starts a new branch from the cursor.
   * `loading`: one of a whole scenario's steps replayed at once (checkpoints
   * further apart, see LOAD_STRETCH). `follow: false`: fork even on the recorded
   * step (a run that will be squashed into one step must make its steps at a
   * branch's end).
   */
  apply(step: Step, how: { loading?: boolean; follow?: boolean } = {}): string | null {
    if (this.engineAt !== this.cursorAt) this.replay(this.cursorAt);
    const m = this.materialised;
    const shown = m?.line === this.line && m.at === this.cursorAt ? m.snapshot : null;
    const before = this.builder.current!;
    const refusal = this.engine.apply(step);
    // NOTE: an impossible step changes nothing, so it must not fork either.
    if (refusal !== null) return refusal;
    const line0 = this.line;
    const follows =
      how.follow !== false && this.cursorAt < line0.steps.length && sameStep(step, line0.steps[this.cursorAt]!);
    if (this.cursorAt < line0.steps.length && !follows) this.fork();
    const line = this.line;
    if (!follows) line.steps.push(step);
    this.engineAt++;
    this.cursorAt++;
    const trail = trailOf(this.engine);
    // Followed, the builder still moves with the engine; the branch already holds the step's snapshot and label.
    const change = this.builder.advance(this.cursorAt, trail);
    if (!follows) {
      line.snapshots.pushChange(change, trail, this.builder);
      line.labels.push(
        describeStep(
          step,
          before,
          change.rest,
          (id) => this.builder.threadView(id),
          this.engine.woken,
          this.engine.spun,
        ),
      );
    }
    // Materialised when asked for: a load of 16,000 steps asks once, at the end.
    this.materialised = null;
    this.previous = shown ? { line, at: this.cursorAt - 1, snapshot: shown } : null;
    if (!follows) this.checkpoint(how.loading ?? false);
    return null;
  }

  /**
   * The last `count` steps, all applied just now at the end of the current
   * branch, ran `thread` from ready to a block, its return or a panic: exactly
   * what one `run` does (the same generator resumed through the same
   * statements), so they are recorded as that one step.
   */
  squashIntoRun(count: number, thread: string): void {
    const line = this.line;
    const from = line.steps.length - count;
    if (count < 1 || from < 0 || this.cursorAt !== line.steps.length || this.engineAt !== this.cursorAt)
      throw new Error('squashIntoRun: the steps must have just been applied at the end');
    const before = this.snapshot(from);
    const trails: TrailView[] = [];
    for (let i = from + 1; i < line.snapshots.length; i++) trails.push(line.snapshots.trailAt(i));
    const trail = joinTrails(trails);
    line.steps.length = from;
    line.labels.truncate(from);
    line.snapshots.truncate(from + 1);
    this.previous = null;
    while ((line.checkpoints.at(-1)?.at ?? 0) > from) line.checkpoints.pop();
    const step: Step = { run: thread };
    line.steps.push(step);
    this.engine.renumber(from + 1);
    this.cursorAt = this.engineAt = from + 1;
    const built = this.builder.build(this.cursorAt, trail);
    // Against the snapshot before the squashed steps, which the builder did not build last.
    line.snapshots.push(built);
    line.labels.push(describeStep(step, before, built, (id) => this.builder.threadView(id)));
    this.materialised = { line, at: this.cursorAt, snapshot: built };
  }

  /** Move the cursor; the live engine catches up lazily on the next apply. */
  seek(to: number): ViewSnapshot {
    this.cursorAt = Math.max(0, Math.min(to, this.line.steps.length));
    return this.snapshot();
  }

  /**
   * Make branch `id` the current one; null, or why not. The cursor stays
   * where it is when both branches have the same steps up to it, else it goes
   * to the last step they share.
   */
  switchBranch(id: number): string | null {
    const target = this.lines.find((l) => l.id === id);
    if (!target) return `there is no branch ${id}`;
    if (target === this.line) return null;
    const shared = sharedPrefix(this.line.steps, target.steps);
    // The engine stays usable only if every step it applied is one of the new branch's too.
    if (this.engineAt > shared) this.engineAt = -1;
    this.line = target;
    this.cursorAt = Math.min(this.cursorAt, shared);
    this.materialised = null;
    return null;
  }

  /**
   * The first seed line `thread` reaches when it is stepped from its spawn in
   * the current branch (on a scratch engine), or null: where the source shows
   * a thread the user is about to follow before it has started.
   */
  entryLine(thread: string, bound = 200): number | null {
    return entryLineOf(this.setup, this.line.steps, thread, bound);
  }

  /** Steps the current branch shares with branch `id` (0 if there is none). */
  sharedWith(id: number): number {
    const other = this.lines.find((l) => l.id === id);
    return other ? sharedPrefix(this.line.steps, other.steps) : 0;
  }

  /**
   * Branches `a` and `b` step by step: at each step index after the steps
   * they share, both steps in words and the digest fields that differ. The
   * digests come from replaying each branch on a fresh engine.
   */
  compare(a: number, b: number): Comparison | string {
    const la = this.lines.find((l) => l.id === a);
    const lb = this.lines.find((l) => l.id === b);
    if (!la || !lb) return `there is no branch ${la ? b : a}`;
    const shared = sharedPrefix(la.steps, lb.steps);
    const da = this.digests(la.steps, shared);
    const db = this.digests(lb.steps, shared);
    const rows: ComparisonRow[] = [];
    for (let i = shared + 1; i <= Math.max(la.steps.length, lb.steps.length); i++) {
      const x = da[i - shared];
      const y = db[i - shared];
      rows.push({
        index: i,
        a: la.labels.at(i - 1) ?? null,
        b: lb.labels.at(i - 1) ?? null,
        differ: x && y ? digestDiff(x, y) : [],
      });
    }
    return { a, b, shared, rows };
  }

  /** The contract digest at the live engine (after replaying to the cursor if needed). */
  digest(): Digest {
    if (this.engineAt !== this.cursorAt) this.replay(this.cursorAt);
    return this.engine.digest();
  }

  /** Seed lines reached so far by the live engine. */
  get linesReached(): ReadonlySet<number> {
    return this.engine.linesReached;
  }

  /** Digests after `from`, `from + 1`, … every step of `steps`, on a fresh engine. */
  private digests(steps: readonly Step[], from: number): Digest[] {
    const engine = new PagerEngine(this.setup);
    const out: Digest[] = [];
    for (let i = 0; i <= steps.length; i++) {
      if (i >= from) out.push(engine.digest());
      if (i < steps.length) engine.apply(steps[i]!);
    }
    return out;
  }

  /** The current branch keeps its future; a new one, sharing the steps up to the cursor, becomes current. */
  private fork(): void {
    const old = this.line;
    const at = this.cursorAt;
    const line: Line = {
      id: this.lines.length + 1,
      parent: old.id,
      forkAt: at,
      steps: old.steps.slice(0, at),
      labels: old.labels.share(at),
      snapshots: old.snapshots.copy(at + 1),
      checkpoints: old.checkpoints.filter((c) => c.at <= at),
    };
    this.lines.push(line);
    this.line = line;
    this.materialised = null;
  }

  /** Keep the engine's state now if no thread is inside a call and the last copy is far enough back. */
  private checkpoint(loading: boolean): void {
    const engine = this.engine;
    if (!engine.quiescent) return;
    const list = this.line.checkpoints;
    const last = list.at(-1);
    const next = last ? (loading ? last.at + (last.next - last.at) * LOAD_STRETCH : last.next) : MIN_SPACING;
    if (this.engineAt < next) return;
    const cp = engine.checkpoint(last?.cp ?? null);
    list.push({ at: this.engineAt, cp, next: this.engineAt + spacingAfter(cp) });
  }

  /** The live engine at step `to` of the current branch: from the nearest checkpoint, replaying the rest. */
  private replay(to: number): void {
    const list = this.line.checkpoints;
    let i = list.length - 1;
    while (i >= 0 && list[i]!.at > to) i--;
    const from = i >= 0 ? list[i]! : null;
    this.engine = from ? PagerEngine.restore(this.setup, from.cp) : new PagerEngine(this.setup);
    for (let i = from?.at ?? 0; i < to; i++) this.engine.apply(this.line.steps[i]!);
    this.builder = new SnapshotBuilder(this.engine.k, this.engine.model);
    // The stored snapshot shows this very state: patch it from here (no rebuild of 4,096 pages).
    this.builder.resume(this.line.snapshots.at(to));
    this.engineAt = to;
  }
}
