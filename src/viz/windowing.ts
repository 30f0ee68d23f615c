/**
 * Fixed-row-height windowing: which rows of a long list to put in the DOM.
 * Pure; the hook that feeds it scroll positions is src/panels/common/useWindow.ts.
 */
export interface RowWindow {
  /** First row rendered. */
  readonly start: number;
  /** One past the last row rendered. */
  readonly end: number;
  /** Height of the rows above `start` and below `end`, for spacers. */
  readonly padTop: number;
  readonly padBottom: number;
}

/** The first row in view and one past the last (a row cut by either edge counts). */
function visibleRows(scrollTop: number, viewport: number, rowHeight: number, offsetTop: number) {
  const first = Math.floor(Math.max(0, scrollTop - offsetTop) / rowHeight);
  return { first, last: first + Math.ceil(Math.max(viewport, 0) / rowHeight) + 1 };
}

/**
 * Rows visible when the list's scroller is at `scrollTop` with `viewport`
 * pixels showing; rows begin `offsetTop` pixels into the scroller (below a
 * sticky header, say). `overscan` extra rows each side keep fast scrolling
 * from showing blanks.
 */
export function computeWindow(
  scrollTop: number,
  viewport: number,
  rowHeight: number,
  count: number,
  overscan = 6,
  offsetTop = 0,
): RowWindow {
  if (count <= 0 || rowHeight <= 0) return { start: 0, end: 0, padTop: 0, padBottom: 0 };
  const { first, last } = visibleRows(scrollTop, viewport, rowHeight, offsetTop);
  const start = Math.min(Math.max(0, first - overscan), count);
  const end = Math.min(count, last + overscan);
  return {
    start,
    end: Math.max(start, end),
    padTop: start * rowHeight,
    padBottom: (count - Math.max(start, end)) * rowHeight,
  };
}

/** A window as rendered, and the scroll position it was worked out for. */
export interface KeptWindow {
  readonly window: RowWindow;
  readonly scrollTop: number;
}

/**
 * The window to render, given the one rendered last (`kept`): when only the scroller's height changed (a note
 * above it wrapped to a second line, a pane below it grew), the rows already there are kept while they hold
 * every visible row and `margin` rows beyond, so the resize changes no DOM and costs no second commit and
 * frame after a step. A scroll, another row height or row count gets the window `computeWindow` gives, with
 * its full overscan.
 */
export function steadyWindow(
  kept: KeptWindow | null,
  scrollTop: number,
  viewport: number,
  rowHeight: number,
  count: number,
  overscan = 6,
  offsetTop = 0,
  margin = 2,
): RowWindow {
  const next = computeWindow(scrollTop, viewport, rowHeight, count, overscan, offsetTop);
  if (!kept || kept.scrollTop !== scrollTop || next.end === next.start) return next;
  const { start, end, padTop, padBottom } = kept.window;
  const sameRows = padTop === start * rowHeight && padBottom === (count - end) * rowHeight;
  const { first, last } = visibleRows(scrollTop, viewport, rowHeight, offsetTop);
  const holds = start <= Math.max(0, first - margin) && end >= Math.min(count, last + margin);
  // A window much larger than needed (the scroller shrank a lot) is replaced, so the DOM stays small.
  const small = end - start <= next.end - next.start + overscan;
  return sameRows && holds && small ? kept.window : next;
}
