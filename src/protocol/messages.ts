/**
 * The worker protocol, version 1: one closed union of commands in and events
 * out, namespaced `sim.*`. Every event names the session epoch it belongs to
 * and a sequence number, so the UI can drop a stale snapshot (one from before
 * a load or reset, or one overtaken by a later event).
 */
import type { Scenario, SpawnStep } from '../engine/api';
import type { SnapshotDelta } from '../engine/view';

export const PROTOCOL_VERSION = 1;

/** One entry of the timeline: the step and what it did, in words. */
export interface TimelineEntry {
  /** Steps applied after this entry: 1 for the first step. */
  readonly index: number;
  readonly label: string;
}

export type Command =
  /** Replace the session: set up the machine and apply the scenario's steps; cursor at `cursor` or the end. */
  | { readonly type: 'sim.load'; readonly id: number; readonly scenario: Scenario; readonly cursor?: number }
  /** Back to the scenario's setup, no steps. */
  | { readonly type: 'sim.reset'; readonly id: number }
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
