/**
 * The worker protocol: one closed union of commands in and events
 * out, namespaced `sim.*`. Every event names the session epoch it belongs to
 * and a sequence number, so the UI drops a stale snapshot (one from before a
 * load or reset, or one overtaken by a later event), and echoes what it
 * applied, so the client keeps no table of pending commands.
 */
import type { PackedTimeline } from './timeline';
import type { ChangeSet } from './changes';
import type { BranchView, Comparison, StopInfo } from './debug';
import type { Scenario, SpawnStep, Step } from './scenario';
import type { SnapshotDelta, TrailView } from './snapshot';
import type { TeachCommand, TeachEvent } from './teach';

/**
 * 3: macro steps (step over, step out, run to line, breakpoints), branches, compare, reset with undo.
 * 4: long work in slices (`sim.progress`, `sim.cancel`), heartbeats (`sim.ping`/`sim.pong`), a step count,
 * an open's fallback (a saved session that cannot be restored; a visit's link that is refused or cancelled).
 */
export const PROTOCOL_VERSION = 4;

/** One entry of the timeline: the step and what it did, in words. */
export interface TimelineEntry {
  /** Steps applied after this entry: 1 for the first step. */
  readonly index: number;
  readonly label: string;
  /** The seed lines the step ran (a run or step; a FreeBSD completion's b_iodone). */
  readonly trail: TrailView;
}

/** Scenario text to read in the worker: a file, a library entry, a saved session, or a link's hash. */
export type ScenarioSource =
  { readonly kind: 'text'; readonly text: string } | { readonly kind: 'link'; readonly hash: string };

/**
 * An open's fallback: a saved session that cannot be restored gives way to the library's start; a link opened
 * on a visit gives way to the saved session (which may itself give way to the library's start).
 */
export interface OpenFallback {
  readonly source: ScenarioSource;
  readonly origin: string;
  /** Said after the refusal; none for a link, whose refusal reads as it did when the fallback was open before it. */
  readonly note?: string;
  readonly cursor?: number;
  readonly select?: string;
  readonly branches?: SavedBranches;
  /** What to open if this one is refused in turn. */
  readonly fallback?: OpenFallback;
}

/**
 * A saved session's branches, in the order they were made (their ids are 1, 2, …): each one's parent, the steps
 * it shares with it and its own steps after them (the first branch: all of its steps). The branch shown is the
 * open's scenario; its own steps may be left out (null), as they are that scenario's. The worker reads this as
 * strictly as a file: what it cannot use is said, and the branch shown opens alone.
 */
export interface SavedBranches {
  readonly lines: readonly {
    readonly parent: number | null;
    readonly forkAt: number;
    readonly steps: readonly Step[] | null;
  }[];
  readonly current: number;
}

export type Command =
  /**
   * Read, validate and load a scenario (off the main thread); cursor at `cursor` or the end. If it is
   * refused, the session shown stays and the error's message starts with `origin` ("Import of x.json").
   */
  | {
      readonly type: 'sim.open';
      readonly id: number;
      readonly source: ScenarioSource;
      readonly origin: string;
      readonly cursor?: number;
      /** The thread to select once loaded (echoed in the snapshot's `select`). */
      readonly select?: string;
      /** The other branches of a saved session, made again behind the answer. */
      readonly branches?: SavedBranches;
      /**
       * What to open instead if `source` is refused or its open is cancelled before it is done: the refusal
       * is reported as `sim.error` "{origin}: {reason}; {fallback.note}" (without a note: "{origin}: {reason}"),
       * then the fallback is loaded.
       */
      readonly fallback?: OpenFallback;
    }
  /** Replace the session with an already validated scenario (a restart): cursor at `cursor` or the end. */
  | {
      readonly type: 'sim.load';
      readonly id: number;
      readonly scenario: Scenario;
      readonly cursor?: number;
      readonly select?: string;
      readonly branches?: SavedBranches;
    }
  /** Start over from the setup with no steps; the session before it is kept until `sim.undoReset` or a load. */
  | { readonly type: 'sim.reset'; readonly id: number }
  /** Bring back the session the last reset replaced (every branch, the cursor). */
  | { readonly type: 'sim.undoReset'; readonly id: number }
  /** Start a call on a new kernel thread (does not run it). */
  | { readonly type: 'sim.spawn'; readonly id: number; readonly step: SpawnStep }
  /**
   * Run a thread until it blocks or returns; with breakpoints (seed lines), stop where it arrives at one
   * (then recorded as the `step`s it made).
   */
  | { readonly type: 'sim.run'; readonly id: number; readonly thread: string; readonly breakpoints?: readonly number[] }
  /**
   * Run a thread through one seed statement, `count` times (default 1: presses of Step made within one
   * frame arrive as one command); it stops early where the thread cannot step, reporting why.
   */
  | { readonly type: 'sim.step'; readonly id: number; readonly thread: string; readonly count?: number }
  /** Step, running a call into a seed function to its return (stopping at a breakpoint inside it). */
  | {
      readonly type: 'sim.stepOver';
      readonly id: number;
      readonly thread: string;
      readonly breakpoints?: readonly number[];
    }
  /** Run until the thread leaves the seed function it is in (or a breakpoint). */
  | {
      readonly type: 'sim.stepOut';
      readonly id: number;
      readonly thread: string;
      readonly breakpoints?: readonly number[];
    }
  /** Run until the thread stands at seed line `line` (or blocks, returns, meets a breakpoint). */
  | {
      readonly type: 'sim.runTo';
      readonly id: number;
      readonly thread: string;
      readonly line: number;
      readonly breakpoints?: readonly number[];
    }
  /** Make branch `branch` of the history the current one. */
  | { readonly type: 'sim.branch'; readonly id: number; readonly branch: number }
  /** Compare branches `a` and `b` step by step (answered by `sim.comparison`). */
  | { readonly type: 'sim.compare'; readonly id: number; readonly a: number; readonly b: number }
  /** Finish disk request `request`: "ok", "eio" or "short:B". */
  | { readonly type: 'sim.complete'; readonly id: number; readonly request: number; readonly result: string }
  /** Show the state after `to` steps (0 = the setup); acting there keeps the future as a branch. */
  | { readonly type: 'sim.seek'; readonly id: number; readonly to: number }
  /**
   * Stop the long command under way (it reported `sim.progress`) at its next slice: a load or open keeps
   * the session before it; a step, run or macro step keeps the steps made so far. Handled at once, out of
   * the command queue; no answer of its own.
   */
  | { readonly type: 'sim.cancel'; readonly id: number }
  /** Are you there? Answered by `sim.pong` at once, even while a long command runs (between its slices). */
  | { readonly type: 'sim.ping'; readonly id: number }
  /**
   * The page painted the snapshot answering command `answer` (one that loaded a scenario): the history an
   * open builds behind its answer starts now, not while the page renders it. Handled at once; no answer.
   */
  | { readonly type: 'sim.shown'; readonly id: number; readonly answer: number }
  /** Lessons, challenges and exercises (protocol/teach.ts). */
  | TeachCommand;

