/**
 * FreeBSD's parts of the view snapshot and of the contract digest: one view per live vm_object, the pbuf
 * counters, page views with valid/dirty strips and busy state, what a sleeper sleeps on and who can wake it.
 */
import { bitNames, lowerBound } from '../kernel/constants';
import { vnLockName } from '../kernel/kernel';
import { FREE_PAGES_CHAN } from '../kernel/memory';
import { readLocals } from '../kernel/sched';
import type { KThread } from '../kernel/types';
import type { Digest, ModelViews } from '../model';
import type { ObjectView, PageView } from '../../protocol/snapshot';
import { OBJ_FLAG_INFO, VM_PAGE_BITS_ALL } from './flags';
import type { BsdKernel, FPage } from './state';

/**
 * writemappings (an int64) is a sum of page-aligned lengths, which doubles hold exactly up to 2^65, but
 * above 2^53 a number prints its shortest round-trip digits (3 * (2^53 - 4096) as ...690, not ...688):
 * past 2^53 - 1 it goes out as a bigint, printed with every digit, and to the panels as those digits.
 */
const exact = (v: number): number | bigint => (Number.isSafeInteger(v) ? v : BigInt(v));
const exactText = (v: number): number | string => (Number.isSafeInteger(v) ? v : BigInt(v).toString());
/** A request's blkno field: a number, null, or the digits of one past 2^53 - 1 (vnode_pager_getpages.ts). */
const blknoOf = (v: unknown): number | bigint | null =>
  typeof v === 'string' ? BigInt(v) : typeof v === 'number' ? v : null;

const mapped = (m: FPage) => m.maps.length > 0;
const writeable = (m: FPage) => m.maps.some((e) => e.writable);
const modified = (m: FPage) => m.maps.some((e) => e.modified);

function pageState(m: FPage): string {
  if (m.xbusy || m.sbusy > 0) return 'busy';
  if (m.valid === 0) return 'invalid';
  if (m.valid !== VM_PAGE_BITS_ALL) return 'partial';
  if (m.dirty !== 0 || modified(m)) return 'dirty';
  return 'clean';
}

function pageView(k: BsdKernel, m: FPage): PageView {
  const obj = m.object === null ? null : (k.bsd.objects[m.object] ?? null);
  const flags = [m.xbusy ? 'xbusy' : '', m.sbusy ? `sbusy ${m.sbusy}` : '', m.waiters ? 'waiters' : '']
    .filter(Boolean)
    .join('|');
  return Object.freeze({
    id: m.id,
    vnode: obj?.vnode ?? '',
    object: obj ? `obj${obj.id}` : '',
    offset: m.pindex * 4096,
    state: pageState(m),
    busy: m.xbusy || m.sbusy > 0,
    wanted: m.waiters,
    owner: m.owner,
    queue: m.queue,
    mapped: mapped(m),
    modified: modified(m),
    summary: `valid 0x${m.valid.toString(16)} dirty 0x${m.dirty.toString(16)}${flags ? ` ${flags}` : ''}`,
    flagWord: 0,
    cells: Object.freeze({
      valid: m.valid,
      dirty: m.dirty,
      xbusy: m.xbusy,
      sbusy: m.sbusy,
      waiters: m.waiters,
      writeable: writeable(m),
    }),
  });
}

/** A page as the contract's %p names it: `obj1[0]`. */
const pageName = (m: FPage) => `obj${m.object}[${m.pindex}]`;

function blockedOn(k: BsdKernel, t: KThread): string | null {
  const c = t.chan;
  if (c === null) return null;
  if (c === FREE_PAGES_CHAN) return 'no free page';
  if (c.startsWith('page:')) {
    const m = k.bsd.pages[Number(c.slice(5))];
    return m ? `page ${pageName(m)} is busy` : 'a page is busy';
  }
  if (c.startsWith('object:')) {
    const id = Number(c.slice(7));
    if (t.wait === 'vodead' || t.wait === 'vadead') return `obj${id} is dying (OBJ_DEAD)`;
    const pip = k.bsd.objects[id]?.paging_in_progress;
    return `obj${id}'s paging_in_progress${pip === undefined ? '' : ` (${pip})`} to drain`;
  }
  if (c.startsWith('pbuf:')) return `no free ${c === 'pbuf:async' ? 'asynchronous ' : ''}pbuf`;
  return `channel ${c}`;
}

const live = (k: BsdKernel, self: KThread) => k.s.threads.filter((o) => o !== self && o.status !== 'done');

