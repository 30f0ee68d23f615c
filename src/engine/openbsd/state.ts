/**
 * OpenBSD's part of the kernel state: struct vm_page as the pager sees it,
 * struct uvm_vnode (embedded in the vnode, v_uvm), the paging queues, the
 * writeable list and the sync queue. Plain data, like the rest of the kernel.
 */
import { Kernel, nameOf } from '../kernel/kernel';
import type { Vnode } from '../kernel/types';

export type QueueName = 'active' | 'inactive' | 'none';

/** A physical page (struct vm_page) as far as the pager can see it. */
export interface Page {
  /** Physical identity (kernel/memory.ts); a sleep channel. */
  id: number;
  /** Owning vnode's name while the page is in its uvn's tree, else null. */
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

export interface UvmVnode extends Vnode {
  type: 'VREG' | 'VBLK';
  /** v_flag (VTEXT). */
  vflag: number;
  /** v_uvm: the uvn is part of the vnode. */
  uvn: Uvn;
}

export interface UvmState {
  /** Every allocated page: resident ones and those on a flush's dead list. */
  pages: Record<number, Page>;
  activeQueue: number[];
  inactiveQueue: number[];
  /** uvn_wlist, head first (vnode names). */
  wlist: string[];
  /** uvn_sync_q, head first (vnode names). */
  syncq: string[];
  /** File-scope statics of the seed (a ratecheck's `lasttime`). */
  statics: Record<string, number>;
  /** User opens per vnode: initial usecount plus spawned vrefs, minus spawned vreles (the contract's precondition). */
  opens: Record<string, number>;
}

/** The kernel as the OpenBSD model sees it: its vnodes carry a uvn, its pages are vm_pages. */
export class UvmKernel extends Kernel<UvmState, UvmVnode> {
  get uvm(): UvmState {
    return this.s.pager;
  }

  page(id: number): Page {
    const pg = this.s.pager.pages[id];
    if (!pg) throw new Error(`no page ${id}`);
    return pg;
  }

  /** Every page mutation goes through here so snapshots see it. */
  touch(pg: Page): Page {
    this.touchPage(pg.id);
    return pg;
  }

  setbits(pg: Page, bits: number): void {
    this.touch(pg).flags |= bits;
  }

  clearbits(pg: Page, bits: number): void {
    this.touch(pg).flags &= ~bits;
  }
}

export const objLockName = nameOf<string>('vmobjlock:');
export const PAGEQ_LOCK = 'pageq';
export const UVN_SYNC_LOCK = 'uvn_sync_lock';

/** Sleep channels: the addresses the C code sleeps on. */
export const chan = {
  uvn: nameOf<string>('uvn:'),
  nio: nameOf<string>('u_nio:'),
  uflags: nameOf<string>('u_flags:'),
  page: nameOf<number>('page:'),
} as const;