/** Commands handled at once, outside the queue, and never answered by a snapshot or an error. */
export const OUT_OF_BAND: ReadonlySet<Command['type']> = new Set(['sim.cancel', 'sim.ping', 'sim.shown']);

export type SimEvent =
  /** The state changed: a delta against the snapshot of step `delta.fromStep` (or whole, fromStep -1). */
  | {
      readonly type: 'sim.snapshot';
      readonly version: typeof PROTOCOL_VERSION;
      readonly epoch: number;
      readonly seq: number;
      /** The command that caused it. */
      readonly id: number;
      readonly delta: SnapshotDelta;
      /** Steps in the history, and where the cursor is. */
      readonly length: number;
      readonly cursor: number;
      /** Timeline entries from index `timelineFrom` on (earlier ones are unchanged). */
      readonly timelineFrom: number;
      readonly timeline: readonly TimelineEntry[];
      /**
       * A long timeline (an open's, a branch switch's), packed (timeline.ts): `timeline` is empty on the wire
       * and the client makes it from this before the store sees the event.
       */
      readonly packed?: PackedTimeline;
      /**
       * The primitive steps the command applied, in order: the history now ends with them (at `cursor`).
       * Empty when it applied none.
       */
      readonly applied: readonly Step[];
      /** The history from index `from` on is now `steps` (a branch switch), if it was replaced. */
      readonly history: { readonly from: number; readonly steps: readonly Step[] } | null;
      /** The scenario a load, open, reset or undone reset put in place (setup and every step), if it was one. */
      readonly loaded: Scenario | null;
      /** With `loaded`: the thread to select (the command's `select`), if any. */
      readonly select: string | null;
      /**
       * With `select`: the first seed line that thread reaches when stepped from its spawn, so the source
       * can show where it is going before it has started (null: none).
       */
      readonly selectLine: number | null;
      /** This snapshot is a reset: the session before it can be brought back with `sim.undoReset`. */
      readonly undoable: boolean;
      /** The branches of the history and the current one. */
      readonly branches: readonly BranchView[];
      readonly branch: number;
      /**
       * Every other branch's steps, when the history was made anew with several branches (a saved session or
       * an undone reset brought back): a branch changes only while it is shown, so the UI keeps them from here.
       */
      readonly otherBranches?: readonly { readonly id: number; readonly steps: readonly Step[] }[];
      /** Said with this snapshot (a saved session whose other branches could not be made again). */
      readonly notice?: string;
      /** Why the thread a run/step command moved stopped, if it was one. */
      readonly stop: StopInfo | null;
      /** What the step at the cursor changed, against the step before it: the panels mark it. */
      readonly changes: ChangeSet;
    }
  /** Two branches compared, answering `sim.compare`. */
  | {
      readonly type: 'sim.comparison';
      readonly version: typeof PROTOCOL_VERSION;
      readonly epoch: number;
      readonly seq: number;
      readonly id: number;
      readonly comparison: Comparison;
    }
  /** A command was refused; nothing changed. */
  | {
      readonly type: 'sim.error';
      readonly version: typeof PROTOCOL_VERSION;
      readonly epoch: number;
      readonly seq: number;
      readonly id: number;
      readonly message: string;
    }
  /**
   * Command `id` is long work going on in slices: `done` of `total` units (steps replayed or applied).
   * It is answered as usual when it ends (or is cancelled: `sim.cancel`).
   */
  | {
      readonly type: 'sim.progress';
      readonly version: typeof PROTOCOL_VERSION;
      readonly id: number;
      /** "Loading", "Stepping t1"… */
      readonly what: string;
      readonly done: number;
      readonly total: number;
      /**
       * An open: where the page fetches the seed its scenario's pager shows (the profile's `seed.url`), so
       * the page can fetch it while the open goes on (a link's replay).
       */
      readonly seed?: string;
    }
  /** The answer to `sim.ping` `id`. */
  | { readonly type: 'sim.pong'; readonly version: typeof PROTOCOL_VERSION; readonly id: number }
  /** Lessons, challenges and exercises (protocol/teach.ts). */
  | TeachEvent;
