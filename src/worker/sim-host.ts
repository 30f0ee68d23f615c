/**
 * The worker's logic without the worker API: a Session behind the protocol.
 * Commands in, events out through `post`. Kept apart from sim.worker.ts so it
 * runs (and is tested) in Node too. Macro steps (step over, step out, run to
 * line, breakpoints) run here, one round trip and one snapshot each.
 *
 * One class, ~540 lines: it owns the session, the order of commands and the
 * snapshot the UI holds, which every command reads or moves. What needs none of
 * that lives beside it: the slices long work runs in (slices.ts) and the
 * snapshot events (snapshot-events.ts).
 */
import { loadPager, pagerCard, pagerNames } from '../engine/registry';
import { quickReplay, type QuickReplay, type QuickRefusal } from '../engine/quick-replay';
import { entryLineOf, Session } from '../engine/session';
import { debugStepping, type DebugAction, type DebugResult } from '../engine/stepping';
import { grouped as count } from '../protocol/format';
import {
  PROTOCOL_VERSION,
  type Command,
  type OpenFallback,
  type SavedBranches,
  type ScenarioSource,
  type SimEvent,
} from '../protocol/messages';
import { setupOf, type CompleteStep, type Scenario, type SpawnStep, type Step } from '../protocol/scenario';
import type { TeachCommand } from '../protocol/teach';
import type { ViewSnapshot } from '../protocol/snapshot';
import { checkStep } from '../scenario/schema';
import { readScenarioLink, readScenarioText, type ReadResult } from '../scenario/share';
import { oneBranch, readBranches, replayBranches } from './saved-branches';
import { ShownWait } from './shown-wait';
import { answerEvent, snapshotEvent, type Emitted } from './snapshot-events';
import { drain, once, Slicer, type Job, type SlicedWork, type Work } from './slices';
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

/** How a scenario is opened: where the cursor goes, what is selected, and what if it is refused. */
interface Opening {
  readonly cursor?: number;
  /** What the opener called the cursor, for its messages: a link's `at=`, else `cursor`. */
  readonly cursorName?: 'at' | 'cursor';
  readonly select?: string;
  readonly origin?: string;
  readonly fallback?: OpenFallback;
  readonly branches?: SavedBranches;
}