/**
 * Where a thread holds a pbuf of its own, and from which counter: inside vnode_pager_generic_getpages
 * between getpbuf (seed line 790) and relpbuf (1053), or vnode_pager_input_smlfs between 555 and 587. An
 * asynchronous read hands its pbuf to the request at bstrategy (1042) and returns.
 */
function pbufHeld(t: KThread): 'sync' | 'async' | null {
  const fn = t.stack.at(-1);
  const line = t.line ?? 0;
  if (fn === 'vnode_pager_input_smlfs') return line > 555 && line <= 587 ? 'sync' : null;
  if (fn !== 'vnode_pager_generic_getpages' || line <= 790 || line > 1053) return null;
  const frame = readLocals(t)[t.stack.length - 1];
  const async = frame?.freecnt === 'vnode_async_pbuf_freecnt';
  return async && line > 1042 ? null : async ? 'async' : 'sync';
}

function pbufUnblockers(k: BsdKernel, t: KThread, async: boolean): string[] {
  const pool = async ? 'async' : 'sync';
  const out: string[] = [];
  for (const o of live(k, t)) {
    if (pbufHeld(o) !== pool) continue;
    const io = o.status === 'io' && o.wait ? `complete request ${o.wait.slice(3)}, then ` : '';
    out.push(`${io}${o.id} gives its pbuf back (relpbuf in ${o.stack.at(-1)})`);
  }
  if (async)
    for (const r of k.s.io)
      if (r.rw === 'read' && r.fields.async === true && r.fields.blkno !== null)
        out.push(`complete request ${r.id}: vnode_pager_generic_getpages_done_async gives its pbuf back`);
  return out.length ? out : [`a relpbuf by whichever read holds a${async ? 'n async' : ''} pbuf`];
}

function busyUnblockers(k: BsdKernel, t: KThread, m: FPage): string[] {
  const name = `page ${pageName(m)}`;
  const reqs = k.s.io.filter((r) => r.pages.includes(m.id));
  const out: string[] = [];
  if (m.xbusy) {
    const owner = m.owner ? k.s.threads.find((o) => o.id === m.owner) : undefined;
    for (const r of reqs)
      out.push(
        r.fields.async === true
          ? `complete request ${r.id}: its completion unbusies ${name}`
          : `complete request ${r.id}, then ${owner && owner.status !== 'done' ? owner.id : 'its thread'} unbusies ${name}`,
      );
    if (reqs.length === 0)
      out.push(
        owner && owner.status !== 'done'
          ? `${owner.id} unbusies ${name} (vm_page_xunbusy wakes VPB_BIT_WAITERS sleepers)`
          : `whoever holds ${name} exclusive-busy unbusies it`,
      );
  } else if (m.sbusy > 0) {
    // Shared busy: vm_pageout_flush's run, for msync and the laundry thread.
    const flushers = live(k, t).filter((o) => o.call === 'msync' || o.call === 'pageout');
    for (const r of reqs) out.push(`complete request ${r.id}`);
    out.push(
      `the vm_pageout_flush that shared-busied ${name} (sbusy ${m.sbusy}) unbusies it${
        flushers.length ? `: ${flushers.map((o) => o.id).join(', ')}` : ''
      }`,
    );
  } else {
    out.push(`nothing: ${name} is no longer busy, so ${t.id} runs once woken`);
  }
  return out;
}

/**
 * Threads that hold one of the object's paging_in_progress: a fault between vm_object_pip_add and
 * unlock_and_deallocate that sleeps "vmpfw" or reads, vm_object_page_remove asleep on a busy page
 * ("vmopar"), and msync or pageout writing their run (vm_pageout_flush).
 */
function pipHolders(k: BsdKernel, t: KThread, obj: number): KThread[] {
  return live(k, t).filter((o) => {
    if (o.call === 'fault') {
      const mapping = k.bsd.mappings[String(o.args.mapping)];
      // Asleep in "vmpfw", or woken and not yet past its pip wakeup; or reading its page.
      const vmpfw = o.wait === 'vmpfw' || o.callerStmt === 'vm_page_sleep_if_busy(fs.m, "vmpfw")';
      return mapping?.object === obj && (vmpfw || o.status === 'io');
    }
    if (o.wait === 'vmopar') return k.bsd.pages[Number(o.chan?.slice(5))]?.object === obj;
    if (o.call === 'msync' || o.call === 'pageout')
      return o.status === 'io' && k.vnode(String(o.args.vnode)).v_object === obj;
    return false;
  });
}

