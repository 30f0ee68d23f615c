/**
 * Builds view snapshots (src/protocol/snapshot.ts) from a kernel: the
 * kernel-neutral parts here and in view-parts.ts, the pager's parts from its
 * model. The builder keeps the last state's lists as working arrays it patches
 * step by step (the pages and threads a step changed, a page that enters or
 * leaves spliced in), says what each step changed (`advance`: what a history
 * stores), and copies the lists out only when a snapshot is asked for: a load
 * that replays 16,000 steps over 4,096 pages never copies a list of 4,096.
 * Snapshots are immutable and share every view that did not change. What a
 * step's parts are is build-change.ts's; the list hints each snapshot copied
 * out carries are list-hints.ts's.
 */
import { editOf, sameItems } from '../protocol/delta';
import type { ListEdit, PageView, ThreadView, TrailView, ViewSnapshot } from '../protocol/snapshot';
import { snapshotOf, type BuildChange, type SnapshotRest } from './build-change';
import type { Kernel } from './kernel/kernel';
import { allDone, leaksOf } from './leaks';
import { ListHintTracker } from './list-hints';
import type { ModelViews, PagerModel } from './model';
import { frameViews, lockViews, NONE, sameData, sameThreadView, waitViews } from './view-parts';

export { sameData } from './view-parts';

const NO_TRAIL: TrailView = Object.freeze({ lines: NONE, omitted: 0 });

/** Most pages that may enter or leave the resident set in one step before the list is rebuilt whole. */
const MAX_INSERTS = 64;

/** Builds snapshots from a kernel, reusing the views of unchanged pages and threads. */
export class SnapshotBuilder {
  private readonly views: ModelViews<Kernel>;
  /** The view of every page in `pages`, by physical id. */
  private readonly cache = new Map<number, PageView>();
  /** The working lists: the state at the last `advance`. */
  private pages: PageView[] = [];
  private threads: ThreadView[] = [];
  private queues: number[][] = [];
  /** Frozen copies of the working queues, made when a snapshot asks (null: changed since). */
  private outQueue: (readonly number[] | null)[] = [];
  private rest: SnapshotRest | null = null;
  private step = 0;
  private trail: TrailView = NO_TRAIL;
  /** Indices (in spawn order) of the threads not done at the last build: only they can change. */
  private live: number[] = [];
  /** Where each thread sits in `threads`. */
  private readonly threadAt = new Map<string, number>();
  /** The snapshot of the working state, once asked for (dropped at the next `advance`). */
  private out: ViewSnapshot | null = null;
  private outPages: readonly PageView[] | null = null;
  private outThreads: readonly ThreadView[] | null = null;
  private outQueues: ViewSnapshot['queues'] | null = null;
  /** What the next snapshot copied out says of where its lists differ from the last one's. */
  private readonly hints = new ListHintTracker();

  constructor(
    private readonly k: Kernel,
    private readonly model: PagerModel,
  ) {
    this.views = model.views;
  }

  /**
   * The view of thread `id` now, without scanning thousands of threads: after a `resume` only threads not done
   * are indexed, so a finished one (which nothing can run) is found by a scan.
   */
  threadView(id: string): ThreadView | undefined {
    const at = this.threadAt.get(id);
    return at === undefined ? this.threads.find((t) => t.id === id) : this.threads[at];
  }

  /** The snapshot's parts other than the lists, as of the last `advance` (null before the first). */
  get current(): SnapshotRest | null {
    return this.rest;
  }

  /** The lists now, for a keyframe: read them, never keep them (they change at the next `advance`). */
  get lists(): { pages: readonly PageView[]; threads: readonly ThreadView[]; queues: ViewSnapshot['queues'] } {
    return { pages: this.pages, threads: this.threads, queues: this.snapshotQueues() };
  }

