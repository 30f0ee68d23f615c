/**
 * The worker protocol, version 2: one closed union of commands in and events
 * out, namespaced `sim.*`. Every event names the session epoch it belongs to
 * and a sequence number, so the UI drops a stale snapshot (one from before a
 * load or reset, or one overtaken by a later event), and echoes what it
 * applied, so the client keeps no table of pending commands.
 */
import type { ChangeSet } from './changes';
import type { Scenario, SpawnStep, Step } from './scenario';
import type { SnapshotDelta, TrailView } from './snapshot';

export const PROTOCOL_VERSION = 2;

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
    }
  /** Replace the session with an already validated scenario (a restart, a reset): cursor at `cursor` or the end. */
  | { readonly type: 'sim.load'; readonly id: number; readonly scenario: Scenario; readonly cursor?: number }
  /** Start a call on a new kernel thread (does not run it). */
  | { readonly type: 'sim.spawn'; readonly id: number; readonly step: SpawnStep }
  /** Run a thread until it blocks or returns. */
  | { readonly type: 'sim.run'; readonly id: number; readonly thread: string }
  /** Run a thread through one seed statement. */
  | { readonly type: 'sim.step'; readonly id: number; readonly thread: string }
  /** Finish disk request `request`: "ok", "eio" or "short:B". */
  | { readonly type: 'sim.complete'; readonly id: number; readonly request: number; readonly result: string }
  /** Show the state after `to` steps (0 = the setup); acting next forks the future there. */
  | { readonly type: 'sim.seek'; readonly id: number; readonly to: number };

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
      /** The step the command applied (the history now ends with it), if it applied one. */
      readonly applied: Step | null;
      /** The scenario a load or open put in place (setup and every step), if it was one. */
      readonly loaded: Scenario | null;
      /** What the step at the cursor changed, against the step before it: the panels mark it. */
      readonly changes: ChangeSet;
    }
  /** A command was refused; nothing changed. */
  | {
      readonly type: 'sim.error';
      readonly version: typeof PROTOCOL_VERSION;
      readonly epoch: number;
      readonly seq: number;
      readonly id: number;
      readonly message: string;
    };
