/**
 * The worker's logic without the worker API: a Session behind the protocol.
 * Commands in, events out through `post`. Kept apart from sim.worker.ts so it
 * runs (and is tested) in Node too.
 */
import { describeStep } from '../engine/describe';
import { Session } from '../engine/session';
import { diffSnapshots } from '../protocol/delta';
import {
  PROTOCOL_VERSION,
  type Command,
  type ScenarioSource,
  type SimEvent,
  type TimelineEntry,
} from '../protocol/messages';
import { setupOf, type Scenario, type Step } from '../protocol/scenario';
import type { ViewSnapshot } from '../protocol/snapshot';
import { checkSpawn } from '../scenario/schema';
import { readScenarioLink, readScenarioText, type ReadResult } from '../scenario/share';

/** Timeline entry `index` (1 for the first step): the step in words and the lines it ran. */
function entryOf(index: number, step: Step, before: ViewSnapshot, after: ViewSnapshot): TimelineEntry {
  return { index, label: describeStep(step, before, after), trail: after.trail };
}

export class SimHost {
  private session: Session | null = null;
  private scenario: Scenario | null = null;
  /** The timeline: one entry per step of the history. */
  private entries: TimelineEntry[] = [];
  private epoch = 0;
  private seq = 0;
  /** The snapshot the UI holds, which the next delta is taken against. */
  private shown: ViewSnapshot | null = null;

  constructor(private readonly post: (event: SimEvent) => void) {}

  handle(cmd: Command): void {
    switch (cmd.type) {
      case 'sim.open': {
        const read = this.read(cmd.source, cmd.origin);
        if (!read.ok) return this.error(cmd.id, read.message);
        return this.load(cmd.id, read.scenario, cmd.cursor, cmd.origin);
      }
      case 'sim.load':
        return this.load(cmd.id, cmd.scenario, cmd.cursor);
      case 'sim.spawn':
        return this.apply(cmd.id, cmd.step);
      case 'sim.run':
        return this.apply(cmd.id, { run: cmd.thread });
      case 'sim.step':
        return this.apply(cmd.id, { step: cmd.thread });
      case 'sim.complete':
        return this.apply(cmd.id, { complete: cmd.request, result: cmd.result });
      case 'sim.seek': {
        if (!this.session) return this.error(cmd.id, 'nothing loaded');
        this.session.seek(cmd.to);
        return this.emit(cmd.id, this.entries.length, null, null);
      }
    }
  }

  private read(source: ScenarioSource, origin: string): ReadResult {
    return source.kind === 'link' ? readScenarioLink(source.hash, origin) : readScenarioText(source.text, origin);
  }

  private load(id: number, scenario: Scenario, cursor?: number, origin?: string): void {
    let session: Session;
    try {
      session = new Session(setupOf(scenario));
    } catch (e) {
      return this.error(id, `${origin ? `${origin}: ` : ''}${(e as Error).message}`);
    }
    const entries: TimelineEntry[] = [];
    for (const [i, step] of scenario.steps.entries()) {
      const before = session.snapshot();
      const refusal = session.apply(step);
      // NOTE: numbered as the timeline numbers steps (setup, 1, 2, ...), not as the runner (0, 1, ...).
      if (refusal !== null) return this.error(id, `${origin ? `${origin}: ` : ''}step ${i + 1}: ${refusal}`);
      entries.push(entryOf(i + 1, step, before, session.snapshot()));
    }
    if (cursor !== undefined) session.seek(cursor);
    this.session = session;
    this.scenario = scenario;
    this.entries = entries;
    this.epoch++;
    this.shown = null;
    this.emit(id, 0, null, scenario);
  }

  private apply(id: number, step: Step): void {
    const session = this.session;
    if (!session) return this.error(id, 'nothing loaded');
    if ('spawn' in step) {
      // A spawn typed into the lab is read as a file's would be, before the engine trusts it.
      const threads = session.snapshot().threads.map((t) => t.id);
      const invalid = checkSpawn(this.scenario!, threads, step);
      if (invalid) return this.error(id, invalid.field ? `${invalid.field}: ${invalid.reason}` : invalid.reason);
    }
    const before = session.snapshot();
    const refusal = session.apply(step);
    if (refusal !== null) return this.error(id, refusal);
    // Acting after going back forks: later entries belong to the dropped future.
    this.entries.length = session.cursor - 1;
    this.entries.push(entryOf(session.cursor, step, before, session.snapshot()));
    this.emit(id, session.cursor - 1, step, null);
  }

  private emit(id: number, timelineFrom: number, applied: Step | null, loaded: Scenario | null): void {
    const session = this.session!;
    const snapshot = session.snapshot();
    const delta = diffSnapshots(this.shown, snapshot, this.shown ? null : session.profile);
    this.shown = snapshot;
    const timeline = this.entries.slice(timelineFrom);
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
      applied,
      loaded,
      changes: session.changes(),
    });
  }

  private error(id: number, message: string): void {
    this.post({ type: 'sim.error', version: PROTOCOL_VERSION, epoch: this.epoch, seq: ++this.seq, id, message });
  }
}
