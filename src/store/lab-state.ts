/**
 * The shape of a lab's store (store.ts builds it): the slices it holds, every action a person can take,
 * and what it offers its readers. Types only, so a panel that reads a slice imports no store code.
 */
import type { StoreApi } from 'zustand/vanilla';
import type { ChangeSet } from '../protocol/changes';
import type { BranchView, Comparison, StopInfo } from '../protocol/debug';
import type { Command, SavedBranches, ScenarioSource, SimEvent, TimelineEntry } from '../protocol/messages';
import type { PagerProfile } from '../protocol/profile';
import type { Scenario, Setup, SpawnStep, Step } from '../protocol/scenario';
import type { ViewSnapshot } from '../protocol/snapshot';
import type { TeachCommand } from '../protocol/teach';
import type { TeachState } from './teach-slice';

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
