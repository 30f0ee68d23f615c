/**
 * The change list a history keeps per step (history.ts): flat entries of
 * primitives and shared objects, no object per step. A view that changed is
 * recorded as the fields that changed inside it (`target, path, value`, the
 * path interned as a small number); a view that appears (a thread spawned, a
 * frame entered, a page brought in) as a copy of an earlier view of the same
 * kind, the template, plus the fields where it differs from it. Applying the
 * entries to a copy of the state before, copying each object on a changed
 * path once and sharing the rest, gives data equal to the state after.
 */
import type { ListEdit } from '../protocol/snapshot';

type Key = string | number;

/**
 * Entry kinds. An entry starts with a tag, `index * 8 + kind`:
 * - THREAD, PAGE (`index` the position in the list), REST: `path, value`;
 * - SPLICE (`index` where): `remove, count, ...count page views`;
 * - QUEUE (`index` which queue): an edit: `0, n, ...ids` (the whole list),
 *   `1, at, remove, n, ...ids` (a splice), `2, n, ...removed ids, m, ...appended ids`;
 * - ALL: the whole page list.
 */
export const THREAD = 0;
export const PAGE = 1;
export const REST = 2;
export const SPLICE = 3;
export const QUEUE = 4;
export const ALL = 5;

// ------------------------------------------------------------------ paths

/**
 * Paths inside a view ("frames", 2, "locals", 3, "value"), interned: an entry
 * stores a small number. Paths name fields and list positions, not threads or
 * pages (those are the entry's target), so there are a few hundred.
 */
export const paths: (readonly Key[])[] = [[]];
/** The interned paths as a tree by key: a look-up walks the path, with no string made and hashed per pair. */
interface PathNode {
  readonly id: number;
  next: Map<Key, PathNode> | null;
}
const root: PathNode = { id: 0, next: null };
/** The path [] (the whole view). */
export const WHOLE = 0;

function pathId(path: readonly Key[]): number {
  let node = root;
  for (let i = 0; i < path.length; i++) {
    const key = path[i]!;
    let child = node.next?.get(key);
    if (child === undefined) {
      child = { id: paths.length, next: null };
      paths.push(path.slice(0, i + 1));
      (node.next ??= new Map()).set(key, child);
    }
    node = child;
  }
  return node.id;
}

// ------------------------------------------------------------------ values

/**
 * The values a session's changes name that are not small integers (strings,
 * null, booleans, views used as templates), each kept once and named by its
 * index: a local's "0x3000", a page's summary or a wait's "io:12" are built
 * anew at each step that shows them, and the same few thousand recur. One
 * dictionary per session, shared by its branches.
 */
export class Dict {
  readonly values: unknown[] = [];
  private readonly ids = new Map<unknown, number>();
  /**
   * The first view seen of each kind (by path, and by function or call for a
   * frame or a thread): a new one is recorded as that view plus its differences.
   * Views are never changed once made, so holding them here is safe.
   */
  private readonly templates = new Map<string, object>();

  id(v: unknown): number {
    let id = this.ids.get(v);
    if (id === undefined) {
      id = this.values.length;
      this.values.push(v);
      this.ids.set(v, id);
    }
    return id;
  }

  /** The template for a view like `v` at path `path` (`v` itself if it is the first). */
  templateFor(path: number, v: object): object {
    const r = v as { fn?: unknown; call?: unknown };
    const key = `${path}:${typeof r.fn === 'string' ? r.fn : typeof r.call === 'string' ? r.call : ''}`;
    const t = this.templates.get(key);
    if (t !== undefined) return t;
    this.templates.set(key, v);
    return v;
  }
}

/** A growable Int32Array. */
export class Ints {
  data = new Int32Array(16);
  length = 0;

  push(v: number): void {
    if (this.length === this.data.length) {
      const grown = new Int32Array(this.data.length * 2);
      grown.set(this.data);
      this.data = grown;
    }
    this.data[this.length++] = v;
  }

  at(i: number): number {
    return this.data[i]!;
  }

  /** An array of exactly the ints held. */
  trimmed(): Int32Array {
    return this.data.slice(0, this.length);
  }
}

const isInt = (v: unknown): v is number => typeof v === 'number' && (v | 0) === v && !Object.is(v, -0);

/**
 * Records one step's changes into `out` (see THREAD...ALL). The changes of one
 * target are a group: `tag, n`, then n pairs `path * 2 + named, value`, where
 * value is the integer itself or (named) its index in the dictionary.
 */
export class Recorder {
  private mark = -1;

  constructor(
    readonly out: Ints,
    readonly dict: Dict,
  ) {}

  /** Start the group of `tag`'s changes. */
  open(tag: number): void {
    this.mark = this.out.length;
    this.out.push(tag);
    this.out.push(0);
  }

  /** End the group: dropped if nothing changed. */
  close(): void {
    const n = (this.out.length - this.mark - 2) / 2;
    if (n === 0) this.out.length = this.mark;
    else this.out.data[this.mark + 1] = n;
    this.mark = -1;
  }

