import { memo, useMemo, useState, type ReactElement } from 'react';
import { PageIndex } from '../common/pageIndex';
import type { PagerProfile } from '../../protocol/profile';
import type { PageView } from '../../protocol/snapshot';
import { stateFill } from '../../viz/palette';
import { pageKeyText } from '../../viz/pages';
import type { View } from '../../viz/panZoom';
import { OverviewCache } from '../../viz/overview';
import { patchedAt } from '../../protocol/patched';
import type { RbColor } from '../../viz/rbtree';
import { NODE_DX, NODE_DY, TREE_LABEL_Y, type LaidOutNode, type TreeLayout } from '../../viz/treeLayout';

/** Node box in world units (the layout spaces nodes NODE_DX apart). */
const W = 58;
const H = 36;
export const RB_STROKE: Record<RbColor, string> = { black: 'var(--rb-black)', red: 'var(--rb-red)' };
/** A list layout's nodes have no tree colour: a plain dark outline. */
const LIST_STROKE = 'var(--rb-black)';
const strokeOf = (color: RbColor | null) => (color === null ? LIST_STROKE : RB_STROKE[color]);

export interface FocusMark {
  readonly thread: string;
  readonly color: string;
  /** 'owner': the thread busied the page (a square ring); 'waiter': it sleeps on it or works on it unbusied (a pill, dashed). */
  readonly role: 'owner' | 'waiter';
}

/** One vnode's tree, drawn in its own coordinates and shifted into the scene. */
export const TreeLayer = memo(function TreeLayer({
  name,
  pages,
  layout,
  shiftX,
  slotX,
  slotWidth,
  view,
  width,
  height,
  detail,
  focus,
  changed,
  profile,
}: {
  name: string;
  pages: readonly PageView[];
  layout: TreeLayout;
  shiftX: number;
  slotX: number;
  slotWidth: number;
  view: View;
  width: number;
  height: number;
  detail: boolean;
  focus: ReadonlyMap<number, readonly FocusMark[]>;
  /** Pages the last step changed or brought in (a dotted halo), by id. */
  changed: ReadonlySet<number>;
  profile: PagerProfile;
}) {
  // The cache guarantees layout.nodes[i] is pages[i] (same offsets, same order).
  // The nodes the tree's name sits above: a tree's root, a list's first row (once per layout, not per step).
  const topRow = useMemo(() => {
    const top = layout.nodes.reduce((y, n) => Math.min(y, n.y), Infinity);
    return layout.nodes.flatMap((n, i) => (n.y === top ? [i] : []));
  }, [layout]);

  // Most steps change no page's state: keep the same path strings so the big overview is not repainted.
  // The states are compared with the last list's in place (no string of every state built per step).
  const [states] = useState(() => new StateKey());
  const stateKey = states.of(pages);
  // Kept strip by strip: a step that changed one page (or added one at the end of a list) builds one strip's
  // path strings, not those of all 4,096 pages.
  const [strips] = useState(() => new OverviewCache());
  // The links too, one path per strip: a page that comes rewrites its strip's links, not all 4,000.
  const { overview, links } = useMemo(
    () => {
      const paths = strips.of(layout, pages);
      return { overview: detail ? null : paths, links: strips.links };
    },
    // eslint-disable-next-line react-hooks/exhaustive-deps -- stateKey stands for the pages' states
    [detail, layout, stateKey, strips],
  );
  const [index] = useState(() => new PageIndex());
  // The same elements while the paths stay the same: a step that replaced pages without changing a state
  // renders this layer again (its pages are new), and React then skips these paths instead of diffing them.
  const linksPath = useMemo(() => links.map((d, s) => <path key={s} d={d} className="tree-links" />), [links]);
  const overviewPaths = useMemo(
    () =>
      overview?.map((g) => (
        <path
          key={g.key}
          d={g.d}
          style={{ fill: stateFill(g.state), stroke: strokeOf(g.rb) }}
          className="tree-overview"
        />
      )),
    [overview],
  );

  const k = view.k;
  // What is on screen, in this layer's coordinates, plus a node of margin.
  const x0 = -view.x / k - shiftX - NODE_DX;
  const x1 = (width - view.x) / k - shiftX + NODE_DX;
  const y0 = -view.y / k - NODE_DY;
  const y1 = (height - view.y) / k + NODE_DY;
  const onScreen = (n: LaidOutNode) => n.x >= x0 && n.x <= x1 && n.y >= y0 && n.y <= y1;
  const px = (screen: number) => screen / k; // screen pixels in world units

  // The name at 14 screen pixels; just the name, then smaller, when the slot is narrow. A list names its
  // first object beside the vnode, and each further object (a vnode's dead object and its new one) above
  // its own rows.
  const firstObject = layout.kind === 'list' && layout.bands[0] ? ` · ${layout.bands[0].label}` : '';
  const full =
    pages.length === 0
      ? `${name} · no resident pages`
      : `${name}${firstObject} · ${pages.length} page${pages.length === 1 ? '' : 's'}`;
  // The few pages with a halo or a ring, found in one pass: React then reconciles a handful of elements,
  // not two lists of 4,096 mostly empty slots, on every step.
  // Looked up by id (the index survives steps that change pages in place), drawn in the tree's order.
  const halos: ReactElement[] = [];
  const rings: ReactElement[] = [];
  const marked: number[] = [];
  for (const id of new Set([...changed, ...focus.keys()])) {
    const i = index.indexOf(pages, id);
    if (i >= 0) marked.push(i);
  }
  marked.sort((a, b) => a - b);
  for (const i of marked) {
    const n = layout.nodes[i]!;
    const id = pages[i]!.id;
    if (changed.has(id)) halos.push(<ChangedHalo key={`c${id}`} node={n} unit={px(1)} />);
    const marks = focus.get(id);
    if (marks) rings.push(<FocusRing key={`f${id}`} node={n} marks={marks} unit={px(1)} />);
  }

  const fits = (text: string) => text.length * 0.62 * px(14) <= slotWidth;
  const label = fits(full) ? full : name;
  const labelSize = Math.min(px(14), slotWidth / (0.62 * label.length));
  // Above whatever the top row draws round its pages (halo, badges, up to two rings; more push it up). The
  // fit's top padding (FIT_PADDING) has room for it with two rings at any zoom the fit picks.
  let topMarks = 2;
  for (const i of topRow) topMarks = Math.max(topMarks, focus.get(pages[i]!.id)?.length ?? 0);
  const labelY = Math.min(TREE_LABEL_Y, -decorationTop(topMarks, px(1)) - px(4));

  return (
    <g transform={`translate(${shiftX},0)`}>
      <text className="tree-vnode-label" x={slotX - shiftX} y={labelY} fontSize={labelSize}>
        {label}
      </text>
      {layout.bands.slice(1).map((b) => (
        <text key={b.label} className="tree-vnode-label" x={b.x} y={b.y} fontSize={px(13)}>
          {b.label}
        </text>
      ))}
      {linksPath}
      {overviewPaths}
      {halos}
      {detail &&
        layout.nodes.map((n, i) =>
          onScreen(n) ? (
            <PageNode
              key={pages[i]!.id}
              page={pages[i]!}
              node={n}
              profile={profile}
              changed={changed.has(pages[i]!.id)}
            />
          ) : null,
        )}
      {rings}
    </g>
  );
});

