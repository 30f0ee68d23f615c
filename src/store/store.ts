/**
 * The app's one store, built from slices: simulation (the snapshot shown),
 * history (timeline and cursor), scenario (what is loaded: its setup and the
 * steps applied, the source of truth for export, share, save and restart) and
 * ui (selection, overlays, messages). Snapshots are immutable.
 */
import { create } from 'zustand';
import type { Scenario, Step } from '../engine/api';
import { applyDelta, type ViewSnapshot } from '../engine/view';
import type { SimEvent, TimelineEntry } from '../protocol/messages';

export type Setup = Pick<Scenario, 'machine' | 'vnodes'>;

export interface SimulationSlice {
  snapshot: ViewSnapshot | null;
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
}

export interface Actions {
  /** Apply a worker event; `pendingStep` is the step the command that caused it carried, if any. */
  receive(event: SimEvent, pendingStep: Step | null, loaded: Scenario | null): void;
  setWorkerState(state: SimulationSlice['workerState']): void;
  selectVnode(name: string | null): void;
  selectThread(id: string | null): void;
  setHelpOpen(open: boolean): void;
  notify(notice: Notice | null): void;
}

export type AppState = SimulationSlice & HistorySlice & ScenarioSlice & UiSlice & Actions;

export const useStore = create<AppState>()((set, get) => ({
  snapshot: null,
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

  receive(event, pendingStep, loaded) {
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
    const patch: Partial<AppState> = {
      snapshot,
      epoch: event.epoch,
      seq: event.seq,
      timeline,
      cursor: event.cursor,
      length: event.length,
      workerState: 'ready',
    };
    if (loaded) {
      patch.setup = { machine: loaded.machine, vnodes: loaded.vnodes };
      patch.steps = loaded.steps;
      patch.title = loaded.title ?? '';
      patch.selectedThread = null;
      patch.selectedVnode = loaded.vnodes[0]?.name ?? null;
    } else if (pendingStep) {
      patch.steps = [...state.steps.slice(0, event.cursor - 1), pendingStep];
      if ('spawn' in pendingStep) patch.selectedThread = pendingStep.spawn;
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
}));

/** The scenario as it stands: setup plus every step of the history. */
export function currentScenario(state: Pick<AppState, 'setup' | 'steps' | 'title'>): Scenario | null {
  if (!state.setup) return null;
  return {
    format: 'pager-scenario/1',
    pager: 'openbsd',
    ...(state.title ? { title: state.title } : {}),
    ...(state.setup.machine ? { machine: state.setup.machine } : {}),
    vnodes: state.setup.vnodes,
    steps: state.steps,
  };
}