  /**
   * Carry on from `snapshot`, which shows the kernel's state now (a history's
   * stored snapshot after a replay to it): the next step patches it.
   */
  resume(snapshot: ViewSnapshot): void {
    this.k.dirtyPages.clear();
    const { pages, threads, queues, step, trail, ...rest } = snapshot;
    this.pages = pages.slice();
    this.threads = threads.slice();
    this.queues = queues.map((q) => q.slice());
    this.outQueue = queues.slice();
    this.rest = rest;
    this.step = step;
    this.trail = trail;
    this.cache.clear();
    for (const pg of pages) this.cache.set(pg.id, pg);
    this.threadAt.clear();
    this.live = [];
    threads.forEach((t, i) => {
      // Only a thread not done can be run, and so described (threadView): 31,000 finished ones cost no look-up.
      if (t.status === 'done') return;
      this.threadAt.set(t.id, i);
      this.live.push(i);
    });
    this.out = snapshot;
    this.outPages = pages;
    this.outThreads = threads;
    this.outQueues = queues;
    this.hints.from(snapshot);
  }

  /** The whole page list from the object trees: at the first build, or when a step moved many pages. */
  private allPages(): 'all' {
    const { k, views } = this;
    const out: PageView[] = [];
    const old = new Map(this.cache);
    this.cache.clear();
    for (const id of views.residentPages!(k)) {
      const view = old.get(id) ?? views.page!(k, id);
      this.cache.set(id, view);
      out.push(view);
    }
    this.pages = out;
    return 'all';
  }

