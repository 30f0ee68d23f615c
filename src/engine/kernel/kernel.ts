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
  /** Null unless something watches the kernel step by step (explore/access.ts). */
  observer: KernelObserver | null = null;

  constructor(readonly s: KernelState<P, V>) {
    for (const vp of s.vnodes) this.vnodeByName.set(vp.name, vp);
  }

  vnode(name: string): V {
    const vp = this.vnodeByName.get(name);
    if (!vp) throw new Error(`no vnode ${name}`);
    return vp;
  }

  thread(id: string): KThread | undefined {
    return this.s.threads.find((t) => t.id === id);
  }

  /** Every page mutation is reported here so snapshots see it. */
  touchPage(id: number): void {
    this.dirtyPages.add(id);
  }
}

export const vnLockName = (vnode: string): string => `vnlock:${vnode}`;
