/**
 * The debugger's words across the worker boundary: why a macro step (step
 * over, step out, run to line, a run with breakpoints) stopped, the branches
 * of a session's history, and two branches compared step by step.
 */

/** What made a thread stop after a command that ran it. */
export type StopReason =
  /** One statement done (a step; a step over that came back to its frame). */
  | 'step'
  /** A step out: the thread left the frame it was in. */
  | 'returned'
  /** A run to line: the thread stands at the chosen line. */
  | 'line'
  /** The thread arrived at a line with a breakpoint. */
  | 'breakpoint'
  /** The thread blocked (lock, sleep, disk I/O). */
  | 'blocked'
  /** The thread returned from its call. */
  | 'done'
  /** The kernel panicked. */
  | 'panic'
  /** A run stopped where the thread would loop for ever without blocking (`why` says why); it is still ready. */
  | 'loops'
  /** The safety bound on primitive steps was reached with the thread still running. */
  | 'limit'
  /** The person cancelled the command while it ran (`sim.cancel`): the steps made so far are kept. */
  | 'cancelled';

export interface StopInfo {
  readonly thread: string;
  readonly reason: StopReason;
  /** The seed line the thread stands at, when it is in the seed. */
  readonly line: number | null;
  /** Primitive steps the command made (recorded as `step`s, or as one `run` when it ran to a block). */
  readonly steps: number;
  /** For `loops`: why the loop never ends ("uvn_wlist is a cycle: ..."). */
  readonly why?: string;
}

/** One line of the history: the original one, or a future kept when the user acted on a past step. */
export interface BranchView {
  readonly id: number;
  /** "Branch 1", "Branch 2"… in the order they were made. */
  readonly name: string;
  readonly length: number;
  /** The branch it was made from, and the steps it shares with that one (null for the first). */
  readonly parent: number | null;
  readonly forkAt: number;
  /** The label of its first step after the fork (what the user did differently). */
  readonly firstLabel: string | null;
}

/** One step index of two branches compared. */
export interface ComparisonRow {
  /** Steps applied: the state after `index` steps in each branch. */
  readonly index: number;
  /** Each branch's step there, in words (null: the branch has ended). */
  readonly a: string | null;
  readonly b: string | null;
  /** Digest fields that differ, as paths (`threads[t2].status`); empty: the same digest. */
  readonly differ: readonly string[];
}

export interface Comparison {
  readonly a: number;
  readonly b: number;
  /** Steps the two branches share (their digests agree up to here by construction). */
  readonly shared: number;
  readonly rows: readonly ComparisonRow[];
}
