/** The locals pane's rows: each frame of a thread, innermost first, values changed since the last view marked (pure). */
import type { ThreadView } from '../../protocol/snapshot';

export interface LocalRow {
  readonly name: string;
  readonly value: string;
  /** The value differs from the one the same frame held in the snapshot shown before. */
  readonly changed: boolean;
  /** What it was then, when it changed. */
  readonly was: string | null;
}

export interface FrameRows {
  readonly fn: string;
  /** 0 for the outermost frame. */
  readonly depth: number;
  readonly rows: readonly LocalRow[];
}

/**
 * `thread`'s frames innermost first. A frame is compared with the frame at the
 * same depth of `before` (the same thread as last shown) when that one is the
 * same function: a frame just entered has nothing to compare with.
 */
export function frameRows(thread: ThreadView, before: ThreadView | undefined): FrameRows[] {
  return thread.frames
    .map((frame, depth) => {
      const old = before?.frames[depth];
      const was = old && old.fn === frame.fn ? new Map(old.locals.map((l) => [l.name, l.value])) : null;
      return {
        fn: frame.fn,
        depth,
        rows: frame.locals.map((l) => {
          const prev = was?.get(l.name);
          const changed = prev !== undefined && prev !== l.value;
          return { name: l.name, value: l.value, changed, was: changed ? prev : null };
        }),
      };
    })
    .reverse();
}
