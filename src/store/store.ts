/**
 * A lab's store, built from slices: simulation (the snapshot shown and the
 * pager's profile), history (timeline and cursor), scenario (what is loaded:
 * its setup and the steps applied, the source of truth for export, share,
 * save and restart) and ui (selection, overlays, messages). Snapshots are
 * immutable. One store per lab (`createLabStore`), so two labs can sit side
 * by side; every user action goes through `dispatch`, where listeners
 * (lessons, graders, the explorer) can watch it.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { ChangeSet } from '../protocol/changes';
import { applyDelta } from '../protocol/delta';
import type { Command, ScenarioSource, SimEvent, TimelineEntry } from '../protocol/messages';
import type { PagerProfile } from '../protocol/profile';
import { setupOf, type Scenario, type Setup, type SpawnStep, type Step } from '../protocol/scenario';
import type { ViewSnapshot } from '../protocol/snapshot';

export interface SimulationSlice {
  snapshot: ViewSnapshot | null;
  /** What the step at the cursor changed (the panels mark it until the next step); null before the first snapshot. */
  changes: ChangeSet | null;
  /** What the panels show for the loaded pager; null until the first snapshot. */
  profile: PagerProfile | null;
  epoch: number;
  seq: number;
  workerState: 'starting' | 'ready' | 'restarting';
}

export interface HistorySlice {
  timeline: TimelineEntry[];
  cursor: number;
  length: number;
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
}

export interface UiSlice {
  selectedVnode: string | null;
  selectedThread: string | null;
  helpOpen: boolean;
  notice: Notice | null;
  /** The Threads panel shows the wait-for graph instead of the thread cards. */
  waitGraph: boolean;
}

/** Everything a person can do to the simulation. */
export type LabAction =
  | { readonly type: 'open'; readonly source: ScenarioSource; readonly origin: string; readonly cursor?: number }
  | { readonly type: 'load'; readonly scenario: Scenario; readonly cursor?: number }
  | { readonly type: 'reset' }
  | { readonly type: 'spawn'; readonly step: SpawnStep }
  | { readonly type: 'run'; readonly thread: string }
  | { readonly type: 'step'; readonly thread: string }
  | { readonly type: 'complete'; readonly request: number; readonly result: string }
  | { readonly type: 'seek'; readonly to: number };

/** A command without its id: the client numbers it. */
export type CommandBody = Command extends infer C ? (C extends Command ? Omit<C, 'id'> : never) : never;

export interface Actions {
  /** Do `action`: tell every action listener, then send it to the worker. */
  dispatch(action: LabAction): void;
  /** Watch every action dispatched; returns the unsubscribe. */
  onAction(listener: (action: LabAction) => void): () => void;
  /** Apply a worker event (stale ones are dropped). */
  receive(event: SimEvent): void;
  setWorkerState(state: SimulationSlice['workerState']): void;
  selectVnode(name: string | null): void;
  selectThread(id: string | null): void;
  setHelpOpen(open: boolean): void;
  notify(notice: Notice | null): void;
  showWaitGraph(show: boolean): void;
}

export type LabState = SimulationSlice & HistorySlice & ScenarioSlice & UiSlice & Actions;
export type LabStore = StoreApi<LabState>;

/** The command an action sends, given the state it is dispatched in (null: nothing to send). */
function commandOf(action: LabAction, state: LabState): CommandBody | null {
  switch (action.type) {
    case 'open':
      return { type: 'sim.open', source: action.source, origin: action.origin, cursor: action.cursor };
    case 'load':
      return { type: 'sim.load', scenario: action.scenario, cursor: action.cursor };
    case 'reset': {
      const scenario = currentScenario(state);
      return scenario ? { type: 'sim.load', scenario: { ...scenario, steps: [] } } : null;
    }
    case 'spawn':
      return { type: 'sim.spawn', step: action.step };
    case 'run':
      return { type: 'sim.run', thread: action.thread };
    case 'step':
      return { type: 'sim.step', thread: action.thread };
    case 'complete':
      return { type: 'sim.complete', request: action.request, result: action.result };
    case 'seek':
      return { type: 'sim.seek', to: action.to };
  }
}

/** `send` carries a command to this lab's worker (its client). */
export function createLabStore(send: (command: CommandBody) => void): LabStore {
  const listeners = new Set<(action: LabAction) => void>();
  return createStore<LabState>()((set, get) => ({
    snapshot: null,
    changes: null,
    profile: null,
    epoch: -1,
    seq: 0,
    workerState: 'starting',
    timeline: [],
    cursor: 0,
    length: 0,
    title: '',
    setup: null,
    steps: [],
    selectedVnode: null,
    selectedThread: null,
    helpOpen: false,
    notice: null,
    waitGraph: false,

    dispatch(action) {
      for (const listener of listeners) listener(action);
      // A message is about what was done last: the next action makes it stale (it may bring its own).
      if (get().notice) set({ notice: null });
      const command = commandOf(action, get());
      if (command) send(command);
    },
    onAction(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    receive(event) {
      const state = get();
      if (event.seq <= state.seq || event.epoch < state.epoch) return; // stale
      if (event.type === 'sim.error') {
        set({ seq: event.seq, notice: { kind: 'error', text: event.message } });
        return;
      }
      const base = event.epoch === state.epoch ? state.snapshot : null;
      const snapshot = applyDelta(base, event.delta);
      if (!snapshot) return;
      const timeline = [...state.timeline.slice(0, event.timelineFrom), ...event.timeline];
      const patch: Partial<LabState> = {
        snapshot,
        changes: event.changes,
        epoch: event.epoch,
        seq: event.seq,
        timeline,
        cursor: event.cursor,
        length: event.length,
        workerState: 'ready',
      };
      if (event.delta.profile) patch.profile = event.delta.profile;
      const loaded = event.loaded;
      if (loaded) {
        patch.setup = setupOf(loaded);
        patch.steps = loaded.steps;
        patch.title = loaded.title ?? '';
        patch.selectedThread = null;
        patch.selectedVnode = loaded.vnodes[0]?.name ?? null;
      } else if (event.applied) {
        patch.steps = [...state.steps.slice(0, event.cursor - 1), event.applied];
        if ('spawn' in event.applied) patch.selectedThread = event.applied.spawn;
      }
      set(patch);
    },
    // A new worker numbers its events afresh.
    setWorkerState: (workerState) =>
      set(workerState === 'restarting' ? { workerState, seq: 0, epoch: -1 } : { workerState }),
    selectVnode: (selectedVnode) => set({ selectedVnode }),
    selectThread: (selectedThread) => set({ selectedThread }),
    setHelpOpen: (helpOpen) => set({ helpOpen }),
    notify: (notice) => set({ notice }),
    showWaitGraph: (waitGraph) => set({ waitGraph }),
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
    steps: state.steps,
  };
}
