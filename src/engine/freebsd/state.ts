/**
 * FreeBSD's part of the kernel state: vm_objects (numbered as allocated), vm_pages with their valid and
 * dirty bitmaps, busy state and pmap entries, the paging queues, the file systems (mounts), the pbuf
 * counters and the mappings made by `mmap` threads. Plain data, like the rest of the kernel.
 */
import { Kernel, nameOf } from '../kernel/kernel';
import type { Vnode } from '../kernel/types';
import type { ObjType } from './flags';

export type QueueName = 'active' | 'inactive' | 'none';

/** One pmap entry of a page: which mapping (an `mmap` thread) maps it, writable, modified. */
export interface PmapEntry {
  mapping: string;
  writable: boolean;
  modified: boolean;
}

/** struct vm_page as the pager sees it. */
export interface FPage {
  /** Physical identity (kernel/memory.ts); 0 is bogus_page. A sleep channel. */
  id: number;
  /** The object's number while the page is resident, else null. */
  object: number | null;
  pindex: number;
  valid: number;
  dirty: number;
  xbusy: boolean;
  sbusy: number;
  /** VPB_BIT_WAITERS. */
  waiters: boolean;
  queue: QueueName;
  maps: PmapEntry[];
  /** The thread that exclusive-busied it (display only: FreeBSD records no owner). */
  owner: string | null;
}

/** struct vm_object with un_pager.vnp. */
export interface VmObject {
  id: number;
  /** The vnode it was made for (kept after `handle` is cleared). */
  vnode: string;
  /** The vnode while the pager is attached, null after vnode_pager_dealloc. */
  handle: string | null;
  type: ObjType;
  flags: number;
  ref_count: number;
  paging_in_progress: number;
  /** Pages. */
  size: number;
  /** Bytes. */
  vnp_size: number;
  writemappings: number;
  generation: number;
  /** memq: resident pindexes, ascending. */
  memq: number[];
  /** pindex -> page id (the radix trie). */
  pageAt: Record<number, number>;
}

export interface Mount {
  name: string;
  iosize: number;
  sectorSize: number;
  bmap: boolean;
  putpages: 'generic' | 'undirty';
}

export interface BsdVnode extends Vnode {
  writecount: number;
  /** VV_TEXT. */
  vtext: boolean;
  /** VI_DOOMED: vgone has started. */
  doomed: boolean;
  /** VI_DOINGINACT: vinactive is running. */
  doinginact: boolean;
  /** VI_OWEINACT: the last use reference went while vinactive was not run; a new reference clears it. */
  oweinact: boolean;
  /** vgone has finished: deadfs operations, type VBAD. */
  deadfs: boolean;
  /** v_object: an object number or null. */
  v_object: number | null;
  /**
   * Block map: disk address of file block i in DEV_BSIZE units, -1 for a hole; blocks past the list are
   * holes. `contiguous` stands for the default map without making it: blocks 0..contiguous-1 present, block
   * i at i * iosize / 512 (a 2^53-byte file has 2^41 of them, too many to list).
   */
  blocks: number[] | { contiguous: number };
}

/** Entries of a vnode's block map. */
export function blockCount(vp: BsdVnode): number {
  return Array.isArray(vp.blocks) ? vp.blocks.length : vp.blocks.contiguous;
}

/** Disk address of file block `bn` (DEV_BSIZE units), -1 for a hole or past the map. */
export function blockAt(vp: BsdVnode, iosize: number, bn: number): number {
  if (bn < 0 || bn >= blockCount(vp)) return -1;
  return Array.isArray(vp.blocks) ? vp.blocks[bn]! : (bn * iosize) / 512;
}

/** A mapping made by an `mmap` thread, named by that thread. */
export interface Mapping {
  object: number;
  length: number;
  writable: boolean;
  shared: boolean;
  writecounted: boolean;
  unmapped: boolean;
}

export interface BsdState {
  /** Every allocated page (resident, or between removal and the end of its free) and bogus_page (id 0). */
  pages: Record<number, FPage>;
  /** Live objects by number. */
  objects: Record<number, VmObject>;
  nextObjectId: number;
  mounts: Record<string, Mount>;
  /** vnode_pbuf_freecnt and vnode_async_pbuf_freecnt. */
  pbufs: number;
  asyncPbufs: number;
  pageoutFreeMin: number;
  mappings: Record<string, Mapping>;
  /** Each vnode's usecount at boot (the vrele precondition counts from it). */
  initialUse: Record<string, number>;
  /** The two pbuf counters at boot: a finished run has given every pbuf back to them. */
  initialPbufs: { pbufs: number; asyncPbufs: number };
  activeQueue: number[];
  inactiveQueue: number[];
  /** vnode_pager_generic_putpages' statics for ppsratecheck: lastfail (its tv_sec) and curfail. */
  statics: { lastfail: number; curfail: number };
}

export const BOGUS_PAGE = 0;

/** The kernel as the FreeBSD model sees it. */
export class BsdKernel extends Kernel<BsdState, BsdVnode> {
  get bsd(): BsdState {
    return this.s.pager;
  }

  page(id: number): FPage {
    const m = this.s.pager.pages[id];
    if (!m) throw new Error(`no page ${id}`);
    return m;
  }

  /** Every page mutation goes through here so snapshots see it. */
  touch(m: FPage): FPage {
    this.touchPage(m.id);
    return m;
  }

  object(id: number): VmObject {
    const obj = this.s.pager.objects[id];
    if (!obj) throw new Error(`no object ${id}`);
    return obj;
  }

  mount(vp: BsdVnode): Mount {
    return this.s.pager.mounts[vp.mount]!;
  }

  /** The object's resident page at `pindex`, or null (vm_page_lookup). */
  lookup(obj: VmObject, pindex: number): FPage | null {
    const id = obj.pageAt[pindex];
    return id === undefined ? null : this.page(id);
  }
}

/** A vnode's state word in the digest: doomed once vgone has set VI_DOOMED, else by usecount. */
export function refreshState(vp: BsdVnode): void {
  vp.state = vp.doomed ? 'doomed' : vp.usecount > 0 ? 'active' : 'free';
}

export const objLockName = nameOf<number>('vmobjlock:obj');

/** Sleep channels: the addresses the C code sleeps on. */
export const chan = {
  object: nameOf<number>('object:'),
  page: nameOf<number>('page:'),
  pbuf: (async: boolean) => (async ? 'pbuf:async' : 'pbuf:sync'),
} as const;

/** %p of the contract: how a panic message names things. */
export const pname = {
  obj: (obj: VmObject | null) => (obj ? `obj${obj.id}` : '0'),
  page: (m: FPage | null) => (m === null ? '0' : m.id === BOGUS_PAGE ? 'bogus_page' : `obj${m.object}[${m.pindex}]`),
  vnode: (vp: BsdVnode | null) => (vp ? vp.name : '0'),
};
