/**
 * The session a SimHost holds, what the page was last shown of it, and the commands that act on the session
 * loaded: spawn and complete, step and run (in slices), seek, switch branch, compare, reset and its undo.
 * Opening a scenario (opening.ts) replaces the session; every answer, either way, is numbered here (epoch,
 * seq) so the store can tell a stale one.
 */
import { Session } from '../engine/session';
import { debugStepping, type DebugAction, type DebugResult } from '../engine/stepping';
import { PROTOCOL_VERSION, type SimEvent } from '../protocol/messages';
import { setupOf, type CompleteStep, type Scenario, type SpawnStep, type Step } from '../protocol/scenario';
import type { ViewSnapshot } from '../protocol/snapshot';
import { checkStep } from '../scenario/schema';
import { snapshotEvent, type Emitted } from './snapshot-events';
import type { Job, SlicedWork, Work } from './slices';

/** A session and the scenario it was loaded from (its setup, title). */
export interface Loaded {
  session: Session;
  scenario: Scenario;
}

/** Why a step may not be taken before the engine sees it (an open challenge's rule), if it may not. */
export type Gate = (step: Step) => string | null | undefined;

export class HostSession {
  current: Loaded | null = null;
  /** The session a reset replaced, until it is brought back or another load drops it. */
  beforeReset: Loaded | null = null;
  epoch = 0;
  seq = 0;
  /** The snapshot the UI holds, which the next delta is taken against. */
  shown: ViewSnapshot | null = null;

  constructor(
    readonly post: (event: SimEvent) => void,
    private readonly gate: Gate,
  ) {}

  seek(id: number, to: number): void {
    const session = this.current?.session;
    if (!session) return this.error(id, 'nothing loaded');
    session.seek(to);
    return this.emit(id, { timelineFrom: session.length });
  }

  switchBranch(id: number, branch: number): void {
    const session = this.current?.session;
    if (!session) return this.error(id, 'nothing loaded');
    const shared = session.sharedWith(branch);
    const refusal = session.switchBranch(branch);
    if (refusal !== null) return this.error(id, refusal);
    return this.emit(id, {
      timelineFrom: shared,
      history: { from: shared, steps: session.history.slice(shared) },
    });
  }

  compare(id: number, a: number, b: number): void {
    const session = this.current?.session;
    if (!session) return this.error(id, 'nothing loaded');
    const comparison = session.compare(a, b);
    if (typeof comparison === 'string') return this.error(id, comparison);
    this.post({
      type: 'sim.comparison',
      version: PROTOCOL_VERSION,
      epoch: this.epoch,
      seq: ++this.seq,
      id,
      comparison,
    });
  }

  reset(id: number): void {
    const current = this.current;
    if (!current) return this.error(id, 'nothing loaded');
    const scenario: Scenario = { ...current.scenario, steps: [] };
    this.replace({ session: new Session(setupOf(scenario)), scenario });
    this.beforeReset = current;
    this.emit(id, { timelineFrom: 0, loaded: scenario, undoable: true });
  }

  undoReset(id: number): void {
    const before = this.beforeReset;
    if (!before) return this.error(id, 'there is no reset to undo');
    this.bringBack(id, before, null);
  }

  /**
   * Make `before` the session again, with `beforeReset` as the reset it may undo: its whole history is sent
   * anew, as the UI holds another session's (a reset undone, or an open cancelled after its answer).
   */
  bringBack(id: number, before: Loaded, beforeReset: Loaded | null): void {
    this.replace(before);
    this.beforeReset = beforeReset;
    this.emit(id, {
      timelineFrom: 0,
      loaded: { ...before.scenario, steps: [...before.session.history] },
      otherBranches: true,
    });
  }

  private replace(loaded: Loaded): void {
    this.current = loaded;
    this.epoch++;
    this.shown = null;
  }

