import type { KernelState, KThread, Page, Vnode } from './types';

/**
 * The kernel state plus what the engine needs to read it cheaply: an index of
 * vnodes by name and the set of pages changed since the last snapshot (so a
 * snapshot of 4,096 pages only rebuilds the few that moved).
 */
export class Kernel {
  readonly vnodeByName = new Map<string, Vnode>();
  readonly dirtyPages = new Set<number>();

  constructor(readonly s: KernelState) {
    for (const vp of s.vnodes) this.vnodeByName.set(vp.name, vp);
  }

  vnode(name: string): Vnode {
    const vp = this.vnodeByName.get(name);
    if (!vp) throw new Error(`no vnode ${name}`);
    return vp;
  }

  page(id: number): Page {
    const pg = this.s.pages[id];
    if (!pg) throw new Error(`no page ${id}`);
    return pg;
  }

  thread(id: string): KThread | undefined {
    return this.s.threads.find((t) => t.id === id);
  }

  /** Every page mutation goes through here so snapshots see it. */
  touch(pg: Page): Page {
    this.dirtyPages.add(pg.id);
    return pg;
  }

  setbits(pg: Page, bits: number): void {
    this.touch(pg).flags |= bits;
  }

  clearbits(pg: Page, bits: number): void {
    this.touch(pg).flags &= ~bits;
  }
}

export const objLockName = (vnode: string): string => `vmobjlock:${vnode}`;
export const vnLockName = (vnode: string): string => `vnlock:${vnode}`;
export const PAGEQ_LOCK = 'pageq';
export const UVN_SYNC_LOCK = 'uvn_sync_lock';

/** Sleep channels: the addresses the C code sleeps on. */
export const chan = {
  uvn: (vnode: string) => `uvn:${vnode}`,
  nio: (vnode: string) => `u_nio:${vnode}`,
  uflags: (vnode: string) => `u_flags:${vnode}`,
  page: (id: number) => `page:${id}`,
  free: 'uvmexp.free',
} as const;
