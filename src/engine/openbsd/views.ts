/**
 * OpenBSD's parts of the view snapshot and of the contract digest: page
 * views with their PG_* cells, the uvn of each vnode for the "uvn flags"
 * panel, what a sleeper sleeps on and who can wake it.
 */
import { bitNames, lowerBound } from '../kernel/constants';
import type { Digest, ModelViews } from '../model';
import { FREE_PAGES_CHAN } from '../kernel/memory';
import type { KThread } from '../kernel/types';
import { PG_BUSY, PG_CLEAN, PG_FAKE, PG_INFO, PG_WANTED, UVN_FLAG_INFO, VTEXT } from './flags';
import type { Page, UvmKernel } from './state';
import { v_mount } from './vfs';
import { onWlist } from './wlist';
import { hex } from '../../protocol/format';
import type { ObjectView, PageView } from '../../protocol/snapshot';

/** Every page here is unwired: one shared cells object. */
const UNWIRED = Object.freeze({ wired: 0 });

/** The page tree's colour: busy, fake (contents not valid yet), dirty (unclean or modified), clean. */
export function pageState(pg: Page): string {
  if (pg.flags & PG_BUSY) return 'busy';
  if (pg.flags & PG_FAKE) return 'fake';
  if (!(pg.flags & PG_CLEAN) || pg.modified) return 'dirty';
  return 'clean';
}

function pageView(pg: Page): PageView {
  const names = bitNames(pg.flags, PG_INFO);
  return Object.freeze({
    id: pg.id,
    vnode: pg.object ?? '',
    object: pg.object ?? '',
    offset: pg.offset,
    state: pageState(pg),
    busy: (pg.flags & PG_BUSY) !== 0,
    wanted: (pg.flags & PG_WANTED) !== 0,
    owner: pg.owner,
    queue: pg.queue,
    mapped: pg.mapped,
    modified: pg.modified,
    summary: names.join('|') || 'no PG_ flags',
    flagWord: pg.flags,
    cells: pg.wired === 0 ? UNWIRED : Object.freeze({ wired: pg.wired }),
  });
}

/**
 * Live threads, other than `self`, running seed function `fn` on `vnode`
 * (a sync thread may be on any vnode, so it counts for every one).
 */
function threadsIn(k: UvmKernel, self: string, fn: string, vnode: string | null): string[] {
  return k.s.threads
    .filter(
      (t) =>
        t.id !== self &&
        t.status !== 'done' &&
        t.stack.includes(fn) &&
        (vnode === null || t.args.vnode === vnode || t.call === 'uvm_vnp_sync'),
    )
    .map((t) => t.id);
}

const who = (ids: readonly string[], fallback: string) => (ids.length ? ids.join(', ') : fallback);

function unblockers(k: UvmKernel, t: KThread): string[] {
  const { status, wait, chan } = t;
  if (status === 'lock' && wait) {
    const owner = k.s.locks[wait]?.owner;
    return owner ? [`${owner} releases ${wait}`] : [`${wait} is free: run to retry`];
  }
  if (status === 'io' && wait) return [`complete request ${wait.slice(3)}`];
  if (status !== 'sleep' || !chan) return [];
  if (chan === FREE_PAGES_CHAN) {
    const flushers = threadsIn(k, t.id, 'uvn_flush', null);
    return [
      `any thread that frees a page (uvm_pagefree, or uvm_pglistfree at the end of uvn_flush: ${who(flushers, 'none running')})`,
    ];
  }
  const [kind, name] = chan.split(':') as [string, string];
  if (kind === 'page') {
    const pg = k.uvm.pages[Number(name)];
    const which = pg?.object ? `${pg.object} page ${hex(pg.offset)}` : `page #${name}`;
    const owner = pg?.owner ? ` (busied by ${pg.owner})` : '';
    return [`the thread that unbusies ${which}${owner}: it wakes PG_WANTED sleepers`];
  }
  if (kind === 'u_nio') {
    const io = threadsIn(k, t.id, 'uvn_io', name);
    return [`the last I/O on ${name} finishing: uvn_io wakes &u_nio (in uvn_io now: ${who(io, 'nobody')})`];
  }
  if (kind === 'u_flags') {
    const flushers = threadsIn(k, t.id, 'uvn_flush', name);
    return [`uvn_flush on ${name} clearing UVM_VNODE_IOSYNC (flushing now: ${who(flushers, 'nobody')})`];
  }
  if (kind === 'uvn') {
    const busy = [
      ...threadsIn(k, t.id, 'uvn_attach', name),
      ...threadsIn(k, t.id, 'uvn_detach', name),
      ...threadsIn(k, t.id, 'uvm_vnp_terminate', name),
    ];
    return [
      `whoever clears ALOCK/DYING/RELKILL on ${name}: wakeup(uvn) (attaching, detaching or terminating now: ${who([...new Set(busy)], 'nobody')})`,
    ];
  }
  return [];
}

/** The threads that can wake a sleeper on a uvn channel or the free-page channel (a page's owner is known anyway). */
function wakers(k: UvmKernel, t: KThread): { threads: string[]; requests: number[] } {
  const chan = t.chan ?? '';
  const none = { threads: [], requests: [] };
  if (chan === FREE_PAGES_CHAN) return { threads: threadsIn(k, t.id, 'uvn_flush', null), requests: [] };
  const [kind, name] = chan.split(':') as [string, string | undefined];
  if (name === undefined) return none;
  if (kind === 'u_nio')
    return {
      threads: threadsIn(k, t.id, 'uvn_io', name),
      requests: k.s.io.filter((r) => r.vnode === name).map((r) => r.id),
    };
  if (kind === 'u_flags') return { threads: threadsIn(k, t.id, 'uvn_flush', name), requests: [] };
  if (kind === 'uvn')
    return {
      threads: [
        ...new Set([
          ...threadsIn(k, t.id, 'uvn_attach', name),
          ...threadsIn(k, t.id, 'uvn_detach', name),
          ...threadsIn(k, t.id, 'uvm_vnp_terminate', name),
        ]),
      ],
      requests: [],
    };
  return none;
}

