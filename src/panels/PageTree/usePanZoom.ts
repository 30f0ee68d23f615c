import { useEffect, useRef, useState, type RefObject } from 'react';
import type { PanZoomController, View } from '../../viz/panZoom';

/**
 * Attach the pan/zoom controller (src/viz/panZoomD3.ts) to an <svg> and follow
 * its size. The transform comes back as React state; React draws with it.
 * The controller's chunk (d3-zoom) is fetched after the first paint; `ready`
 * turns true when it is attached, so the panel can fit the tree then.
 */
export function usePanZoom(svg: RefObject<SVGSVGElement | null>) {
  const [view, setView] = useState<View>({ x: 0, y: 0, k: 1 });
  const [size, setSize] = useState({ width: 0, height: 0 });
  const [ready, setReady] = useState(false);
  const controller = useRef<PanZoomController | null>(null);

  useEffect(() => {
    const el = svg.current;
    if (!el) return;
    let gone = false;
    void import('../../viz/panZoomD3').then(({ createPanZoom }) => {
      if (gone) return;
      controller.current = createPanZoom(el, setView);
      setReady(true);
    });
    const observer = new ResizeObserver((entries) => {
      const box = entries[0]?.contentRect;
      if (box)
        setSize((s) =>
          s.width === box.width && s.height === box.height ? s : { width: box.width, height: box.height },
        );
    });
    observer.observe(el);
    return () => {
      gone = true;
      observer.disconnect();
      controller.current?.destroy();
      controller.current = null;
      setReady(false);
    };
  }, [svg]);

  return { view, size, controller, ready };
}
