/**
 * A branch's snapshots as history keeps them: a keyframe (the whole snapshot,
 * its long lists cut into chunks shared with the keyframe before) every KEY
 * steps, and between them, per step, only what that step changed (the page
 * and thread views it replaced, its queue edits, the other parts that are new).
 * A step's snapshot is its keyframe with at most KEY - 1 records applied: a few
 * hundred microseconds at 4,096 pages, and a 100,000-step session holds a few
 * hundred bytes a step instead of a page list and a thread list each.
 *
 * Trails (the seed lines each step ran) are packed into one Int32Array.
 */
import { applyEdit, editOf, sameItems } from '../protocol/delta';
import type { ListEdit, PageView, ThreadView, TrailView, ViewSnapshot } from '../protocol/snapshot';
import { snapshotOf, type BuildChange, type SnapshotBuilder, type SnapshotRest } from './view';

/** Steps between keyframes: a jump applies at most KEY - 1 records. */
export const KEY = 64;

type Rest = SnapshotRest;
type Chunks<T> = readonly (readonly T[])[];

/** A keyframe: the lists in chunks, each shared with the keyframe before when none of its items changed. */
interface Keyframe {
  readonly rest: Rest;
  readonly queues: ViewSnapshot['queues'];
  readonly pages: Chunks<PageView>;
  readonly threads: Chunks<ThreadView>;
}

/** What one step changed against the step before; null fields changed nothing. */
interface StepRecord {
  /** The parts (other than the lists) that are not the step before's. */
  readonly rest: Partial<Rest> | null;
  /** Splices of the page list, flat (`at, remove, count, ...views`), or the whole new list. */
  readonly pages: readonly (number | PageView)[] | { readonly all: readonly PageView[] } | null;
  /** Each queue's edit. */
  readonly queues: readonly (ListEdit<number> | null)[] | null;
  /** Thread views set, flat: `index, view`. */
  readonly threads: readonly (number | ThreadView)[] | null;
}

const CHUNK = 64;

/** Cut `items` into chunks, reusing each of `prev`'s chunks whose items are all the same objects. */
function chunk<T>(items: readonly T[], prev: Chunks<T> | undefined): Chunks<T> {
  const chunks: (readonly T[])[] = [];
  for (let at = 0, i = 0; at < items.length; at += CHUNK, i++) {
    const old = prev?.[i];
    const end = Math.min(at + CHUNK, items.length);
    let same = old !== undefined && old.length === end - at;
    for (let j = at; same && j < end; j++) same = old![j - at] === items[j];
    chunks.push(same ? old! : items.slice(at, end));
  }
  return chunks;
}

const REST_KEYS = [
  'panic',
  'freePages',
  'vnodes',
  'objects',
  'io',
  'locks',
  'counters',
  'hung',
  'waits',
] as const satisfies readonly (keyof Rest)[];

function restOf(s: ViewSnapshot): Rest {
  const { pages: _p, threads: _t, queues: _q, step: _s, trail: _r, ...rest } = s;
  return rest;
}

/** What `after` changed against `before`, found by comparing the two (views by identity). */
function recordOf(before: ViewSnapshot, after: ViewSnapshot): StepRecord {
  let pages: StepRecord['pages'] = null;
  if (before.pages !== after.pages) {
    if (before.pages.length === after.pages.length && before.pages.every((p, i) => p.id === after.pages[i]!.id)) {
      const ops: (number | PageView)[] = [];
      for (let i = 0; i < after.pages.length; i++)
        if (before.pages[i] !== after.pages[i]) ops.push(i, 1, 1, after.pages[i]!);
      pages = ops;
    } else pages = { all: after.pages };
  }
  const threads: (number | ThreadView)[] = [];
  for (let i = 0; i < after.threads.length; i++)
    if (before.threads[i] !== after.threads[i]) threads.push(i, after.threads[i]!);
  const queues = sameItems(before.queues, after.queues)
    ? null
    : after.queues.map((q, i) => editOf(before.queues[i] ?? [], q));
  return { rest: restChanges(restOf(before), restOf(after)), pages, queues, threads: threads.length ? threads : null };
}

/** The parts of `after` that are not `before`'s (by identity), or null. */
function restChanges(before: Rest, after: Rest): Partial<Rest> | null {
  let rest: Record<string, unknown> | null = null;
  for (const key of REST_KEYS) if (before[key] !== after[key]) (rest ??= {})[key] = after[key];
  return rest as Partial<Rest> | null;
}

/** The seed lines of every step, packed: step `i`'s trail is data[ends[i - 1] .. ends[i]]. */
class Trails {
  private data = new Int32Array(4096);
  /** ends[i]: where step i's trail ends (the setup, step 0, has none). */
  private readonly ends: number[] = [0];
  private readonly omitted = new Map<number, number>();

  get length(): number {
    return this.ends.length;
  }

  push(trail: TrailView): void {
    const start = this.ends.at(-1)!;
    const end = start + trail.lines.length;
    if (end > this.data.length) {
      const grown = new Int32Array(Math.max(end, this.data.length * 2));
      grown.set(this.data.subarray(0, start));
      this.data = grown;
    }
    this.data.set(trail.lines, start);
    if (trail.omitted > 0) this.omitted.set(this.ends.length, trail.omitted);
    this.ends.push(end);
  }