  /**
   * A spawn typed into the lab, or a completion's result, is read as a file's would be before the engine
   * trusts it: what the lab takes, an export gives back and an import takes again.
   */
  checked(id: number, step: SpawnStep | CompleteStep): void {
    const current = this.current;
    if (!current) return this.error(id, 'nothing loaded');
    // A completion names no thread: the snapshot's list is made only for a spawn.
    const threads = 'spawn' in step ? current.session.snapshot().threads.map((t) => t.id) : [];
    const invalid = checkStep(current.scenario, threads, step);
    if (invalid) return this.error(id, invalid.field ? `${invalid.field}: ${invalid.reason}` : invalid.reason);
    this.apply(id, step);
  }

  private apply(id: number, step: Step): void {
    const session = this.current?.session;
    if (!session) return this.error(id, 'nothing loaded');
    const ruled = this.gate(step);
    if (ruled) return this.error(id, ruled);
    const { length, branch } = session;
    const refusal = session.apply(step);
    if (refusal !== null) return this.error(id, refusal);
    // A step the branch takes next is followed: its timeline is the one the UI holds.
    const followed = session.length === length && session.branch === branch;
    this.emit(id, { timelineFrom: followed ? length : session.cursor - 1, applied: [step] });
  }

  /**
   * A step (`count` times), run or macro step of `thread`, in slices: each primitive step is one unit. A
   * Cancel keeps the steps made so far (stop reason `cancelled`).
   */
  debug(
    job: Job,
    thread: string,
    action: DebugAction,
    breakpoints: readonly number[] = [],
    count = 1,
  ): SlicedWork | void {
    const id = job.id;
    const session = this.current?.session;
    if (!session) return this.error(id, 'nothing loaded');
    if (!(Number.isSafeInteger(count) && count >= 1))
      return this.error(id, `count: expected a positive integer, got ${String(count)}`);
    // A challenge rules on the first step a macro step takes: a run is a run, the others begin as one statement.
    const ruled = this.gate(action.kind === 'run' ? { run: thread } : { step: thread });
    if (ruled) return this.error(id, ruled);
    const what = action.kind === 'step' ? `Stepping ${thread}` : `Running ${thread}`;
    return {
      job,
      what,
      total: count > 1 ? count : 0,
      run: this.stepping(job, session, thread, action, breakpoints, count),
    };
  }

  private *stepping(
    job: Job,
    session: Session,
    thread: string,
    action: DebugAction,
    breakpoints: readonly number[],
    count: number,
  ): Work {
    const { cursor: from, length, branch } = session;
    let last: DebugResult | null = null;
    let refusal: string | null = null;
    let made = 0;
    for (let i = 0; i < count && !job.cancelled; i++) {
      // Each press of a batch is ruled on as it would be alone (the first was, before the batch began).
      const ruled = i > 0 ? this.gate({ step: thread }) : null;
      if (ruled) {
        refusal = ruled;
        break;
      }
      const stepping = debugStepping(session, thread, action, new Set(breakpoints), undefined, job);
      let next = stepping.next();
      for (; !next.done; next = stepping.next()) yield made + next.value;
      if (typeof next.value === 'string') {
        refusal = next.value;
        break;
      }
      last = next.value;
      made += last.stop.steps;
      yield made;
    }
    if (!last) return this.error(job.id, refusal!);
    const applied = session.history.slice(from, session.cursor);
    const stop = { ...last.stop, steps: made, ...(job.cancelled ? { reason: 'cancelled' as const } : {}) };
    const followed = session.length === length && session.branch === branch;
    this.emit(job.id, { timelineFrom: followed ? length : from, applied, stop });
    // Presses of Step beyond the thread's last statement: say why the rest were not applied.
    if (refusal !== null) this.error(job.id, refusal);
  }

  emit(id: number, e: Emitted): void {
    const session = this.current!.session;
    const { event, shown } = snapshotEvent({ epoch: this.epoch, seq: ++this.seq, id }, session, this.shown, e);
    this.shown = shown;
    this.post(event);
  }

  error(id: number, message: string): void {
    this.post({ type: 'sim.error', version: PROTOCOL_VERSION, epoch: this.epoch, seq: ++this.seq, id, message });
  }
}
