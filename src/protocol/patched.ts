/**
 * Which items a list changed in place. When a list is made from another by replacing the items at a few
 * indices (the same length, every other item the same object), the maker records those indices here; a
 * reader holding the older list then looks at those items only, where it compared all 4,096 pages of a
 * snapshot on every step. Nothing is recorded for a list whose order or length changed: a reader then
 * makes its one full pass, as it would without this. Pure bookkeeping, no DOM; entries go with their lists.
 */
export interface Patch<T> {
  /** The list this one was made from. */
  readonly from: readonly T[];
  /** The indices whose items may differ from `from`'s, ascending (the others are `from`'s own). */
  readonly at: readonly number[];
}

const patches = new WeakMap<readonly unknown[], Patch<unknown>>();
const NONE: readonly number[] = Object.freeze([]);

/** Record that `next` is `from` with (at most) the items at `at` (ascending) replaced. */
export function notePatched<T>(next: readonly T[], from: readonly T[], at: readonly number[]): void {
  if (next !== from) patches.set(next, { from, at });
}

/** What `next` was made from, if it was made from a list by replacing items in place. */
export function patchOf<T>(next: readonly T[]): Patch<T> | undefined {
  return patches.get(next) as Patch<T> | undefined;
}

/**
 * The indices at which `next` may differ from `from` (ascending), when `next` was made from `from` in place
 * (or is `from`: none); null when that is not known, and the lists have to be compared whole.
 */
export function patchedAt<T>(from: readonly T[], next: readonly T[]): readonly number[] | null {
  if (from === next) return NONE;
  const patch = patches.get(next);
  return patch && patch.from === from ? patch.at : null;
}

/**
 * How many items of `list` pass `test`, kept in `counts` by list: a list made in place from one counted
 * before is counted from that count and its replaced items only.
 */
export function countWhere<T>(counts: WeakMap<readonly T[], number>, list: readonly T[], test: (item: T) => boolean) {
  const known = counts.get(list);
  if (known !== undefined) return known;
  const patch = patchOf(list);
  const before = patch && counts.get(patch.from);
  let n = 0;
  if (patch && before !== undefined) {
    n = before;
    for (const i of patch.at) n += (test(list[i]!) ? 1 : 0) - (test(patch.from[i]!) ? 1 : 0);
  } else for (const item of list) if (test(item)) n++;
  counts.set(list, n);
  return n;
}

/**
 * The indices of the items of `list` that pass `test`, ascending, kept in `cache` by list: a list made in place
 * from one seen before is worked out from that one's indices and its replaced items only (the same array when
 * they are the same indices). A step of the OpenBSD bench replaces one or two of 4,098 threads, of which one or
 * two are live: the readers of the live ones passed over all 4,098, several times a step.
 */
export function indicesWhere<T>(
  cache: WeakMap<readonly T[], readonly number[]>,
  list: readonly T[],
  test: (item: T) => boolean,
): readonly number[] {
  const known = cache.get(list);
  if (known !== undefined) return known;
  const patch = patchOf(list);
  const before = patch && cache.get(patch.from);
  let out: readonly number[];
  if (patch && before !== undefined && patch.from.length === list.length) {
    const at = patch.at;
    const merged: number[] = [];
    let j = 0;
    for (const i of before) {
      for (; j < at.length && at[j]! < i; j++) if (test(list[at[j]!]!)) merged.push(at[j]!);
      if (j < at.length && at[j] === i) {
        if (test(list[i]!)) merged.push(i);
        j++;
      } else merged.push(i);
    }
    for (; j < at.length; j++) if (test(list[at[j]!]!)) merged.push(at[j]!);
    out = merged.length === before.length && merged.every((i, k) => i === before[k]) ? before : merged;
  } else {
    const all: number[] = [];
    for (let i = 0; i < list.length; i++) if (test(list[i]!)) all.push(i);
    out = all;
  }
  cache.set(list, out);
  return out;
}

/**
 * The index of the first item of `list` whose key (`keyOf`) is `key`, or -1. The index of keys is kept in
 * `cache` by list and shared with a list made from it in place whose replaced items keep their keys (a step:
 * the same threads in the same places), so a lookup on such a step costs no pass over the list.
 */
export function indexOfKey<T, K>(
  cache: WeakMap<readonly T[], ReadonlyMap<K, number>>,
  list: readonly T[],
  key: K,
  keyOf: (item: T) => K,
): number {
  let index = cache.get(list);
  if (index === undefined) {
    const patch = patchOf(list);
    const before = patch && cache.get(patch.from);
    if (
      patch &&
      before !== undefined &&
      patch.from.length === list.length &&
      patch.at.every((i) => keyOf(list[i]!) === keyOf(patch.from[i]!))
    )
      index = before;
    else {
      const built = new Map<K, number>();
      // From the end, so the first of equal keys is the one kept (as `findIndex` finds it).
      for (let i = list.length - 1; i >= 0; i--) built.set(keyOf(list[i]!), i);
      index = built;
    }
    cache.set(list, index);
  }
  return index.get(key) ?? -1;
}
