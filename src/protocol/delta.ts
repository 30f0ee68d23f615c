/**
 * Deltas between view snapshots: the worker sends what changed after a step
 * (changed pages and threads by id, lists as edits, the small rest whole) and
 * the UI rebuilds the snapshot. Pure functions, used on both sides.
 */
import type { PagerProfile } from './profile';
import type { ListEdit, SnapshotDelta, ViewSnapshot } from './snapshot';
import { keepEqual } from './keep-equal';
import { notePatched } from './patched';

/** Same length and the same items (by identity) in the same order. */
export function sameItems<T>(a: readonly T[], b: readonly T[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** The smallest edit that turns `from` into `to` (lists of distinct ids); null when they are equal. */
export function editOf<T>(from: readonly T[], to: readonly T[]): ListEdit<T> | null {
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
export function applyEdit<T>(from: readonly T[], edit: ListEdit<T> | null): readonly T[] {
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

/**
 * What a producer of two snapshots knows about their lists: the second's page and thread lists are the
 * first's, the same length and the same ids in the same places, except that the views at these indices
 * (ascending) may be new ones; the second's page list may also be longer, the pages past the first's end
 * new ones (a fault that brought the page after the last). Lets a diff of a step over 4,096 pages and
 * threads look at what changed only; without it the lists are compared whole (the results are the same).
 */
export interface ListHint {
  readonly pages: readonly number[];
  readonly threads: readonly number[];
}

/** The items of `b` at `indices` that are not `a`'s (the rest are, by the hint). */
function changedAt<T>(a: readonly T[], b: readonly T[], indices: readonly number[]): T[] {
  const out: T[] = [];
  for (const i of indices) if (a[i] !== b[i]) out.push(b[i]!);
  return out;
}

/**
 * The items of `b` that are not `a`'s at the same place, when both hold the same ids in the same order;
 * null when they do not. One pass comparing by identity: a step over 4,096 pages looks at each once.
 */
function changedInPlace<T extends { readonly id: unknown }>(a: readonly T[], b: readonly T[]): T[] | null {
  const out: T[] = [];
  if (a === b) return out;
  if (a.length !== b.length) return null;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x === y) continue;
    if (x.id !== y.id) return null;
    out.push(y);
  }
  return out;
}

/**
 * How many places two lists of distinct ids start with (`head`) and end with (`tail`) holding the same ids,
 * never overlapping.
 */
function sameIdEnds(a: readonly { readonly id: unknown }[], b: readonly { readonly id: unknown }[]) {
  let head = 0;
  while (head < a.length && head < b.length && a[head]!.id === b[head]!.id) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail]!.id === b[b.length - 1 - tail]!.id)
    tail++;
  return { head, tail };
}

/**
 * Pair the items of two lists of distinct ids: `visit(old, item)` for each item of `b`, in its order, `old`
 * being `a`'s item of the same id (undefined for a new one); returns `a`'s items whose ids `b` lacks, in `a`'s
 * order. The places both lists start and end with are paired in place; only those between them go through a
 * map: a step that splices one page into 4,096 leaves a middle of one page, where a map of every id cost a
 * millisecond a step.
 */
export function matchById<T extends { readonly id: unknown }>(
  a: readonly T[],
  b: readonly T[],
  visit: (old: T | undefined, item: T) => void,
): T[] {
  const { head, tail } = sameIdEnds(a, b);
  for (let i = 0; i < head; i++) visit(a[i], b[i]!);
  const middle = new Map<unknown, T>();
  for (let i = head; i < a.length - tail; i++) middle.set(a[i]!.id, a[i]!);
  for (let j = head; j < b.length - tail; j++) {
    visit(middle.get(b[j]!.id), b[j]!);
    middle.delete(b[j]!.id);
  }
  for (let k = tail; k > 0; k--) visit(a[a.length - k], b[b.length - k]!);
  return [...middle.values()];
}

/** The items of `b` that are not `a`'s item of the same id, in `b`'s order (lists of distinct ids). */
function changedById<T extends { readonly id: unknown }>(a: readonly T[], b: readonly T[]): T[] {
  const out: T[] = [];
  matchById(a, b, (old, item) => {
    if (old !== item) out.push(item);
  });
  return out;
}

