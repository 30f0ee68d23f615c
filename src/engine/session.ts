/**
 * A session: the scenario's setup, the steps applied so far and the snapshot
 * after each. Going back or jumping to a step returns its stored snapshot at
 * once. Acting after going back forks a new future: the steps beyond the
 * cursor are dropped and the live engine is rebuilt by replaying the steps up
 * to the cursor, which determinism makes exact.
 */
import type { Digest, Scenario, Step } from './api';
import { PagerEngine } from './engine';
import { SnapshotBuilder, type ViewSnapshot } from './view';

export type Setup = Pick<Scenario, 'machine' | 'vnodes'>;

export class Session {
  private engine: PagerEngine;
  private builder: SnapshotBuilder;
  /** Steps the live engine has applied (it may be ahead of the cursor). */
  private engineAt = 0;
  private readonly steps: Step[] = [];
  private readonly snapshots: ViewSnapshot[];
  /** Steps applied in what the user sees: 0..steps.length. */
  private cursorAt = 0;

  constructor(readonly setup: Setup) {
    this.engine = new PagerEngine(setup);
    this.builder = new SnapshotBuilder(this.engine.k);
    this.snapshots = [this.builder.build(0)];
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
    return this.snapshots[at]!;
  }

  /** Apply a step at the cursor (forking if the cursor is behind); null or the reason it is impossible. */
  apply(step: Step): string | null {
    if (this.cursorAt < this.steps.length) {
      this.steps.length = this.cursorAt;
      this.snapshots.length = this.cursorAt + 1;
    }
    if (this.engineAt !== this.cursorAt) this.replay(this.cursorAt);
    const refusal = this.engine.apply(step);
    if (refusal !== null) return refusal;
    this.steps.push(step);
    this.engineAt++;
    this.cursorAt++;
    this.snapshots.push(this.builder.build(this.cursorAt));
    return null;
  }

  /** Move the cursor; the live engine catches up lazily on the next apply. */
  seek(to: number): ViewSnapshot {
    this.cursorAt = Math.max(0, Math.min(to, this.steps.length));
    return this.snapshots[this.cursorAt]!;
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
    this.builder = new SnapshotBuilder(this.engine.k);
    this.builder.build(to);
    this.engineAt = to;
  }
}
