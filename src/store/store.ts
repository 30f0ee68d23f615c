/**
 * A lab's store, built from slices: simulation (the snapshot shown, the one
 * before it, and the pager's profile), history (timeline, cursor, branches),
 * scenario (what is loaded: its setup and the current branch's steps, the
 * source of truth for export, share, save and restart) and ui (selection,
 * breakpoints, overlays, messages). Snapshots are
 * immutable. One store per lab (`createLabStore`), so two labs can sit side
 * by side; every user action goes through `dispatch`, where listeners
 * (lessons, graders, the explorer) can watch it.
 */
import { keepEqual } from '../protocol/keep-equal';
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { ChangeSet } from '../protocol/changes';
import { applyDelta } from '../protocol/delta';
import { perfMark } from '../perf/marks';
import type { BranchView, Comparison, StopInfo } from '../protocol/debug';
import type { Command, SavedBranches, ScenarioSource, SimEvent, TimelineEntry } from '../protocol/messages';
import type { PagerProfile } from '../protocol/profile';
import { setupOf, type Scenario, type Setup, type SpawnStep, type Step } from '../protocol/scenario';
import type { ViewSnapshot } from '../protocol/snapshot';
import type { TeachCommand } from '../protocol/teach';
import { initialTeach, isTeachEvent, reduceTeach, type TeachState } from './teach-slice';

export interface SimulationSlice {
  snapshot: ViewSnapshot | null;
  /** The snapshot shown before this one in the same session (what changed values are marked against). */
  previous: ViewSnapshot | null;
  /** What the step at the cursor changed (the panels mark it until the next step); null before the first snapshot. */
  changes: ChangeSet | null;
  /** What the panels show for the loaded pager; null until the first snapshot. */
  profile: PagerProfile | null;
  epoch: number;
  seq: number;
  /** 'stopped': restarted too often, given up (the page must be reloaded). */
  workerState: 'starting' | 'ready' | 'restarting' | 'stopped';
  /** A command running in slices in the worker (a long load, run or batch of steps), while it runs. */
  busy: Busy | null;
  /**
   * The highest command id the worker has answered (a snapshot, an error or a comparison). A restarted worker's
   * replay answers under a number between the last answered id and the next (src/client/sim-client.ts).
   */
  answered: number;
  /** The id of the last command the worker refused (its answer was an error). */
  refused: number;
}

/** Long work under way in the worker, from its `sim.progress` reports. */
export interface Busy {
  readonly id: number;
  /** "Loading", "Stepping t1"… */
  readonly what: string;
  readonly done: number;
  /** Units in all (steps), 0 when unknown (a run). */
  readonly total: number;
  /** An open: the seed its scenario shows (`sim.progress`'s `seed`). */
  readonly seed?: string;
}

export interface HistorySlice {
  timeline: TimelineEntry[];
  cursor: number;
  length: number;
  branches: readonly BranchView[];
  /** The current branch's id. */
  branch: number;
  /**
   * The steps of every branch but the current one, by id: a branch changes only while it is shown, so its steps
   * are kept as they were when the lab left it (or as the worker sent them with a history made anew).
   */
  otherBranches: ReadonlyMap<number, readonly Step[]>;
  /** Two branches compared, while the comparison is open. */
  comparison: Comparison | null;
  /** Why the thread the last run or step moved stopped (null after anything else). */
  lastStop: StopInfo | null;
}

export interface ScenarioSlice {
  title: string;
  setup: Setup | null;
  /** Steps of the history (all of them, also those beyond the cursor). */
  steps: Step[];
}

export interface Notice {
  kind: 'error' | 'info';
  text: string;
  /** A button the message offers ("Undo"), and the action it dispatches. */
  action?: { readonly label: string; readonly action: LabAction } | undefined;
}

