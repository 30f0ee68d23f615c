/**
 * A branch's snapshots as history keeps them: a keyframe (the builder's lists
 * cut into chunks shared with the keyframe before, and its other parts) every
 * KEY steps, and between them, per step, only the fields that step changed
 * inside each view: a thread whose line and one local moved costs two
 * (path, value) pairs of integers, not a new thread view with all its frames.
 * A step's snapshot is its keyframe with at most KEY - 1 steps of changes
 * applied, each view on a changed path copied once and the rest shared.
 *
 * A branch keeps no object per step: its changes are integers in Int32Arrays
 * (history-ops.ts; strings and other values named by their index in the
 * session's dictionary), its trails (the seed lines each step ran) bytes. A
 * branch made by acting on a past step shares its parent's records up to the
 * fork instead of copying them.
 */
import { applyEdit, editOf } from '../protocol/delta';
import {
  ALL,
  applyGroup,
  ByteLog,
  ChangeLog,
  Dict,
  PAGE,
  pushEdit,
  QUEUE,
  readEdit,
  Recorder,
  REST,
  SPLICE,
  THREAD,
} from './history-ops';
import type { PageView, ThreadView, TrailView, ViewSnapshot } from '../protocol/snapshot';
import { snapshotOf, type BuildChange, type SnapshotRest } from './build-change';
import type { SnapshotBuilder } from './view';

/** Steps between keyframes: a jump applies at most KEY - 1 steps of changes. */
export const KEY = 256;

type Rest = SnapshotRest;
type Chunks<T> = readonly (readonly T[])[];
type Queues = ViewSnapshot['queues'];

/** A keyframe: the lists in chunks, each shared with the keyframe before when none of its items changed. */
interface Keyframe {
  readonly rest: Rest;
  readonly queues: Queues;
  readonly pages: Chunks<PageView>;
  readonly threads: Chunks<ThreadView>;
}

/** The state after the last step pushed, as the builder's own objects: what the next step is compared with. */
interface Mirror {
  rest: Rest;
  /**
   * null: changed since the last keyframe and not copied out (a queue of 4,096 ids copied at every step
   * that moved a page was a fifth of what a 16,387-step link open allocated); `push` takes it from `at`.
   */
  queues: Queues | null;
  pages: PageView[];
  threads: ThreadView[];
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
  'leaks',
] as const satisfies readonly (keyof Rest)[];

function restOf(s: ViewSnapshot): Rest {
  const { pages: _p, threads: _t, queues: _q, step: _s, trail: _r, ...rest } = s;
  return rest;
}

/** The snapshots of one branch, step 0 (the setup) first. */
export class SnapshotHistory {
  /** The history this one continues, and how many of its snapshots it shares (0: none). */
  private readonly base: SnapshotHistory | null;
  private readonly shared: number;
  private readonly dict: Dict;
  /** Keyframes of steps >= `shared` (the base holds those of steps < `shared`). */
  private readonly keys: Keyframe[] = [];
  /** What steps `shared`, `shared + 1`, ... changed (step i is the log's step i - shared). */
  private readonly log = new ChangeLog();
  /** The trails of the same steps (each line as the difference from the one before, zigzag, 7 bits a byte). */
  private readonly trails = new ByteLog();
  private readonly omitted = new Map<number, number>();
  /** The last state pushed, by the builder's own objects (null: take it from `at`). */
  private cur: Mirror | null = null;
  /** Snapshots a branch made from this one shares: truncating below them would change that branch. */
  private pinned = 0;
  /** The last snapshot materialised (a seek asks for the same one again at once). */
  private last: ViewSnapshot | null = null;
  private flatKey: { key: Keyframe; pages: PageView[]; threads: ThreadView[] } | null = null;

  constructor(base: SnapshotHistory | null = null, shared = 0) {
    this.base = base;
    this.shared = shared;
    this.dict = base?.dict ?? new Dict();
  }

  /** Snapshots held (steps + 1). */
  get length(): number {
    return this.shared + this.log.steps;
  }

  /** Add the snapshot after the next step (the first: the setup's), found by comparing it with the last. */
  push(snapshot: ViewSnapshot): void {
    const at = this.length;
    if (at === 0) {
      this.cur = mirrorOf(snapshot);
      this.end(0, snapshot.trail);
      return;
    }
    const cur = this.mirror();
    const queues = (cur.queues ??= this.at(at - 1).queues);
    const r = new Recorder(this.log.out, this.dict);
    // Pages: in place when the same ids stand in the same order, else the whole list.
    const pages = snapshot.pages;
    if (cur.pages.length === pages.length && cur.pages.every((p, i) => p.id === pages[i]!.id)) {
      pages.forEach((p, i) => cur.pages[i] !== p && r.view(i * 8 + PAGE, cur.pages[i], p));
    } else {
      r.out.push(ALL);
      r.out.push(this.dict.id(pages.slice()));
    }
    snapshot.threads.forEach((t, i) => this.thread(r, i, t));
    snapshot.queues.forEach((q, i) => {
      const edit = editOf(queues[i] ?? [], q);
      if (edit !== null) pushEdit(r.out, i, edit);
    });
    this.restChanges(r, restOf(snapshot));
    this.cur = mirrorOf(snapshot);
    this.end(at, snapshot.trail);
  }

