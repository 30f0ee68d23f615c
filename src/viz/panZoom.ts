/**
 * Wheel/drag zoom and pan for one <svg>, framework-free (as xyflow's
 * XYPanZoom wraps d3-zoom): create it in a mount effect, destroy it on
 * unmount. This module holds the types and the pure fit; the controller
 * itself (./panZoomD3.ts, d3-zoom and what it brings: transitions, colour
 * interpolation, drag) is its own chunk, loaded after the first paint.
 *
 * NOTE, the one pattern we use: d3-zoom listens on the <svg> and keeps the
 * transform; every change is handed to `onChange`, which the React side puts
 * in state and renders as `<g transform>`. React owns every element; D3 owns
 * no DOM beyond its event listeners. That lets React pick the level of detail
 * and cull off-screen nodes from the same transform it draws with.
 */
import type { Bounds } from './treeLayout';

export interface View {
  readonly x: number;
  readonly y: number;
  readonly k: number;
}

export const MAX_SCALE = 4;

export interface Padding {
  readonly top: number;
  readonly right: number;
  readonly bottom: number;
  readonly left: number;
}

/**
 * The transform that shows `bounds` whole, centred in a width x height box
 * less `pad` pixels on each side (room for labels drawn at screen size).
 */
export function fitTransform(
  bounds: Bounds,
  width: number,
  height: number,
  pad: Padding | number = 12,
  maxScale = 1.2,
): View {
  const p = typeof pad === 'number' ? { top: pad, right: pad, bottom: pad, left: pad } : pad;
  const w = Math.max(bounds.x1 - bounds.x0, 1);
  const h = Math.max(bounds.y1 - bounds.y0, 1);
  const innerW = Math.max(width - p.left - p.right, 1);
  const innerH = Math.max(height - p.top - p.bottom, 1);
  const k = Math.min(maxScale, innerW / w, innerH / h);
  return {
    k,
    x: p.left + (innerW - w * k) / 2 - bounds.x0 * k,
    y: p.top + (innerH - h * k) / 2 - bounds.y0 * k,
  };
}

/** Room for a tree's name above it and a thread's name beside its outermost node. */
export const FIT_PADDING: Padding = { top: 24, right: 56, bottom: 6, left: 12 };

export interface PanZoomController {
  /** Show `bounds` whole; afterwards the view counts as not moved by the user. */
  fit(bounds: Bounds, width: number, height: number): void;
  /** Zoom about the centre (for the + and − buttons). */
  zoomBy(factor: number): void;
  /** Put world point (x, y) in the middle of a width x height view at scale k. */
  centerOn(x: number, y: number, k: number, width: number, height: number): void;
  /** Whether the user zoomed or panned since the last fit. */
  readonly userMoved: boolean;
  destroy(): void;
}