export interface UiSlice {
  selectedVnode: string | null;
  selectedThread: string | null;
  /** Seed lines with a breakpoint, ascending; they belong to the loaded pager's seed. */
  breakpoints: readonly number[];
  /** The seed line picked in the source for "run to line". */
  chosenLine: number | null;
  /** Where the source shows the selected thread before it has started (from the loaded history). */
  previewLine: number | null;
  /** The "About this scenario" area is open. */
  aboutOpen: boolean;
  helpOpen: boolean;
  notice: Notice | null;
  /** An embedded viewer: only moving through the history is allowed. */
  readOnly: boolean;
  /** Lessons, challenges, exercises (store/teaching.ts). */
  teach: TeachState;
  /** The Threads panel shows the wait-for graph instead of the thread cards. */
  waitGraph: boolean;
}

/** Everything a person can do to the simulation. */
export type LabAction =
  | {
      readonly type: 'open';
      readonly source: ScenarioSource;
      readonly origin: string;
      /** Steps applied when it opens (default: all). */
      readonly cursor?: number;
      /** The thread selected once it opens. */
      readonly select?: string;
      /** Open the "About this scenario" area (a library scenario's explanation). */
      readonly about?: boolean;
      /** A saved session's other branches: see `sim.open`. */
      readonly branches?: SavedBranches;
      /** What to open instead if the worker refuses it (a saved session): see `sim.open`. */
      readonly fallback?: Extract<Command, { type: 'sim.open' }>['fallback'];
    }
  | { readonly type: 'load'; readonly scenario: Scenario; readonly cursor?: number }
  /** Start over from the setup (the UI asks first); undoable. */
  | { readonly type: 'reset' }
  | { readonly type: 'undoReset' }
  | { readonly type: 'spawn'; readonly step: SpawnStep }
  /** Run to a block or the end, stopping at breakpoints. */
  | { readonly type: 'run'; readonly thread: string }
  | { readonly type: 'step'; readonly thread: string }
  | { readonly type: 'stepOver'; readonly thread: string }
  | { readonly type: 'stepOut'; readonly thread: string }
  | { readonly type: 'runTo'; readonly thread: string; readonly line: number }
  | { readonly type: 'toggleBreakpoint'; readonly line: number }
  | { readonly type: 'chooseLine'; readonly line: number | null }
  | { readonly type: 'complete'; readonly request: number; readonly result: string }
  | { readonly type: 'seek'; readonly to: number }
  | { readonly type: 'switchBranch'; readonly branch: number }
  | { readonly type: 'compare'; readonly a: number; readonly b: number }
  | { readonly type: 'closeComparison' }
  /** Stop the long command under way in the worker (a load keeps the session before it). */
  | { readonly type: 'cancel' }
  /** Lessons, challenges and exercises: a command for the worker's tutor. */
  | { readonly type: 'teach'; readonly command: TeachCommandBody };

/** A teaching command without its id. */
export type TeachCommandBody = TeachCommand extends infer C ? (C extends TeachCommand ? Omit<C, 'id'> : never) : never;

/** What a read-only lab (the embed) still does: open the link it was given, move through the history, follow a lesson. */
const READ_ONLY_ALLOWED: ReadonlySet<LabAction['type']> = new Set(['open', 'seek', 'teach', 'cancel']);

/** A command without its id: the client numbers it. */
export type CommandBody = Command extends infer C ? (C extends Command ? Omit<C, 'id'> : never) : never;

export interface Actions {
  /** Do `action`: tell every action listener, then send it to the worker; the command's id, if one was sent. */
  dispatch(action: LabAction): number | null;
  /**
   * The step the lab is going to: the last seek's target while it is unanswered, else the cursor. Back,
   * Forward and the arrow keys count from it, so presses quicker than the answers (End, then ← at once) add up.
   */
  aimedCursor(): number;
  /** Watch every action dispatched; returns the unsubscribe. */
  onAction(listener: (action: LabAction) => void): () => void;
  /** Apply a worker event (stale ones are dropped). */
  receive(event: SimEvent): void;
  setWorkerState(state: SimulationSlice['workerState']): void;
  selectVnode(name: string | null): void;
  selectThread(id: string | null): void;
  /**
   * Select thread `id` with the worker's next answer (or progress report), in the same render: called with a
   * Step or Run pressed on a card, whose command is that answer's unless one sent before it is still in flight.
   * At once in a read-only lab (nothing is sent). A later selection replaces it.
   */
  selectThreadOnAnswer(id: string): void;
  setAboutOpen(open: boolean): void;
  setHelpOpen(open: boolean): void;
  notify(notice: Notice | null): void;
  setReadOnly(readOnly: boolean): void;
  /** Show or hide the teaching pane. */
  setTeachOpen(open: boolean): void;
  showWaitGraph(show: boolean): void;
}

