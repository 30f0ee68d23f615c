import type { KernelState, KThread, Vnode } from './types';

/**
 * What an observer of the kernel (the schedule explorer's access log) is told that plain reads and writes
 * do not show: a wakeup or a lock release scans every thread, and what that scan depends on is the sleep
 * channel or the lock, not each thread it looks at.
 */
export interface KernelObserver {
  /** A scan of the threads for those waiting on `what` ("chan:u_nio:vn1", "lock:pageq") begins. */
  scanBegin(what: string): void;
  scanEnd(): void;
}

/**
 * Where a kernel's threads sit by name, for a kernel restored from a checkpoint:
 * the index of `id` among the first `limit` threads, or undefined. Threads never
 * move in the list, so the kernel the checkpoint was taken from answers for all
 * it had then, without a map of 31,000 names built anew at each restore.
 */
export interface ThreadIndex {
  indexOf(id: string, limit: number): number | undefined;
}

/** At most this many kernels answer one look-up; a deeper chain is folded into one map. */
const MAX_CHAIN = 4;

/**
 * The kernel state plus what the engine needs to read it cheaply: an index of
 * vnodes by name and the set of pages changed since the last snapshot (so a
 * snapshot of 4,096 pages only rebuilds the few that moved).
 */
export class Kernel<P = unknown, V extends Vnode = Vnode> {
  readonly vnodeByName = new Map<string, V>();
  /** Physical ids of the pages changed since the last snapshot. */
  readonly dirtyPages = new Set<number>();
  /**
   * Threads by name, and the threads not done in spawn order: what a wakeup or a lock release looks
   * through. A long scenario finishes thousands of threads; scanning them all at every wakeup made its
   * run time grow with the square of its length.
   */
  /** Where each thread added here (or, without a base, every thread) sits in `s.threads`. */
  private readonly threadAt = new Map<string, number>();
  /** The threads before `count` are the checkpoint's: `index` says where each sits. */
  private readonly base: { readonly index: ThreadIndex; readonly count: number; readonly depth: number } | null;
  private live: KThread[] = [];
  private someDone = false;
  /** Null unless something watches the kernel step by step (explore/access.ts). */
  observer: KernelObserver | null = null;

  constructor(
    readonly s: KernelState<P, V>,
    base: { readonly index: ThreadIndex; readonly count: number; readonly depth?: number } | null = null,
  ) {
    for (const vp of s.vnodes) this.vnodeByName.set(vp.name, vp);
    const depth = (base?.depth ?? 0) + 1;
    this.base = base && depth <= MAX_CHAIN ? { ...base, depth } : null;
    s.threads.forEach((th, i) => {
      if (!this.base) this.threadAt.set(th.id, i);
      if (th.status !== 'done') this.live.push(th);
    });
  }

  indexOf(id: string, limit: number): number | undefined {
    const at = this.threadAt.get(id) ?? this.base?.index.indexOf(id, this.base.count);
    return at !== undefined && at < limit ? at : undefined;
  }

  /** What a checkpoint of this kernel keeps to find its threads by name: this kernel, up to its threads now. */
  threadIndex(): { index: ThreadIndex; count: number; depth: number } {
    return { index: this, count: this.s.threads.length, depth: this.base?.depth ?? 0 };
  }

  vnode(name: string): V {
    const vp = this.vnodeByName.get(name);
    if (!vp) throw new Error(`no vnode ${name}`);
    return vp;
  }

  thread(id: string): KThread | undefined {
    const at = this.indexOf(id, this.s.threads.length);
    return at === undefined ? undefined : this.s.threads[at];
  }

  /** A new thread joins the kernel (the engine's spawn). */
  addThread(th: KThread): void {
    this.threadAt.set(th.id, this.s.threads.length);
    this.s.threads.push(th);
    this.live.push(th);
  }

  /** Take back the thread just added (a refused spawn changes nothing). */
  dropThread(th: KThread): void {
    if (this.s.threads.at(-1) === th) {
      this.s.threads.pop();
      if (this.threadAt.get(th.id) === this.s.threads.length) this.threadAt.delete(th.id);
    }
    if (this.live.at(-1) === th) this.live.pop();
  }

  /** Say that a thread has finished; it leaves the live list at the next look. */
  threadDone(): void {
    this.someDone = true;
  }

  /**
   * Threads not done, in spawn order (under an observer: every thread, done ones too, read through the
   * kernel's own list, so the explorer's access log sees each thread a wakeup or lock release touches).
   */
  liveThreads(): readonly KThread[] {
    if (this.observer) return this.s.threads;
    if (this.someDone) {
      this.live = this.live.filter((t) => t.status !== 'done');
      this.someDone = false;
    }
    return this.live;
  }

  /** Every page mutation is reported here so snapshots see it. */
  touchPage(id: number): void {
    this.dirtyPages.add(id);
  }
}

/**
 * `prefix` + key, one string per key, kept: lock names and sleep channels are looked up as property keys
 * and compared at every lock, sleep and wakeup, and a string built afresh each time must be hashed again
 * (the explorer replays millions of them). A few thousand keys at most (vnode names, object and page ids);
 * past that the cache starts again.
 */
export function nameOf<K extends string | number>(prefix: string): (key: K) => string {
  const cache = new Map<K, string>();
  return (key) => {
    let name = cache.get(key);
    if (name === undefined) {
      if (cache.size >= 4096) cache.clear();
      cache.set(key, (name = prefix + key));
    }
    return name;
  };
}

export const vnLockName = nameOf<string>('vnlock:');
