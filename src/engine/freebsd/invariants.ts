/**
 * What holds in every state of the FreeBSD kernel until a panic: physical pages, queues, each object's
 * page list, busy state, paging_in_progress against the work that holds it, the pbuf counters against the
 * pbufs held, requests against their threads, locks against their owners, vnodes against their objects.
 * `freebsdInvariants(k, memo)` lists the broken ones in words (none when all hold); the property test
 * calls it after every step, and it fits the `PagerModel.invariants` hook.
 *
 * Where a thread stopped by `step` may stand between two statements that restore an invariant (for example
 * between `ref_count++` and `vrefact`), the check exempts threads inside that seed function, by name.
 */
import { FREE_PAGES_CHAN } from '../kernel/memory';
import type { KThread } from '../kernel/types';
import { OBJ_PIPWNT, VM_PAGE_BITS_ALL } from './flags';
import { BOGUS_PAGE, chan, refreshState, type BsdKernel, type BsdVnode, type FPage } from './state';
import type { PagerBuf } from './vnode_pager_getpages';

/** What the checks remember between the steps of one run: the budgets, read from the first state seen. */
interface FreeBsdMemo {
  phys?: number;
  pbufs?: number;
  asyncPbufs?: number;
}

const PIP_WAITS = new Set(['bovlbx', 'vnpdea', 'objtrm']);
/** The bwait statements of the synchronous reads: vnode_pager_generic_getpages, vnode_pager_input_smlfs. */
const BWAIT_LINES = new Set([1047, 577]);
const SLEEPS = new Set([
  'vodead',
  'vadead',
  'vnpdea',
  'objtrm',
  'bovlbx',
  'vmopar',
  'vpcwai',
  'vmpfw',
  'pfault',
  'vmwait',
  'grbmaw',
  'wswbuf0',
]);

const inside = (t: KThread, fn: string) => t.status !== 'done' && t.stack.includes(fn);
const innermost = (t: KThread) => (t.stack.length > 0 ? t.stack[t.stack.length - 1]! : null);

/**
 * Whether `t` holds a pbuf it took in vnode_pager_generic_getpages (getpbuf at line 790 done, relpbuf at
 * 799/811/820/839/1053 not yet run; an asynchronous read hands it to its request at line 1042) or in
 * vnode_pager_input_smlfs (555 to 587): 'sync', 'async' or null. An asynchronous read's done function
 * runs inside a `complete` step, never between two.
 */
export function pbufHeld(t: KThread): 'sync' | 'async' | null {
  const fn = innermost(t);
  const line = t.line;
  if (t.status === 'done' || line === null) return null;
  if (fn === 'vnode_pager_input_smlfs') return line >= 558 && line <= 587 ? 'sync' : null;
  // A synchronous read calls the done function at line 1048, still holding its pbuf.
  if (fn === 'vnode_pager_generic_getpages_done') return 'sync';
  if (fn !== 'vnode_pager_generic_getpages') return null;
  const async = t.stack.includes('vnode_pager_local_getpages_async');
  const early = [797, 798, 799, 810, 811, 819, 820, 835, 836, 839].includes(line);
  const late = line >= 850 && line <= (async ? 1042 : 1053);
  return early || late ? (async ? 'async' : 'sync') : null;
}