  private pair(path: readonly Key[], v: unknown): void {
    const id = pathId(path);
    if (isInt(v)) {
      this.out.push(id * 2);
      this.out.push(v);
    } else {
      this.out.push(id * 2 + 1);
      this.out.push(this.dict.id(v));
    }
  }

  /** Set `path` to `b`: a template and its differences when `b` is an object. */
  set(path: Key[], b: unknown): void {
    if (typeof b !== 'object' || b === null) {
      this.pair(path, b);
      return;
    }
    const t = this.dict.templateFor(pathId(path), b);
    // Only a template of the same shape (both lists, or objects with the same keys) is diffed: anything else
    // would come straight back here.
    const like = t !== b && (Array.isArray(t) ? Array.isArray(b) : !Array.isArray(b) && sameKeys(t, b));
    this.pair(path, like ? t : b);
    if (like) this.diff(path, t, b);
  }

  /**
   * The pairs for each field where `b` differs from `a` (recursing where both
   * are lists, or objects with the same keys; identity first). A list that
   * changed length gets its new length first, then its items.
   */
  diff(path: Key[], a: unknown, b: unknown): void {
    if (a === b) return;
    if (typeof a === 'object' && typeof b === 'object' && a !== null && b !== null) {
      const aList = Array.isArray(a);
      if (aList && Array.isArray(b)) {
        const x = a as readonly unknown[];
        if (x.length !== b.length) {
          path.push('length');
          this.pair(path, b.length);
          path.pop();
        }
        for (let i = 0; i < b.length; i++) {
          path.push(i);
          if (i < x.length) this.diff(path, x[i], b[i]);
          else this.set(path, b[i]);
          path.pop();
        }
        return;
      }
      const keys = aList || Array.isArray(b) ? null : Object.keys(b);
      if (keys !== null && hasKeys(a, keys)) {
        for (const key of keys) {
          path.push(key);
          this.diff(path, (a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key]);
          path.pop();
        }
        return;
      }
    }
    this.set(path, b);
  }

  /** A whole group: `tag`'s view went from `a` to `b` (a: undefined for a new one). */
  view(tag: number, a: unknown, b: unknown): void {
    this.open(tag);
    if (a === undefined) this.set([], b);
    else this.diff([], a, b);
    this.close();
  }
}

function sameKeys(a: object, b: object): boolean {
  return hasKeys(a, Object.keys(b));
}

/**
 * `a`'s keys are `keys`, in that order: for-in walks a plain object's own keys as Object.keys lists them,
 * without making an array (an inherited key, which views never have, only makes this say no).
 */
function hasKeys(a: object, keys: readonly string[]): boolean {
  let i = 0;
  for (const k in a) {
    if (k !== keys[i]) return false;
    i++;
  }
  return i === keys.length;
}

/** `x` itself if this materialisation made it, else a shallow copy it now owns. */
function own<T extends object>(x: T, fresh: Set<object>): T {
  if (fresh.has(x)) return x;
  const copy = (Array.isArray(x) ? x.slice() : { ...x }) as T;
  fresh.add(copy);
  return copy;
}

/** `root` with `path` set to `value`, copying (once) every object on the way: the rest stays shared. */
export function setIn(root: unknown, path: readonly Key[], value: unknown, fresh: Set<object>): unknown {
  if (path.length === 0) return value;
  const top = own(root as Record<Key, unknown>, fresh);
  let node = top;
  for (let d = 0; d < path.length - 1; d++) {
    const key = path[d]!;
    const child = own(node[key] as Record<Key, unknown>, fresh);
    node[key] = child;
    node = child;
  }
  node[path[path.length - 1]!] = value;
  return top;
}

/** Apply the group of pairs at `ops[j]` (its count) to `root`; the new root, and where the group ends. */
export function applyGroup(
  ops: Int32Array,
  j: number,
  root: unknown,
  values: readonly unknown[],
  fresh: Set<object>,
): { root: unknown; end: number } {
  const n = ops[j]!;
  let i = j + 1;
  for (let k = 0; k < n; k++, i += 2) {
    const p = ops[i]!;
    const v = ops[i + 1]!;
    root = setIn(root, paths[p >> 1]!, p & 1 ? values[v] : v, fresh);
  }
  return { root, end: i };
}

// ------------------------------------------------------------------ queues

function pushIds(out: Ints, ids: readonly number[]): void {
  out.push(ids.length);
  for (const id of ids) out.push(id);
}

export function pushEdit(out: Ints, q: number, edit: ListEdit<number>): void {
  out.push(q * 8 + QUEUE);
  if ('length' in edit) {
    out.push(0);
    pushIds(out, edit);
  } else if ('insert' in edit) {
    out.push(1);
    out.push(edit.at);
    out.push(edit.remove);
    pushIds(out, edit.insert);
  } else {
    out.push(2);
    pushIds(out, edit.removed);
    pushIds(out, edit.appended);
  }
}

const ids = (ops: Int32Array, from: number, n: number): number[] => Array.from(ops.subarray(from, from + n));

