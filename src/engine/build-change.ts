/**
 * A builder's step as parts (view.ts makes them, history.ts stores them per step): what the step changed in
 * the lists, the rest of the snapshot whole, and the snapshot put together again from such parts.
 */
import type { ListEdit, PageView, ThreadView, TrailView, ViewSnapshot } from '../protocol/snapshot';

/** A snapshot without its lists and its step: what a step's record keeps whole when it changed. */
export type SnapshotRest = Omit<ViewSnapshot, 'pages' | 'threads' | 'queues' | 'step' | 'trail'>;

/** What one step changed against the state before it: what a history stores per step (history.ts). */
export interface BuildChange {
  /**
   * Edits turning the last page list into this one, applied in order, flat:
   * `at, remove, count, ...count views` (a splice); 'all' when the list was rebuilt.
   */
  readonly pages: readonly (number | PageView)[] | 'all';
  /** Thread views set, flat: `index, view` (an index at the end appends). */
  readonly threads: readonly (number | ThreadView)[];
  /** Each queue's edit, or null when no queue changed. */
  readonly queues: readonly (ListEdit<number> | null)[] | null;
  /** The rest of the snapshot now (each part the last one's object when it did not change). */
  readonly rest: SnapshotRest;
}

/** A snapshot from its parts, its fields in the order snapshots have always had (their JSON is compared). */
export function snapshotOf(
  r: SnapshotRest,
  step: number,
  pages: readonly PageView[],
  queues: ViewSnapshot['queues'],
  threads: readonly ThreadView[],
  trail: TrailView,
): ViewSnapshot {
  return {
    step,
    panic: r.panic,
    freePages: r.freePages,
    pages,
    queues,
    threads,
    vnodes: r.vnodes,
    objects: r.objects,
    io: r.io,
    locks: r.locks,
    counters: r.counters,
    hung: r.hung,
    waits: r.waits,
    leaks: r.leaks,
    trail,
  };
}
