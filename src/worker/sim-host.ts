/**
 * The worker's logic without the worker API: a Session behind the protocol.
 * Commands in, events out through `post`. Kept apart from sim.worker.ts so it
 * runs (and is tested) in Node too. Macro steps (step over, step out, run to
 * line, breakpoints) run here, one round trip and one snapshot each.
 */
import { Session } from '../engine/session';
import { debugStep, type DebugAction } from '../engine/stepping';
import type { StopInfo } from '../protocol/debug';
import { diffSnapshots } from '../protocol/delta';
import {
  PROTOCOL_VERSION,
  type Command,
  type ScenarioSource,
  type SimEvent,
  type TimelineEntry,
} from '../protocol/messages';
import { setupOf, type Scenario, type SpawnStep, type Step } from '../protocol/scenario';
import type { TeachCommand } from '../protocol/teach';
import type { ViewSnapshot } from '../protocol/snapshot';
import { checkSpawn } from '../scenario/schema';
import { readScenarioLink, readScenarioText, type ReadResult } from '../scenario/share';
import type { LabPort, Tutor } from './tutor-port';

const isTeach = (cmd: Command): cmd is TeachCommand => cmd.type.startsWith('teach.');

/** What a snapshot event says besides the state. */
interface Emitted {
  timelineFrom: number;
  applied?: readonly Step[];
  history?: { from: number; steps: readonly Step[] } | null;
  loaded?: Scenario | null;
  select?: string | null;
  selectLine?: number | null;
  undoable?: boolean;
  stop?: StopInfo | null;
}

/** A session and the scenario it was loaded from (its setup, title). */
interface Loaded {
  session: Session;
  scenario: Scenario;
}

export class SimHost {
  private current: Loaded | null = null;
  /** The session a reset replaced, until it is brought back or another load drops it. */
  private beforeReset: Loaded | null = null;
  private epoch = 0;
  private seq = 0;
  /** The snapshot the UI holds, which the next delta is taken against. */
  private shown: ViewSnapshot | null = null;

  /** The teaching layer, loaded on the first `teach.*` command (it is its own chunk). */
  private tutor: Tutor | null = null;

  /**
   * `loadTutor` brings in the teaching layer when a lesson, challenge or
   * exercise is first opened; without it `teach.*` commands are refused.
   */
  constructor(
    private readonly post: (event: SimEvent) => void,
    private readonly loadTutor?: () => Promise<(port: LabPort) => Tutor>,
  ) {}

  /**
   * Handle one command. Only a `teach.*` command may return a promise (while
   * the teaching layer loads): the worker awaits it before the next command,
   * so commands stay in order.
   */
  handle(cmd: Command): void | Promise<void> {
    if (isTeach(cmd)) return this.teach(cmd);
    const epoch = this.epoch;
    this.handleSim(cmd);
    this.tutor?.changed(cmd.type, this.epoch !== epoch);
  }

  private async teach(cmd: TeachCommand): Promise<void> {
    if (!this.tutor) {
      if (!this.loadTutor)
        return this.post({ type: 'teach.error', version: PROTOCOL_VERSION, message: 'no teaching layer' });
      const make = await this.loadTutor();
      this.tutor ??= make(this.port());
    }
    await this.tutor.handle(cmd);
  }

  /** What the tutor may do to the session: replace it, move its cursor, and speak. */
  private port(): LabPort {
    return {
      session: () => this.current?.session ?? null,
      scenario: () => this.current?.scenario ?? null,
      load: (id, scenario, cursor) => {
        const epoch = this.epoch;
        this.load(id, scenario, cursor);
        return this.epoch !== epoch;
      },
      seek: (id, to) => this.handleSim({ type: 'sim.seek', id, to }),
      post: (event) => this.post(event),
    };
  }

  private handleSim(cmd: Exclude<Command, TeachCommand>): void {
    switch (cmd.type) {
      case 'sim.open': {
        const read = this.read(cmd.source, cmd.origin);
        if (!read.ok) return this.error(cmd.id, read.message);
        return this.load(cmd.id, read.scenario, cmd.cursor, cmd.select, cmd.origin);
      }
      case 'sim.load':
        return this.load(cmd.id, cmd.scenario, cmd.cursor, cmd.select);
      case 'sim.reset':
        return this.reset(cmd.id);
      case 'sim.undoReset':
        return this.undoReset(cmd.id);
      case 'sim.spawn':
        return this.spawn(cmd.id, cmd.step);
      case 'sim.run':
        return this.debug(cmd.id, cmd.thread, { kind: 'run' }, cmd.breakpoints);
      case 'sim.step':
        return this.debug(cmd.id, cmd.thread, { kind: 'step' });
      case 'sim.stepOver':
        return this.debug(cmd.id, cmd.thread, { kind: 'over' }, cmd.breakpoints);
      case 'sim.stepOut':
        return this.debug(cmd.id, cmd.thread, { kind: 'out' }, cmd.breakpoints);
      case 'sim.runTo':
        return this.debug(cmd.id, cmd.thread, { kind: 'runTo', line: cmd.line }, cmd.breakpoints);
      case 'sim.complete':
        return this.apply(cmd.id, { complete: cmd.request, result: cmd.result });
      case 'sim.seek': {
        const session = this.current?.session;
        if (!session) return this.error(cmd.id, 'nothing loaded');
        session.seek(cmd.to);
        return this.emit(cmd.id, { timelineFrom: session.length });
      }
      case 'sim.branch': {
        const session = this.current?.session;
        if (!session) return this.error(cmd.id, 'nothing loaded');
        const shared = session.sharedWith(cmd.branch);
        const refusal = session.switchBranch(cmd.branch);
        if (refusal !== null) return this.error(cmd.id, refusal);
        return this.emit(cmd.id, {
          timelineFrom: shared,
          history: { from: shared, steps: session.history.slice(shared) },
        });
      }
      case 'sim.compare': {
        const session = this.current?.session;
        if (!session) return this.error(cmd.id, 'nothing loaded');
        const comparison = session.compare(cmd.a, cmd.b);
        if (typeof comparison === 'string') return this.error(cmd.id, comparison);
        this.post({
          type: 'sim.comparison',
          version: PROTOCOL_VERSION,
          epoch: this.epoch,
          seq: ++this.seq,
          id: cmd.id,
          comparison,
        });
        return;
      }
    }
  }

