import { useEffect, useRef, useState, type RefObject } from 'react';
import { createPanZoom, type PanZoomController, type View } from '../../viz/panZoom';

/**
 * Attach the pan/zoom controller (src/viz/panZoom.ts) to an <svg> and follow
 * its size. The transform comes back as React state; React draws with it.
 */
export function usePanZoom(svg: RefObject<SVGSVGElement | null>) {
  const [view, setView] = useState<View>({ x: 0, y: 0, k: 1 });
  const [size, setSize] = useState({ width: 0, height: 0 });
  const controller = useRef<PanZoomController | null>(null);

  useEffect(() => {
    const el = svg.current;
    if (!el) return;
    const c = createPanZoom(el, setView);
    controller.current = c;
    const observer = new ResizeObserver((entries) => {
      const box = entries[0]?.contentRect;
      if (box)
        setSize((s) =>
          s.width === box.width && s.height === box.height ? s : { width: box.width, height: box.height },
        );
    });
    observer.observe(el);
    return () => {
      observer.disconnect();
      c.destroy();
      controller.current = null;
    };
  }, [svg]);

  return { view, size, controller };
}
