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
