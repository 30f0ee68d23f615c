/**
 * The kernel's state: plain, serializable data. The pager models and the
 * machinery mutate it in place while a thread runs; the engine turns it into
 * digests and view snapshots between steps.
 */

export type ThreadStatus = 'ready' | 'lock' | 'sleep' | 'io' | 'done';
export type QueueName = 'active' | 'inactive' | 'none';
export type VnodeState = 'active' | 'free' | 'dead' | 'reclaimed';

/** A physical page (struct vm_page) as far as the pagers can see it. */
export interface Page {
  /** Physical identity: stable while the page is allocated; a sleep channel. */
  id: number;
  /** Owning vnode's name while the page is in an object's tree, else null. */
  object: string | null;
  offset: number;
  /** pg_flags without the PQ_* bits (queue membership lives in `queue`). */
  flags: number;
  queue: QueueName;
  wired: number;
  /** pmap: some virtual mapping exists. */
  mapped: boolean;
  /** pmap: the modified bit. */
  modified: boolean;
  /** Thread that set PG_BUSY (UVM_PAGE_OWN), for display. */
  owner: string | null;
}

/** struct uvm_vnode with its embedded uvm_object. */
export interface Uvn {
  flags: number;
  refs: number;
  size: number;
  nio: number;
  npages: number;
  /** The object's page tree (uvm_objtree): resident offsets, ascending. */
  offsets: number[];
  /** offset -> page id. */
  pageAt: Record<number, number>;
}

export interface Vnode {
  name: string;
  type: 'VREG' | 'VBLK';
  mount: string;
  usecount: number;
  vflag: number;
  state: VnodeState;
  /** What VOP_GETATTR reports (bytes). */
  size: number;
  uvn: Uvn;
}

export interface Lock {
  owner: string | null;
  /** Recursion depth for the vnode lock; 1 for the others when held. */
  count: number;
}

export interface IoRequest {
  id: number;
  thread: string;
  vnode: string;
  rw: 'read' | 'write';
  offset: number;
  length: number;
  /** Physical pages the transfer maps (the pager's cluster). */
  pages: number[];
}

/** How a finished disk request ended, handed to the sleeping VOP. */
export interface IoOutcome {
  error: number;
  /** Bytes transferred. */
  done: number;
}

export interface KThread {
  id: string;
  call: string;
  args: Record<string, unknown>;
  status: ThreadStatus;
  /** Digest `wait`: lock name, wait message or io:N. */
  wait: string | null;
  /** Sleep channel while asleep, e.g. `uvn:vn1`, `nio:vn1`, `page:7`, `uvmexp.free`. */
  chan: string | null;
  ret: string | boolean | null;
  /** Seed line the thread stands at (about to run), or null outside the seed. */
  line: number | null;
  /** When outside the seed: the caller's statement it stands at. */
  callerStmt: string | null;
  /** Seed functions entered, outermost first. */
  stack: string[];
  /** Result of the disk request this thread waits on, set by `complete`. */
  io: IoOutcome | null;
  /** The page this thread is working on (highlighted in the page tree). */
  focusPage: number | null;
}

export interface PanicInfo {
  message: string;
  thread: string;
  line: number | null;
}

export interface KernelState {
  freePages: number;
  nextPageId: number;
  /** Every allocated page: resident ones and those on a flush's dead list. */
  pages: Record<number, Page>;
  activeQueue: number[];
  inactiveQueue: number[];
  vnodes: Vnode[];
  threads: KThread[];
  locks: Record<string, Lock>;
  io: IoRequest[];
  nextIoId: number;
  /** uvn_wlist, head first (vnode names). */
  wlist: string[];
  /** uvn_sync_q, head first (vnode names). */
  syncq: string[];
  panic: PanicInfo | null;
  /** File-scope statics of the seed (e.g. a ratecheck's `lasttime`). */
  statics: Record<string, number>;
}

/**
 * What a modelled function yields to the scheduler:
 * a positive number is the seed line it is about to run; a string is a
 * statement of the caller outside the seed; BLOCK means the thread has just
 * blocked (its status says on what); PANIC means the kernel has stopped.
 */
export type Effect = number | string;
export const BLOCK = 0;
export const PANIC = -1;

export type Proc<T = void> = Generator<Effect, T, void>;
