/**
 * View snapshots: what the panels show after a step, richer than the digest
 * (each thread's line, locks held and awaited, who can unblock whom, page
 * owners). Snapshots are immutable and share every page view that did not
 * change, so a history of 1,000 steps over 4,096 pages stays small, and the
 * delta between two snapshots carries only what changed.
 */
import { bitNames, PG_NAMES, VTEXT } from './kernel/constants';
import type { Kernel } from './kernel/kernel';
import type { KThread, PanicInfo, Page, QueueName, ThreadStatus } from './kernel/types';
import { UVN_FLAG_NAMES } from './openbsd/flags';

export interface PageView {
  readonly id: number;
  readonly vnode: string;
  readonly offset: number;
  /** PG_* names, ascending bit order (never PG_TABLED). */
  readonly flags: readonly string[];
  readonly queue: QueueName;
  readonly wired: number;
  readonly mapped: boolean;
  readonly modified: boolean;
  /** Thread that busied the page (UVM_PAGE_OWN), if busy. */
  readonly owner: string | null;
}

export interface ThreadView {
  readonly id: string;
  readonly call: string;
  readonly args: Readonly<Record<string, unknown>>;
  readonly status: ThreadStatus;
  readonly wait: string | null;
  /** Sleep channel while asleep (`uvn:vn1`, `u_nio:vn1`, `page:7`, ...). */
  readonly chan: string | null;
  readonly ret: string | boolean | null;
  /** Seed line it stands at, or null outside the seed. */
  readonly line: number | null;
  /** The caller's statement it stands at, when outside the seed. */
  readonly callerStmt: string | null;
  /** Seed functions entered, outermost first. */
  readonly stack: readonly string[];
  readonly focusPage: number | null;
  readonly locksHeld: readonly string[];
  /** Who or what can make a blocked thread runnable, in words. */
  readonly unblockers: readonly string[];
}

export interface VnodeView {
  readonly name: string;
  readonly type: 'VREG' | 'VBLK';
  readonly mount: string;
  readonly usecount: number;
  readonly vflag: readonly string[];
  readonly state: string;
  readonly size: number;
  readonly onWlist: boolean;
  readonly uvn: {
    readonly flags: number;
    readonly flagNames: readonly string[];
    readonly refs: number;
    readonly size: number;
    readonly nio: number;
    readonly npages: number;
  };
}

export interface IoView {
  readonly id: number;
  readonly thread: string;
  readonly vnode: string;
  readonly rw: 'read' | 'write';
  readonly offset: number;
  readonly length: number;
  /** Offsets of the pages the transfer maps. */
  readonly pageOffsets: readonly number[];
}

export interface LockView {
  readonly name: string;
  readonly owner: string | null;
  readonly count: number;
  readonly waiters: readonly string[];
}

export interface ViewSnapshot {
  /** Steps applied: 0 before the first. */
  readonly step: number;
  readonly panic: PanicInfo | null;
  readonly freePages: number;
  /** Resident pages, by vnode (scenario order) then offset. */
  readonly pages: readonly PageView[];
  readonly activeQueue: readonly number[];
  readonly inactiveQueue: readonly number[];
  readonly threads: readonly ThreadView[];
  readonly vnodes: readonly VnodeView[];
  readonly io: readonly IoView[];
  readonly locks: readonly LockView[];
  readonly wlist: readonly string[];
  readonly syncq: readonly string[];
}

/**
 * A list of ids as a delta carries it when it changed: whole; one splice (the page tree gains or loses a
 * page, a thread is spawned); or some ids dropped from anywhere, then some appended (a paging queue: the
 * kernel dequeues anywhere and enqueues at the tail). Whichever is smallest, so a step that moves one
 * page among 4,096 sends a few ids, not the whole queue.
 */
export type ListEdit<T> =
  | readonly T[]
  | { readonly at: number; readonly remove: number; readonly insert: readonly T[] }
  | { readonly removed: readonly T[]; readonly appended: readonly T[] };

/** What changed between two snapshots: pages and threads by id, lists as edits, everything else whole. */
export interface SnapshotDelta {
  readonly step: number;
  readonly fromStep: number;
  readonly pages: readonly PageView[];
  /** Page ids in order, present only when the set or order of resident pages changed. */
  readonly order: ListEdit<number> | null;
  readonly activeQueue: ListEdit<number> | null;
  readonly inactiveQueue: ListEdit<number> | null;
  /** Threads whose view changed (a done thread never does). */
  readonly threads: readonly ThreadView[];
  /** Thread ids in order, present only when threads were added. */
  readonly threadOrder: ListEdit<string> | null;
  readonly rest: Omit<ViewSnapshot, 'pages' | 'activeQueue' | 'inactiveQueue' | 'threads' | 'step'>;
}

