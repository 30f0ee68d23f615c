/**
 * Builds view snapshots (src/protocol/snapshot.ts) from a kernel: the
 * kernel-neutral parts here, the pager's parts from its model. Snapshots are
 * immutable and share every page and thread view that did not change, so a
 * history over 4,096 pages stays small and a delta carries only what changed.
 */
import { sameItems } from '../protocol/delta';
import { hex } from '../protocol/format';
import type {
  FrameView,
  LockView,
  PageView,
  ThreadView,
  TrailView,
  ViewSnapshot,
  WaitView,
} from '../protocol/snapshot';
import type { Kernel } from './kernel/kernel';
import { readLocals } from './kernel/sched';
import type { KThread } from './kernel/types';
import type { ModelViews, PagerModel } from './model';

const NONE: readonly never[] = Object.freeze([]);
const NO_TRAIL: TrailView = Object.freeze({ lines: NONE, omitted: 0 });

function frameViews(t: KThread): readonly FrameView[] {
  if (t.stack.length === 0) return NONE;
  const values = readLocals(t);
  return t.stack.map((fn, i) => ({
    fn,
    locals: Object.entries(values[i] ?? {}).map(([name, value]) => ({
      name,
      value: value === null ? 'NULL' : typeof value === 'boolean' ? (value ? 'TRUE' : 'FALSE') : String(value),
    })),
  }));
}

function sameFrames(a: readonly FrameView[], b: readonly FrameView[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x.fn !== y.fn || x.locals.length !== y.locals.length) return false;
    for (let j = 0; j < x.locals.length; j++)
      if (x.locals[j]!.name !== y.locals[j]!.name || x.locals[j]!.value !== y.locals[j]!.value) return false;
  }
  return true;
}

function sameThreadView(a: ThreadView, b: ThreadView): boolean {
  return (
    a.status === b.status &&
    a.wait === b.wait &&
    a.chan === b.chan &&
    a.blockedOn === b.blockedOn &&
    a.ret === b.ret &&
    a.line === b.line &&
    a.callerStmt === b.callerStmt &&
    a.focusPage === b.focusPage &&
    sameItems(a.stack, b.stack) &&
    sameFrames(a.frames, b.frames) &&
    sameItems(a.locksHeld, b.locksHeld) &&
    sameItems(a.unblockers, b.unblockers)
  );
}