  /** Add the state `builder` has just advanced to, from its account of what the step changed. */
  pushChange(change: BuildChange, trail: TrailView, builder: SnapshotBuilder): void {
    const at = this.length;
    const cur = this.mirror();
    const r = new Recorder(this.log.out, this.dict);
    // The builder's lists (its queues copied out) only for a keyframe or a whole new page list.
    const keyframe = at % KEY === 0;
    const lists = keyframe || change.pages === 'all' ? builder.lists : null;
    if (change.pages === 'all') {
      cur.pages = lists!.pages.slice();
      r.out.push(ALL);
      r.out.push(this.dict.id(cur.pages.slice()));
    } else {
      const p = change.pages;
      for (let j = 0; j < p.length;) {
        const where = p[j] as number;
        const remove = p[j + 1] as number;
        const count = p[j + 2] as number;
        const views = p.slice(j + 3, j + 3 + count) as PageView[];
        const old = cur.pages[where];
        if (remove === 1 && count === 1 && old !== undefined && old.id === views[0]!.id) {
          r.view(where * 8 + PAGE, old, views[0]);
          cur.pages[where] = views[0]!;
        } else {
          // A page brought in: a copy of the first page ever shown, then where it differs.
          const like = views.map((v) => this.dict.templateFor(-1, v));
          r.out.push(where * 8 + SPLICE);
          r.out.push(remove);
          r.out.push(count);
          for (const t of like) r.out.push(this.dict.id(t));
          views.forEach((v, k) => r.view((where + k) * 8 + PAGE, like[k], v));
          cur.pages.splice(where, remove, ...views);
        }
        j += 3 + count;
      }
    }
    const t = change.threads;
    for (let j = 0; j < t.length; j += 2) this.thread(r, t[j] as number, t[j + 1] as ThreadView);
    if (change.queues) {
      change.queues.forEach((edit, q) => edit !== null && pushEdit(r.out, q, edit));
      cur.queues = null;
    }
    if (keyframe) cur.queues = lists!.queues;
    this.restChanges(r, change.rest);
    cur.rest = change.rest;
    this.end(at, trail);
  }

  /** Record thread `i`'s new view (a new thread: a template and its differences). */
  private thread(r: Recorder, i: number, view: ThreadView): void {
    const threads = this.cur!.threads;
    const old = threads[i];
    if (old === view) return;
    r.view(i * 8 + THREAD, old, view);
    threads[i] = view;
  }

  private restChanges(r: Recorder, rest: Rest): void {
    const was = this.cur!.rest;
    r.open(REST);
    for (const key of REST_KEYS) if (was[key] !== rest[key]) r.diff([key], was[key], rest[key]);
    r.close();
  }

  /** Close step `at`: its end in the change log, its trail, a keyframe if it falls on one. */
  private end(at: number, trail: TrailView): void {
    this.log.endStep();
    const { bytes, at: start } = this.trails.reserve(trail.lines.length * 5);
    let end = start;
    let prev = 0;
    for (const line of trail.lines) {
      const d = line - prev;
      prev = line;
      for (let z = d >= 0 ? d * 2 : -d * 2 - 1; ; z = Math.floor(z / 128)) {
        if (z < 128) {
          bytes[end++] = z;
          break;
        }
        bytes[end++] = (z % 128) | 128;
      }
    }
    this.trails.commit(end);
    if (trail.omitted > 0) this.omitted.set(at, trail.omitted);
    this.last = null;
    if (at % KEY === 0) this.keyframe(at);
  }

  private keyframe(at: number): void {
    const cur = this.cur!;
    const prev = at > 0 ? this.key(at / KEY - 1) : undefined;
    this.keys.push({
      rest: cur.rest,
      queues: cur.queues!,
      pages: chunk(cur.pages, prev?.pages),
      threads: chunk(cur.threads, prev?.threads),
    });
  }

  /** The last state pushed: kept, or (after a truncate or a fork) materialised. */
  private mirror(): Mirror {
    return (this.cur ??= mirrorOf(this.at(this.length - 1)));
  }

  /** Keyframe `k` (of step k * KEY). */
  private key(k: number): Keyframe {
    if (k * KEY < this.shared) return this.base!.key(k);
    return this.keys[k - Math.ceil(this.shared / KEY)]!;
  }

  /** Where step `i`'s changes are. */
  private range(i: number): { ops: Int32Array; from: number; to: number } {
    if (i < this.shared) return this.base!.range(i);
    return this.log.range(i - this.shared);
  }