function unblockers(k: BsdKernel, t: KThread): string[] {
  const { status, wait, chan } = t;
  if (status === 'lock' && wait) {
    const lock = k.s.locks[wait];
    const holders = [...(lock?.owner ? [lock.owner] : []), ...(lock?.shared ?? [])];
    return holders.length ? holders.map((h) => `${h} releases ${wait}`) : [`${wait} is free: run to retry`];
  }
  if (status === 'io' && wait) return [`complete request ${wait.slice(3)}`];
  if (status !== 'sleep' || !chan) return [];
  if (chan === FREE_PAGES_CHAN) return [`any thread or completion that frees a page (vm_page_free wakes "${wait}")`];
  if (chan.startsWith('pbuf:')) return pbufUnblockers(k, t, chan === 'pbuf:async');
  if (chan.startsWith('page:')) {
    const m = k.bsd.pages[Number(chan.slice(5))];
    return m ? busyUnblockers(k, t, m) : ['the page being freed'];
  }
  if (chan.startsWith('object:')) {
    const id = Number(chan.slice(7));
    if (wait === 'vodead' || wait === 'vadead') return [`vnode_pager_dealloc of obj${id} (wakes OBJ_DISCONNECTWNT)`];
    const obj = k.bsd.objects[id];
    const holders = pipHolders(k, t, id).map(
      (o) => `${o.id} lets go of the paging_in_progress its ${o.call} holds (vm_object_pip_wakeup)`,
    );
    const reqs = obj ? k.s.io.filter((r) => r.vnode === obj.vnode).map((r) => `complete request ${r.id}`) : [];
    return [`obj${id}'s paging_in_progress drains to 0 (the last vm_object_pip_wakeup wakes it)`, ...holders, ...reqs];
  }
  return [];
}

/**
 * Who can wake a sleeper on an object or pbuf channel: the disk requests whose completion drains
 * paging_in_progress or gives a pbuf back (a page's busy owner the snapshot builder knows itself).
 */
function wakers(k: BsdKernel, t: KThread): { threads: string[]; requests: number[] } {
  const chan = t.chan ?? '';
  if (chan.startsWith('object:') && t.wait !== 'vodead' && t.wait !== 'vadead') {
    const obj = k.bsd.objects[Number(chan.slice(7))];
    return { threads: [], requests: obj ? k.s.io.filter((r) => r.vnode === obj.vnode).map((r) => r.id) : [] };
  }
  if (chan.startsWith('pbuf:')) return { threads: [], requests: k.s.io.map((r) => r.id) };
  return { threads: [], requests: [] };
}

export const FREEBSD_VIEWS: ModelViews<BsdKernel> = {
  *residentPages(k) {
    for (const vp of k.s.vnodes)
      for (const obj of Object.values(k.bsd.objects))
        if (obj.vnode === vp.name) for (const p of obj.memq) yield obj.pageAt[p]!;
  },
  isResident: (k, id) => id !== 0 && (k.bsd.pages[id]?.object ?? null) !== null,
  residentIndex(k, id) {
    const pg = k.page(id);
    let before = 0;
    for (const vp of k.s.vnodes)
      for (const obj of Object.values(k.bsd.objects))
        if (obj.vnode === vp.name) {
          if (obj.id === pg.object) return before + lowerBound(obj.memq, pg.pindex);
          before += obj.memq.length;
        }
    return -1;
  },
  page: (k, id) => pageView(k, k.page(id)),
  pageOffset: (k, id) => (k.bsd.pages[id] ? k.bsd.pages[id].pindex * 4096 : -1),
  queues: (k) => [k.bsd.activeQueue, k.bsd.inactiveQueue],
  objects: (k) =>
    Object.values(k.bsd.objects).map((obj): ObjectView => {
      const vp = k.vnode(obj.vnode);
      return {
        key: `obj${obj.id}`,
        vnode: obj.vnode,
        title: `obj${obj.id} (${obj.vnode})`,
        flags: obj.flags,
        flagNames: bitNames(obj.flags, OBJ_FLAG_INFO),
        fields: [
          { label: 'type', value: obj.type },
          { label: 'ref_count', value: obj.ref_count, meaning: 'references to the object (mappings, faults)' },
          { label: 'paging_in_progress', value: obj.paging_in_progress, meaning: 'pager operations under way' },
          { label: 'size', value: obj.size, unit: 'pages', meaning: 'the object size in pages' },
          { label: 'vnp_size', value: obj.vnp_size, unit: 'bytes', meaning: 'the size the pager believes' },
          {
            label: 'writemappings',
            value: exactText(obj.writemappings),
            unit: 'bytes',
            meaning: 'bytes of shared writable mappings',
          },
          { label: 'usecount', value: vp.usecount, meaning: 'v_usecount of the vnode' },
          { label: 'writecount', value: vp.writecount, meaning: 'v_writecount of the vnode' },
          { label: 'VV_TEXT', value: vp.vtext ? 'yes' : 'no' },
          { label: 'vnode state', value: vp.state },
          { label: 'vnode lock', value: lockWord(k, vp.name) },
        ],
      };
    }),
  counters: (k) => [
    { label: 'free pbufs', value: k.bsd.pbufs, meaning: 'vnode_pbuf_freecnt: free pbufs for synchronous reads' },
    {
      label: 'free async pbufs',
      value: k.bsd.asyncPbufs,
      meaning: 'vnode_async_pbuf_freecnt: free pbufs for asynchronous reads',
    },
  ],
  blockedOn,
  unblockers,
  wakers,
  channelName: (chan) => (chan.startsWith('object:') ? `obj${chan.slice(7)}` : chan),
};

