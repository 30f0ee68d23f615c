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

/**
 * The same frame with the same rows (names, values, change marks): what the locals pane shows of it cannot
 * have changed, so a step that left this frame alone (a caller's, most often) skips its table.
 */
export function sameFrameRows(a: FrameRows, b: FrameRows): boolean {
  if (a === b) return true;
  if (a.fn !== b.fn || a.depth !== b.depth || a.rows.length !== b.rows.length) return false;
  return a.rows.every((r, i) => {
    const s = b.rows[i]!;
    return r.name === s.name && r.value === s.value && r.changed === s.changed && r.was === s.was;
  });
}
