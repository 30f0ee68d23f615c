/**
 * The kernel's state: plain, serializable data. The machinery here is the
 * part every pager shares (threads, locks, sleep, physical memory, vnodes,
 * disk requests); each pager model keeps its own state (pages, objects,
 * queues) in `pager` and extends the vnode with its object slot.
 */
import type { CellValue, ThreadStatus } from '../../protocol/snapshot';

export type { ThreadStatus };

/** What every kernel keeps of a vnode. A pager model extends it with its own slot (`uvn`, `v_object`). */
export interface Vnode {
  name: string;
  mount: string;
  /** Use references: opens held by processes, and whatever else the kernel's vref counts. */
  usecount: number;
  /** The kernel's word for where the vnode is in its life: "active", "free", "dead", "doomed"... */
  state: string;
  /** What VOP_GETATTR reports (bytes). */
  size: number;
}

/**
 * A lock: exclusive (`owner`, with a recursion `count` for locks that recurse) or, for a
 * lockmgr-style lock, shared by the threads in `shared`.
 */
export interface Lock {
  owner: string | null;
  count: number;
  shared: string[];
}

/** How a finished disk request ended. */
export interface IoOutcome {
  /** errno: 0, or EIO. */
  error: number;
  /** Bytes transferred. */
  done: number;
}

export interface IoRequest {
  id: number;
  /** The thread that started it (kept when it goes on or finishes). */
  thread: string;
  vnode: string;
  rw: 'read' | 'write';
  offset: number;
  length: number;
  /**
   * The length exactly as the C's size_t holds it, when it is above 2^53 - 1 (`length` is then only the nearest
   * double): OpenBSD's uvn_io can compute a wrapped uio_resid (uvm_vnode.c line 1203).
   */
  exactLength?: bigint;
  /** Physical pages the transfer maps. */
  pages: number[];
  /**
   * What completing it does: null wakes the thread that waits for it (bdone, a synchronous VOP);
   * otherwise the name of the pager model's completion routine (FreeBSD's b_iodone), run inside the
   * complete step, with `ctx` its plain-data argument.
   */
  iodone: string | null;
  ctx: unknown;
  /** Set on an asynchronous write with no completion routine: nobody waits for it, completing it only ends it. */
  detached?: true;
  /** Extra fields the pager shows (blkno, async). */
  fields: Record<string, CellValue>;
}

export interface KThread {
  id: string;
  call: string;
  args: Record<string, unknown>;
  status: ThreadStatus;
  /** Digest `wait`: lock name, wait message or io:N. */
  wait: string | null;
  /** Sleep channel while asleep. */
  chan: string | null;
  ret: string | number | boolean | Record<string, unknown> | null;
  /** Seed line the thread stands at (about to run), or null outside the seed. */
  line: number | null;
  /** When outside the seed: the caller's statement it stands at. */
  callerStmt: string | null;
  /** Seed functions entered, outermost first. */
  stack: string[];
  /** Result of the disk request this thread waits on, set by `complete`. */
  io: IoOutcome | null;
  /** The page this thread is working on (highlighted in the page tree), by physical id. */
  focusPage: number | null;
}

export interface PanicInfo {
  message: string;
  thread: string;
  line: number | null;
}

export interface KernelState<P = unknown, V extends Vnode = Vnode> {
  freePages: number;
  /** Physical page ids are handed out in order and never reused. */
  nextPageId: number;
  vnodes: V[];
  threads: KThread[];
  locks: Record<string, Lock>;
  io: IoRequest[];
  nextIoId: number;
  panic: PanicInfo | null;
  /** The pager model's own state: its pages, objects, queues, lists. */
  pager: P;
}

/**
 * What a modelled function yields to the scheduler:
 * a positive number is the seed line it is about to run; a string is a
 * statement of the caller outside the seed; BLOCK means the thread has just
 * blocked (its status says on what); PANIC means the kernel has stopped; SPIN means the thread, in a `run`,
 * loops for ever without blocking from where it stands (sched.ts `loopsForEver`): the run stops there, the
 * thread still ready.
 */
export type Effect = number | string;
export const BLOCK = 0;
export const PANIC = -1;
export const SPIN = -2;

export type Proc<T = void> = Generator<Effect, T, void>;

export function newThread(id: string, call: string, args: Record<string, unknown>): KThread {
  return {
    id,
    call,
    args,
    status: 'ready',
    wait: null,
    chan: null,
    ret: null,
    line: null,
    callerStmt: null,
    stack: [],
    io: null,
    focusPage: null,
  };
}
