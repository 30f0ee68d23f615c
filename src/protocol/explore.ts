/**
 * The explorer's worker protocol (src/worker/explore.worker.ts): the lab asks for a search of the current
 * setup and threads, hears how it goes, each finding as it comes, and the end. Its own worker and its own
 * messages, so a long search never holds up the simulation worker. Plain data only.
 */
import type { Scenario } from './scenario';

export const EXPLORE_PROTOCOL_VERSION = 1;

/** What the lab lets a person choose (the CLI's options of the same names). */
export interface ExploreChoice {
  /** Results a disk request may complete with: "ok", "eio", "short:B". */
  readonly results: readonly string[];
  /** Up to this many single-statement `step`s per schedule (0: `run` only). */
  readonly preempt: number;
  /** Stop after this many schedules. */
  readonly maxSchedules: number;
  /** Longest schedule, in steps after the spawns. */
  readonly maxDepth: number;
}

export const DEFAULT_CHOICE: ExploreChoice = {
  results: ['ok', 'eio'],
  preempt: 0,
  maxSchedules: 100_000,
  maxDepth: 60,
};

/** Bounds on what the lab accepts (the host refuses anything outside them). */
export const CHOICE_LIMITS = { preempt: 4, maxSchedules: 10_000_000, maxDepth: 200 } as const;

export type ExploreCommand =
  /** Search `scenario`'s setup and spawns (its other steps are ignored); a running search is cancelled first. */
  | {
      readonly type: 'explore.start';
      /** Chosen by the lab; every event of this search carries it. */
      readonly run: number;
      readonly scenario: Scenario;
      readonly choice: ExploreChoice;
    }
  /** Stop the search: it ends with what it found (`explore.done`, not exhaustive). */
  | { readonly type: 'explore.cancel'; readonly run: number };

/** How the search goes. */
export interface ExploreProgress {
  /** Paths that ended (every thread done, a panic, a hang, or the depth limit). */
  readonly schedules: number;
  /** New nodes of the search tree. */
  readonly states: number;
  /** Distinct findings (kind and message). */
  readonly findings: number;
  /** Milliseconds since the search started. */
  readonly ms: number;
}

export interface ExploreFindingView {
  readonly kind: 'panic' | 'hang' | 'leak';
  readonly message: string;
  /** Steps of its scenario (spawns included): the cursor that shows it. */
  readonly steps: number;
  /** The thread to select there: the one that panicked, a waiting thread of a hang, the last to run of a leak. */
  readonly thread: string | null;
  /** `#scenario=…&at=N&thread=T`: the lab opens it at the failing step. */
  readonly link: string;
  /** True once the schedule is the minimised one the search reports at its end. */
  readonly final: boolean;
  /** The schedule starts a call its caller could not make (a caller bug, not the kernel's): why, or null. */
  readonly callerBug: string | null;
}

/** What a finding a caller bug led to says of it: in the Explore dialog, and in the lab the finding opens in. */
export function callerBugNote(callerBug: string): string {
  return `From a caller bug, not the kernel's: ${callerBug}, which the seed does not check.`;
}

/** How many of the first schedules that end the lab is told of (to open one and watch it). */
export const SAMPLE_SCHEDULES = 5;

/** One of the first schedules the search ran to its end. */
export interface ExploreScheduleView {
  /** 1 for the first schedule that ended, and so on. */
  readonly index: number;
  /** Steps of its scenario (spawns included). */
  readonly steps: number;
  /** How it ended, in words: "every thread done", or the finding it shows ("panic: …"). */
  readonly outcome: string;
  /** The thread to select at its end (as for a finding; else the last thread it ran). */
  readonly thread: string | null;
  /** `#scenario=…&at=N&thread=T`. */
  readonly link: string;
}

export type ExploreEvent = { readonly version: number; readonly run: number } & (
  | ({ readonly type: 'explore.progress' } & ExploreProgress)
  | { readonly type: 'explore.finding'; readonly finding: ExploreFindingView }
  /** One of the first `SAMPLE_SCHEDULES` schedules that ended. */
  | { readonly type: 'explore.schedule'; readonly schedule: ExploreScheduleView }
  | {
      readonly type: 'explore.done';
      readonly stats: ExploreProgress & {
        /** No path was cut by a limit and nobody stopped it: every schedule was searched. */
        readonly exhaustive: boolean;
        /** Cancel or the schedule limit ended it early. */
        readonly stopped: boolean;
      };
      /** Every finding, each with its minimised scenario. */
      readonly findings: readonly ExploreFindingView[];
    }
  /** The search could not start (bad scenario or options) or failed; nothing else follows for this run. */
  | { readonly type: 'explore.error'; readonly message: string }
);
