/**
 * The pan/zoom controller of ./panZoom.ts on d3-zoom: a chunk of its own
 * (d3-zoom brings d3-transition, d3-interpolate, d3-color and d3-drag),
 * loaded by usePanZoom after the first paint.
 */
import { select, zoom, zoomIdentity, type D3ZoomEvent } from 'd3';
import { FIT_PADDING, fitTransform, MAX_SCALE, type PanZoomController, type View } from './panZoom';

export function createPanZoom(svg: SVGSVGElement, onChange: (view: View) => void): PanZoomController {
  let moved = false;
  const behavior = zoom<SVGSVGElement, unknown>()
    .scaleExtent([0.001, MAX_SCALE])
    .on('zoom', (e: D3ZoomEvent<SVGSVGElement, unknown>) => {
      if (e.sourceEvent) moved = true;
      onChange({ x: e.transform.x, y: e.transform.y, k: e.transform.k });
    });
  const selection = select(svg);
  // Double-click zooms in about the pointer (d3-zoom's default; shift zooms out).
  selection.call(behavior);

  return {
    fit(bounds, width, height) {
      const v = fitTransform(bounds, width, height, FIT_PADDING);
      // Let the user zoom out a little beyond "everything", never to a dot.
      behavior.scaleExtent([Math.min(v.k / 2, 0.5), MAX_SCALE]);
      selection.call(behavior.transform, zoomIdentity.translate(v.x, v.y).scale(v.k));
      moved = false;
    },
    zoomBy(factor) {
      selection.call(behavior.scaleBy, factor);
      moved = true;
    },
    centerOn(x, y, k, width, height) {
      selection.call(behavior.transform, zoomIdentity.translate(width / 2 - x * k, height / 2 - y * k).scale(k));
      moved = true;
    },
    get userMoved() {
      return moved;
    },
    destroy() {
      selection.on('.zoom', null);
    },
  };
}