/** Ring `i`'s distance outside the node box, and its stroke, at `unit` world units a screen pixel. */
const ringPad = (i: number, unit: number) => 5 + i * 7 + Math.min(3 * unit, 40);
const ringStroke = (unit: number) => Math.max(4, 3 * unit);
const haloPad = (unit: number) => 3 + Math.min(2 * unit, 30) + 8;
const haloStroke = (unit: number) => Math.max(3, 2.5 * unit);

/** How far above a node's centre its halo, badges and `marks` rings reach, in world units. */
function decorationTop(marks: number, unit: number): number {
  const halo = H / 2 + haloPad(unit) + haloStroke(unit) / 2;
  const rings = marks > 0 ? H / 2 + ringPad(marks - 1, unit) + ringStroke(unit) / 2 : 0;
  return Math.max(halo, rings, H / 2 + 8.5);
}

/** The tag a state is written with: the profile's label, in capitals. */
export function stateTag(profile: PagerProfile, state: string): string {
  return (profile.pageStates.find((s) => s.state === state)?.label ?? state).toUpperCase();
}

const PageNode = memo(function PageNode({
  page,
  node,
  profile,
  changed,
}: {
  page: PageView;
  node: LaidOutNode;
  profile: PagerProfile;
  changed: boolean;
}) {
  const key = profile.pageTree.key;
  const tag = stateTag(profile, page.state);
  const tip =
    `${page.object} ${pageKeyText(page, key)}: ${tag}; ` +
    `${page.summary}${page.modified ? '; modified through a mapping' : ''}; ` +
    (node.color === null ? `resident page of ${page.object}` : `${node.color} node of the red-black tree`) +
    (page.owner ? `; busied by ${page.owner}` : '') +
    (changed ? '; changed by the last step' : '');
  return (
    <g transform={`translate(${node.x},${node.y})`} className="tree-node">
      <title>{tip}</title>
      <rect
        x={-W / 2}
        y={-H / 2}
        width={W}
        height={H}
        rx={node.color === 'red' ? H / 2 : 2}
        style={{ fill: stateFill(page.state), stroke: strokeOf(node.color) }}
        strokeWidth={node.color === null ? 2 : 3}
        strokeDasharray={node.color === 'red' ? '6 3' : undefined}
      />
      <text className="tree-node-offset" y={-2} textAnchor="middle">
        {key === 'pindex' ? page.offset / 4096 : pageKeyText(page, key)}
      </text>
      <text className="tree-node-state" y={12} textAnchor="middle">
        {tag}
      </text>
      {page.busy && <Badge x={W / 2 - 4} letter="B" label={`${profile.pageTree.busy}: busy`} />}
      {page.wanted && <Badge x={-W / 2 + 4} letter="W" label={`${profile.pageTree.wanted}: a thread waits for it`} />}
    </g>
  );
});

