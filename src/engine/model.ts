/**
 * What a pager model brings to the engine. The engine, the session, the
 * runner, coverage and the bench ask the registry (registry.ts) for the model
 * a scenario's `pager` names and never name a kernel's call, flag or field.
 *
 * To add a pager: write a folder beside openbsd/ with its seed functions as
 * generators tagged with seed lines, export a PagerModel, and register it
 * (registry.ts). The lab picks it up from its profile; scenarios pick it by
 * `"pager"`.
 */
import type { PagerProfile } from '../protocol/profile';
import type { MachineSpec, Scenario, Setup, VnodeSpec } from '../protocol/scenario';
import type { CounterView, ObjectView, PageView } from '../protocol/snapshot';
import type { Kernel } from './kernel/kernel';
import type { IoOutcome, IoRequest, KThread, Proc } from './kernel/types';

export type CallResult = KThread['ret'];

/**
 * What an invariant check remembers between the steps of one run (a check of the state alone cannot
 * tell some caller bugs from engine bugs). The caller makes one per run and passes it after every step.
 */
export type InvariantMemo = Record<string, unknown>;

/** One contract digest line: `step`, `panic`, `freePages` first, then the pager's own keys in contract order. */
export interface Digest {
  step: number;
  panic: string | null;
  freePages: number;
  [key: string]: unknown;
}

/** The per-pager parts of a view snapshot. Every one is optional: a pager without pages shows none. */
export interface ModelViews<K extends Kernel> {
  /** Physical ids of the resident pages in display order (vnode, then object, then offset). */
  residentPages?(k: K): Iterable<number>;
  /** Whether physical page `id` is one of `residentPages`. */
  isResident?(k: K, id: number): boolean;
  page?(k: K, id: number): PageView;
  /**
   * Where resident page `id` sits in `residentPages`' order, found without walking every page (a binary
   * search of its object's sorted offsets): lets a snapshot insert a page that became resident instead of
   * rebuilding a list of 4,096. Absent: the list is rebuilt whenever the resident set changes.
   */
  residentIndex?(k: K, id: number): number;
  /** Byte offset of an allocated page (resident or not), or -1: what the I/O panel says a transfer maps. */
  pageOffset?(k: K, id: number): number;
  /** The paging queues, in the profile's `queues` order (live arrays; the builder copies them). */
  queues?(k: K): readonly (readonly number[])[];
  objects?(k: K): ObjectView[];
  counters?(k: K): CounterView[];
  /** A sleep channel as the panels name what it stands for (FreeBSD's `object:1` is `obj1`); default: as is. */
  channelName?(chan: string): string;
  /** What a sleeping thread sleeps for, in words ("page 0x1000 is busy"). */
  blockedOn?(k: K, th: KThread): string | null;
  /** Who or what can make a blocked thread runnable. */
  unblockers?(k: K, th: KThread): string[];
  /**
   * The threads that can wake a thread asleep on a channel other than a page
   * (those the builder knows: the page's busy owner): the wait-for graph's edges.
   */
  wakers?(k: K, th: KThread): { threads: string[]; requests: number[] };
}

/**
 * What a scenario reader needs of a pager (its name, profile, setup keys and rules), apart from its kernel:
 * the worker holds every pager's card and fetches a model's kernel only when a scenario of it is opened.
 */
export interface PagerCard {
  /** The scenario's `pager`. */
  readonly pager: string;
  readonly profile: PagerProfile;
  readonly seed: {
    /** The shipped seed, from the repository root ("public/seeds/uvm_vnode.c"). */
    readonly file: string;
    /** The model's sources, whose `yield N` tags are the seed lines it models ("src/engine/openbsd"). */
    readonly sourceDir: string;
    /** The C functions of the seed, outermost-first order of appearance. */
    readonly functions?: readonly string[];
  };
  /** The optional setup keys this pager reads (scenario-format.md); others are unknown keys. */
  readonly scenarioKeys: {
    readonly machine: readonly (keyof MachineSpec)[];
    readonly vnode: readonly (keyof VnodeSpec)[];
    readonly mounts: boolean;
  };
  /** Rules across setup fields a reader cannot check one value at a time: the first broken one. */
  checkSetup?(setup: Setup): { path: (string | number)[]; reason: string } | null;
  /**
   * The most pages the scenario can have resident at once (at most its physical pages): the reader
   * refuses a scenario whose steps times this bound passes LIMITS.pageSteps, since a flush, a sync or a
   * digest can visit every resident page at every step. Absent: no such bound is checked.
   */
  maxResidentPages?(scenario: Scenario): number;
}

export interface PagerModel<K extends Kernel = Kernel> extends PagerCard {
  /** Seed lines no schedule can reach in this model, each with why (the coverage report prints them). */
  readonly unreachableLines: Readonly<Record<number, string>>;
  /** Build the kernel at boot from a validated setup. */
  boot(setup: Setup): K;
  /**
   * Start `call` on the new thread `th` (already in `k.s.threads`), or say why the contract makes the
   * spawn impossible; a refusal must change nothing.
   */
  spawn(k: K, th: KThread, call: string, args: Record<string, unknown>): Proc<CallResult> | string;
  /**
   * Start `call` on `th` as `spawn` did, without its checks and spawn-time effects (they happened at the
   * spawn): restoring a checkpoint (engine.ts) recreates a thread spawned but not yet run. Absent: only a
   * kernel where every thread is done can be checkpointed.
   */
  start?(k: K, th: KThread, call: string, args: Record<string, unknown>): Proc<CallResult>;
  /** Why completing `req` now is impossible (its completion routine would wait), or null. */
  completeRefusal?(k: K, req: IoRequest): string | null;
  /** The completion routine `req.iodone` names, run to its end inside the complete step. */
  iodone?(k: K, th: KThread, req: IoRequest, outcome: IoOutcome): Proc;
  digest(k: K, step: number): Digest;
  readonly views: ModelViews<K>;
  /**
   * This pager's invariants, which hold in every state until a panic (explore/invariants.ts adds the
   * kernel-neutral ones): each broken one in words, none when all hold.
   */
  invariants?(k: K, memo: InvariantMemo): string[];
  /**
   * Whether `owner`, done, may still hold `lock` without an engine bug: a path of the seed a caller bug
   * reaches returns holding it. Without this hook a finished thread holds no lock.
   */
  mayOutliveOwner?(k: K, lock: string, owner: KThread, memo: InvariantMemo): boolean;
  /**
   * Once every thread is done (and the kernel has not panicked): what the calls left behind that they should
   * not have (references not back where the calls leave them, I/O counts, busy pages...), in words.
   */
  leaks?(k: K): string[];
  /**
   * Thread `th`, about to run for the first time, makes a call its caller may not make now (a caller bug the
   * contract runs as written, such as giving back a reference never taken): why, in words; else null. The
   * explorer names the findings of a schedule with one.
   */
  callerBug?(k: K, th: KThread): string | null;
}