  /**
   * Patch the page list: most steps change a few pages in place; a page that
   * enters or leaves is spliced in where the model says it sits, instead of
   * the list being rebuilt from every tree.
   */
  private pageViews(first: boolean): BuildChange['pages'] {
    const { k, views } = this;
    const dirty = k.dirtyPages;
    if (!views.residentPages || !views.page || !views.isResident) {
      dirty.clear();
      return NONE;
    }
    if (first) {
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
    if (changed.length === 0 && came.length === 0 && gone.length === 0) return ops;
    const place = views.residentIndex;
    if ((came.length > 0 && !place) || came.length + gone.length > MAX_INSERTS) return this.allPages();
    const out = this.pages;
    const fixed = came.length === 0 && gone.length === 0;
    // In place first, where each stands in the old list.
    for (const id of changed) {
      const old = this.cache.get(id)!;
      const at = place && fixed ? place(k, id) : out.indexOf(old);
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
    if (!fixed) for (const id of [...changed, ...came]) if (out[place!(k, id)]?.id !== id) return this.allPages();
    return ops;
  }

  /**
   * Patch the thread list: only threads not done can change, so thousands of
   * finished threads cost nothing per step.
   */
  private threadViews(lockNames: readonly string[]): (number | ThreadView)[] {
    const { k, views } = this;
    const s = k.s;
    const held = new Map<string, string[]>();
    const hold = (owner: string, n: string) => held.set(owner, [...(held.get(owner) ?? []), n]);
    for (const n of lockNames) {
      const lock = s.locks[n]!;
      if (lock.owner !== null) hold(lock.owner, n);
      for (const sharer of lock.shared) hold(sharer, `${n} (shared)`);
    }
    const list = this.threads;
    const ops: (number | ThreadView)[] = [];
    const live: number[] = [];
    const visit = (i: number) => {
      const t = s.threads[i]!;
      const old = list[i];
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
        frames: frameViews(t, old?.frames),
        focusPage: t.focusPage,
        locksHeld: held.get(t.id) ?? NONE,
        unblockers: views.unblockers?.(k, t) ?? NONE,
      };
      if (t.status !== 'done') live.push(i);
      if (old && sameThreadView(old, view)) return;
      list[i] = view;
      ops.push(i, view);
      this.threadAt.set(t.id, i);
    };
    const known = list.length;
    for (const i of this.live) visit(i);
    for (let i = known; i < s.threads.length; i++) visit(i);
    this.live = live;
    return ops;
  }

  /**
   * Each queue's edit since the last step, the working copies patched to match.
   * A queue changes only where a page is touched (every queue move in the models
   * touches the page it moves), so a step that touched none skips the compare of
   * 4,096 ids.
   */
  private queueViews(first: boolean, touched: boolean): (ListEdit<number> | null)[] | null {
    const live = this.views.queues?.(this.k) ?? NONE;
    if (first) {
      this.queues = live.map((q) => q.slice());
      this.outQueue = this.queues.map(() => null);
      return null;
    }
    if (!touched) return null;
    let edits: (ListEdit<number> | null)[] | null = null;
    live.forEach((q, i) => {
      const work = this.queues[i]!;
      let edit = editOf(work, q);
      if (edit === null) return;
      edits ??= live.map(() => null);
      // An edit may be the whole new list: the model's own array, which changes on.
      if (edit === q) edit = Object.freeze(q.slice());
      edits[i] = edit;
      this.outQueue[i] = null;
      if ('insert' in edit) work.splice(edit.at, edit.remove, ...edit.insert);
      else if ('removed' in edit) {
        for (const id of edit.removed) work.splice(work.indexOf(id), 1);
        work.push(...edit.appended);
      } else this.queues[i] = edit.slice();
    });
    return edits;
  }

  /** Bring the working state to the kernel's after `step` steps; what changed. */
  advance(step: number, trail: TrailView = NO_TRAIL): BuildChange {
    const { k, views } = this;
    const s = k.s;
    const prev = this.rest;
    /** `next`, or the last snapshot's equal value: unchanged parts stay shared (and cost no memory). */
    const keep = <T>(next: T, old: T | undefined): T => (old !== undefined && sameData(old, next) ? old : next);
    const touched = k.dirtyPages.size > 0;
    const pages = this.pageViews(prev === null);
    const queues = this.queueViews(prev === null, touched);
    const lockNames = Object.keys(s.locks).sort();
    // The threads not done, in spawn order: a wait or a lock's waiter is one of them.
    const live = k.liveThreads();
    const threads = this.threadViews(lockNames);
    const rest: SnapshotRest = {
      panic: keep(s.panic ? { ...s.panic } : null, prev?.panic),
      freePages: s.freePages,
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
          ...(r.exactLength === undefined ? {} : { exactLength: r.exactLength.toString() }),
          pageOffsets: r.pages.map((id) => views.pageOffset?.(k, id) ?? -1),
          fields: { ...r.fields },
        })),
        prev?.io,
      ),
      locks: keep(lockViews(k, lockNames, live), prev?.locks),
      counters: keep(views.counters?.(k) ?? NONE, prev?.counters),
      hung:
        s.panic === null &&
        s.io.length === 0 &&
        live.some((t) => t.status !== 'done') &&
        !live.some((t) => t.status === 'ready'),
      waits: keep(waitViews(k, views, live), prev?.waits),
      // Looked for only once every thread is done: a step of a live kernel pays nothing for it.
      leaks: keep(live.length === 0 && allDone(k) ? leaksOf(k, this.model) : NONE, prev?.leaks),
    };
    this.rest = rest;
    this.step = step;
    this.trail = trail;
    this.out = null;
    this.hints.note(pages, threads);
    if (pages === 'all' || pages.length > 0) this.outPages = null;
    if (threads.length > 0) this.outThreads = null;
    if (queues !== null || prev === null) this.outQueues = null;
    return { pages, threads, queues, rest };
  }

  private snapshotQueues(): ViewSnapshot['queues'] {
    return (this.outQueues ??= Object.freeze(
      this.queues.map((q, i) => (this.outQueue[i] ??= Object.freeze(q.slice()))),
    ));
  }

  /** The snapshot of the working state (the lists copied out once, then shared until they change). */
  snapshot(): ViewSnapshot {
    if (this.out) return this.out;
    if (!this.rest) throw new Error('SnapshotBuilder.snapshot before the first build');
    this.outPages ??= Object.freeze(this.pages.slice());
    this.outThreads ??= Object.freeze(this.threads.slice());
    const out = snapshotOf(this.rest, this.step, this.outPages, this.snapshotQueues(), this.outThreads, this.trail);
    this.hints.copiedOut(out);
    return (this.out = out);
  }

  /** The snapshot after `step` steps; `trail` is what that step ran (none for the setup). */
  build(step: number, trail: TrailView = NO_TRAIL): ViewSnapshot {
    this.advance(step, trail);
    return this.snapshot();
  }
}
