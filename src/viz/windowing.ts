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
  const top = Math.max(0, scrollTop - offsetTop);
  const first = Math.floor(top / rowHeight);
  const visible = Math.ceil(Math.max(viewport, 0) / rowHeight) + 1;
  const start = Math.min(Math.max(0, first - overscan), count);
  const end = Math.min(count, first + visible + overscan);
  return {
    start,
    end: Math.max(start, end),
    padTop: start * rowHeight,
    padBottom: (count - Math.max(start, end)) * rowHeight,
  };
}