/** What is said when a saved session's other branches cannot be made again. */
const branchesLost = (why: string) =>
  `The saved session's other branches could not be restored (${why}); the branch shown is open alone.`;

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
  /** Opens whose scenario was read while they waited behind another command (`prepare`). */
  private readonly prepared = new WeakMap<Command, ReadResult>();
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
   * one): the link given on a visit is decoded and checked while the library's start, opened first, waits for
   * its kernel's chunk, instead of after it; and the kernel the link needs is asked for at once. Reading is
   * pure, so `handle` later answers exactly as if it had read the source itself.
   */
  prepare(cmd: Command): void {
    if (cmd.type !== 'sim.open' || this.prepared.has(cmd)) return;
    const read = this.read(cmd.source, cmd.origin);
    this.prepared.set(cmd, read);
    if (!read.ok) return;
    // Only started here: `loading` asks again, and refuses the open if the fetch failed.
    const kernel = loadPager(read.scenario.pager);
    if (kernel instanceof Promise) kernel.catch(() => undefined);
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
    const epoch = this.epoch;
    const work = this.handleSim(cmd);
    if (!work) return this.tutor?.changed(cmd.type, this.epoch !== epoch);
    const done = this.slices.run(work);
    const after = () => this.tutor?.changed(cmd.type, this.epoch !== epoch);
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
    return {
      session: () => this.current?.session ?? null,
      scenario: () => this.current?.scenario ?? null,
      load: (id, scenario, cursor) => {
        const epoch = this.epoch;
        drain(this.loading({ id, cancelled: false }, scenario, { cursor }));
        return this.epoch !== epoch;
      },
      seek: (id, to) => this.handleSim({ type: 'sim.seek', id, to }),
      switchBranch: (id, branch) => this.handleSim({ type: 'sim.branch', id, branch }),
      post: (event) => this.post(event),
    };
  }

  /** Do a command; long work (loads, steps, runs) comes back to be run in slices. */
  private handleSim(
    cmd: Exclude<Command, TeachCommand | { type: 'sim.ping' | 'sim.cancel' | 'sim.shown' }>,
  ): SlicedWork | void {
    const job: Job = { id: cmd.id, cancelled: false, page: true };
    switch (cmd.type) {
      case 'sim.open': {
        const read = this.prepared.get(cmd) ?? this.read(cmd.source, cmd.origin);
        this.prepared.delete(cmd);
        const fallback = cmd.fallback;
        if (!read.ok && !fallback) return this.error(cmd.id, read.message);
        if (read.ok) job.seed = pagerCard(read.scenario.pager)?.profile.seed.url;
        const run = read.ok
          ? this.loading(job, read.scenario, {
              ...cmd,
              fallback,
              cursorName: cmd.source.kind === 'link' ? 'at' : 'cursor',
            })
          : this.fallingBack(job, read.message, fallback!);
        return { job, what: 'Loading', total: read.ok ? read.scenario.steps.length : 0, run };
      }
      case 'sim.load':
        return {
          job,
          what: 'Loading',
          total: cmd.scenario.steps.length,
          run: this.loading(job, cmd.scenario, cmd),
        };
      case 'sim.reset':
        return this.reset(cmd.id);
      case 'sim.undoReset':
        return this.undoReset(cmd.id);
      case 'sim.spawn':
        return this.checked(cmd.id, cmd.step);
      case 'sim.run':
        return this.debug(job, cmd.thread, { kind: 'run' }, cmd.breakpoints);
      case 'sim.step':
        return this.debug(job, cmd.thread, { kind: 'step' }, [], cmd.count);
      case 'sim.stepOver':
        return this.debug(job, cmd.thread, { kind: 'over' }, cmd.breakpoints);
      case 'sim.stepOut':
        return this.debug(job, cmd.thread, { kind: 'out' }, cmd.breakpoints);
      case 'sim.runTo':
        return this.debug(job, cmd.thread, { kind: 'runTo', line: cmd.line }, cmd.breakpoints);
      case 'sim.complete':
        return this.checked(cmd.id, { complete: cmd.request, result: cmd.result });
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

  /**
   * Replace the session with `scenario` at `cursor` (else its end), replaying its steps one slice at a
   * time. The session shown stays until the last step is in: a refusal, or a Cancel, changes nothing (or,
   * with a `fallback`, opens that instead and says why).
   */
  private *loading(job: Job, scenario: Scenario, how: Opening): Work {
    const { cursor, select, origin, fallback, cursorName = 'cursor' } = how;
    const id = job.id;
    const prefix = origin ? `${origin}: ` : '';
    const refuse = (reason: string): Work =>
      fallback ? this.fallingBack(job, prefix + reason, fallback) : once(() => this.error(id, prefix + reason));
    const steps = scenario.steps;
    // A cursor is a step number: a saved session or a message may carry anything.
    if (cursor !== undefined && !(Number.isSafeInteger(cursor) && cursor >= 0))
      return yield* refuse(`${cursorName}: expected a step number (a non-negative integer), got ${String(cursor)}`);
    if (cursor !== undefined && cursor > steps.length)
      return yield* refuse(`${cursorName}: step ${cursor} is past the last step (${steps.length})`);
    const cancelled = (done: number, total = steps.length) =>
      `${prefix}loading cancelled after ${count(done)} of ${count(total)} steps; the session before it is still open`;
    // Cancelled is not refused: the fallback opens, without the note a refusal gets.
    const stopCancelled = (done: number): Work =>
      fallback
        ? this.fallingBack(job, cancelled(done), { ...fallback, note: undefined })
        : once(() => this.error(id, cancelled(done)));
    // The worker fetches a pager's kernel when a scenario of it is first opened (engine/built-in.lazy.ts).
    const kernel = loadPager(scenario.pager);
    if (kernel instanceof Promise) {
      const fetched: { error?: unknown } = {};
      yield kernel.catch((e: unknown) => (fetched.error = e));
      if ('error' in fetched)
        return yield* refuse(`the ${scenario.pager} kernel could not be loaded: ${String(fetched.error)}`);
      if (job.cancelled) return yield* stopCancelled(0);
    }
    const setup = setupOf(scenario);
    const target = cursor ?? steps.length;
    // A saved session's other branches, made again behind the answer; what cannot be is said, not refused.
    const plan = how.branches ? readBranches(how.branches, scenario) : oneBranch(steps);
    let notice = typeof plan === 'string' ? branchesLost(plan) : undefined;
    // Answer first: the engine alone replays the steps to the target, with each step's label and trail
    // (quick-replay.ts), and the lab is answered with that; the history a Session records per step is built
    // behind the answer, the same job's later slices, once the page has painted the answer (`shownWait`).
    // Commands queue behind a job (sim.worker.ts), so a back, jump or fork right after the open waits for the
    // history and is answered from it.
    let run: Generator<number, QuickReplay | QuickRefusal, void>;
    try {
      run = quickReplay(setup, steps, target, this.slices.sliceOver);
    } catch (e) {
      return yield* refuse((e as Error).message);
    }
    let next = run.next();
    for (; !next.done; next = run.next()) {
      yield next.value;
      if (job.cancelled) return yield* stopCancelled(next.value);
    }
    const quick = next.value;
    // NOTE: numbered as the timeline numbers steps (setup, 1, 2, ...), not as the runner (0, 1, ...).
    if ('refusal' in quick) return yield* refuse(`step ${quick.at + 1}: ${quick.refusal}`);
    const was = { current: this.current, beforeReset: this.beforeReset };
    this.current = null;
    this.epoch++;
    this.beforeReset = null;
    this.answer(id, scenario, target, quick, select);
    job.quiet = true;
    if (this.shownWait && job.page && steps.length > 0) yield this.shownWait.until(id);
    let alone = typeof plan === 'string';
    // The steps the history replays: every branch's own, for a saved session's branches.
    let total = typeof plan === 'string' ? steps.length : plan.lines.reduce((n, l) => n + l.own.length, 0);
    let session = new Session(setup);
    let replay = replayBranches(session, typeof plan === 'string' ? oneBranch(steps) : plan);
    for (;;) {
      const next = replay.next();
      if (next.done) {
        if (next.value === null) break;
        // The answer replayed these very steps: the engine cannot refuse them here.
        if (alone) throw new Error(`${next.value} was refused on the history's replay`);
        // A branch the engine refuses: the branch shown opens alone.
        notice = branchesLost(next.value);
        alone = true;
        total = steps.length;
        session = new Session(setup);
        replay = replayBranches(session, oneBranch(steps));
        continue;
      }
      const i = next.value - 1;
      yield i + 1;
      // A Cancel pressed while the progress still showed, that arrives after the answer: the person asked for
      // the session before, so it comes back (the lab is never left empty: without one, the link stays).
      if (job.cancelled && was.current) return this.restore(id, was.current, was.beforeReset, prefix, i + 1, total);
      // On a link visit nothing was open before it: its fallback (the saved session, the library's start) is.
      if (job.cancelled && fallback)
        return yield* this.fallingBack(job, cancelled(i + 1, total), { ...fallback, note: undefined });
    }
    session.seek(target);
    this.current = { session, scenario };
    // The same state as the answer's (the UI holds it): the next delta is taken against the session's copy.
    this.shown = session.snapshot();
    const labels = session.labels;
    const relabelled = labels.some((label, i) => label !== quick.labels[i]);
    if (relabelled || session.branches.length > 1 || notice)
      this.emit(id, {
        timelineFrom: relabelled ? 0 : session.length,
        otherBranches: session.branches.length > 1,
        ...(notice ? { notice } : {}),
      });
  }

  /** Bring back the session an open replaced, after its answer: a Cancel that came late. */
  private restore(id: number, before: Loaded, beforeReset: Loaded | null, prefix: string, done: number, total: number) {
    this.replace(before);
    this.beforeReset = beforeReset;
    this.emit(id, {
      timelineFrom: 0,
      loaded: { ...before.scenario, steps: [...before.session.history] },
      otherBranches: true,
    });
    this.error(
      id,
      `${prefix}loading cancelled after ${count(done)} of ${count(total)} steps; the session before it is still open`,
    );
  }

  /** The answer to an open, from the engine's replay: the state at `target` and the timeline. */
  private answer(id: number, scenario: Scenario, target: number, quick: QuickReplay, select?: string): void {
    this.shown = quick.snapshot;
    const selectLine =
      select === undefined || this.started(quick.snapshot, select)
        ? null
        : entryLineOf(setupOf(scenario), scenario.steps, select);
    this.post(answerEvent({ epoch: this.epoch, seq: ++this.seq, id }, scenario, target, quick, select, selectLine));
  }

  /**
   * `refusal` ("The saved session could not be restored: step 9: …") stopped an open: say why, then open
   * `fallback` instead (the refusal goes first, so the UI knows the command was refused when the fallback's
   * snapshot arrives; if the fallback is refused too, its own error follows, and its own fallback opens).
   */
  private *fallingBack(job: Job, refusal: string, fallback: OpenFallback): Work {
    const said = fallback.note ? `${refusal}; ${fallback.note}` : refusal;
    const read = this.read(fallback.source, fallback.origin);
    if (!read.ok && fallback.fallback) {
      this.error(job.id, said);
      return yield* this.fallingBack(job, read.message, fallback.fallback);
    }
    if (!read.ok) return this.error(job.id, `${refusal}; ${read.message}`);
    this.error(job.id, said);
    // A job of its own: the Cancel that stopped the open does not stop its fallback.
    const own = { id: job.id, cancelled: false, page: job.page };
    yield* this.loading(own, read.scenario, fallback);
  }

  /** `thread` exists in `snapshot` and has begun its call (the source can follow it without a preview). */
  private started(snapshot: ViewSnapshot, thread: string): boolean {
    const t = snapshot.threads.find((x) => x.id === thread);
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
  private checked(id: number, step: SpawnStep | CompleteStep): void {
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
    const ruled = this.tutor?.gate(step);
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
  private debug(
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
    const ruled = this.tutor?.gate(action.kind === 'run' ? { run: thread } : { step: thread });
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
      const ruled = i > 0 ? this.tutor?.gate({ step: thread }) : null;
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

  private emit(id: number, e: Emitted): void {
    const session = this.current!.session;
    const { event, shown } = snapshotEvent({ epoch: this.epoch, seq: ++this.seq, id }, session, this.shown, e);
    this.shown = shown;
    this.post(event);
  }

  private error(id: number, message: string): void {
    this.post({ type: 'sim.error', version: PROTOCOL_VERSION, epoch: this.epoch, seq: ++this.seq, id, message });
  }
}
