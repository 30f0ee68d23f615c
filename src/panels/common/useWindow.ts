import { useEffect, useState, type RefObject } from 'react';
import { computeWindow, type RowWindow } from '../../viz/windowing';

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
  const [view, setView] = useState({ top: 0, height: 600 });

  useEffect(() => {
    const el = scroller.current;
    if (!el) return;
    let frame = 0;
    const read = () => {
      frame = 0;
      setView((v) =>
        v.top === el.scrollTop && v.height === el.clientHeight ? v : { top: el.scrollTop, height: el.clientHeight },
      );
    };
    const schedule = () => {
      if (!frame) frame = requestAnimationFrame(read);
    };
    read();
    el.addEventListener('scroll', schedule, { passive: true });
    const observer = new ResizeObserver(schedule);
    observer.observe(el);
    return () => {
      el.removeEventListener('scroll', schedule);
      observer.disconnect();
      if (frame) cancelAnimationFrame(frame);
    };
  }, [scroller]);

  return computeWindow(view.top, view.height, rowHeight, count, 8, offsetTop);
}