/** The delta from `from` (null: none, send it whole) to `to`; `profile` goes with a whole snapshot. */
export function diffSnapshots(
  from: ViewSnapshot | null,
  to: ViewSnapshot,
  profile: PagerProfile | null = null,
  hint: ListHint | null = null,
): SnapshotDelta {
  const { pages, queues, threads, step, ...rest } = to;
  if (!from) {
    return {
      step,
      fromStep: -1,
      profile,
      pages,
      order: pages.map((p) => p.id),
      queues,
      threads,
      threadOrder: threads.map((t) => t.id),
      rest,
    };
  }
  // Same pages in the same order (most steps): compare in place, no map of 4,096 views. With a hint, pages
  // past the old end came there (the edit appends them, as editOf finds it).
  const n = from.pages.length;
  let changed = hint
    ? [
        ...changedAt(
          from.pages,
          pages,
          hint.pages.filter((i) => i < n),
        ),
        ...pages.slice(n),
      ]
    : changedInPlace(from.pages, pages);
  const sameOrder = changed !== null;
  changed ??= changedById(from.pages, pages);
  const threadsChanged = hint ? changedAt(from.threads, threads, hint.threads) : changedInPlace(from.threads, threads);
  const sameThreads = threadsChanged !== null;
  return {
    step,
    fromStep: from.step,
    profile: null,
    pages: changed,
    order: sameOrder
      ? pages.length > n
        ? { removed: [], appended: pages.slice(n).map((p) => p.id) }
        : null
      : editOf(
          from.pages.map((p) => p.id),
          pages.map((p) => p.id),
        ),
    queues: queues.map((q, i) => {
      const old = from.queues[i] ?? [];
      return q === old ? null : editOf(old, q);
    }),
    threads: threadsChanged ?? changedById(from.threads, threads),
    threadOrder: sameThreads
      ? null
      : editOf(
          from.threads.map((t) => t.id),
          threads.map((t) => t.id),
        ),
    rest,
  };
}

/** Where each key sits in a list, kept per list (and shared by the lists patched from it in place). */
const keyIndexes = new WeakMap<readonly unknown[], Map<unknown, number>>();

function keyIndex<T, K>(list: readonly T[], keyOf: (item: T) => K): Map<K, number> {
  let index = keyIndexes.get(list) as Map<K, number> | undefined;
  if (!index) {
    index = new Map();
    for (let i = 0; i < list.length; i++) index.set(keyOf(list[i]!), i);
    keyIndexes.set(list, index);
  }
  return index;
}

/**
 * Replace changed items in place of their old versions when the order did not
 * change (the common step: a few pages among thousands), else rebuild by key.
 */
function patchList<T, K>(
  old: readonly T[],
  changed: readonly T[],
  edit: ListEdit<K> | null,
  keyOf: (item: T) => K,
): readonly T[] {
  if (edit === null) {
    if (changed.length === 0) return old;
    // The same keys in the same places: the list's index of keys holds for the new list too, so a step that
    // changed k of 4,096 pages looks up k keys (the index is built once per order, not once per step).
    const index = keyIndex(old, keyOf);
    const out = old.slice();
    const at: number[] = [];
    for (const item of changed) {
      const i = index.get(keyOf(item));
      if (i === undefined) continue;
      out[i] = item;
      at.push(i);
    }
    at.sort((a, b) => a - b);
    keyIndexes.set(out, index);
    notePatched(out, old, at);
    return out;
  }
  if ('removed' in edit && edit.removed.length === 0) {
    // Items that came at the end (a fault past the last of 4,096 pages): the others keep their places, so the
    // list's index of keys serves, and no map of every item is built. The index may hold keys that another list
    // sharing it added (a branch that brought other pages), so a place is checked; the new list shares it,
    // extended, unless one of its new keys is such a key.
    const index = keyIndex(old, keyOf);
    const out = old.slice();
    const came = new Map<K, T>();
    for (const item of changed) {
      const key = keyOf(item);
      const i = index.get(key);
      if (i !== undefined && i < old.length && keyOf(old[i]!) === key) out[i] = item;
      else came.set(key, item);
    }
    let shared = true;
    for (const key of edit.appended) {
      const item = came.get(key);
      if (item === undefined) continue;
      shared &&= !index.has(key);
      if (shared) index.set(key, out.length);
      out.push(item);
    }
    if (shared) keyIndexes.set(out, index);
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

/** A snapshot less its lists and step: what a delta carries whole, as `rest`. */
function restOf(snapshot: ViewSnapshot): SnapshotDelta['rest'] {
  const { pages: _pages, queues: _queues, threads: _threads, step: _step, ...rest } = snapshot;
  return rest;
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
      queues: delta.queues as readonly (readonly number[])[],
    };
  }
  if (!from || from.step !== delta.fromStep) return null;
  return {
    // The small rest comes whole with every step: what did not change keeps the last snapshot's objects.
    ...keepEqual(restOf(from), delta.rest),
    step: delta.step,
    pages: patchList(from.pages, delta.pages, delta.order, (p) => p.id),
    threads: patchList(from.threads, delta.threads, delta.threadOrder, (t) => t.id),
    queues:
      delta.queues.length === from.queues.length && delta.queues.every((edit) => edit === null)
        ? from.queues
        : delta.queues.map((edit, i) => applyEdit(from.queues[i] ?? [], edit)),
  };
}