export type LabState = SimulationSlice & HistorySlice & ScenarioSlice & UiSlice & Actions;
export type LabStore = StoreApi<LabState>;

/** The command an action sends, given the state it is dispatched in (null: nothing to send). */
function commandOf(action: LabAction, state: LabState): CommandBody | null {
  const breakpoints = state.breakpoints.length > 0 ? { breakpoints: state.breakpoints } : {};
  switch (action.type) {
    case 'open':
      return {
        type: 'sim.open',
        source: action.source,
        origin: action.origin,
        cursor: action.cursor,
        ...(action.select !== undefined ? { select: action.select } : {}),
        ...(action.branches ? { branches: action.branches } : {}),
        ...(action.fallback ? { fallback: action.fallback } : {}),
      };
    case 'load':
      return { type: 'sim.load', scenario: action.scenario, cursor: action.cursor };
    case 'reset':
      return state.setup ? { type: 'sim.reset' } : null;
    case 'undoReset':
      return { type: 'sim.undoReset' };
    case 'spawn':
      return { type: 'sim.spawn', step: action.step };
    case 'run':
      return { type: 'sim.run', thread: action.thread, ...breakpoints };
    case 'step':
      return { type: 'sim.step', thread: action.thread };
    case 'stepOver':
      return { type: 'sim.stepOver', thread: action.thread, ...breakpoints };
    case 'stepOut':
      return { type: 'sim.stepOut', thread: action.thread, ...breakpoints };
    case 'runTo':
      return { type: 'sim.runTo', thread: action.thread, line: action.line, ...breakpoints };
    case 'complete':
      return { type: 'sim.complete', request: action.request, result: action.result };
    case 'seek':
      return { type: 'sim.seek', to: action.to };
    case 'teach':
      return action.command;
    case 'switchBranch':
      return { type: 'sim.branch', branch: action.branch };
    case 'compare':
      return { type: 'sim.compare', a: action.a, b: action.b };
    case 'cancel':
      return state.busy ? { type: 'sim.cancel' } : null;
    case 'toggleBreakpoint':
    case 'chooseLine':
    case 'closeComparison':
      return null;
  }
}

/** What an action changes in the store itself, before (or instead of) the worker. */
function localPatch(action: LabAction, state: LabState): Partial<LabState> | null {
  switch (action.type) {
    case 'toggleBreakpoint': {
      const has = state.breakpoints.includes(action.line);
      const breakpoints = has
        ? state.breakpoints.filter((l) => l !== action.line)
        : [...state.breakpoints, action.line].sort((a, b) => a - b);
      return { breakpoints };
    }
    case 'chooseLine':
      return { chosenLine: action.line };
    case 'closeComparison':
      return { comparison: null };
    case 'open':
      return action.about !== undefined ? { aboutOpen: action.about } : null;
    default:
      return null;
  }
}

/** Lists this module made (never one a caller handed in), the only ones it appends to in place. */
const NO_BRANCHES: ReadonlyMap<number, readonly Step[]> = new Map();

/** The other branches' steps once the lab moves to branch `to`: the one it leaves keeps the steps it had. */
function leftBranch(state: LabState, to: number): ReadonlyMap<number, readonly Step[]> {
  const others = new Map(state.otherBranches);
  others.set(state.branch, state.steps);
  others.delete(to);
  return others;
}

const ownLists = new WeakSet<readonly unknown[]>();
function ownList<T>(list: T[]): T[] {
  ownLists.add(list);
  return list;
}
function appendInPlace<T>(list: T[], entries: readonly T[]): T[] {
  for (const entry of entries) list.push(entry);
  return list;
}