export function freebsdInvariants(k: BsdKernel, memoIn: Record<string, unknown> = {}): string[] {
  const memo = memoIn as FreeBsdMemo;
  const broken: string[] = [];
  const check = (cond: boolean, what: () => string) => {
    if (!cond) broken.push(what());
  };
  const s = k.s;
  const bsd = k.bsd;
  const live = s.threads.filter((t) => t.status !== 'done');
  const byId = new Map(s.threads.map((t) => [t.id, t]));

  // Physical memory: every page is free or allocated (bogus_page, id 0, is neither).
  const pages = Object.values(bsd.pages).filter((m) => m.id !== BOGUS_PAGE);
  memo.phys ??= s.freePages + pages.length;
  check(s.freePages >= 0, () => `freePages ${s.freePages}`);
  check(
    s.freePages + pages.length === memo.phys,
    () => `freePages ${s.freePages} + allocated ${pages.length} != ${memo.phys}`,
  );

  // Queues: each page on at most one, and its queue field agrees.
  const active = new Set(bsd.activeQueue);
  const inactive = new Set(bsd.inactiveQueue);
  check(active.size === bsd.activeQueue.length, () => 'a page twice on the active queue');
  check(inactive.size === bsd.inactiveQueue.length, () => 'a page twice on the inactive queue');
  for (const id of active) check(!inactive.has(id), () => `page ${id} on both queues`);
  for (const id of [...active, ...inactive]) check(bsd.pages[id] !== undefined, () => `queued page ${id} is free`);

  // Every allocated page is resident in one live object, at its pindex, with sane bits.
  const waitersOn = new Map<number, KThread[]>();
  for (const t of live)
    if (t.status === 'sleep' && t.chan?.startsWith('page:')) {
      const id = Number(t.chan.slice(5));
      waitersOn.set(id, [...(waitersOn.get(id) ?? []), t]);
    }
  for (const m of pages) {
    const at = `page ${m.id} (obj${m.object}[${m.pindex}])`;
    const q = active.has(m.id) ? 'active' : inactive.has(m.id) ? 'inactive' : 'none';
    check(m.queue === q, () => `${at} says ${m.queue}, the queues say ${q}`);
    const obj = m.object === null ? undefined : bsd.objects[m.object];
    check(obj !== undefined && obj.pageAt[m.pindex] === m.id, () => `${at} is allocated but not resident`);
    check(Number.isInteger(m.valid) && m.valid >= 0 && m.valid <= 255, () => `${at} valid ${m.valid}`);
    check(Number.isInteger(m.dirty) && m.dirty >= 0 && m.dirty <= 255, () => `${at} dirty ${m.dirty}`);
    check(!(m.xbusy && m.sbusy > 0), () => `${at} is both exclusive and shared busy`);
    check(m.sbusy >= 0, () => `${at} sbusy ${m.sbusy}`);
    check(!m.waiters || m.xbusy || m.sbusy > 0, () => `${at} has waiters but is not busy`);
    check(m.maps.length === 0 || m.valid === VM_PAGE_BITS_ALL, () => `${at} is mapped but not fully valid`);
    for (const e of m.maps) {
      const map = bsd.mappings[e.mapping];
      check(map !== undefined && map.object === m.object, () => `${at} mapped by ${e.mapping}, not its mapping`);
      check(!e.writable || map?.writable === true, () => `${at} writable through read-only ${e.mapping}`);
      check(!e.modified || e.writable, () => `${at} modified through a read-only entry of ${e.mapping}`);
    }
    if (obj) check(m.pindex < obj.size, () => `${at} lies past the object's ${obj.size} pages`);
  }
  for (const [id, sleepers] of waitersOn) {
    const m = bsd.pages[id];
    check(
      m !== undefined && m.waiters && (m.xbusy || m.sbusy > 0),
      () => `${sleepers.map((t) => t.id).join(', ')} sleep on page ${id}, which is not busy with waiters`,
    );
  }

  // Objects: the page list, the size, paging_in_progress against the work that holds it.
  for (const obj of Object.values(bsd.objects)) {
    const at = `obj${obj.id}`;
    check(obj.ref_count >= 0, () => `${at} ref_count ${obj.ref_count}`);
    check(obj.writemappings >= 0, () => `${at} writemappings ${obj.writemappings}`);
    for (let i = 1; i < obj.memq.length; i++)
      check(obj.memq[i - 1]! < obj.memq[i]!, () => `${at} memq out of order: ${obj.memq.join(',')}`);
    check(Object.keys(obj.pageAt).length === obj.memq.length, () => `${at} memq and the radix trie differ`);
    for (const p of obj.memq) {
      const m = bsd.pages[obj.pageAt[p]!];
      check(m !== undefined && m.object === obj.id && m.pindex === p, () => `${at} memq entry ${p} is not its page`);
    }
    const resizing = live.some((t) => inside(t, 'vnode_pager_setsize') || inside(t, 'vnode_pager_alloc'));
    check(
      resizing || obj.size === Math.ceil(obj.vnp_size / 4096),
      () => `${at} size ${obj.size} pages for vnp_size ${obj.vnp_size}`,
    );
    if (obj.type === 'OBJT_DEAD') check(obj.handle === null, () => `${at} is OBJT_DEAD with a handle`);
    else {
      const vp = k.vnodeByName.get(obj.vnode);
      const allocating = live.some((t) => inside(t, 'vnode_pager_alloc'));
      check(obj.handle === obj.vnode, () => `${at} is OBJT_VNODE with handle ${obj.handle}`);
      check(allocating || vp?.v_object === obj.id, () => `${at} is OBJT_VNODE but not the v_object of ${obj.vnode}`);
    }

    const objPages = obj.memq.map((p) => bsd.pages[obj.pageAt[p]!]!).filter(Boolean);
    const sbusied = objPages.reduce((n, m) => n + m.sbusy, 0);
    const faults = live.filter((t) => t.call === 'fault' && bsd.mappings[t.args.mapping as string]?.object === obj.id);
    const surelyFaults = faults.filter((t) => (t.status === 'sleep' && t.wait === 'vmpfw') || t.stack.length > 0);
    const removing = live.filter(
      (t) =>
        t.status === 'sleep' &&
        t.wait === 'vmopar' &&
        objPages.some((m) => t.chan === chan.page(m.id)) &&
        (t.call === 'vgone' || t.call === 'vnode_pager_setsize'),
    );
    const mayRemove = live.filter(
      (t) => (t.call === 'vgone' || t.call === 'vnode_pager_setsize') && t.args.vnode === obj.vnode,
    );
    const low = sbusied + surelyFaults.length + removing.length;
    const high = sbusied + faults.length + mayRemove.length;
    check(
      obj.paging_in_progress >= low && obj.paging_in_progress <= high,
      () =>
        `${at} paging_in_progress ${obj.paging_in_progress}, but ${sbusied} pages are shared busy, ` +
        `${faults.length} faults (${surelyFaults.length} surely holding) and ${mayRemove.length} page removals run`,
    );
    check(
      obj.paging_in_progress > 0 || (obj.flags & OBJ_PIPWNT) === 0,
      () => `${at} has OBJ_PIPWNT with no paging in progress`,
    );
  }

  // Vnodes and their objects, use and write counts.
  const updatingWritecount = live.some(
    (t) => inside(t, 'vnode_pager_update_writecount') || inside(t, 'vnode_pager_dealloc'),
  );
  for (const vp of s.vnodes) {
    const at = vp.name;
    const was = vp.state;
    const copy = { ...vp } as BsdVnode;
    refreshState(copy);
    check(copy.state === was, () => `${at} state ${was}, expected ${copy.state}`);
    check(vp.usecount >= 0, () => `${at} usecount ${vp.usecount}`);
    check(vp.writecount >= 0, () => `${at} writecount ${vp.writecount}`);
    const obj = vp.v_object === null ? undefined : bsd.objects[vp.v_object];
    check(vp.v_object === null || obj !== undefined, () => `${at} v_object obj${vp.v_object} is destroyed`);
    if (obj) {
      check(obj.vnode === at, () => `${at} v_object obj${obj.id} was made for ${obj.vnode}`);
      const deallocating = live.some((t) => inside(t, 'vnode_pager_dealloc'));
      check(deallocating || obj.type === 'OBJT_VNODE', () => `${at} v_object obj${obj.id} is ${obj.type}`);
    }
    const writing = obj !== undefined && obj.type === 'OBJT_VNODE' && obj.writemappings > 0 ? 1 : 0;
    check(
      updatingWritecount || vp.writecount === writing,
      () => `${at} writecount ${vp.writecount}, but its object has writemappings ${obj?.writemappings ?? 0}`,
    );
  }

  // The pbuf counters: the budget less the pbufs threads and asynchronous reads hold.
  const held = { sync: 0, async: 0 };
  for (const t of live) {
    const h = pbufHeld(t);
    if (h) held[h]++;
  }
  const asyncReads = s.io.filter((r) => r.iodone !== null).length;
  memo.pbufs ??= bsd.pbufs + held.sync;
  memo.asyncPbufs ??= bsd.asyncPbufs + held.async + asyncReads;
  check(
    bsd.pbufs === memo.pbufs - held.sync,
    () => `pbufs ${bsd.pbufs}, but ${held.sync} of the budget ${memo.pbufs} are held`,
  );
  check(
    bsd.asyncPbufs === memo.asyncPbufs! - held.async - asyncReads,
    () =>
      `asyncPbufs ${bsd.asyncPbufs}, but ${held.async} threads and ${asyncReads} reads hold ` +
      `pbufs of the budget ${memo.asyncPbufs}`,
  );

  // Requests and the threads that started them.
  for (const r of s.io) {
    const t = byId.get(r.thread);
    const async = r.fields.async === true;
    check(t !== undefined, () => `request ${r.id} was started by unknown ${r.thread}`);
    if (r.iodone !== null) {
      const bp = r.ctx as PagerBuf;
      check(async && r.rw === 'read', () => `request ${r.id} has a completion routine but is no async read`);
      const obj = k.vnodeByName.get(bp.vnode)?.v_object;
      for (const id of bp.pages) {
        if (id === BOGUS_PAGE) continue;
        const m: FPage | undefined = bsd.pages[id];
        check(
          m !== undefined && m.xbusy && m.object === obj,
          () => `async read ${r.id}: page ${id} is not an exclusive busy page of the vnode's object`,
        );
      }
    } else if (!async)
      // Its thread sleeps in bwait for it, or stands at that bwait (line 1047 or 577), one statement after
      // the bstrategy that started it.
      check(
        (t?.status === 'io' && t.wait === `io:${r.id}`) || (t?.status === 'ready' && BWAIT_LINES.has(t.line ?? 0)),
        () => `synchronous request ${r.id}: ${r.thread} is ${t?.status} ${t?.wait}`,
      );
    for (const id of r.pages) {
      // On a small-block mount input_smlfs reads into every slot of sendfile's run, bogus_page (never busied)
      // included (seed lines 819-826, 539-577).
      if (id === BOGUS_PAGE) continue;
      const m = bsd.pages[id];
      if (r.rw === 'read') check(m?.xbusy === true, () => `read ${r.id} maps page ${id}, which is not exclusive busy`);
      else if (!async) check((m?.sbusy ?? 0) > 0, () => `sync write ${r.id} maps page ${id}, which is not shared busy`);
    }
  }

  // Threads: status, channel, what they wait for.
  for (const t of s.threads) {
    const at = `${t.id} (${t.status} ${t.wait})`;
    if (t.status === 'sleep') {
      check(t.chan !== null && SLEEPS.has(t.wait ?? ''), () => `${at} sleeps on no known channel`);
      if (t.wait === 'wswbuf0')
        check(
          (t.chan === chan.pbuf(true) ? bsd.asyncPbufs : bsd.pbufs) === 0,
          () => `${at} waits for a pbuf that is free`,
        );
      if (PIP_WAITS.has(t.wait ?? '')) {
        const obj = bsd.objects[Number(t.chan?.slice(7))];
        check(
          obj !== undefined && obj.paging_in_progress > 0 && (obj.flags & OBJ_PIPWNT) !== 0,
          () => `${at} waits for paging that is over`,
        );
      }
      if (t.wait === 'pfault' || t.wait === 'vmwait')
        check(t.chan === FREE_PAGES_CHAN, () => `${at} sleeps for memory on ${t.chan}`);
    } else check(t.chan === null, () => `${at} has channel ${t.chan}`);
    if (t.status === 'io') {
      const r = s.io.find((x) => `io:${x.id}` === t.wait);
      check(r !== undefined && r.thread === t.id, () => `${at} waits for a request it did not start`);
    }
    if (t.status === 'lock') {
      const lock = s.locks[t.wait ?? ''];
      check(
        lock !== undefined && (lock.owner !== null || lock.shared.length > 0),
        () => `${at} waits for a lock nobody holds`,
      );
    }
    if (t.status === 'done') check(t.stack.length === 0, () => `${at} is done inside ${t.stack.join('>')}`);
  }

  // Locks: held only by live threads.
  for (const [name, lock] of Object.entries(s.locks)) {
    for (const holder of [...(lock.owner === null ? [] : [lock.owner]), ...lock.shared]) {
      const t = byId.get(holder);
      check(t !== undefined && t.status !== 'done', () => `${name} held by ${holder}, which is ${t?.status}`);
    }
    check(lock.owner === null ? lock.count === 0 : lock.count >= 1, () => `${name} count ${lock.count}`);
    check(lock.owner === null || lock.shared.length === 0, () => `${name} held shared and exclusive at once`);
  }
  return broken;
}
