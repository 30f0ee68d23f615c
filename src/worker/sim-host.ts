/**
 * The worker's logic without the worker API: a Session behind the protocol.
 * Commands in, events out through `post`. Kept apart from sim.worker.ts so it
 * runs (and is tested) in Node too.
 */
import type { Scenario, Step } from '../engine/api';
import { describeStep } from '../engine/describe';
import { Session } from '../engine/session';
import { diffSnapshots, type ViewSnapshot } from '../engine/view';
import { PROTOCOL_VERSION, type Command, type SimEvent, type TimelineEntry } from '../protocol/messages';

export class SimHost {
  private session: Session | null = null;
  private setup: Pick<Scenario, 'machine' | 'vnodes'> | null = null;
  private labels: string[] = [];
  private epoch = 0;
  private seq = 0;
  /** The snapshot the UI holds, which the next delta is taken against. */
  private shown: ViewSnapshot | null = null;

  constructor(private readonly post: (event: SimEvent) => void) {}

  handle(cmd: Command): void {
    switch (cmd.type) {
      case 'sim.load':
        return this.load(cmd.id, cmd.scenario, cmd.cursor);
      case 'sim.reset':
        return this.setup
          ? this.load(cmd.id, { format: 'pager-scenario/1', pager: 'openbsd', ...this.setup, steps: [] })
          : this.error(cmd.id, 'nothing loaded');
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
        return this.emit(cmd.id, this.labels.length);
      }
    }
  }

  private load(id: number, scenario: Scenario, cursor?: number): void {
    if (scenario.pager !== 'openbsd') return this.error(id, `the ${scenario.pager} pager is not modelled yet`);
    const session = new Session(scenario);
    const labels: string[] = [];
    for (const [i, step] of scenario.steps.entries()) {
      const before = session.snapshot();
      const refusal = session.apply(step);
      if (refusal !== null) return this.error(id, `step ${i}: ${refusal}`);
      labels.push(describeStep(step, before, session.snapshot()));
    }
    if (cursor !== undefined) session.seek(cursor);
    this.session = session;
    this.setup = { machine: scenario.machine, vnodes: scenario.vnodes };
    this.labels = labels;
    this.epoch++;
    this.shown = null;
    this.emit(id, 0);
  }

  private apply(id: number, step: Step): void {
    const session = this.session;
    if (!session) return this.error(id, 'nothing loaded');
    const before = session.snapshot();
    const refusal = session.apply(step);
    if (refusal !== null) return this.error(id, refusal);
    // Acting after going back forks: later labels belong to the dropped future.
    this.labels.length = session.cursor - 1;
    this.labels.push(describeStep(step, before, session.snapshot()));
    this.emit(id, session.cursor - 1);
  }

  private emit(id: number, timelineFrom: number): void {
    const session = this.session!;
    const snapshot = session.snapshot();
    const delta = diffSnapshots(this.shown, snapshot);
    this.shown = snapshot;
    const timeline: TimelineEntry[] = this.labels
      .slice(timelineFrom)
      .map((label, i) => ({ index: timelineFrom + i + 1, label }));
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
    });
  }

  private error(id: number, message: string): void {
    this.post({ type: 'sim.error', version: PROTOCOL_VERSION, epoch: this.epoch, seq: ++this.seq, id, message });
  }
}
