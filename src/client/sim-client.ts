/**
 * The UI's side of one lab's worker: numbers and posts commands, hands events
 * to the lab's store, and keeps the worker alive and the main thread free:
 *
 * - Liveness: it pings the worker every second; a worker that has not answered
 *   for ten seconds (it died silently: terminate(), self.close(), a crash
 *   with no error event) or that reports an error is restarted from the
 *   store's setup, steps and cursor, and the commands it had not answered are
 *   sent again, so no step is lost (a lesson's are not: see `restart`). The
 *   worker answers pings between the slices of long work, so a long load is
 *   not mistaken for a death.
 * - Coalescing: a Step press goes at once when no other is on its way; presses
 *   made while one is (keys held or repeated, rapid clicks) wait, and go once
 *   it is answered, at the next frame, as one `sim.step` with a count (at most
 *   MAX_STEP_BATCH): a burst of 1,000 presses costs a dozen requests and
 *   snapshots, not 1,000.
 */
import { OUT_OF_BAND, PROTOCOL_VERSION, type Command, type SimEvent } from '../protocol/messages';
import { unpackTimeline } from '../protocol/timeline';
import { perfMark } from '../perf/marks';
import { createLabStore, currentScenario, type CommandBody, type LabStore } from '../store/store';
import { branchesToSave } from '../store/saved-branches';
import { clearTeachingHash } from '../app/teach-link';

type StepBody = Extract<CommandBody, { type: 'sim.step' }>;

export interface ClientOptions {
  /** How often the worker is pinged (ms). */
  readonly heartbeatMs?: number;
  /** A worker that has not answered anything for this long (ms) while a ping waits is taken for dead. */
  readonly deadAfterMs?: number;
  /** Calls `f` at the next frame (the browser: requestAnimationFrame, with a timer for hidden pages). */
  readonly nextFrame?: (f: () => void) => void;
  /** The clock (ms). */
  readonly now?: () => number;
}

/**
 * Most Step presses one request carries: its answer (a timeline entry a step) is then received and drawn
 * within a frame or two, and a long burst goes as a stream of such requests, one in flight at a time.
 */
export const MAX_STEP_BATCH = 100;

/** Restarts in a row without any answer in between: past this, the worker is left stopped (it dies replaying). */
const MAX_RESTARTS = 3;

function defaultNextFrame(f: () => void): void {
  let done = false;
  const once = () => {
    if (done) return;
    done = true;
    f();
  };
  if (typeof requestAnimationFrame === 'function') requestAnimationFrame(once);
  // A hidden page gets no frames: a timer makes sure the presses still go.
  setTimeout(once, 50);
}

export class SimClient {
  private worker: Worker | null = null;
  private nextId = 1;
  private store: LabStore | null = null;
  /** Commands sent and not yet answered, in order: sent again to a restarted worker. */
  private pending: CommandBody[] = [];
  private pendingIds: number[] = [];
  /**
   * The id a caller was given for a command sent again to a restarted worker, by the id it was sent under: its
   * answer goes to the store under the caller's (main.tsx sets a refused save aside by it). The replay sent
   * before them answers between the last command answered and the first of them, so that it passes for neither.
   */
  private callerIds = new Map<number, number>();
  /** A teaching command (other than the catalog) was sent, and no teaching event has come since. */
  private teachAsked = false;
  /** The catalog was asked for and has not come: sent again after a restart (a read; the pane asks only once). */
  private catalogAsked = false;
  /** Step presses waiting for the next frame (and for the last batch's answer). */
  private steps: StepBody | null = null;
  private frameAsked = false;
  private heartbeat: ReturnType<typeof setInterval> | null = null;
  /** When the oldest unanswered ping went out (null: none waits). */
  private pingSince: number | null = null;
  private restarts = 0;
  /** Why the worker was restarted, until the commands sent again are answered (then it is said last). */
  private restartNote: string | null = null;
  private readonly heartbeatMs: number;
  private readonly deadAfterMs: number;
  private readonly nextFrame: (f: () => void) => void;
  private readonly now: () => number;

  constructor(
    private readonly makeWorker: () => Worker,
    options: ClientOptions = {},
  ) {
    this.heartbeatMs = options.heartbeatMs ?? 1000;
    // Generous: a worker reading a 16 MiB file or a 4 MB link answers nothing for a few seconds on a slow machine.
    this.deadAfterMs = options.deadAfterMs ?? 10_000;
    this.nextFrame = options.nextFrame ?? defaultNextFrame;
    this.now = options.now ?? (() => performance.now());
  }

  /** Start the worker, delivering its events to `store`. */
  start(store: LabStore): void {
    this.store = store;
    const worker = this.makeWorker();
    worker.onmessage = (e: MessageEvent<SimEvent>) => {
      // Before `e.data`: the browser deserialises a message when its data is first read.
      perfMark('client:message');
      this.receive(e.data);
    };
    worker.onerror = (e) => {
      e.preventDefault();
      this.restart(`The simulation worker stopped (${e.message || 'error'}); restarted it from the step list.`);
    };
    this.worker = worker;
    this.pingSince = null;
    if (this.heartbeat === null) this.heartbeat = setInterval(() => this.beat(), this.heartbeatMs);
  }

