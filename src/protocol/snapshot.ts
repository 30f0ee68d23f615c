/**
 * View snapshots: what the panels show after a step, richer than the contract
 * digest (each thread's line and stack, locks held and awaited, who can
 * unblock whom, page owners) and kernel-neutral: a pager model fills the
 * per-kernel parts (page cells, object fields) and its profile says how to
 * show them. Snapshots are immutable and share every view that did not change.
 */
import type { PagerProfile } from './profile';

export type ThreadStatus = 'ready' | 'lock' | 'sleep' | 'io' | 'done';

export type CellValue = string | number | boolean | null;

export interface PageView {
  /** Physical page identity: stable while the page is allocated. */
  readonly id: number;
  /** The vnode whose object holds the page. */
  readonly vnode: string;
  /** The object's label: the vnode name (OpenBSD's uvn) or `obj<k>` (FreeBSD). */
  readonly object: string;
  /** Byte offset in the object. */
  readonly offset: number;
  /** One of the profile's `pageStates`: how the page tree colours it. */
  readonly state: string;
  /** Busy (PG_BUSY, or FreeBSD's xbusy/sbusy): a thread owns it for I/O or a change. */
  readonly busy: boolean;
  /** Some thread waits for it to be unbusied (PG_WANTED, VPB_BIT_WAITERS). */
  readonly wanted: boolean;
  /** The thread that busied it, when the kernel records one. */
  readonly owner: string | null;
  readonly queue: string;
  readonly mapped: boolean;
  readonly modified: boolean;
  /** The page's flags in the kernel's words, for tooltips and timeline labels ("PG_BUSY|PG_FAKE"). */
  readonly summary: string;
  /** The page's flag word (OpenBSD's pg_flags), read by the profile's 'flag' columns; 0 when it has none. */
  readonly flagWord: number;
  /**
   * The other Page bits columns, keyed as the profile's `pageColumns`; `queue`, `mapped`, `modified` and
   * `owner` columns read the fields above.
   */
  readonly cells: Readonly<Record<string, CellValue>>;
}

/** One C local of a seed function's frame, as the C names it. */
export interface LocalView {
  readonly name: string;
  readonly value: string;
}

/** A seed function a thread is inside, innermost last. */
export interface FrameView {
  readonly fn: string;
  readonly locals: readonly LocalView[];
}

export interface ThreadView {
  readonly id: string;
  readonly call: string;
  readonly args: Readonly<Record<string, unknown>>;
  readonly status: ThreadStatus;
  /** Digest `wait`: a lock name, a wait message or `io:N`. */
  readonly wait: string | null;
  /** Sleep channel while asleep. */
  readonly chan: string | null;
  /** What it sleeps for, in words ("page 0x1000 is busy", "no free page"), when asleep. */
  readonly blockedOn: string | null;
  readonly ret: string | number | boolean | Readonly<Record<string, unknown>> | null;
  /** Seed line it stands at, or null outside the seed. */
  readonly line: number | null;
  /** The caller's statement it stands at, when outside the seed. */
  readonly callerStmt: string | null;
  /** Seed functions entered, outermost first. */
  readonly stack: readonly string[];
  /** The C locals of each seed function on the stack, outermost first. */
  readonly frames: readonly FrameView[];
  /** The page it works on (highlighted in the page tree), by physical id. */
  readonly focusPage: number | null;
  readonly locksHeld: readonly string[];
  /** Who or what can make a blocked thread runnable, in words. */
  readonly unblockers: readonly string[];
}

/** A field of the object panel. */
export interface FieldView {
  readonly label: string;
  readonly value: CellValue;
  /** 'bytes' values are shown in decimal and hex. */
  readonly unit?: 'bytes' | 'pages' | undefined;
  readonly meaning?: string | undefined;
}

/** One pager object as the object panel shows it: OpenBSD's uvn (one per vnode), a FreeBSD vm_object. */
export interface ObjectView {
  /** Stable key: the vnode name, or `obj<k>`. */
  readonly key: string;
  /** The vnode it belongs (or belonged) to. */
  readonly vnode: string;
  /** Heading, e.g. "vn1" or "obj1 (vn1)". */
  readonly title: string;
  /** The flag word, bits as the profile's `objectPanel.flags`. */
  readonly flags: number;
  readonly flagNames: readonly string[];
  readonly fields: readonly FieldView[];
}

/** What every kernel knows of a vnode (pickers, labels). */
export interface VnodeView {
  readonly name: string;
  readonly mount: string;
  readonly state: string;
  readonly usecount: number;
  readonly size: number;
}