/** The edit at `ops[i]` (just after its tag), and where the entry ends. */
export function readEdit(ops: Int32Array, i: number): { edit: ListEdit<number>; end: number } {
  const kind = ops[i]!;
  if (kind === 0) {
    const n = ops[i + 1]!;
    return { edit: ids(ops, i + 2, n), end: i + 2 + n };
  }
  if (kind === 1) {
    const n = ops[i + 3]!;
    return { edit: { at: ops[i + 1]!, remove: ops[i + 2]!, insert: ids(ops, i + 4, n) }, end: i + 4 + n };
  }
  const n = ops[i + 1]!;
  const m = ops[i + 2 + n]!;
  return { edit: { removed: ids(ops, i + 2, n), appended: ids(ops, i + 3 + n, m) }, end: i + 3 + n + m };
}

// ------------------------------------------------------------------ storage

/** Steps whose changes share one array: a full one is trimmed to its length. */
const STEPS_PER_CHUNK = 256;

/** The changes of a run of steps, step 0 first, in Int32Arrays of STEPS_PER_CHUNK steps. */
export class ChangeLog {
  private readonly chunks: Int32Array[] = [];
  private cur = new Ints();
  /** Where each step's changes end in its chunk. */
  private readonly ends = new Ints();

  get steps(): number {
    return this.ends.length;
  }

  /** Where the next step's changes go. */
  get out(): Ints {
    return this.cur;
  }

  /** Close the step whose changes were just written to `out`. */
  endStep(): void {
    this.ends.push(this.cur.length);
    if (this.ends.length % STEPS_PER_CHUNK === 0) {
      this.chunks.push(this.cur.trimmed());
      this.cur = new Ints();
    }
  }

  /** Step `j`'s changes: ops[from .. to]. */
  range(j: number): { ops: Int32Array; from: number; to: number } {
    const c = Math.floor(j / STEPS_PER_CHUNK);
    const ops = c < this.chunks.length ? this.chunks[c]! : this.cur.data;
    return { ops, from: j % STEPS_PER_CHUNK === 0 ? 0 : this.ends.at(j - 1), to: this.ends.at(j) };
  }

  /** Keep steps 0..n - 1. */
  truncate(n: number): void {
    const c = Math.floor(n / STEPS_PER_CHUNK);
    if (c < this.chunks.length) {
      this.cur = new Ints();
      const part = this.chunks[c]!.subarray(0, n % STEPS_PER_CHUNK === 0 ? 0 : this.ends.at(n - 1));
      for (const v of part) this.cur.push(v);
      this.chunks.length = c;
    } else this.cur.length = n % STEPS_PER_CHUNK === 0 ? 0 : this.ends.at(n - 1);
    this.ends.length = n;
  }
}

/** Bytes per buffer of a ByteLog: an entry never spans two, so a new one starts when the next will not fit. */
const BUFFER = 1 << 18;

/**
 * Variable-length entries of bytes (a step's trail, a label), packed into
 * buffers of at most BUFFER bytes. The first buffer starts small and grows
 * (most branches made by a fork hold a few steps); a full one is never copied.
 */
export class ByteLog {
  private readonly buffers: Uint8Array[] = [new Uint8Array(1024)];
  /** The first entry of each buffer. */
  private readonly firsts: number[] = [0];
  /** Where each entry ends in its buffer. */
  private readonly ends = new Ints();
  private used = 0;

  get length(): number {
    return this.ends.length;
  }

  /** Make room for at most `max` more bytes in one buffer: the buffer and where to write. */
  reserve(max: number): { bytes: Uint8Array; at: number } {
    let cur = this.buffers[this.buffers.length - 1]!;
    if (this.used + max > cur.length) {
      if (this.used + max <= BUFFER) {
        const grown = new Uint8Array(Math.min(BUFFER, Math.max(cur.length * 4, this.used + max)));
        grown.set(cur.subarray(0, this.used));
        this.buffers[this.buffers.length - 1] = cur = grown;
      } else {
        this.buffers.push((cur = new Uint8Array(Math.max(BUFFER, max))));
        this.firsts.push(this.ends.length);
        this.used = 0;
      }
    }
    return { bytes: cur, at: this.used };
  }

  /** Close the entry written from the last `reserve`'s `at` up to `end`. */
  commit(end: number): void {
    this.ends.push(end);
    this.used = end;
  }

  /** Entry i's bytes. */
  read(i: number): Uint8Array {
    let b = this.firsts.length - 1;
    while (this.firsts[b]! > i) b--;
    const from = i === this.firsts[b] ? 0 : this.ends.at(i - 1);
    return this.buffers[b]!.subarray(from, this.ends.at(i));
  }

  /** Keep entries 0..n - 1. */
  truncate(n: number): void {
    while (this.firsts.length > 1 && this.firsts[this.firsts.length - 1]! >= n) {
      this.firsts.pop();
      this.buffers.pop();
    }
    this.ends.length = n;
    this.used = n > this.firsts[this.firsts.length - 1]! ? this.ends.at(n - 1) : 0;
  }
}
