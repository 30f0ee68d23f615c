/**
 * What the worker's teaching layer (tutor.ts, loaded on first use) and the
 * SimHost see of each other: the host lends the tutor its session, and asks
 * it about every step before applying it and after every change.
 */
import type { Session } from '../engine/session';
import type { SimEvent } from '../protocol/messages';
import type { Scenario, Step } from '../protocol/scenario';
import type { TeachCommand } from '../protocol/teach';

export interface LabPort {
  session(): Session | null;
  /** The scenario last loaded (its steps as loaded; the session's history may have moved on). */
  scenario(): Scenario | null;
  /** Replace the session, as `sim.load` does (the UI gets the snapshot); false if it was refused. */
  load(id: number, scenario: Scenario, cursor?: number): boolean;
  /** Move the cursor, as `sim.seek` does. */
  seek(id: number, to: number): void;
  /** Make another branch of the session the current one, as `sim.branch` does. */
  switchBranch(id: number, branch: number): void;
  post(event: SimEvent): void;
}

export interface Tutor {
  handle(cmd: TeachCommand): void | Promise<void>;
  /** Why the open challenge refuses `step` at the session's cursor, or null. */
  gate(step: Step): string | null;
  /** After a `sim.*` command: `reloaded` when it replaced the session (an open, a reset, a restart). */
  changed(command: string, reloaded: boolean): void;
}
