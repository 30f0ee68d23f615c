/**
 * Opening a scenario in the SimHost: reading it (a link, a file, a saved session), replaying its steps to the
 * cursor for the answer, then building the session's history behind that answer, in slices; a refused or
 * cancelled open leaves the session before it, or opens its fallback. What the session is and how answers
 * are numbered is host-session.ts's.
 */
import { loadPager, pagerCard } from '../engine/registry';
import { quickReplay, type QuickReplay, type QuickRefusal } from '../engine/quick-replay';
import { entryLineOf, Session } from '../engine/session';
import { grouped as count } from '../protocol/format';
import type { Command, OpenFallback, SavedBranches, ScenarioSource } from '../protocol/messages';
import { setupOf, type Scenario } from '../protocol/scenario';
import type { ViewSnapshot } from '../protocol/snapshot';
import { readScenarioLink, readScenarioText, type ReadResult } from '../scenario/share';
import type { HostSession } from './host-session';
import { oneBranch, readBranches, replayBranches } from './saved-branches';
import type { ShownWait } from './shown-wait';
import { answerEvent } from './snapshot-events';
import { once, type Job, type SlicedWork, type Slicer, type Work } from './slices';

/** How a scenario is opened: where the cursor goes, what is selected, and what if it is refused. */
export interface Opening {
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

export class Opener {
  /** Opens whose scenario was read while they waited behind another command (`prepare`). */
  private readonly prepared = new WeakMap<Command, ReadResult>();

  constructor(
    private readonly held: HostSession,
    private readonly slices: Slicer,
    private readonly shownWait: ShownWait | null,
  ) {}

  /**
   * Read an open's scenario now, while the command waits behind another (the worker calls this as it queues
   * one): the link given on a visit is decoded and checked while the library's start, opened first, waits for
   * its kernel's chunk, instead of after it; and the kernel the link needs is asked for at once. Reading is
   * pure, so `open` later answers exactly as if it had read the source itself.
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

  /** `sim.open`: read its scenario (unless `prepare` did), then load it, or its fallback if it is refused. */
  open(cmd: Extract<Command, { type: 'sim.open' }>, job: Job): SlicedWork | void {
    const read = this.prepared.get(cmd) ?? this.read(cmd.source, cmd.origin);
    this.prepared.delete(cmd);
    const fallback = cmd.fallback;
    if (!read.ok && !fallback) return this.held.error(cmd.id, read.message);
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

  /** `sim.load`: a scenario sent whole, already read. */
  load(cmd: Extract<Command, { type: 'sim.load' }>, job: Job): SlicedWork {
    return { job, what: 'Loading', total: cmd.scenario.steps.length, run: this.loading(job, cmd.scenario, cmd) };
  }

  private read(source: ScenarioSource, origin: string): ReadResult {
    return source.kind === 'link' ? readScenarioLink(source.hash, origin) : readScenarioText(source.text, origin);
  }

  /**
   * Replace the session with `scenario` at `cursor` (else its end), replaying its steps one slice at a
   * time. The session shown stays until the last step is in: a refusal, or a Cancel, changes nothing (or,
   * with a `fallback`, opens that instead and says why).
   */
  *loading(job: Job, scenario: Scenario, how: Opening): Work {
    const { cursor, select, origin, fallback, cursorName = 'cursor' } = how;
    const id = job.id;
    const prefix = origin ? `${origin}: ` : '';
    const refuse = (reason: string): Work =>
      fallback ? this.fallingBack(job, prefix + reason, fallback) : once(() => this.held.error(id, prefix + reason));
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
        : once(() => this.held.error(id, cancelled(done)));
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
    const was = { current: this.held.current, beforeReset: this.held.beforeReset };
    this.held.current = null;
    this.held.epoch++;
    this.held.beforeReset = null;
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
      if (job.cancelled && was.current) {
        this.held.bringBack(id, was.current, was.beforeReset);
        return this.held.error(id, cancelled(i + 1, total));
      }
      // On a link visit nothing was open before it: its fallback (the saved session, the library's start) is.
      if (job.cancelled && fallback)
        return yield* this.fallingBack(job, cancelled(i + 1, total), { ...fallback, note: undefined });
    }
    session.seek(target);
    this.held.current = { session, scenario };
    // The same state as the answer's (the UI holds it): the next delta is taken against the session's copy.
    this.held.shown = session.snapshot();
    const labels = session.labels;
    const relabelled = labels.some((label, i) => label !== quick.labels[i]);
    if (relabelled || session.branches.length > 1 || notice)
      this.held.emit(id, {
        timelineFrom: relabelled ? 0 : session.length,
        otherBranches: session.branches.length > 1,
        ...(notice ? { notice } : {}),
      });
  }

  /** The answer to an open, from the engine's replay: the state at `target` and the timeline. */
  private answer(id: number, scenario: Scenario, target: number, quick: QuickReplay, select?: string): void {
    this.held.shown = quick.snapshot;
    const selectLine =
      select === undefined || this.started(quick.snapshot, select)
        ? null
        : entryLineOf(setupOf(scenario), scenario.steps, select);
    this.held.post(
      answerEvent({ epoch: this.held.epoch, seq: ++this.held.seq, id }, scenario, target, quick, select, selectLine),
    );
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
      this.held.error(job.id, said);
      return yield* this.fallingBack(job, read.message, fallback.fallback);
    }
    if (!read.ok) return this.held.error(job.id, `${refusal}; ${read.message}`);
    this.held.error(job.id, said);
    // A job of its own: the Cancel that stopped the open does not stop its fallback.
    const own = { id: job.id, cancelled: false, page: job.page };
    yield* this.loading(own, read.scenario, fallback);
  }

  /** `thread` exists in `snapshot` and has begun its call (the source can follow it without a preview). */
  private started(snapshot: ViewSnapshot, thread: string): boolean {
    const t = snapshot.threads.find((x) => x.id === thread);
    return t !== undefined && (t.line !== null || t.callerStmt !== null || t.status !== 'ready');
  }
}