function blockedOn(k: UvmKernel, t: KThread): string | null {
  const chan = t.chan;
  if (chan === null) return null;
  if (chan === FREE_PAGES_CHAN) return 'no free page';
  if (chan.startsWith('page:')) {
    const pg = k.uvm.pages[Number(chan.slice(5))];
    return `page ${pg ? hex(pg.offset) : `#${chan.slice(5)}`} is busy`;
  }
  return `channel ${chan}`;
}

export const OPENBSD_VIEWS: ModelViews<UvmKernel> = {
  *residentPages(k) {
    for (const vp of k.s.vnodes) for (const off of vp.uvn.offsets) yield vp.uvn.pageAt[off]!;
  },
  isResident: (k, id) => (k.uvm.pages[id]?.object ?? null) !== null,
  residentIndex(k, id) {
    const pg = k.page(id);
    let before = 0;
    for (const vp of k.s.vnodes) {
      if (vp.name === pg.object) return before + lowerBound(vp.uvn.offsets, pg.offset);
      before += vp.uvn.offsets.length;
    }
    return -1;
  },
  page: (k, id) => pageView(k.page(id)),
  pageOffset: (k, id) => k.uvm.pages[id]?.offset ?? -1,
  queues: (k) => [k.uvm.activeQueue, k.uvm.inactiveQueue],
  objects: (k) =>
    k.s.vnodes.map((vp): ObjectView => ({
      key: vp.name,
      vnode: vp.name,
      title: vp.name,
      flags: vp.uvn.flags,
      flagNames: bitNames(vp.uvn.flags, UVN_FLAG_INFO),
      fields: [
        { label: 'refs', value: vp.uvn.refs, meaning: 'uo_refs: references to the uvn object' },
        { label: 'u_size', value: vp.uvn.size, unit: 'bytes', meaning: 'the size the pager believes' },
        { label: 'u_nio', value: vp.uvn.nio, meaning: 'I/O requests in progress on the uvn' },
        { label: 'npages', value: vp.uvn.npages, meaning: 'uo_npages: resident pages' },
        { label: 'on uvn_wlist (writeable)', value: onWlist(k, vp.name) ? 'yes' : 'no' },
        { label: 'usecount', value: vp.usecount, meaning: 'v_usecount: references to the vnode' },
        { label: 'v_flag', value: vp.vflag & VTEXT ? 'VTEXT' : 'none' },
        { label: 'state', value: vp.state },
        { label: 'type', value: vp.type },
        { label: 'mount', value: v_mount(vp) ?? 'NULL' },
        { label: 'file size', value: vp.size, unit: 'bytes', meaning: 'what VOP_GETATTR reports' },
      ],
    })),
  blockedOn,
  unblockers,
  wakers,
};

/** The contract digest (scenario-format.md, "Digest"), keys in contract order. */
export function openbsdDigest(k: UvmKernel, step: number): OpenBsdDigest {
  const s = k.s;
  return {
    step,
    panic: s.panic?.message ?? null,
    freePages: s.freePages,
    threads: s.threads.map((t) => ({ id: t.id, call: t.call, status: t.status, wait: t.wait, ret: t.ret })),
    vnodes: s.vnodes.map((vp) => ({
      name: vp.name,
      usecount: vp.usecount,
      vflag: vp.vflag & VTEXT ? ['VTEXT'] : [],
      state: vp.state,
      size: vp.size,
      uvn: {
        flags: bitNames(vp.uvn.flags, UVN_FLAG_INFO),
        refs: vp.uvn.refs,
        size: vp.uvn.size,
        nio: vp.uvn.nio,
        npages: vp.uvn.npages,
        pages: vp.uvn.offsets.map((off) => {
          const pg = k.page(vp.uvn.pageAt[off]!);
          return {
            offset: pg.offset,
            flags: bitNames(pg.flags, PG_INFO),
            queue: pg.queue,
            wired: pg.wired,
            mapped: pg.mapped,
            modified: pg.modified,
          };
        }),
      },
    })),
    io: s.io.map((r) => ({
      id: r.id,
      thread: r.thread,
      vnode: r.vnode,
      rw: r.rw,
      offset: r.offset,
      length: r.exactLength ?? r.length,
    })),
  };
}

/** The digest's shape (scenario-format.md, "Digest"). */
export interface OpenBsdDigest extends Digest {
  threads: { id: string; call: string; status: string; wait: string | null; ret: unknown }[];
  vnodes: {
    name: string;
    usecount: number;
    vflag: string[];
    state: string;
    size: number;
    uvn: {
      flags: string[];
      refs: number;
      size: number;
      nio: number;
      npages: number;
      pages: { offset: number; flags: string[]; queue: string; wired: number; mapped: boolean; modified: boolean }[];
    };
  }[];
  /** `length` is a bigint only for a size_t above 2^53 - 1 (stringifyDigest writes it exactly). */
  io: { id: number; thread: string; vnode: string; rw: 'read' | 'write'; offset: number; length: number | bigint }[];
}
