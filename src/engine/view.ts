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

/** Builds snapshots from a kernel, reusing the views of unchanged pages and threads. */
export class SnapshotBuilder {
  private readonly views: ModelViews<Kernel>;
  private readonly cache = new Map<number, PageView>();
  private prev: ViewSnapshot | null = null;
  /** Where each page of `prev.pages` sits, to patch the list in place. */
  private indexOf = new Map<number, number>();
  /** Indices (in spawn order) of the threads not done at the last build: only they can change. */
  private live: number[] = [];

  constructor(
    private readonly k: Kernel,
    model: PagerModel,
  ) {
    this.views = model.views;
  }

  /**
   * The resident pages in order. Most steps change a few pages without
   * adding or removing any: then the previous list is copied and patched
   * (or reused outright), instead of rebuilt from every object's tree.
   */
  private pageViews(): readonly PageView[] {
    const { k, views } = this;
    const dirty = k.dirtyPages;
    if (!views.residentPages || !views.page || !views.isResident) {
      dirty.clear();
      return NONE;
    }
    let patchable = this.prev !== null;
    for (const id of dirty) {
      const resident = views.isResident(k, id);
      if (resident) this.cache.set(id, views.page(k, id));
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
    for (const id of views.residentPages(k)) {
      let view = this.cache.get(id);
      if (!view) {
        view = views.page(k, id);
        this.cache.set(id, view);
      }
      this.indexOf.set(id, out.length);
      out.push(view);
    }
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
        stack: [...t.stack],
        frames: frameViews(t),
        focusPage: t.focusPage,
        locksHeld: held.get(t.id) ?? NONE,
        unblockers: views.unblockers?.(k, t) ?? NONE,
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

  private lockViews(lockNames: readonly string[]): LockView[] {
    const s = this.k.s;
    const views: LockView[] = [];
    for (const name of lockNames) {
      const lock = s.locks[name]!;
      const waiters = s.threads.filter((t) => t.status === 'lock' && t.wait === name).map((t) => t.id);
      if (lock.owner === null && lock.shared.length === 0 && waiters.length === 0) continue;
      views.push({ name, owner: lock.owner, count: lock.count, shared: [...lock.shared], waiters });
    }
    return views;
  }

  /** The wait-for graph: what each blocked thread waits on and who (or which request) can wake it. */
  private waitViews(): readonly WaitView[] {
    const { k, views } = this;
    const s = k.s;
    const out: WaitView[] = [];
    for (const t of s.threads) {
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
    const pages = this.pageViews();
    const live = views.queues?.(k) ?? NONE;
    const queues = live.map((q, i) => {
      const old = this.prev?.queues[i];
      return old && sameItems(old, q) ? old : Object.freeze([...q]);
    });
    const lockNames = Object.keys(s.locks).sort();
    const snapshot: ViewSnapshot = {
      step,
      panic: s.panic ? { ...s.panic } : null,
      freePages: s.freePages,
      pages,
      queues,
      threads: this.threadViews(lockNames),
      vnodes: s.vnodes.map((vp) => ({
        name: vp.name,
        mount: vp.mount,
        state: vp.state,
        usecount: vp.usecount,
        size: vp.size,
      })),
      objects: views.objects?.(k) ?? NONE,
      io: s.io.map((r) => ({
        id: r.id,
        thread: r.thread,
        vnode: r.vnode,
        rw: r.rw,
        offset: r.offset,
        length: r.length,
        pageOffsets: r.pages.map((id) => views.pageOffset?.(k, id) ?? -1),
        fields: { ...r.fields },
      })),
      locks: this.lockViews(lockNames),
      counters: views.counters?.(k) ?? NONE,
      hung:
        s.panic === null &&
        s.io.length === 0 &&
        s.threads.some((t) => t.status !== 'done') &&
        !s.threads.some((t) => t.status === 'ready'),
      waits: this.waitViews(),
      trail,
    };
    this.prev = snapshot;
    return snapshot;
  }
}