  /** The seed lines step `at` ran. */
  trailAt(at: number): TrailView {
    if (at < this.shared) return this.base!.trailAt(at);
    const bytes = this.trails.read(at - this.shared);
    const lines: number[] = [];
    let line = 0;
    for (let b = 0; b < bytes.length;) {
      let z = 0;
      for (let scale = 1; ; scale *= 128) {
        const byte = bytes[b++]!;
        z += (byte & 127) * scale;
        if (byte < 128) break;
      }
      line += z % 2 === 0 ? z / 2 : -(z + 1) / 2;
      lines.push(line);
    }
    return Object.freeze({ lines: Object.freeze(lines), omitted: this.omitted.get(at) ?? 0 });
  }

  /** The snapshot after `at` steps: its keyframe with the changes since applied. */
  at(at: number): ViewSnapshot {
    if (at < 0 || at >= this.length) throw new Error(`no snapshot ${at} (history of ${this.length})`);
    if (this.last?.step === at) return this.last;
    const k = Math.floor(at / KEY);
    const key = this.key(k);
    // The keyframe's lists as one array each, kept for the next seek near here: a copy of a flat list is a
    // block copy, gathering 500 chunks is not.
    if (this.flatKey?.key !== key) this.flatKey = { key, pages: flat(key.pages), threads: flat(key.threads) };
    const pages = this.flatKey.pages.slice();
    const threads = this.flatKey.threads.slice();
    let queues = key.queues;
    const values = this.dict.values;
    const fresh = new Set<object>();
    let rest: unknown = key.rest;
    for (let i = k * KEY + 1; i <= at; i++) {
      const { ops, from, to } = this.range(i);
      for (let j = from; j < to;) {
        const tag = ops[j]!;
        const index = Math.floor(tag / 8);
        switch (tag % 8) {
          case THREAD: {
            const g = applyGroup(ops, j + 1, threads[index], values, fresh);
            threads[index] = g.root as ThreadView;
            j = g.end;
            break;
          }
          case PAGE: {
            const g = applyGroup(ops, j + 1, pages[index], values, fresh);
            pages[index] = g.root as PageView;
            j = g.end;
            break;
          }
          case REST: {
            const g = applyGroup(ops, j + 1, rest, values, fresh);
            rest = g.root;
            j = g.end;
            break;
          }
          case SPLICE: {
            const count = ops[j + 2]!;
            const like = Array.from(ops.subarray(j + 3, j + 3 + count), (id) => values[id] as PageView);
            pages.splice(index, ops[j + 1]!, ...like);
            j += 3 + count;
            break;
          }
          case QUEUE: {
            const { edit, end } = readEdit(ops, j + 1);
            const next = queues.slice();
            next[index] = applyEdit(queues[index] ?? [], edit);
            queues = next;
            j = end;
            break;
          }
          default: {
            const all = values[ops[j + 1]!] as readonly PageView[];
            pages.length = all.length;
            for (let p = 0; p < all.length; p++) pages[p] = all[p]!;
            j += 2;
          }
        }
      }
    }
    return (this.last = snapshotOf(rest as Rest, at, pages, queues, threads, this.trailAt(at)));
  }

  /** Keep the snapshots 0..n - 1 (n >= 1). */
  truncate(n: number): void {
    if (n < this.pinned) throw new Error(`history: a branch shares ${this.pinned} snapshots; cannot keep only ${n}`);
    if (n < this.shared) throw new Error(`history: the first ${this.shared} snapshots belong to the branch before`);
    this.log.truncate(n - this.shared);
    this.trails.truncate(n - this.shared);
    for (const i of this.omitted.keys()) if (i >= n) this.omitted.delete(i);
    this.keys.length = Math.max(0, Math.floor((n - 1) / KEY) + 1 - Math.ceil(this.shared / KEY));
    this.cur = null;
    this.last = null;
  }

  /** A history of snapshots 0..n - 1 of this one, sharing them (records are never changed, only added). */
  copy(n: number): SnapshotHistory {
    if (n < 1 || n > this.length) throw new Error(`history: cannot share ${n} of ${this.length} snapshots`);
    this.pinned = Math.max(this.pinned, n);
    const h = new SnapshotHistory(this, n);
    // The fork's first step is recorded against its last shared snapshot, which a replay just materialised.
    if (this.last?.step === n - 1) h.last = this.last;
    return h;
  }
}

/** The chunks' items in one list (Array.prototype.flat is ~100 times slower on 500 chunks). */
function flat<T>(chunks: Chunks<T>): T[] {
  let n = 0;
  for (const c of chunks) n += c.length;
  // Sized at once: a list of 31,000 grown by push is copied into a new large block at each growth.
  const out = new Array<T>(n);
  let at = 0;
  for (const c of chunks) for (let i = 0; i < c.length; i++) out[at++] = c[i]!;
  return out;
}

function mirrorOf(s: ViewSnapshot): Mirror {
  return { rest: restOf(s), queues: s.queues, pages: s.pages.slice(), threads: s.threads.slice() };
}
