/**
 * The worker's logic without the worker API: a Session behind the protocol.
 * Commands in, events out through `post`. Kept apart from sim.worker.ts so it
 * runs (and is tested) in Node too. Macro steps (step over, step out, run to
 * line, breakpoints) run here, one round trip and one snapshot each.
 *
 * SimHost keeps the order of commands: what runs at once, what runs in slices
 * (slices.ts) and what a Cancel stops, and it brings in the teaching layer.
 * The session and the commands that act on it are host-session.ts's; opening
 * a scenario, which replaces the session, is opening.ts's.
 */
import { loadPager, pagerNames } from '../engine/registry';
import { PROTOCOL_VERSION, type Command, type SimEvent } from '../protocol/messages';
import type { TeachCommand } from '../protocol/teach';
import { HostSession } from './host-session';
import { Opener } from './opening';
import { ShownWait } from './shown-wait';
import { drain, Slicer, type Job, type SlicedWork } from './slices';
import type { LabPort, Tutor } from './tutor-port';

const isTeach = (cmd: Command): cmd is TeachCommand => cmd.type.startsWith('teach.');

export interface HostOptions {
  /**
   * Longest stretch of work between two looks at the message queue, in ms. The worker uses a few tens of
   * ms so a ping, Cancel or Reset is seen at once; without it (Node, tests) every command runs to its end
   * at once.
   */
  readonly sliceMs?: number;
  /** Waits for the next slice (the worker: a macrotask, so queued messages run first). */
  readonly yieldToQueue?: () => Promise<void>;
  /**
   * An open's history waits for the page's `sim.shown` for its answer, this long at most (ms); without it
   * (Node, tests) it is built right after the answer.
   */
  readonly shownTimeoutMs?: number;
}

export class SimHost {
  private readonly held: HostSession;
  private readonly opener: Opener;
  /** The teaching layer, loaded on the first `teach.*` command (it is its own chunk). */
  private tutor: Tutor | null = null;
  /** The command running in slices, if one is. */
  private readonly slices: Slicer;
  private readonly shownWait: ShownWait | null;

  /**
   * `loadTutor` brings in the teaching layer when a lesson, challenge or
   * exercise is first opened; without it `teach.*` commands are refused.
   */
  constructor(
    private readonly post: (event: SimEvent) => void,
    private readonly loadTutor?: () => Promise<(port: LabPort) => Tutor>,
    options: HostOptions = {},
  ) {
    this.slices = new Slicer(
      options.sliceMs ?? Infinity,
      options.yieldToQueue ?? (() => new Promise((resolve) => setTimeout(resolve, 0))),
      (job, what, done, total) => {
        const seed = job.seed === undefined ? {} : { seed: job.seed };
        this.post({ type: 'sim.progress', version: PROTOCOL_VERSION, id: job.id, what, done, total, ...seed });
      },
    );
    this.shownWait = options.shownTimeoutMs === undefined ? null : new ShownWait(options.shownTimeoutMs);
    this.held = new HostSession(post, (step) => this.tutor?.gate(step));
    this.opener = new Opener(this.held, this.slices, this.shownWait);
  }

  /** A command is running in slices (a Cancel, or a load or reset that replaces it, may stop it). */
  get busy(): boolean {
    return this.slices.busy;
  }

  /** Stop the command running in slices at its next slice (`sim.cancel`). */
  cancel(): void {
    this.slices.cancel();
    this.shownWait?.release();
  }

  /**
   * Read an open's scenario now, while the command waits behind another (the worker calls this as it queues
   * one): see `Opener.prepare`.
   */
  prepare(cmd: Command): void {
    this.opener.prepare(cmd);
  }

  /**
   * Handle one command. Only a `teach.*` command may return a promise (while
   * the teaching layer loads): the worker awaits it before the next command,
   * so commands stay in order.
   */
  handle(cmd: Command): void | Promise<void> {
    if (isTeach(cmd)) return this.teach(cmd);
    if (cmd.type === 'sim.ping') return this.post({ type: 'sim.pong', version: PROTOCOL_VERSION, id: cmd.id });
    if (cmd.type === 'sim.cancel') return this.cancel();
    if (cmd.type === 'sim.shown') return this.shownWait?.shown(cmd.answer);
    const epoch = this.held.epoch;
    const work = this.handleSim(cmd);
    if (!work) return this.tutor?.changed(cmd.type, this.held.epoch !== epoch);
    const done = this.slices.run(work);
    const after = () => this.tutor?.changed(cmd.type, this.held.epoch !== epoch);
    if (!done) return after();
    return done.then(after);
  }

  private async teach(cmd: TeachCommand): Promise<void> {
    if (!this.tutor) {
      if (!this.loadTutor)
        return this.post({ type: 'teach.error', version: PROTOCOL_VERSION, message: 'no teaching layer' });
      // A lesson or challenge may open a scenario of any pager, synchronously: load every kernel first.
      const [make] = await Promise.all([this.loadTutor(), ...pagerNames().map((pager) => loadPager(pager))]);
      this.tutor ??= make(this.port());
    }
    await this.tutor.handle(cmd);
  }

  /** What the tutor may do to the session: replace it, move its cursor, and speak. */
  private port(): LabPort {
    const held = this.held;
    return {
      session: () => held.current?.session ?? null,
      scenario: () => held.current?.scenario ?? null,
      load: (id, scenario, cursor) => {
        const epoch = held.epoch;
        drain(this.opener.loading({ id, cancelled: false }, scenario, { cursor }));
        return held.epoch !== epoch;
      },
      seek: (id, to) => held.seek(id, to),
      switchBranch: (id, branch) => held.switchBranch(id, branch),
      post: (event) => this.post(event),
    };
  }

  /** Do a command; long work (loads, steps, runs) comes back to be run in slices. */
  private handleSim(
    cmd: Exclude<Command, TeachCommand | { type: 'sim.ping' | 'sim.cancel' | 'sim.shown' }>,
  ): SlicedWork | void {
    const job: Job = { id: cmd.id, cancelled: false, page: true };
    const held = this.held;
    switch (cmd.type) {
      case 'sim.open':
        return this.opener.open(cmd, job);
      case 'sim.load':
        return this.opener.load(cmd, job);
      case 'sim.reset':
        return held.reset(cmd.id);
      case 'sim.undoReset':
        return held.undoReset(cmd.id);
      case 'sim.spawn':
        return held.checked(cmd.id, cmd.step);
      case 'sim.run':
        return held.debug(job, cmd.thread, { kind: 'run' }, cmd.breakpoints);
      case 'sim.step':
        return held.debug(job, cmd.thread, { kind: 'step' }, [], cmd.count);
      case 'sim.stepOver':
        return held.debug(job, cmd.thread, { kind: 'over' }, cmd.breakpoints);
      case 'sim.stepOut':
        return held.debug(job, cmd.thread, { kind: 'out' }, cmd.breakpoints);
      case 'sim.runTo':
        return held.debug(job, cmd.thread, { kind: 'runTo', line: cmd.line }, cmd.breakpoints);
      case 'sim.complete':
        return held.checked(cmd.id, { complete: cmd.request, result: cmd.result });
      case 'sim.seek':
        return held.seek(cmd.id, cmd.to);
      case 'sim.branch':
        return held.switchBranch(cmd.id, cmd.branch);
      case 'sim.compare':
        return held.compare(cmd.id, cmd.a, cmd.b);
    }
  }
}
