import { useEffect, useRef, useState, type RefObject } from 'react';
import type { PanZoomController, View } from '../../viz/panZoom';
import { idleAfterPaint } from '../common/idleAfterPaint';

/**
 * Attach the pan/zoom controller (src/viz/panZoomD3.ts) to an <svg> and follow
 * its size. The transform comes back as React state; React draws with it.
 * The controller's chunk (d3-zoom) is fetched when the browser is idle after the
 * first state is painted; `ready` turns true when it is attached, so the panel can fit the tree then.
 */
export function usePanZoom(svg: RefObject<SVGSVGElement | null>, enabled = true) {
  const [view, setView] = useState<View>({ x: 0, y: 0, k: 1 });
  const [size, setSize] = useState({ width: 0, height: 0 });
  const [ready, setReady] = useState(false);
  const controller = useRef<PanZoomController | null>(null);

  // The controller's chunk once there is something to draw (`enabled`: the first state is in) and the
  // browser is idle after painting it: the first state never waits for d3-zoom's 17 KB.
  useEffect(() => {
    const el = svg.current;
    if (!el || !enabled) return;
    let gone = false;
    const load = () =>
      void import('../../viz/panZoomD3').then(({ createPanZoom }) => {
        if (gone) return;
        controller.current = createPanZoom(el, setView);
        setReady(true);
      });
    const cancel = idleAfterPaint(load);
    return () => {
      gone = true;
      cancel();
      controller.current?.destroy();
      controller.current = null;
      setReady(false);
    };
  }, [svg, enabled]);

  useEffect(() => {
    const el = svg.current;
    if (!el) return;
    const observer = new ResizeObserver((entries) => {
      const box = entries[0]?.contentRect;
      if (box)
        setSize((s) =>
          s.width === box.width && s.height === box.height ? s : { width: box.width, height: box.height },
        );
    });
    observer.observe(el);
    return () => observer.disconnect();
  }, [svg]);

  return { view, size, controller, ready };
}
