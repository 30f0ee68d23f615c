/**
 * Opt-in timing marks for the browser bench (tools/bench-browser.ts), which
 * opens the lab with `?perf=1`: the store's update, the React commit and the
 * D3 layouts leave User Timing entries the bench reads back to say where a
 * step's time goes. Without the flag nothing is recorded (a long session
 * would otherwise grow the browser's timing buffer without end).
 */

export const PERF: boolean =
  typeof location !== 'undefined' && typeof performance !== 'undefined' && /[?&]perf=1(&|$)/.test(location.search);

/** A point in time, named (e.g. `store:start`). */
export function perfMark(name: string): void {
  if (PERF) performance.mark(name);
}

/** Run `work`, recording how long it took as the measure `name` (e.g. `d3:tree`). */
export function timed<T>(name: string, work: () => T): T {
  if (!PERF) return work();
  const start = performance.now();
  try {
    return work();
  } finally {
    performance.measure(name, { start, end: performance.now() });
  }
}
