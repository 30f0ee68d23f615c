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
  private readonly threadById = new Map<string, KThread>();
  private live: KThread[] = [];
  private someDone = false;
  /** Null unless something watches the kernel step by step (explore/access.ts). */
  observer: KernelObserver | null = null;

  constructor(readonly s: KernelState<P, V>) {
    for (const vp of s.vnodes) this.vnodeByName.set(vp.name, vp);
    for (const th of s.threads) {
      this.threadById.set(th.id, th);
      if (th.status !== 'done') this.live.push(th);
    }
  }

  vnode(name: string): V {
    const vp = this.vnodeByName.get(name);
    if (!vp) throw new Error(`no vnode ${name}`);
    return vp;
  }

  thread(id: string): KThread | undefined {
    return this.threadById.get(id);
  }

  /** A new thread joins the kernel (the engine's spawn). */
  addThread(th: KThread): void {
    this.s.threads.push(th);
    this.threadById.set(th.id, th);
    this.live.push(th);
  }

  /** Take back the thread just added (a refused spawn changes nothing). */
  dropThread(th: KThread): void {
    if (this.s.threads.at(-1) === th) this.s.threads.pop();
    if (this.threadById.get(th.id) === th) this.threadById.delete(th.id);
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