function lockWord(k: BsdKernel, vnode: string): string {
  const lock = k.s.locks[vnLockName(vnode)];
  if (!lock) return 'free';
  if (lock.owner) return `exclusive (${lock.owner})`;
  return lock.shared.length ? `shared (${lock.shared.join(', ')})` : 'free';
}

/** The contract digest (scenario-format.md, "FreeBSD digest"), keys in contract order. */
export function freebsdDigest(k: BsdKernel, step: number): FreeBsdDigest {
  const s = k.s;
  return {
    step,
    panic: s.panic?.message ?? null,
    freePages: s.freePages,
    pbufs: k.bsd.pbufs,
    asyncPbufs: k.bsd.asyncPbufs,
    threads: s.threads.map((t) => ({ id: t.id, call: t.call, status: t.status, wait: t.wait, ret: t.ret })),
    vnodes: s.vnodes.map((vp) => ({
      name: vp.name,
      usecount: vp.usecount,
      writecount: vp.writecount,
      vflag: vp.vtext ? ['VV_TEXT'] : [],
      state: vp.state,
      size: vp.size,
      object: vp.v_object,
    })),
    objects: Object.values(k.bsd.objects)
      .sort((a, b) => a.id - b.id)
      .map((obj) => ({
        id: obj.id,
        vnode: obj.vnode,
        type: obj.type,
        flags: bitNames(obj.flags, OBJ_FLAG_INFO),
        ref_count: obj.ref_count,
        paging_in_progress: obj.paging_in_progress,
        size: obj.size,
        vnp_size: obj.vnp_size,
        writemappings: exact(obj.writemappings),
        pages: obj.memq.map((p) => {
          const m = k.page(obj.pageAt[p]!);
          return {
            pindex: m.pindex,
            valid: m.valid,
            dirty: m.dirty,
            xbusy: m.xbusy,
            sbusy: m.sbusy,
            waiters: m.waiters,
            queue: m.queue,
            mapped: mapped(m),
            writeable: writeable(m),
            modified: modified(m),
          };
        }),
      })),
    io: s.io.map((r) => ({
      id: r.id,
      thread: r.thread,
      vnode: r.vnode,
      rw: r.rw,
      offset: r.offset,
      length: r.length,
      blkno: blknoOf(r.fields.blkno),
      async: r.fields.async === true,
    })),
  };
}

export interface FreeBsdDigest extends Digest {
  pbufs: number;
  asyncPbufs: number;
  threads: { id: string; call: string; status: string; wait: string | null; ret: unknown }[];
  vnodes: {
    name: string;
    usecount: number;
    writecount: number;
    vflag: string[];
    state: string;
    size: number;
    object: number | null;
  }[];
  objects: {
    id: number;
    vnode: string;
    type: string;
    flags: string[];
    ref_count: number;
    paging_in_progress: number;
    size: number;
    vnp_size: number;
    writemappings: number | bigint;
    pages: {
      pindex: number;
      valid: number;
      dirty: number;
      xbusy: boolean;
      sbusy: number;
      waiters: boolean;
      queue: string;
      mapped: boolean;
      writeable: boolean;
      modified: boolean;
    }[];
  }[];
  io: {
    id: number;
    thread: string;
    vnode: string;
    rw: 'read' | 'write';
    offset: number;
    length: number;
    blkno: number | bigint | null;
    async: boolean;
  }[];
}