function sameNumbers(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** The smallest edit that turns `from` into `to` (lists of distinct ids); null when they are equal. */
function editOf<T>(from: readonly T[], to: readonly T[]): ListEdit<T> | null {
  let head = 0;
  while (head < from.length && head < to.length && from[head] === to[head]) head++;
  if (head === from.length && head === to.length) return null;
  let tail = 0;
  while (
    tail < from.length - head &&
    tail < to.length - head &&
    from[from.length - 1 - tail] === to[to.length - 1 - tail]
  )
    tail++;
  let best: ListEdit<T> = to;
  let size = to.length;
  if (to.length - head - tail + 2 < size) {
    best = { at: head, remove: from.length - head - tail, insert: to.slice(head, to.length - tail) };
    size = to.length - head - tail + 2;
  }
  // `to` as `from` less `removed`, then `appended`: match greedily, give up once it is no smaller.
  const removed: T[] = [];
  let j = head;
  for (let i = head; i < from.length && removed.length < size; i++) {
    if (j < to.length && from[i] === to[j]) j++;
    else removed.push(from[i]!);
  }
  if (removed.length + to.length - j < size) best = { removed, appended: to.slice(j) };
  return best;
}

/** `from` with `edit` applied (`from` itself when there is no edit). */
function applyEdit<T>(from: readonly T[], edit: ListEdit<T> | null): readonly T[] {
  if (edit === null) return from;
  // NOTE: test 'insert', not 'at': every array has an `at` method.
  if ('insert' in edit)
    return Object.freeze([...from.slice(0, edit.at), ...edit.insert, ...from.slice(edit.at + edit.remove)]);
  if ('removed' in edit) {
    const gone = new Set(edit.removed);
    return Object.freeze([...from.filter((id) => !gone.has(id)), ...edit.appended]);
  }
  return edit;
}

function pageView(pg: Page): PageView {
  return Object.freeze({
    id: pg.id,
    vnode: pg.object ?? '',
    offset: pg.offset,
    flags: Object.freeze(bitNames(pg.flags, PG_NAMES)),
    queue: pg.queue,
    wired: pg.wired,
    mapped: pg.mapped,
    modified: pg.modified,
    owner: pg.owner,
  });
}

/**
 * Live threads, other than `self`, running seed function `fn` on `vnode`
 * (a sync thread may be on any vnode, so it counts for every one).
 */
function threadsIn(k: Kernel, self: string, fn: string, vnode: string | null): string[] {
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

function unblockersOf(k: Kernel, t: KThread): string[] {
  const { status, wait, chan } = t;
  if (status === 'lock' && wait) {
    const owner = k.s.locks[wait]?.owner;
    return owner ? [`${owner} releases ${wait}`] : [`${wait} is free: run to retry`];
  }
  if (status === 'io' && wait) return [`complete request ${wait.slice(3)}`];
  if (status === 'sleep' && chan) {
    if (chan === 'uvmexp.free') {
      const flushers = threadsIn(k, t.id, 'uvn_flush', null);
      return [
        `any thread that frees a page (uvm_pagefree, or uvm_pglistfree at the end of uvn_flush: ${who(flushers, 'none running')})`,
      ];
    }
    const [kind, name] = chan.split(':') as [string, string];
    if (kind === 'page') {
      const pg = k.s.pages[Number(name)];
      const which = pg?.object ? `${pg.object} page 0x${pg.offset.toString(16)}` : `page #${name}`;
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
  }
  return [];
}

const sameList = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x, i) => x === b[i]);

function sameThreadView(a: ThreadView, b: ThreadView): boolean {
  return (
    a.status === b.status &&
    a.wait === b.wait &&
    a.chan === b.chan &&
    a.ret === b.ret &&
    a.line === b.line &&
    a.callerStmt === b.callerStmt &&
    a.focusPage === b.focusPage &&
    sameList(a.stack, b.stack) &&
    sameList(a.locksHeld, b.locksHeld) &&
    sameList(a.unblockers, b.unblockers)
  );
}

/** Builds snapshots from a kernel, reusing the views of unchanged pages and threads. */
export class SnapshotBuilder {
  private readonly cache = new Map<number, PageView>();
  private prev: ViewSnapshot | null = null;
  /** Where each page of `prev.pages` sits, to patch the list in place. */
  private indexOf = new Map<number, number>();

  /**
   * The resident pages in order. Most steps change a few pages without
   * adding or removing any: then the previous list is copied and patched
   * (or reused outright), instead of rebuilt from every uvn's tree.
   */
  private pageViews(): readonly PageView[] {
    const s = this.k.s;
    const dirty = this.k.dirtyPages;
    let patchable = this.prev !== null;
    for (const id of dirty) {
      const pg = s.pages[id];
      const resident = pg !== undefined && pg.object !== null;
      if (resident) this.cache.set(id, pageView(pg));
      else this.cache.delete(id);
      if (resident !== this.indexOf.has(id)) patchable = false;
    }
    if (patchable && dirty.size === 0) return this.prev!.pages;
    if (patchable) {
      const out = this.prev!.pages.slice();
      for (const id of dirty) {
        const at = this.indexOf.get(id);
        if (at !== undefined) out[at] = this.cache.get(id)!;
      }
      dirty.clear();
      return out;
    }
    dirty.clear();
    const out: PageView[] = [];
    this.indexOf = new Map();
    for (const vp of s.vnodes) {
      for (const off of vp.uvn.offsets) {
        const id = vp.uvn.pageAt[off]!;
        let view = this.cache.get(id);
        if (!view) {
          view = pageView(s.pages[id]!);
          this.cache.set(id, view);
        }
        this.indexOf.set(id, out.length);
        out.push(view);
      }
    }
    return out;
  }

  /** Indices (in spawn order) of the threads not done at the last build: only they can change. */
  private live: number[] = [];

  /**
   * Thread views, reusing the previous list when no live thread changed and
   * patching a copy when some did. A done thread never changes, so thousands
   * of finished threads cost nothing per step.
   */
  private threadViews(lockNames: readonly string[]): readonly ThreadView[] {
    const s = this.k.s;
    const held = new Map<string, string[]>();
    for (const n of lockNames) {
      const owner = s.locks[n]!.owner;
      if (owner !== null) held.set(owner, [...(held.get(owner) ?? []), n]);
    }
    const before = this.prev?.threads ?? [];
    let out: ThreadView[] | null = null;
    const live: number[] = [];
    const visit = (i: number) => {
      const t = s.threads[i]!;
      const old = before[i];
      const view: ThreadView = {
        id: t.id,
        call: t.call,
        args: t.args,
        status: t.status,
        wait: t.wait,
        chan: t.chan,
        ret: t.ret,
        line: t.line,
        callerStmt: t.callerStmt,
        stack: [...t.stack],
        focusPage: t.focusPage,
        locksHeld: held.get(t.id) ?? [],
        unblockers: unblockersOf(this.k, t),
      };
      if (t.status !== 'done') live.push(i);
      if (old && sameThreadView(old, view)) return;
      out ??= before.slice();
      out[i] = view;
    };
    for (const i of this.live) visit(i);
    for (let i = before.length; i < s.threads.length; i++) visit(i);
    this.live = live;
    return out ?? before;
  }

  constructor(private readonly k: Kernel) {}

  build(step: number): ViewSnapshot {
    const k = this.k;
    const s = k.s;
    const pages = this.pageViews();
    const prev = this.prev;
    const activeQueue =
      prev && sameNumbers(prev.activeQueue, s.activeQueue) ? prev.activeQueue : Object.freeze([...s.activeQueue]);
    const inactiveQueue =
      prev && sameNumbers(prev.inactiveQueue, s.inactiveQueue)
        ? prev.inactiveQueue
        : Object.freeze([...s.inactiveQueue]);

    const lockNames = Object.keys(s.locks).sort();
    const snapshot: ViewSnapshot = {
      step,
      panic: s.panic ? { ...s.panic } : null,
      freePages: s.freePages,
      pages,
      activeQueue,
      inactiveQueue,
      threads: this.threadViews(lockNames),
      vnodes: s.vnodes.map((vp) => ({
        name: vp.name,
        type: vp.type,
        mount: vp.mount,
        usecount: vp.usecount,
        vflag: vp.vflag & VTEXT ? ['VTEXT'] : [],
        state: vp.state,
        size: vp.size,
        onWlist: s.wlist.includes(vp.name),
        uvn: {
          flags: vp.uvn.flags,
          flagNames: bitNames(vp.uvn.flags, UVN_FLAG_NAMES),
          refs: vp.uvn.refs,
          size: vp.uvn.size,
          nio: vp.uvn.nio,
          npages: vp.uvn.npages,
        },
      })),
      io: s.io.map((r) => ({
        id: r.id,
        thread: r.thread,
        vnode: r.vnode,
        rw: r.rw,
        offset: r.offset,
        length: r.length,
        pageOffsets: r.pages.map((id) => s.pages[id]?.offset ?? -1),
      })),
      locks: lockNames
        .filter((n) => s.locks[n]!.owner !== null || s.threads.some((t) => t.status === 'lock' && t.wait === n))
        .map((n) => ({
          name: n,
          owner: s.locks[n]!.owner,
          count: s.locks[n]!.count,
          waiters: s.threads.filter((t) => t.status === 'lock' && t.wait === n).map((t) => t.id),
        })),
      wlist: [...s.wlist],
      syncq: [...s.syncq],
    };
    this.prev = snapshot;
    return snapshot;
  }
}

export function diffSnapshots(from: ViewSnapshot | null, to: ViewSnapshot): SnapshotDelta {
  const { pages, activeQueue, inactiveQueue, threads, step, ...rest } = to;
  if (!from) {
    return {
      step,
      fromStep: -1,
      pages,
      order: pages.map((p) => p.id),
      activeQueue,
      inactiveQueue,
      threads,
      threadOrder: threads.map((t) => t.id),
      rest,
    };
  }
  const sameOrder = from.pages.length === pages.length && from.pages.every((p, i) => p.id === pages[i]!.id);
  // Same pages in the same order (most steps): compare in place, no map of 4,096 views.
  const pagesBefore = sameOrder ? null : new Map(from.pages.map((p) => [p.id, p]));
  const changed = sameOrder
    ? pages.filter((p, i) => from.pages[i] !== p)
    : pages.filter((p) => pagesBefore!.get(p.id) !== p);
  const sameThreads =
    threads === from.threads ||
    (from.threads.length === threads.length && from.threads.every((t, i) => t.id === threads[i]!.id));
  const threadsBefore = sameThreads ? null : new Map(from.threads.map((t) => [t.id, t]));
  return {
    step,
    fromStep: from.step,
    pages: changed,
    order: sameOrder
      ? null
      : editOf(
          from.pages.map((p) => p.id),
          pages.map((p) => p.id),
        ),
    activeQueue: activeQueue === from.activeQueue ? null : editOf(from.activeQueue, activeQueue),
    inactiveQueue: inactiveQueue === from.inactiveQueue ? null : editOf(from.inactiveQueue, inactiveQueue),
    threads:
      threads === from.threads
        ? []
        : sameThreads
          ? threads.filter((t, i) => from.threads[i] !== t)
          : threads.filter((t) => threadsBefore!.get(t.id) !== t),
    threadOrder: sameThreads
      ? null
      : editOf(
          from.threads.map((t) => t.id),
          threads.map((t) => t.id),
        ),
    rest,
  };
}

/** Rebuild the snapshot a delta describes; null when the delta does not start from `from`. */
/**
 * Replace changed items in place of their old versions when the order did not
 * change (the common step: a few pages among thousands), else rebuild by id.
 */
function patchList<T, K>(
  old: readonly T[],
  changed: readonly T[],
  edit: ListEdit<K> | null,
  keyOf: (item: T) => K,
): readonly T[] {
  if (edit === null) {
    if (changed.length === 0) return old;
    const index = new Map<K, number>();
    for (const item of changed) index.set(keyOf(item), -1);
    const out = old.slice();
    for (let i = 0; i < out.length; i++) {
      const key = keyOf(out[i]!);
      if (index.has(key)) index.set(key, i);
    }
    for (const item of changed) {
      const at = index.get(keyOf(item))!;
      if (at >= 0) out[at] = item;
    }
    return out;
  }
  const byKey = new Map<K, T>();
  for (const item of old) byKey.set(keyOf(item), item);
  for (const item of changed) byKey.set(keyOf(item), item);
  const order = applyEdit(old.map(keyOf), edit);
  const out: T[] = [];
  for (const key of order) {
    const item = byKey.get(key);
    if (item !== undefined) out.push(item);
  }
  return out;
}

/** Rebuild the snapshot a delta describes; null when the delta does not start from `from`. */
export function applyDelta(from: ViewSnapshot | null, delta: SnapshotDelta): ViewSnapshot | null {
  if (delta.fromStep === -1) {
    const pageById = new Map(delta.pages.map((p) => [p.id, p]));
    const threadById = new Map(delta.threads.map((t) => [t.id, t]));
    return {
      ...delta.rest,
      step: delta.step,
      pages: (delta.order as readonly number[]).flatMap((id) => pageById.get(id) ?? []),
      threads: (delta.threadOrder as readonly string[]).flatMap((id) => threadById.get(id) ?? []),
      activeQueue: delta.activeQueue as readonly number[],
      inactiveQueue: delta.inactiveQueue as readonly number[],
    };
  }
  if (!from || from.step !== delta.fromStep) return null;
  return {
    ...delta.rest,
    step: delta.step,
    pages: patchList(from.pages, delta.pages, delta.order, (p) => p.id),
    threads: patchList(from.threads, delta.threads, delta.threadOrder, (t) => t.id),
    activeQueue: applyEdit(from.activeQueue, delta.activeQueue),
    inactiveQueue: applyEdit(from.inactiveQueue, delta.inactiveQueue),
  };
}
