/**
 * A lab's store, built from slices: simulation (the snapshot shown, the one
 * before it, and the pager's profile), history (timeline, cursor, branches),
 * scenario (what is loaded: its setup and the current branch's steps, the
 * source of truth for export, share, save and restart) and ui (selection,
 * breakpoints, overlays, messages). Snapshots are
 * immutable. One store per lab (`createLabStore`), so two labs can sit side
 * by side; every user action goes through `dispatch`, where listeners
 * (lessons, graders, the explorer) can watch it.
 *
 * Beside it: the store's types (lab-state.ts), what an action sends and
 * changes at once (action-commands.ts), and what a snapshot event changes
 * (snapshot-patch.ts).
 */
// First: the bundle places modules in import order, and this order gzips the initial JS smallest (a few bytes).
import { NO_BRANCHES, snapshotPatch } from './snapshot-patch';
import { createStore } from 'zustand/vanilla';
import { perfMark } from '../perf/marks';
import type { Scenario } from '../protocol/scenario';
import { commandOf, localPatch, READ_ONLY_ALLOWED } from './action-commands';
import type { CommandBody, LabAction, LabState, LabStore } from './lab-state';
import { initialTeach, isTeachEvent, reduceTeach } from './teach-slice';

export type * from './lab-state';

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
      const patch = snapshotPatch(state, event, answer, resetFrom);
      if (!patch) return set(answer);
      // The undo's answer is in: what the reset kept has been given back.
      if (event.loaded && resetFrom.undoing) resetFrom = { thread: null, undoing: false };
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
