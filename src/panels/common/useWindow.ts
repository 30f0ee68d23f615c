import { useEffect, useLayoutEffect, useRef, useState, type RefObject } from 'react';
import { steadyWindow, type KeptWindow, type RowWindow } from '../../viz/windowing';

/** A scroller's position and height as last seen, and a way to move it. */
export interface ScrollView {
  readonly top: number;
  readonly height: number;
  /** Scroll to `top` (px): the window follows in the same render, the element right after the commit. */
  moveTo(top: number): void;
  /**
   * The height has been read from the element (false until its first ResizeObserver report: `height` is a
   * guess). A panel that centres a line waits for it, or the line lands where the guess put it.
   */
  readonly measured: boolean;
}

/**
 * Track a scroller's scroll position and height without reading layout during React's commit: the size
 * comes from a ResizeObserver (it reports after the browser's own layout, the first time too), the position
 * from scroll events at the next frame. A panel that scrolls itself (to follow a step or a line) calls
 * `moveTo` with a position worked out from these figures: nothing in a step's commit forces the browser to
 * lay the whole lab out early, and the window is right in the first render rather than one frame later.
 */
export function useScrollView(scroller: RefObject<HTMLElement | null>): ScrollView {
  const [view, setView] = useState({ top: 0, height: 600, measured: false });
  // The position the element is known to have (read from it, or written to it).
  const applied = useRef(0);

  useEffect(() => {
    const el = scroller.current;
    if (!el) return;
    let frame = 0;
    const read = () => {
      frame = 0;
      const top = el.scrollTop;
      applied.current = top;
      // A height of 0 is no measure (the lab laid out out of the page, while a link opens): centring on it put
      // the followed line half a view off.
      const height = el.clientHeight;
      setView((v) => {
        const next = height > 0 ? { top, height, measured: true } : { top, height: v.height, measured: v.measured };
        return v.top === next.top && v.height === next.height && v.measured === next.measured ? v : next;
      });
    };
    const schedule = () => {
      if (!frame) frame = requestAnimationFrame(read);
    };
    el.addEventListener('scroll', schedule, { passive: true });
    const observer = new ResizeObserver(read);
    observer.observe(el);
    return () => {
      el.removeEventListener('scroll', schedule);
      observer.disconnect();
      if (frame) cancelAnimationFrame(frame);
    };
  }, [scroller]);

  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el || applied.current === view.top) return;
    applied.current = view.top;
    el.scrollTop = view.top;
  }, [scroller, view.top]);

  const [moveTo] = useState(
    () => (top: number) => setView((v) => (v.top === Math.max(0, top) ? v : { ...v, top: Math.max(0, top) })),
  );
  return { top: view.top, height: view.height, moveTo, measured: view.measured };
}

/**
 * Which rows to render for a scroller holding `count` rows of `rowHeight`
 * pixels: tracks its scroll position and size (see src/viz/windowing.ts).
 */
export function useWindow(
  scroller: RefObject<HTMLElement | null>,
  count: number,
  rowHeight: number,
  offsetTop = 0,
): RowWindow {
  const view = useScrollView(scroller);
  return useSteadyWindow(view, rowHeight, count, offsetTop);
}

/**
 * The rows to render for `view`, keeping the window last committed through a resize while it still covers
 * the view (see `steadyWindow`): the panel re-renders, its rows stay.
 */
export function useSteadyWindow(view: ScrollView, rowHeight: number, count: number, offsetTop = 0): RowWindow {
  const committed = useRef<KeptWindow | null>(null);
  const win = steadyWindow(committed.current, view.top, view.height, rowHeight, count, 8, offsetTop);
  const top = view.top;
  useLayoutEffect(() => {
    committed.current = { window: win, scrollTop: top };
  });
  return win;
}