  private read(source: ScenarioSource, origin: string): ReadResult {
    return source.kind === 'link' ? readScenarioLink(source.hash, origin) : readScenarioText(source.text, origin);
  }

  private load(id: number, scenario: Scenario, cursor?: number, select?: string, origin?: string): void {
    let session: Session;
    try {
      session = new Session(setupOf(scenario));
    } catch (e) {
      return this.error(id, `${origin ? `${origin}: ` : ''}${(e as Error).message}`);
    }
    for (const [i, step] of scenario.steps.entries()) {
      const refusal = session.apply(step);
      // NOTE: numbered as the timeline numbers steps (setup, 1, 2, ...), not as the runner (0, 1, ...).
      if (refusal !== null) return this.error(id, `${origin ? `${origin}: ` : ''}step ${i + 1}: ${refusal}`);
    }
    if (cursor !== undefined) session.seek(cursor);
    this.replace({ session, scenario });
    this.beforeReset = null;
    this.emit(id, {
      timelineFrom: 0,
      loaded: scenario,
      select: select ?? null,
      selectLine: select === undefined || this.started(session, select) ? null : session.entryLine(select),
    });
  }

  /** `thread` exists at the cursor and has begun its call (the source can follow it without a preview). */
  private started(session: Session, thread: string): boolean {
    const t = session.snapshot().threads.find((x) => x.id === thread);
    return t !== undefined && (t.line !== null || t.callerStmt !== null || t.status !== 'ready');
  }

  private reset(id: number): void {
    const current = this.current;
    if (!current) return this.error(id, 'nothing loaded');
    const scenario: Scenario = { ...current.scenario, steps: [] };
    this.replace({ session: new Session(setupOf(scenario)), scenario });
    this.beforeReset = current;
    this.emit(id, { timelineFrom: 0, loaded: scenario, undoable: true });
  }

  private undoReset(id: number): void {
    const before = this.beforeReset;
    if (!before) return this.error(id, 'there is no reset to undo');
    this.beforeReset = null;
    this.replace(before);
    this.emit(id, { timelineFrom: 0, loaded: { ...before.scenario, steps: [...before.session.history] } });
  }

  private replace(loaded: Loaded): void {
    this.current = loaded;
    this.epoch++;
    this.shown = null;
  }

  private spawn(id: number, step: SpawnStep): void {
    const current = this.current;
    if (!current) return this.error(id, 'nothing loaded');
    // A spawn typed into the lab is read as a file's would be, before the engine trusts it.
    const threads = current.session.snapshot().threads.map((t) => t.id);
    const invalid = checkSpawn(current.scenario, threads, step);
    if (invalid) return this.error(id, invalid.field ? `${invalid.field}: ${invalid.reason}` : invalid.reason);
    this.apply(id, step);
  }

  private apply(id: number, step: Step): void {
    const session = this.current?.session;
    if (!session) return this.error(id, 'nothing loaded');
    const ruled = this.tutor?.gate(step);
    if (ruled) return this.error(id, ruled);
    const refusal = session.apply(step);
    if (refusal !== null) return this.error(id, refusal);
    this.emit(id, { timelineFrom: session.cursor - 1, applied: [step] });
  }

  private debug(id: number, thread: string, action: DebugAction, breakpoints: readonly number[] = []): void {
    const session = this.current?.session;
    if (!session) return this.error(id, 'nothing loaded');
    // A challenge rules on the first step a macro step takes: a run is a run, the others begin as one statement.
    const ruled = this.tutor?.gate(action.kind === 'run' ? { run: thread } : { step: thread });
    if (ruled) return this.error(id, ruled);
    const result = debugStep(session, thread, action, new Set(breakpoints));
    if (typeof result === 'string') return this.error(id, result);
    const from = session.cursor - result.applied.length;
    this.emit(id, { timelineFrom: from, applied: result.applied, stop: result.stop });
  }

  private emit(id: number, e: Emitted): void {
    const session = this.current!.session;
    const snapshot = session.snapshot();
    const delta = diffSnapshots(this.shown, snapshot, this.shown ? null : session.profile);
    this.shown = snapshot;
    const timelineFrom = Math.min(e.timelineFrom, session.length);
    const timeline: TimelineEntry[] = session.labels
      .slice(timelineFrom)
      .map((label, i) => ({ index: timelineFrom + i + 1, label, trail: session.trailAt(timelineFrom + i + 1) }));
    this.post({
      type: 'sim.snapshot',
      version: PROTOCOL_VERSION,
      epoch: this.epoch,
      seq: ++this.seq,
      id,
      delta,
      length: session.length,
      cursor: session.cursor,
      timelineFrom,
      timeline,
      applied: e.applied ?? [],
      history: e.history ?? null,
      loaded: e.loaded ?? null,
      select: e.select ?? null,
      selectLine: e.selectLine ?? null,
      undoable: e.undoable ?? false,
      branches: session.branches,
      branch: session.branch,
      stop: e.stop ?? null,
      changes: session.changes(),
    });
  }

  private error(id: number, message: string): void {
    this.post({ type: 'sim.error', version: PROTOCOL_VERSION, epoch: this.epoch, seq: ++this.seq, id, message });
  }
}
