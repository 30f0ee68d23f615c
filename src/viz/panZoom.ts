/**
 * Wheel/drag zoom and pan for one <svg>, framework-free (as xyflow's
 * XYPanZoom wraps d3-zoom): create it in a mount effect, destroy it on
 * unmount.
 *
 * NOTE, the one pattern we use: d3-zoom listens on the <svg> and keeps the
 * transform; every change is handed to `onChange`, which the React side puts
 * in state and renders as `<g transform>`. React owns every element; D3 owns
 * no DOM beyond its event listeners. That lets React pick the level of detail
 * and cull off-screen nodes from the same transform it draws with.
 */
import { select, zoom, zoomIdentity, type D3ZoomEvent } from 'd3';
import type { Bounds } from './treeLayout';

export interface View {
  readonly x: number;
  readonly y: number;
  readonly k: number;
}

export const MAX_SCALE = 4;

/**
 * The transform that shows `bounds` whole and centred in a width x height
 * box, `padding` pixels in from each side and `padTop` from the top (room for
 * labels drawn at a fixed screen size above the bounds).
 */
export function fitTransform(
  bounds: Bounds,
  width: number,
  height: number,
  padding = 12,
  maxScale = 1.2,
  padTop = padding,
): View {
  const w = Math.max(bounds.x1 - bounds.x0, 1);
  const h = Math.max(bounds.y1 - bounds.y0, 1);
  const innerW = Math.max(width - 2 * padding, 1);
  const innerH = Math.max(height - padding - padTop, 1);
  const k = Math.min(maxScale, innerW / w, innerH / h);
  return {
    k,
    x: (width - w * k) / 2 - bounds.x0 * k,
    y: padTop + (innerH - h * k) / 2 - bounds.y0 * k,
  };
}

export interface PanZoomController {
  /** Show `bounds` whole; afterwards the view counts as not moved by the user. */
  fit(bounds: Bounds, width: number, height: number): void;
  /** Zoom about the centre (for the + and − buttons). */
  zoomBy(factor: number): void;
  /** Whether the user zoomed or panned since the last fit. */
  readonly userMoved: boolean;
  destroy(): void;
}

export function createPanZoom(svg: SVGSVGElement, onChange: (view: View) => void): PanZoomController {
  let moved = false;
  const behavior = zoom<SVGSVGElement, unknown>()
    .scaleExtent([0.001, MAX_SCALE])
    .on('zoom', (e: D3ZoomEvent<SVGSVGElement, unknown>) => {
      if (e.sourceEvent) moved = true;
      onChange({ x: e.transform.x, y: e.transform.y, k: e.transform.k });
    });
  const selection = select(svg);
  selection.call(behavior).on('dblclick.zoom', null);

  return {
    fit(bounds, width, height) {
      // Side padding leaves room for a thread's name beside the outermost node.
      const v = fitTransform(bounds, width, height, 34, 1.2, 30);
      // Let the user zoom out a little beyond "everything", never to a dot.
      behavior.scaleExtent([Math.min(v.k / 2, 0.5), MAX_SCALE]);
      selection.call(behavior.transform, zoomIdentity.translate(v.x, v.y).scale(v.k));
      moved = false;
    },
    zoomBy(factor) {
      selection.call(behavior.scaleBy, factor);
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