/** `send` carries a command to this lab's worker (its client), which numbers it. */
export function createLabStore(send: (command: CommandBody) => number | null | void): LabStore {
  const listeners = new Set<(action: LabAction) => void>();
  /**
   * A selection that waits for its command's answer. Selecting at the click rendered the lab twice for one
   * Step on another thread's card: the selection (the Source jumping to the thread's old line, a frame
   * painted), then the step a moment later.
   */
  let selectOnAnswer: string | null = null;
  /** The seek sent last, until an answer to it (or to a later command) comes; null once another command goes. */
  let seekAsked: { id: number; to: number } | null = null;
  /**
   * The thread selected when the lab was last reset, given back with the session when the reset is undone
   * (`undoing`: an undo was sent; its answer is the next session loaded, as the worker answers in order).
   */
  let resetFrom: { thread: string | null; undoing: boolean } = { thread: null, undoing: false };
  /** The waiting selection as a patch for the answer (or progress report) being received, and no longer waiting. */
  const waitingSelection = (state: LabState): Partial<LabState> => {
    const thread = selectOnAnswer;
    selectOnAnswer = null;
    return thread === null || state.selectedThread === thread ? {} : { selectedThread: thread };
  };
  return createStore<LabState>()((set, get) => ({
    snapshot: null,
    previous: null,
    changes: null,
    profile: null,
    epoch: -1,
    seq: 0,
    workerState: 'starting',
    busy: null,
    answered: 0,
    refused: 0,
    timeline: [],
    cursor: 0,
    length: 0,
    branches: [],
    branch: 1,
    otherBranches: NO_BRANCHES,
    comparison: null,
    lastStop: null,
    title: '',
    setup: null,
    steps: [],
    selectedVnode: null,
    selectedThread: null,
    breakpoints: [],
    chosenLine: null,
    previewLine: null,
    aboutOpen: false,
    helpOpen: false,
    notice: null,
    readOnly: false,
    teach: initialTeach,
    waitGraph: false,

    dispatch(action) {
      if (get().readOnly && !READ_ONLY_ALLOWED.has(action.type)) return null;
      for (const listener of listeners) listener(action);
      // A message is about what was done last: the next action makes it stale (it may bring its own). The Learn
      // pane asking for its catalog is not an action: a teaching link's refusal stays up beside the menu.
      const reading = action.type === 'teach' && action.command.type === 'teach.catalog';
      if (get().notice && !reading) set({ notice: null });
      const state = get();
      const command = commandOf(action, state);
      const patch = localPatch(action, state);
      if (patch) set(patch);
      if (!command) return null;
      if (action.type === 'reset') resetFrom = { thread: state.selectedThread, undoing: false };
      // Before sending: a worker in the same thread (tests) answers within `send`.
      if (action.type === 'undoReset') resetFrom = { ...resetFrom, undoing: true };
      const id = send(command) ?? null;
      seekAsked = action.type === 'seek' && id !== null ? { id, to: action.to } : null;
      return id;
    },
    aimedCursor() {
      return seekAsked?.to ?? get().cursor;
    },
    onAction(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    receive(event) {
      const state = get();
      if (isTeachEvent(event)) {
        if (event.type === 'teach.error') set({ notice: { kind: 'error', text: event.message } });
        else set({ teach: reduceTeach(state.teach, event) });
        return;
      }
      if (event.type === 'sim.pong') return;
      if (event.type === 'sim.progress') {
        const { id, what, done, total, seed } = event;
        if (id > state.answered)
          set({ busy: { id, what, done, total, ...(seed === undefined ? {} : { seed }) }, ...waitingSelection(state) });
        return;
      }
      // Answered: whatever it was, the command no longer runs.
      const answer: Partial<LabState> = { answered: Math.max(state.answered, event.id), ...waitingSelection(state) };
      if (seekAsked && event.id >= seekAsked.id) seekAsked = null;
      if (state.busy && state.busy.id <= event.id) answer.busy = null;
      if (event.type === 'sim.error') answer.refused = event.id;
      // A restarted worker that answers is up, with a refusal too (an open it was sent again, nothing loaded).
      if (state.workerState === 'restarting') answer.workerState = 'ready';
      // An undo refused (a load dropped what the reset replaced): nothing comes back to select.
      if (event.type === 'sim.error' && resetFrom.undoing) resetFrom = { thread: null, undoing: false };
      if (event.seq <= state.seq || event.epoch < state.epoch) return set(answer); // stale
      if (event.type === 'sim.error') {
        set({ ...answer, seq: event.seq, notice: { kind: 'error', text: event.message } });
        return;
      }
      if (event.type === 'sim.comparison') {
        set({ ...answer, seq: event.seq, comparison: event.comparison });
        return;
      }
      perfMark('store:start');
      const sameSession = event.epoch === state.epoch;
      const base = sameSession ? state.snapshot : null;
      const snapshot = applyDelta(base, event.delta);
      if (!snapshot) return set(answer);
      // A step adds its entry at the end of the store's own list, in place: a copy per step of a 16k-entry list
      // is a 128 KB allocation, and its garbage collections landed in the slowest steps. The Timeline renders
      // anyway (cursor and length change); anything else takes a fresh list (slice + concat: copies as blocks).
      const timeline =
        event.timelineFrom === state.timeline.length && ownLists.has(state.timeline)
          ? appendInPlace(state.timeline, event.timeline)
          : ownList(state.timeline.slice(0, event.timelineFrom).concat(event.timeline));
      const patch: Partial<LabState> = {
        ...answer,
        snapshot,
        previous: base,
        // Each part keeps its identity while it stays the same (empty, mostly), so a panel whose part of the
        // step's changes did not change is not rendered again.
        changes: sameSession ? keepEqual(state.changes, event.changes) : event.changes,
        epoch: event.epoch,
        seq: event.seq,
        timeline,
        cursor: event.cursor,
        length: event.length,
        branches: event.branches,
        branch: event.branch,
        otherBranches: event.otherBranches
          ? new Map(event.otherBranches.map((b) => [b.id, b.steps]))
          : event.loaded
            ? NO_BRANCHES
            : sameSession && event.branch !== state.branch
              ? leftBranch(state, event.branch)
              : state.otherBranches,
        lastStop: event.stop,
        workerState: 'ready',
      };
      if (event.delta.profile) patch.profile = event.delta.profile;
      const loaded = event.loaded;
      if (loaded) {
        // Breakpoints are seed lines: they mean nothing in another pager's seed.
        if (state.setup && state.setup.pager !== loaded.pager) patch.breakpoints = [];
        if (state.setup?.pager !== loaded.pager) patch.chosenLine = null;
        patch.setup = setupOf(loaded);
        patch.steps = loaded.steps;
        patch.title = loaded.title ?? '';
        // An undone reset brings back the thread selected before it, with the rest of the session.
        patch.selectedThread = resetFrom.undoing ? resetFrom.thread : event.select;
        if (resetFrom.undoing) resetFrom = { thread: null, undoing: false };
        patch.previewLine = event.selectLine;
        // A link naming a thread its scenario never starts: said, not silently dropped.
        if (event.select !== null && !loaded.steps.some((s) => 'spawn' in s && s.spawn === event.select)) {
          patch.selectedThread = null;
          patch.notice = {
            kind: 'info',
            text: `The link selects ${event.select}, a thread this scenario never starts.`,
          };
        }
        patch.selectedVnode = loaded.vnodes[0]?.name ?? null;
        patch.comparison = null;
        if (event.undoable)
          patch.notice = {
            kind: 'info',
            text: 'The lab was reset to its setup.',
            action: { label: 'Undo reset', action: { type: 'undoReset' } },
          };
        else if (state.notice?.action?.action.type === 'undoReset') patch.notice = null;
      } else if (event.history) {
        patch.steps = ownList(state.steps.slice(0, event.history.from).concat(event.history.steps));
      } else if (event.applied.length > 0) {
        // Steps the branch took next (the worker followed it, the length unchanged) leave its list as it is.
        // Added at its end (the cursor was there), they go into the store's own list in place: a copy per
        // step of a 16k-step list is a 128 KB array, which V8 puts in its large-object space; it lives until
        // the next step, so collections promote it and the old generation grew by 128 KB a step, a major
        // collection every ~100 steps in the slowest clicks (bench-browser's trace). The list keeps its
        // identity then; the cursor, which every reader of the list reads with it, moves on every such step.
        const followed = sameSession && event.branch === state.branch && event.length === state.steps.length;
        const from = event.cursor - event.applied.length;
        if (!followed)
          patch.steps =
            from === state.steps.length && ownLists.has(state.steps)
              ? appendInPlace(state.steps, event.applied)
              : ownList(state.steps.slice(0, from).concat(event.applied));
        const first = event.applied[0]!;
        if ('spawn' in first) patch.selectedThread = first.spawn;
      }
      if (event.notice) patch.notice = { kind: 'error', text: event.notice };
      if (!loaded && sameSession && !event.otherBranches && event.branches.length > state.branches.length) {
        // Acting on a past step made a branch: say where the old future went, once.
        const made = event.branches.find((b) => b.id === event.branch);
        const old = event.branches.find((b) => b.id === made?.parent);
        if (made && old)
          patch.notice = {
            kind: 'info',
            text: `Acting on step ${made.forkAt} started ${made.name}; ${old.name} keeps its ${old.length - made.forkAt} later steps (Timeline: Branch).`,
          };
      }
      set(patch);
      perfMark('store:end');
    },
    // A new worker numbers its events afresh, and knows no lesson or challenge: the pane goes back to its menu.
    setWorkerState: (workerState) =>
      set((s) =>
        workerState === 'restarting'
          ? { workerState, seq: 0, epoch: -1, busy: null, teach: { ...s.teach, mode: null } }
          : { workerState },
      ),
    // A setter that changes nothing notifies no one (zustand skips an update that returns the state itself): a
    // notification runs every panel's selectors, and a render if any of them changed. A card's Step or Run
    // selects its thread with the answer instead (`selectThreadOnAnswer`), in the answer's one update.
    selectVnode: (selectedVnode) => set((s) => (s.selectedVnode === selectedVnode ? s : { selectedVnode })),
    selectThread: (selectedThread) => {
      selectOnAnswer = null;
      set((s) => (s.selectedThread === selectedThread ? s : { selectedThread }));
    },
    selectThreadOnAnswer: (thread) => {
      if (get().readOnly) return get().selectThread(thread);
      selectOnAnswer = thread;
    },
    setAboutOpen: (aboutOpen) => set((s) => (s.aboutOpen === aboutOpen ? s : { aboutOpen })),
    setHelpOpen: (helpOpen) => set((s) => (s.helpOpen === helpOpen ? s : { helpOpen })),
    notify: (notice) => set((s) => (s.notice === notice ? s : { notice })),
    setReadOnly: (readOnly) => set((s) => (s.readOnly === readOnly ? s : { readOnly })),
    setTeachOpen: (open) => set((s) => (s.teach.open === open ? s : { teach: { ...s.teach, open } })),
    showWaitGraph: (waitGraph) => set((s) => (s.waitGraph === waitGraph ? s : { waitGraph })),
  }));
}

/** The scenario as it stands: setup plus every step of the history. */
export function currentScenario(state: Pick<LabState, 'setup' | 'steps' | 'title'>): Scenario | null {
  if (!state.setup) return null;
  return {
    format: 'pager-scenario/1',
    pager: state.setup.pager,
    ...(state.title ? { title: state.title } : {}),
    ...(state.setup.machine ? { machine: state.setup.machine } : {}),
    ...(state.setup.mounts ? { mounts: state.setup.mounts } : {}),
    vnodes: state.setup.vnodes,
    // A copy: the store appends a step to its own list in place, and a caller may hold this scenario across
    // an await (a share link encoded after its codec loads) while the learner steps on.
    steps: state.steps.slice(),
  };
}
