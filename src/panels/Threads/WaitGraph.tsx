import { useMemo } from 'react';
import type { ThreadView, WaitView } from '../../protocol/snapshot';
import { threadColor } from '../../viz/palette';
import { timed } from '../../perf/marks';
import { layoutWaitGraph, NODE_H, NODE_W } from '../../viz/waitGraph';
import { selectFontScale, usePrefs } from '../../store/prefs';
import { wakeText } from './wake-text';

/** Room for a label inside its box, and a monospace glyph's advance (DejaVu Sans Mono: 0.602 em). */
const LABEL_ROOM = NODE_W - 12;
const MONO_ADVANCE = 0.602;
/** The label's size in the svg's units: .wait-node-label is 0.857rem, the root 14px times the text scale. */
const labelPx = (scale: number) => 0.857 * 14 * scale;

/**
 * A label as it fits its box at this text size: one wider than the box's inner width (a channel such as
 * `uvn_term on u_nio:vn1` at 100%) is drawn condensed to it, never across the outline; one that would be
 * condensed below 80% (over 22 characters, fewer at A+) is cut with `…`, whole in its tooltip and the list.
 */
function fitLabel(label: string, scale: number) {
  const advance = MONO_ADVANCE * labelPx(scale);
  const max = Math.min(22, Math.floor(LABEL_ROOM / (advance * 0.8)));
  const text = label.length > max ? `${label.slice(0, max - 1)}…` : label;
  const condensed = text.length * advance > LABEL_ROOM;
  return { text, fit: condensed ? { textLength: LABEL_ROOM, lengthAdjust: 'spacingAndGlyphs' as const } : {} };
}

/**
 * The wait-for graph: each blocked thread, the lock, page, channel or disk
 * request it waits on, and who can wake it. Drawn from the engine's `waits`
 * (D3 lays it out, React draws it), with the same facts as a list below.
 */
export default function WaitGraph({ waits, threads }: { waits: readonly WaitView[]; threads: readonly ThreadView[] }) {
  const layout = useMemo(() => timed('d3:waits', () => layoutWaitGraph(waits)), [waits]);
  const index = new Map(threads.map((t, i) => [t.id, i]));
  const scale = usePrefs(selectFontScale);
  if (waits.length === 0) return <p className="empty">No thread is waiting: the wait-for graph is empty.</p>;
  const summary = waits.map((w) => `${w.thread} waits on ${w.label}; ${wakeText(w)}`).join('. ');
  return (
    <div className="wait-graph">
      <svg
        role="img"
        aria-label={`Wait-for graph. ${summary}.`}
        viewBox={`0 0 ${layout.width} ${layout.height}`}
        width={layout.width}
        height={layout.height}
        className="wait-graph-svg"
      >
        <defs>
          <marker id="wait-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto">
            <path d="M0,0L10,5L0,10z" className="wait-arrow" />
          </marker>
        </defs>
        {layout.edges.map((e) => (
          <path
            key={e.key}
            d={e.d}
            className={`wait-edge wait-edge-${e.kind}${e.back ? ' wait-edge-back' : ''}`}
            markerEnd="url(#wait-arrow)"
          />
        ))}
        {layout.nodes.map((n) => {
          const label = fitLabel(n.label, scale);
          return (
            <g key={n.key} transform={`translate(${n.x - NODE_W / 2},${n.y - NODE_H / 2})`}>
              <rect
                width={NODE_W}
                height={NODE_H}
                rx={n.kind === 'thread' ? 3 : n.kind === 'thing' ? NODE_H / 2 : 8}
                className={`wait-node wait-node-${n.kind}`}
                style={n.thread !== undefined ? { stroke: threadColor(index.get(n.thread) ?? 0) } : undefined}
              />
              <text x={NODE_W / 2} y={NODE_H / 2 + 5} textAnchor="middle" className="wait-node-label" {...label.fit}>
                {label.text}
                <title>{n.label}</title>
              </text>
            </g>
          );
        })}
      </svg>
      <ul className="wait-list" aria-label="Who waits on what">
        {waits.map((w) => (
          <li key={w.thread}>
            <strong className="mono">{w.thread}</strong> waits on <span className="mono">{w.label}</span>: {wakeText(w)}
            .
          </li>
        ))}
      </ul>
    </div>
  );
}