/** Plain data (JSON values) equal in every field: lets a snapshot keep the last one's unchanged parts. */
export function sameData(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameData(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  for (const key of ka)
    if (!sameData((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key])) return false;
  return true;
}

/**
 * What the last build changed against the one before: what a history stores
 * per step instead of whole lists (session.ts).
 */
export interface BuildChange {
  /**
   * Edits turning the last page list into this one, applied in order, flat:
   * `at, remove, count, ...count views` (a splice); 'all' when the list was rebuilt.
   */
  readonly pages: readonly (number | PageView)[] | 'all';
  /** Thread views set, flat: `index, view` (an index at the end appends). */
  readonly threads: readonly (number | ThreadView)[];
}

/** Most pages that may enter or leave the resident set in one step before the list is rebuilt whole. */
const MAX_INSERTS = 64;

/** Builds snapshots from a kernel, reusing the views of unchanged pages and threads. */
export class SnapshotBuilder {
  private readonly views: ModelViews<Kernel>;
  /** The view of every page in `prev.pages`, by physical id. */
  private readonly cache = new Map<number, PageView>();
  private prev: ViewSnapshot | null = null;
  /** Indices (in spawn order) of the threads not done at the last build: only they can change. */
  private live: number[] = [];
  /** Where each thread sits in `prev.threads`. */
  private readonly threadAt = new Map<string, number>();
  private pageOps: (number | PageView)[] | 'all' = 'all';
  private threadOps: (number | ThreadView)[] = [];

  constructor(
    private readonly k: Kernel,
    model: PagerModel,
  ) {
    this.views = model.views;
  }

  /** What the last build changed (see BuildChange). */
  get change(): BuildChange {
    return { pages: this.pageOps, threads: this.threadOps };
  }

  /** The view of thread `id` in the last snapshot built, without scanning thousands of threads. */
  threadView(id: string): ThreadView | undefined {
    const at = this.threadAt.get(id);
    return at === undefined ? undefined : this.prev?.threads[at];
  }

  /**
   * Carry on from `snapshot`, which shows the kernel's state now (a history's
   * stored snapshot after a replay to it): the next build patches it.
   */
  resume(snapshot: ViewSnapshot): void {
    this.k.dirtyPages.clear();
    this.prev = snapshot;
    this.cache.clear();
    for (const pg of snapshot.pages) this.cache.set(pg.id, pg);
    this.threadAt.clear();
    this.live = [];
    snapshot.threads.forEach((t, i) => {
      this.threadAt.set(t.id, i);
      if (t.status !== 'done') this.live.push(i);
    });
  }

  /** The whole list from the object trees: at the first build, or when a step moved many pages. */
  private allPages(): readonly PageView[] {
    const { k, views } = this;
    this.pageOps = 'all';
    const out: PageView[] = [];
    const old = this.cache;
    const cache = new Map<number, PageView>();
    for (const id of views.residentPages!(k)) {
      let view = old.get(id);
      if (!view) view = views.page!(k, id);
      cache.set(id, view);
      out.push(view);
    }
    old.clear();
    for (const [id, view] of cache) old.set(id, view);
    return out;
  }

  /**
   * The resident pages in order. Most steps change a few pages without
   * adding or removing any: then the previous list is copied and patched (or
   * reused outright); a page that enters or leaves is spliced in where the
   * model says it sits, instead of the list being rebuilt from every tree.
   */
  private pageViews(): readonly PageView[] {
    const { k, views } = this;
    const dirty = k.dirtyPages;
    if (!views.residentPages || !views.page || !views.isResident) {
      dirty.clear();
      this.pageOps = [];
      return NONE;
    }
    const prev = this.prev;
    if (prev === null) {
      dirty.clear();
      return this.allPages();
    }
    const changed: number[] = [];
    const came: number[] = [];
    const gone: PageView[] = [];
    for (const id of dirty) {
      const resident = views.isResident(k, id);
      const old = this.cache.get(id);
      if (resident && old) changed.push(id);
      else if (resident) came.push(id);
      else if (old) gone.push(old);
    }
    dirty.clear();
    const ops: (number | PageView)[] = [];
    this.pageOps = ops;
    if (changed.length === 0 && came.length === 0 && gone.length === 0) return prev.pages;
    const place = views.residentIndex;
    if ((came.length > 0 && !place) || came.length + gone.length > MAX_INSERTS) return this.allPages();
    const out = prev.pages.slice();
    // In place first, where each stands in the old list.
    for (const id of changed) {
      const old = this.cache.get(id)!;
      const at = place && gone.length === 0 && came.length === 0 ? place(k, id) : out.indexOf(old);
      if (out[at] !== old) return this.allPages();
      const view = views.page(k, id);
      this.cache.set(id, view);
      out[at] = view;
      ops.push(at, 1, 1, view);
    }
    // Then out, last first, and in, first first: each lands where the model says.
    const outAt = gone.map((view) => out.indexOf(view)).sort((a, b) => b - a);
    for (const at of outAt) {
      this.cache.delete(out[at]!.id);
      out.splice(at, 1);
      ops.push(at, 1, 0);
    }
    const inAt = came.map((id) => ({ id, at: place!(k, id) })).sort((a, b) => a.at - b.at);
    for (const { id, at } of inAt) {
      const view = views.page(k, id);
      this.cache.set(id, view);
      out.splice(at, 0, view);
      ops.push(at, 0, 1, view);
    }
    // A page that moved while resident (none does today) would break the order: check, else rebuild.
    if (place && (came.length > 0 || gone.length > 0))
      for (const id of [...changed, ...came]) if (out[place(k, id)]?.id !== id) return this.allPages();
    return out;
  }

  /**
   * Thread views, reusing the previous list when no live thread changed and
   * patching a copy when some did. A done thread never changes, so thousands
   * of finished threads cost nothing per step.
   */
  private threadViews(lockNames: readonly string[]): readonly ThreadView[] {
    const { k, views } = this;
    const s = k.s;
    const held = new Map<string, string[]>();
    const hold = (owner: string, n: string) => held.set(owner, [...(held.get(owner) ?? []), n]);
    for (const n of lockNames) {
      const lock = s.locks[n]!;
      if (lock.owner !== null) hold(lock.owner, n);
      for (const sharer of lock.shared) hold(sharer, `${n} (shared)`);
    }
    const before = this.prev?.threads ?? [];
    let out: ThreadView[] | null = null;
    const ops: (number | ThreadView)[] = [];
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
        blockedOn: t.status === 'sleep' ? (views.blockedOn?.(k, t) ?? null) : null,
        ret: t.ret,
        line: t.line,
        callerStmt: t.callerStmt,
        stack: old && sameItems(old.stack, t.stack) ? old.stack : [...t.stack],
        frames: frameViews(t),
        focusPage: t.focusPage,
        locksHeld: held.get(t.id) ?? NONE,
        unblockers: views.unblockers?.(k, t) ?? NONE,
      };
      if (t.status !== 'done') live.push(i);
      if (old && sameThreadView(old, view)) return;
      out ??= before.slice();
      out[i] = view;
      ops.push(i, view);
      this.threadAt.set(t.id, i);
    };
    for (const i of this.live) visit(i);
    for (let i = before.length; i < s.threads.length; i++) visit(i);
    this.live = live;
    this.threadOps = ops;
    return out ?? before;
  }

  private lockViews(lockNames: readonly string[], live: readonly KThread[]): LockView[] {
    const s = this.k.s;
    const views: LockView[] = [];
    for (const name of lockNames) {
      const lock = s.locks[name]!;
      const waiters = live.filter((t) => t.status === 'lock' && t.wait === name).map((t) => t.id);
      if (lock.owner === null && lock.shared.length === 0 && waiters.length === 0) continue;
      views.push({ name, owner: lock.owner, count: lock.count, shared: [...lock.shared], waiters });
    }
    return views;
  }

  /** The wait-for graph: what each blocked thread waits on and who (or which request) can wake it. */
  private waitViews(live: readonly KThread[]): readonly WaitView[] {
    const { k, views } = this;
    const s = k.s;
    const out: WaitView[] = [];
    for (const t of live) {
      if (t.status === 'ready' || t.status === 'done' || t.wait === null) continue;
      if (t.status === 'lock') {
        const lock = s.locks[t.wait];
        const holders = lock ? [...(lock.owner !== null ? [lock.owner] : []), ...lock.shared] : [];
        out.push({
          thread: t.id,
          kind: 'lock',
          on: `lock:${t.wait}`,
          label: t.wait,
          wakers: holders,
          requests: NONE,
        });
      } else if (t.status === 'io') {
        const id = Number(t.wait.slice(3));
        out.push({
          thread: t.id,
          kind: 'io',
          on: t.wait,
          label: `disk request ${id}`,
          wakers: NONE,
          requests: [id],
        });
      } else if (t.chan?.startsWith('page:')) {
        const id = Number(t.chan.slice(5));
        const pg = views.isResident?.(k, id) && views.page ? views.page(k, id) : null;
        const key = pg
          ? pg.object === pg.vnode
            ? `${pg.vnode} page ${hex(pg.offset)}`
            : `${pg.object}[${pg.offset / 4096}]`
          : `page #${id}`;
        out.push({
          thread: t.id,
          kind: 'page',
          on: t.chan,
          label: key,
          wakers: pg?.owner && pg.owner !== t.id ? [pg.owner] : NONE,
          requests: s.io.filter((r) => r.pages.includes(id)).map((r) => r.id),
        });
      } else {
        const known = views.wakers?.(k, t);
        out.push({
          thread: t.id,
          kind: 'channel',
          on: `channel:${t.chan ?? t.wait}`,
          label: `${t.wait}${t.chan && t.chan !== t.wait ? ` on ${t.chan}` : ''}`,
          wakers: known ? known.threads.filter((id) => id !== t.id) : NONE,
          requests: known?.requests ?? NONE,
        });
      }
    }
    return out;
  }

  /** The snapshot after `step` steps; `trail` is what that step ran (none for the setup). */
  build(step: number, trail: TrailView = NO_TRAIL): ViewSnapshot {
    const { k, views } = this;
    const s = k.s;
    const prev = this.prev;
    /** `next`, or the last snapshot's equal value: unchanged parts stay shared (and cost no memory). */
    const keep = <T>(next: T, old: T | undefined): T => (old !== undefined && sameData(old, next) ? old : next);
    const pages = this.pageViews();
    const liveQueues = views.queues?.(k) ?? NONE;
    const queues = liveQueues.map((q, i) => {
      const old = prev?.queues[i];
      return old && sameItems(old, q) ? old : Object.freeze([...q]);
    });
    const lockNames = Object.keys(s.locks).sort();
    // The threads not done, in spawn order: a wait or a lock's waiter is one of them.
    const live = k.liveThreads();
    const snapshot: ViewSnapshot = {
      step,
      panic: keep(s.panic ? { ...s.panic } : null, prev?.panic),
      freePages: s.freePages,
      pages,
      queues: prev && sameItems(prev.queues, queues) ? prev.queues : queues,
      threads: this.threadViews(lockNames),
      vnodes: keep(
        s.vnodes.map((vp) => ({
          name: vp.name,
          mount: vp.mount,
          state: vp.state,
          usecount: vp.usecount,
          size: vp.size,
        })),
        prev?.vnodes,
      ),
      objects: keep(views.objects?.(k) ?? NONE, prev?.objects),
      io: keep(
        s.io.map((r) => ({
          id: r.id,
          thread: r.thread,
          vnode: r.vnode,
          rw: r.rw,
          offset: r.offset,
          length: r.length,
          pageOffsets: r.pages.map((id) => views.pageOffset?.(k, id) ?? -1),
          fields: { ...r.fields },
        })),
        prev?.io,
      ),
      locks: keep(this.lockViews(lockNames, live), prev?.locks),
      counters: keep(views.counters?.(k) ?? NONE, prev?.counters),
      hung:
        s.panic === null &&
        s.io.length === 0 &&
        live.some((t) => t.status !== 'done') &&
        !live.some((t) => t.status === 'ready'),
      waits: keep(this.waitViews(live), prev?.waits),
      trail,
    };
    this.prev = snapshot;
    return snapshot;
  }
}