export interface IoView {
  readonly id: number;
  readonly thread: string;
  readonly vnode: string;
  readonly rw: 'read' | 'write';
  readonly offset: number;
  readonly length: number;
  /**
   * The length with every digit, when it is above 2^53 - 1 and `length` is only its nearest double: OpenBSD's
   * uvn_io can ask for a wrapped size_t (uvm_vnode.c line 1203).
   */
  readonly exactLength?: string;
  /** Byte offsets of the pages the transfer maps. */
  readonly pageOffsets: readonly number[];
  /** Extra fields, keyed as the profile's `ioFields`. */
  readonly fields: Readonly<Record<string, CellValue>>;
}

export interface LockView {
  readonly name: string;
  /** Exclusive owner. */
  readonly owner: string | null;
  /** Recursion depth of the exclusive owner. */
  readonly count: number;
  /** Threads holding it shared. */
  readonly shared: readonly string[];
  readonly waiters: readonly string[];
}

export interface PanicView {
  readonly message: string;
  readonly thread: string;
  readonly line: number | null;
}

/**
 * What one blocked thread waits on and who can wake it: an edge pair of the
 * wait-for graph (thread -> thing -> wakers). Computed by the engine, so the
 * lab, the grader and the explorer share one definition.
 */
export interface WaitView {
  readonly thread: string;
  /** A lock, a busy page, another sleep channel, or a disk request. */
  readonly kind: 'lock' | 'page' | 'channel' | 'io';
  /**
   * The thing waited on, as a stable key ("lock:vnlock:vn1", "page:7",
   * "channel:u_nio:vn1", "io:1"): threads waiting on the same thing share it.
   */
  readonly on: string;
  /** The thing in words ("vnlock:vn1", "vn1 page 0x1000", "u_nio of vn1", "disk request 1"). */
  readonly label: string;
  /** Threads that can wake it (the lock's holders, the page's busy owner, ...); empty when none is known. */
  readonly wakers: readonly string[];
  /** Disk requests whose completion can wake it. */
  readonly requests: readonly number[];
}

/** The seed lines the step that made a snapshot ran, in order, consecutive repeats folded. */
export interface TrailView {
  readonly lines: readonly number[];
  /** Lines left out at the end of a very long run (the list keeps its first TRAIL_MAX). */
  readonly omitted: number;
}

/** A machine-wide counter (free pages, free pbufs). */
export interface CounterView {
  readonly label: string;
  readonly value: number;
  readonly meaning: string;
}

export interface ViewSnapshot {
  /** Steps applied: 0 before the first. */
  readonly step: number;
  readonly panic: PanicView | null;
  readonly freePages: number;
  /** Resident pages, by vnode (scenario order), then object, then offset. */
  readonly pages: readonly PageView[];
  /** Page ids on each paging queue, in the profile's `queues` order, head first. */
  readonly queues: readonly (readonly number[])[];
  readonly threads: readonly ThreadView[];
  readonly vnodes: readonly VnodeView[];
  readonly objects: readonly ObjectView[];
  readonly io: readonly IoView[];
  readonly locks: readonly LockView[];
  readonly counters: readonly CounterView[];
  /**
   * The kernel is hung: no thread can run (none ready), no disk request is in
   * flight, and some thread is not done. False once it has panicked.
   */
  readonly hung: boolean;
  /** Every blocked thread's wait, in thread order: the wait-for graph. */
  readonly waits: readonly WaitView[];
  /**
   * Once every thread is done (no panic, nothing in flight): what the calls left behind that they should not
   * have (a lock still held, a page left busy, a count not back), as the explorer's leak findings say it.
   */
  readonly leaks: readonly string[];
  /** What the step that led here ran (empty for the setup and for spawn steps). */
  readonly trail: TrailView;
}

/**
 * A list of ids as a delta carries it when it changed: whole; one splice (the page tree gains or loses a
 * page, a thread is spawned); or some ids dropped from anywhere, then some appended (a paging queue: the
 * kernel dequeues anywhere and enqueues at the tail). Whichever is smallest.
 */
export type ListEdit<T> =
  | readonly T[]
  | { readonly at: number; readonly remove: number; readonly insert: readonly T[] }
  | { readonly removed: readonly T[]; readonly appended: readonly T[] };

/** What changed between two snapshots: pages and threads by id, lists as edits, everything else whole. */
export interface SnapshotDelta {
  readonly step: number;
  /** The snapshot this delta applies to; -1: a whole snapshot (the first of a session). */
  readonly fromStep: number;
  /** With a whole snapshot: the pager's profile. */
  readonly profile: PagerProfile | null;
  readonly pages: readonly PageView[];
  /** Page ids in order, present only when the set or order of resident pages changed. */
  readonly order: ListEdit<number> | null;
  readonly queues: readonly (ListEdit<number> | null)[];
  /** Threads whose view changed. */
  readonly threads: readonly ThreadView[];
  /** Thread ids in order, present only when threads were added. */
  readonly threadOrder: ListEdit<string> | null;
  readonly rest: Omit<ViewSnapshot, 'pages' | 'queues' | 'threads' | 'step'>;
}
