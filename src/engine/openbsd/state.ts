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
  /** u_wlist: the uvn's LIST_ENTRY on uvn_wlist (wlist.ts). */
  u_wlist: ListEntry;
}

/** DIAGNOSTIC's _Q_INVALIDATE: `(void *)-1` in a removed element's links. */
export const Q_INVALID = -1;
/** The address of uvn_wlist's `lh_first`, as a le_prev holds it (no vnode name has a `&`). */
export const WLIST_HEAD = '&uvn_wlist.lh_first';
/** A pointer in uvn_wlist: a uvn (its vnode's name), NULL, or Q_INVALID; in a le_prev also WLIST_HEAD. */
export type ListPtr = string | null | typeof Q_INVALID;

/** queue.h's LIST_ENTRY: le_next the next uvn, le_prev the address of the pointer to this one. */
export interface ListEntry {
  le_next: ListPtr;
  le_prev: ListPtr;
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
  /** uvn_wlist: queue.h's LIST_HEAD, its links in each uvn's u_wlist (wlist.ts). */
  wlist: { lh_first: ListPtr };
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
