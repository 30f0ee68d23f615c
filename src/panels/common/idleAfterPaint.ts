/**
 * Work the first state must not wait for (a chunk fetched and compiled): started once the frame after the
 * current render has been painted and the browser is then idle. An idle callback alone can run before that
 * frame (the page is idle while it waits for the next one), and then competes with it.
 */

/** The browser's scheduling calls this needs; the page's own unless a test gives its fakes. */
export interface FrameScheduler {
  requestAnimationFrame(callback: () => void): number;
  cancelAnimationFrame(handle: number): void;
  setTimeout(callback: () => void, ms: number): number;
  clearTimeout(handle: number): void;
  /** Absent where the browser has none (Safari): a timer stands in. */
  requestIdleCallback?(callback: () => void, options: { timeout: number }): number;
  cancelIdleCallback?(handle: number): void;
}

/** How long the idle stage waits at most (or, without idle callbacks, at all). */
export const IDLE_TIMEOUT_MS = 1000;
export const NO_IDLE_DELAY_MS = 200;

function pageScheduler(): FrameScheduler {
  const idle = typeof requestIdleCallback === 'function';
  return {
    requestAnimationFrame: (f) => requestAnimationFrame(f),
    cancelAnimationFrame: (h) => cancelAnimationFrame(h),
    setTimeout: (f, ms) => window.setTimeout(f, ms),
    clearTimeout: (h) => window.clearTimeout(h),
    ...(idle
      ? {
          requestIdleCallback: (f, options) => requestIdleCallback(f, options),
          cancelIdleCallback: (h) => cancelIdleCallback(h),
        }
      : {}),
  };
}

/**
 * Run `task` once: after the next animation frame, a task after it (that frame is painted by then), then an
 * idle period (at most IDLE_TIMEOUT_MS later). The returned function cancels it at whatever stage it is.
 * A hidden page gets no frames, so it waits until shown: there is nothing painted to keep it from before.
 */
export function idleAfterPaint(task: () => void, s: FrameScheduler = pageScheduler()): () => void {
  let cancel = () => {};
  const idle = () => {
    if (s.requestIdleCallback && s.cancelIdleCallback) {
      const cancelIdle = s.cancelIdleCallback;
      const handle = s.requestIdleCallback(task, { timeout: IDLE_TIMEOUT_MS });
      cancel = () => cancelIdle(handle);
    } else {
      const handle = s.setTimeout(task, NO_IDLE_DELAY_MS);
      cancel = () => s.clearTimeout(handle);
    }
  };
  const frame = s.requestAnimationFrame(() => {
    const handle = s.setTimeout(idle, 0);
    cancel = () => s.clearTimeout(handle);
  });
  cancel = () => s.cancelAnimationFrame(frame);
  return () => cancel();
}