  /**
   * Kill and restart the worker, replaying the store's scenario to the cursor, then send again every
   * command the old one had not answered (in order), so nothing is lost.
   */
  restart(reason: string): void {
    const store = this.store;
    if (!store) return;
    this.worker?.terminate();
    this.worker = null;
    const state = store.getState();
    if (++this.restarts > MAX_RESTARTS) {
      this.stopHeartbeat();
      // Not 'restarting': the status row would say so for ever instead of this message.
      state.setWorkerState('stopped');
      state.notify({
        kind: 'error',
        text: `The simulation worker stopped ${MAX_RESTARTS} times in a row while replaying this session; reload the page.`,
      });
      return;
    }
    // The other branches are made again from the steps the store kept of them, as a saved session's are.
    const branches = branchesToSave(state);
    // A lesson, challenge or exercise lives in the worker (its scene, answers, rules), not in the store: the new
    // worker has none, and the pane goes back to its menu. A teaching command is not sent again: inside a lesson
    // the new worker would refuse it, and an open would replace, unasked, the session the learner was just told
    // was restored. The learner is told instead, and the address loses the lesson's link, so that a reload
    // shows what the pane shows.
    let note = reason;
    if (state.teach.mode !== null || this.teachAsked) {
      clearTeachingHash();
      note +=
        ' What the Learn pane had open or was opening is closed, and what was asked of it not done: open it again from its menu.';
    }
    this.teachAsked = false;
    const resend = this.pending;
    const ids = this.pendingIds.map((id) => this.callerIds.get(id) ?? id);
    this.pending = [];
    this.pendingIds = [];
    this.callerIds.clear();
    state.setWorkerState('restarting');
    state.notify({ kind: 'error', text: note });
    this.start(store);
    const scenario = currentScenario(state);
    if (scenario)
      this.post(
        { type: 'sim.load', scenario, cursor: state.cursor, ...(branches ? { branches } : {}) },
        ids.length > 0 ? (state.answered + ids[0]!) / 2 : undefined,
      );
    resend.forEach((body, i) => this.post(body, ids[i]));
    if (this.catalogAsked) this.post({ type: 'teach.catalog' });
    // Said again once what was sent is answered (at once if the worker answered already).
    this.restartNote = note;
    if (this.pending.length === 0) this.sayRestarted(note);
  }

  /**
   * Send a command; its id. Step presses wait for the next frame, merged into one command with a count
   * (null: no id yet).
   */
  send(body: CommandBody): number | null {
    if (body.type === 'sim.step') return this.queueStep(body);
    // Order is kept: presses waiting go first.
    if (!OUT_OF_BAND.has(body.type)) this.flushSteps();
    return this.post(body);
  }

  dispose(): void {
    this.stopHeartbeat();
    this.worker?.terminate();
    this.worker = null;
  }

  /** `callerId`: the id the caller holds for it (see `callerIds`). */
  private post(body: CommandBody, callerId?: number): number {
    const id = this.nextId++;
    if (callerId !== undefined) this.callerIds.set(id, callerId);
    if (body.type === 'teach.catalog') this.catalogAsked = true;
    else if (body.type.startsWith('teach.')) this.teachAsked = true;
    if (!OUT_OF_BAND.has(body.type) && !body.type.startsWith('teach.')) {
      this.pending.push(body);
      this.pendingIds.push(id);
    }
    this.worker?.postMessage({ ...body, id } as Command);
    return id;
  }

  private queueStep(body: StepBody): null {
    const waiting = this.steps;
    // A press with none waiting or in flight goes at once (a click answers without a frame's delay).
    if (!waiting && !this.pending.some((c) => c.type === 'sim.step')) {
      this.post(body);
      return null;
    }
    if (waiting && waiting.thread === body.thread) {
      this.steps = { ...waiting, count: (waiting.count ?? 1) + (body.count ?? 1) };
    } else {
      this.flushSteps();
      this.steps = body;
    }
    this.askFrame();
    return null;
  }

  private askFrame(): void {
    if (this.frameAsked) return;
    this.frameAsked = true;
    this.nextFrame(() => {
      this.frameAsked = false;
      // One batch in flight at a time: the presses made meanwhile go when it is answered.
      if (!this.pending.some((c) => c.type === 'sim.step')) this.flushSteps(MAX_STEP_BATCH);
    });
  }

  /** Send the presses waiting (up to `most` of them; the rest wait for the next frame). */
  private flushSteps(most = Infinity): void {
    const steps = this.steps;
    if (!steps) return;
    const count = steps.count ?? 1;
    if (count > most) {
      this.steps = { ...steps, count: count - most };
      this.post({ ...steps, count: most });
    } else {
      this.steps = null;
      this.post(steps);
    }
  }