  at(i: number): TrailView {
    const lines = Array.from(this.data.subarray(i > 0 ? this.ends[i - 1]! : 0, this.ends[i]!));
    return Object.freeze({ lines: Object.freeze(lines), omitted: this.omitted.get(i) ?? 0 });
  }

  /** Keep steps 0..n - 1. */
  truncate(n: number): void {
    this.ends.length = n;
    for (const i of this.omitted.keys()) if (i >= n) this.omitted.delete(i);
  }

  /** A copy of steps 0..n - 1. */
  copy(n: number): Trails {
    const t = new Trails();
    const end = this.ends[n - 1]!;
    t.data = this.data.slice(0, Math.max(end, 16));
    t.ends.length = 0;
    for (let i = 0; i < n; i++) t.ends.push(this.ends[i]!);
    for (const [i, o] of this.omitted) if (i < n) t.omitted.set(i, o);
    return t;
  }
}

/** The snapshots of one branch, step 0 (the setup) first. */
export class SnapshotHistory {
  private readonly keys: Keyframe[] = [];
  /** records[i]: what step i + 1 changed. */
  private readonly records: StepRecord[] = [];
  private trails = new Trails();
  /** The rest of the last snapshot pushed, which the next record is taken against (null: not at hand). */
  private lastRest: Rest | null = null;

  /** Snapshots held (steps + 1). */
  get length(): number {
    return this.records.length + 1;
  }

  /** Add the snapshot after the next step (the first: the setup's), found by comparing it with the last. */
  push(snapshot: ViewSnapshot): void {
    const at = this.keys.length === 0 ? 0 : this.records.length + 1;
    if (at > 0) {
      this.records.push(recordOf(this.at(at - 1), snapshot));
      this.trails.push(snapshot.trail);
    }
    this.keyframe(at, snapshot.pages, snapshot.threads, snapshot.queues, restOf(snapshot));
  }

  /** Add the state `builder` has just advanced to, from its account of what the step changed. */
  pushChange(change: BuildChange, trail: TrailView, builder: SnapshotBuilder): void {
    const at = this.records.length + 1;
    const lastRest = this.lastRest ?? restOf(this.at(at - 1));
    const lists = builder.lists;
    this.records.push({
      rest: restChanges(lastRest, change.rest),
      pages: change.pages === 'all' ? { all: lists.pages.slice() } : change.pages.length > 0 ? change.pages : null,
      queues: change.queues,
      threads: change.threads.length > 0 ? change.threads : null,
    });
    this.trails.push(trail);
    this.keyframe(at, lists.pages, lists.threads, lists.queues, change.rest);
  }

  private keyframe(
    at: number,
    pages: readonly PageView[],
    threads: readonly ThreadView[],
    queues: ViewSnapshot['queues'],
    rest: Rest,
  ): void {
    this.lastRest = rest;
    if (at % KEY !== 0) return;
    const prev = this.keys.at(-1);
    this.keys.push({ rest, queues, pages: chunk(pages, prev?.pages), threads: chunk(threads, prev?.threads) });
  }

  /** The seed lines step `at` ran. */
  trailAt(at: number): TrailView {
    return this.trails.at(at);
  }

  /** The snapshot after `at` steps: its keyframe with the records since applied. */
  at(at: number): ViewSnapshot {
    if (at < 0 || at >= this.length) throw new Error(`no snapshot ${at} (history of ${this.length})`);
    const k = Math.floor(at / KEY);
    const key = this.keys[k]!;
    const pages = key.pages.flat();
    const threads = key.threads.flat();
    let queues = key.queues;
    const rest: Record<string, unknown> = { ...key.rest };
    for (let i = k * KEY; i < at; i++) {
      const r = this.records[i]!;
      if (r.rest) Object.assign(rest, r.rest);
      if (r.queues) queues = r.queues.map((edit, q) => applyEdit(queues[q] ?? [], edit));
      if (r.threads)
        for (let j = 0; j < r.threads.length; j += 2) threads[r.threads[j] as number] = r.threads[j + 1] as ThreadView;
      const p = r.pages;
      if (p === null) continue;
      if ('all' in p) {
        pages.length = p.all.length;
        for (let j = 0; j < p.all.length; j++) pages[j] = p.all[j]!;
        continue;
      }
      for (let j = 0; j < p.length;) {
        const at = p[j] as number;
        const remove = p[j + 1] as number;
        const count = p[j + 2] as number;
        pages.splice(at, remove, ...(p.slice(j + 3, j + 3 + count) as PageView[]));
        j += 3 + count;
      }
    }
    return snapshotOf(rest as Rest, at, pages, queues, threads, this.trailAt(at));
  }

  /** Keep the snapshots 0..n - 1 (n >= 1). */
  truncate(n: number): void {
    this.records.length = n - 1;
    this.keys.length = Math.floor((n - 1) / KEY) + 1;
    this.trails.truncate(n);
    this.lastRest = null;
  }

  /** A history holding a copy of snapshots 0..n - 1 (sharing every view: they are immutable). */
  copy(n: number): SnapshotHistory {
    const h = new SnapshotHistory();
    h.keys.push(...this.keys.slice(0, Math.floor((n - 1) / KEY) + 1));
    for (let i = 0; i < n - 1; i++) h.records.push(this.records[i]!);
    h.trails = this.trails.copy(n);
    return h;
  }
}
