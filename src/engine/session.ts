/**
 * A session: the scenario's setup, the steps applied so far and the snapshot
 * after each. Going back or jumping to a step returns its stored snapshot at
 * once. Acting after going back forks a new future: the steps beyond the
 * cursor are dropped and the live engine is rebuilt by replaying the steps up
 * to the cursor, which determinism makes exact.
 */
import { changesBetween, type ChangeSet } from '../protocol/changes';
import type { PagerProfile } from '../protocol/profile';
import type { Setup, Step } from '../protocol/scenario';
import type { PageView, ThreadView, TrailView, ViewSnapshot } from '../protocol/snapshot';
import { PagerEngine } from './engine';
import type { Digest } from './model';
import { SnapshotBuilder } from './view';

/**
 * A snapshot as history keeps it: the page list cut into chunks, each shared
 * with the previous step's when none of its pages changed, so a long history
 * over thousands of pages costs a few hundred bytes a step.
 */
interface StoredSnapshot {
  readonly rest: Omit<ViewSnapshot, 'pages' | 'threads'>;
  readonly pages: Chunks<PageView>;
  readonly threads: Chunks<ThreadView>;
}

type Chunks<T> = readonly (readonly T[])[];

const CHUNK = 64;

/** Cut `items` into chunks, reusing each of `prev`'s chunks whose items are all the same objects. */
function chunk<T>(items: readonly T[], prev: Chunks<T> | undefined): Chunks<T> {
  const chunks: (readonly T[])[] = [];
  for (let at = 0, i = 0; at < items.length; at += CHUNK, i++) {
    const old = prev?.[i];
    const end = Math.min(at + CHUNK, items.length);
    let same = old !== undefined && old.length === end - at;
    for (let j = at; same && j < end; j++) same = old![j - at] === items[j];
    chunks.push(same ? old! : items.slice(at, end));
  }
  return chunks;
}

const flat = <T>(chunks: Chunks<T>): readonly T[] => (chunks.length === 1 ? chunks[0]! : chunks.flat());

function store(snapshot: ViewSnapshot, prev: StoredSnapshot | undefined): StoredSnapshot {
  const { pages, threads, ...rest } = snapshot;
  return { rest, pages: chunk(pages, prev?.pages), threads: chunk(threads, prev?.threads) };
}

function load(stored: StoredSnapshot): ViewSnapshot {
  return { ...stored.rest, pages: flat(stored.pages), threads: flat(stored.threads) };
}

/** What the engine's last step ran, for its snapshot. */
function trailOf(engine: PagerEngine): TrailView {
  return Object.freeze({ lines: Object.freeze(engine.trail), omitted: engine.trailOmitted });
}

export class Session {
  private engine: PagerEngine;
  private builder: SnapshotBuilder;
  /** Steps the live engine has applied (it may be ahead of the cursor). */
  private engineAt = 0;
  private readonly steps: Step[] = [];
  private readonly snapshots: StoredSnapshot[];
  /** The snapshot last materialised, so repeated reads of one step are free. */
  private materialised: { at: number; snapshot: ViewSnapshot } | null = null;
  /** Steps applied in what the user sees: 0..steps.length. */
  private cursorAt = 0;

  constructor(readonly setup: Setup) {
    this.engine = new PagerEngine(setup);
    this.builder = new SnapshotBuilder(this.engine.k, this.engine.model);
    this.snapshots = [store(this.builder.build(0), undefined)];
  }

  /** What the panels show for this session's pager. */
  get profile(): PagerProfile {
    return this.engine.model.profile;
  }

  get cursor(): number {
    return this.cursorAt;
  }

  get length(): number {
    return this.steps.length;
  }

  get history(): readonly Step[] {
    return this.steps;
  }

  snapshot(at = this.cursorAt): ViewSnapshot {
    if (this.materialised?.at !== at) this.materialised = { at, snapshot: load(this.snapshots[at]!) };
    return this.materialised.snapshot;
  }

  /** What the step that led to `at` changed, against the step before it (nothing at the setup). */
  changes(at = this.cursorAt): ChangeSet {
    return changesBetween(at > 0 ? load(this.snapshots[at - 1]!) : null, this.snapshot(at));
  }

  /** Apply a step at the cursor (forking if the cursor is behind); null or the reason it is impossible. */
  apply(step: Step): string | null {
    if (this.engineAt !== this.cursorAt) this.replay(this.cursorAt);
    const refusal = this.engine.apply(step);
    // NOTE: an impossible step changes nothing, so it must not drop the future either.
    if (refusal !== null) return refusal;
    if (this.cursorAt < this.steps.length) {
      this.steps.length = this.cursorAt;
      this.snapshots.length = this.cursorAt + 1;
      this.materialised = null;
    }
    this.steps.push(step);
    this.engineAt++;
    this.cursorAt++;
    const built = this.builder.build(this.cursorAt, trailOf(this.engine));
    this.snapshots.push(store(built, this.snapshots.at(-1)));
    this.materialised = { at: this.cursorAt, snapshot: built };
    return null;
  }

  /** Move the cursor; the live engine catches up lazily on the next apply. */
  seek(to: number): ViewSnapshot {
    this.cursorAt = Math.max(0, Math.min(to, this.steps.length));
    return this.snapshot();
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

  private replay(to: number): void {
    this.engine = new PagerEngine(this.setup);
    for (let i = 0; i < to; i++) this.engine.apply(this.steps[i]!);
    this.builder = new SnapshotBuilder(this.engine.k, this.engine.model);
    this.builder.build(to);
    this.engineAt = to;
  }
}