  /** Every second: ping, or restart a worker that has not answered the last ping in time. */
  private beat(): void {
    if (!this.worker) return;
    if (this.pingSince === null) {
      this.pingSince = this.now();
      this.worker.postMessage({ type: 'sim.ping', id: this.nextId++ } satisfies Command);
    } else if (this.now() - this.pingSince > this.deadAfterMs) {
      const lost = this.pending.length + (this.steps ? 1 : 0);
      this.restart(
        `The simulation worker stopped answering; restarted it from the step list${lost > 0 ? ` and sent again the ${lost === 1 ? 'command' : `${lost} commands`} it had not done` : ''}.`,
      );
    }
  }

  private stopHeartbeat(): void {
    if (this.heartbeat !== null) clearInterval(this.heartbeat);
    this.heartbeat = null;
  }

  private receive(received: SimEvent): void {
    // Not an event at all (a stray `postMessage`): said as a protocol mismatch, never read as one.
    if (typeof received !== 'object' || received === null) {
      this.store?.getState().notify({
        kind: 'error',
        text: `The simulation worker sent something that is not an event (${String(received)}): reload the page.`,
      });
      return;
    }
    // A long timeline comes packed: the store keeps entries that decode their trails when read.
    let event = received;
    if (event.type === 'sim.snapshot' && event.packed) {
      const { packed, ...rest } = event;
      event = { ...rest, timeline: unpackTimeline(event.timelineFrom, packed) };
    }
    // Anything from the worker shows it is alive.
    this.pingSince = null;
    if (event.version !== PROTOCOL_VERSION) {
      this.store?.getState().notify({
        kind: 'error',
        text: `The simulation worker speaks protocol ${String(event.version)}, this page ${PROTOCOL_VERSION}: reload the page.`,
      });
      return;
    }
    if (event.type.startsWith('teach.')) this.teachAsked = false;
    if (event.type === 'teach.catalog') this.catalogAsked = false;
    const sent = 'id' in event ? event.id : 0;
    if ('id' in event && event.type !== 'sim.progress' && event.type !== 'sim.pong') this.answered(sent);
    const id = this.callerIds.get(sent);
    this.store?.getState().receive(id === undefined ? event : ({ ...event, id } as SimEvent));
    if (event.type === 'sim.snapshot' && event.loaded) this.sayShown(sent);
    if (this.restartNote !== null && this.pending.length === 0) this.sayRestarted(this.restartNote);
    if (this.steps && !this.pending.some((c) => c.type === 'sim.step')) this.askFrame();
  }

  /**
   * A snapshot that loaded a scenario is painted: the worker builds an open's history only then, so that it
   * does not take a core from this render (the store's update commits before the next frame; a task after that
   * frame's callbacks runs once it is painted).
   */
  private sayShown(answer: number): void {
    const worker = this.worker;
    this.nextFrame(() =>
      setTimeout(() => {
        if (this.worker === worker)
          worker?.postMessage({ type: 'sim.shown', id: this.nextId++, answer } satisfies Command);
      }, 0),
    );
  }

  /**
   * The commands sent again are answered: their own messages ("Acting on step 6 started Branch 2") must
   * not hide that the worker was restarted, so that is said again, with an error of theirs after it.
   */
  private sayRestarted(note: string): void {
    this.restartNote = null;
    const state = this.store?.getState();
    const notice = state?.notice;
    if (!state || notice?.text === note) return;
    state.notify({ kind: 'error', text: notice?.kind === 'error' ? `${note} Then: ${notice.text}` : note });
  }

  /** Commands up to `id` are answered (the worker answers in order). */
  private answered(id: number): void {
    let n = 0;
    while (n < this.pendingIds.length && this.pendingIds[n]! <= id) n++;
    if (n === 0) return;
    this.pending.splice(0, n);
    this.pendingIds.splice(0, n);
    this.restarts = 0;
  }
}

/** A lab: its store and the client of its own worker. */
export interface Lab {
  readonly store: LabStore;
  readonly client: SimClient;
}

export function createLab(makeWorker: () => Worker, options?: ClientOptions): Lab {
  const client = new SimClient(makeWorker, options);
  const store = createLabStore((command) => client.send(command));
  client.start(store);
  return { store, client };
}

/**
 * The simulation worker. The built page's head starts one while the HTML is parsed (tools/prerender-plugin.ts,
 * `EARLY_WORKER_SCRIPT`): the first call takes that one, unless it failed to load; every other call (a restart, a
 * second lab, the dev server) starts a new one.
 */
export const simWorker = (): Worker => {
  const page = globalThis as { pagerLabWorker?: Worker & { pagerLabFailed?: string } };
  const early = page.pagerLabWorker;
  page.pagerLabWorker = undefined;
  if (early && early.pagerLabFailed === undefined) return early;
  early?.terminate();
  return new Worker(new URL('../worker/sim.worker.ts', import.meta.url), { type: 'module', name: 'pager-engine' });
};