function Badge({ x, letter, label }: { x: number; letter: string; label: string }) {
  return (
    <g transform={`translate(${x},${-H / 2})`} aria-label={label} className="tree-badge">
      <title>{label}</title>
      <circle r={8.5} />
      <text y={3.5} textAnchor="middle">
        {letter}
      </text>
    </g>
  );
}

/** What the last step changed: a dotted halo around the node, at any zoom. */
function ChangedHalo({ node, unit }: { node: LaidOutNode; unit: number }) {
  const pad = haloPad(unit);
  return (
    <ellipse
      className="tree-changed"
      cx={node.x}
      cy={node.y}
      rx={W / 2 + pad}
      ry={H / 2 + pad}
      style={{ strokeWidth: haloStroke(unit) }}
    />
  );
}

/**
 * A thick ring in the thread's colour, and its name beside a swatch, at any
 * zoom. The owner's ring is square and solid; a waiter's is a dashed pill,
 * so the two differ in shape, not only in colour.
 */
function FocusRing({ node, marks, unit }: { node: LaidOutNode; marks: readonly FocusMark[]; unit: number }) {
  const font = Math.max(13, 14 * unit);
  const stroke = ringStroke(unit);
  // Names beside the outermost ring, centred on the node: not up into the tree's name, nor far below it.
  const nameX = W / 2 + ringPad(marks.length - 1, unit) + stroke / 2 + 3 * Math.min(unit, 4);
  return (
    <g transform={`translate(${node.x},${node.y})`} className="tree-focus">
      {marks.map((m, i) => {
        const pad = ringPad(i, unit);
        const owner = m.role === 'owner';
        return (
          <rect
            key={m.thread}
            x={-W / 2 - pad}
            y={-H / 2 - pad}
            width={W + 2 * pad}
            height={H + 2 * pad}
            rx={owner ? 1 : H / 2 + pad}
            fill="none"
            style={{ stroke: m.color }}
            strokeWidth={stroke}
            strokeDasharray={owner ? undefined : `${2.2 * stroke} ${1.2 * stroke}`}
          >
            <title>{`${m.thread} ${owner ? 'busied this page' : 'waits on or works on this page'}`}</title>
          </rect>
        );
      })}
      {marks.map((m, i) => (
        <g
          key={`l${m.thread}`}
          transform={`translate(${nameX},${font * 0.35 + (i - (marks.length - 1) / 2) * font * 1.2})`}
        >
          {m.role === 'owner' ? (
            <rect
              y={-font * 0.8}
              width={font * 0.8}
              height={font * 0.8}
              style={{ fill: m.color, stroke: 'var(--node-ink)' }}
              strokeWidth={1}
            />
          ) : (
            <circle
              cx={font * 0.4}
              cy={-font * 0.4}
              r={font * 0.4}
              style={{ fill: m.color, stroke: 'var(--node-ink)' }}
              strokeWidth={1}
            />
          )}
          <text x={font} y={0} fontSize={font} className="tree-focus-label">
            {m.thread}
          </text>
        </g>
      ))}
    </g>
  );
}

/**
 * A number that changes when any page's state (or the list's length) differs from the last list seen: one
 * pass of comparisons, where joining 4,096 states into a string allocated on every step.
 */
class StateKey {
  private last: readonly PageView[] = [];
  private key = 0;

  of(pages: readonly PageView[]): number {
    if (pages === this.last) return this.key;
    const last = this.last;
    // A list patched in place from the last one (a step changed a few pages): compare those pages only.
    const at = patchedAt(last, pages);
    let same = pages.length === last.length;
    if (at) for (const i of at) same &&= pages[i]!.state === last[i]!.state;
    else for (let i = 0; same && i < pages.length; i++) same = pages[i]!.state === last[i]!.state;
    this.last = pages;
    if (!same) this.key++;
    return this.key;
  }
}
