import { memo, useEffect, useLayoutEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import type { PageView } from '../../protocol/snapshot';
import type { PagerProfile } from '../../protocol/profile';
import { countWhere } from '../../protocol/patched';
import { useLab } from '../../store/context';
import { useShallow } from 'zustand/react/shallow';
import {
  selectAddedPages,
  selectPageChanges,
  selectPages,
  selectProfile,
  selectRemovedPages,
} from '../../store/selectors';
import type { LabState } from '../../store/store';
import { stateFill, threadColor } from '../../viz/palette';
import { PageGrouper, pageLabel } from '../../viz/pages';
import { arrangeTrees, LayoutCache } from '../../viz/treeLayout';
import { usePageLookup } from '../common/pageIndex';
import { liveIndices } from '../common/threadIndex';
import { useShownVnodes, useVnodeNames, VnodePicker } from '../common/VnodePicker';
import { Panel } from '../Panel';
import { RB_STROKE, stateTag, TreeLayer, type FocusMark } from './TreeLayer';
import { usePanZoom } from './usePanZoom';
import { FIT_PADDING, fitTransform } from '../../viz/panZoom';
import './PageTree.css';

const NO_PAGES: readonly PageView[] = [];
const NO_IDS: ReadonlySet<number> = new Set();
/** Busy pages per vnode list, counted from the last list's count when a step replaced a few pages. */
const busyCounts = new WeakMap<readonly PageView[], number>();
const isBusy = (p: PageView) => p.busy;
/** Below this scale node text would be unreadable: draw the overview instead. */
const DETAIL_SCALE = 0.75;

/**
 * The page each live thread works on, with the thread's position in the list (its colour), flat as
 * [id, position, page, ...]: compared item by item, it keeps the tree from rendering again on a step that
 * moved no thread to another page (the thread list itself is new on every step).
 */
const selectFocusEntries = (s: LabState): (string | number)[] => {
  const out: (string | number)[] = [];
  const threads = s.snapshot?.threads;
  if (!threads) return out;
  for (const i of liveIndices(threads)) {
    const t = threads[i]!;
    if (t.focusPage !== null) out.push(t.id, i, t.focusPage);
  }
  return out;
};

/**
 * Thread ids in numeric order (t2 before t10), as `localeCompare(…, 'en', { numeric: true })` orders them: one
 * collator made once: `localeCompare` with options makes one per call (2.2 ms of a render that moved a page, in
 * the FreeBSD bench's profile).
 */
const byThreadId = new Intl.Collator('en', { numeric: true }).compare;

/**
 * The pager object's resident pages as its kernel keeps them, one drawing per
 * vnode shown, the structure named by the pager's profile: OpenBSD's
 * uvm_objtree (a red-black tree keyed by offset) or FreeBSD's pages by
 * pindex (a list). D3 computes layout (src/viz/treeLayout.ts,
 * src/viz/listLayout.ts) and the zoom transform (src/viz/panZoom.ts); React
 * renders every element.
 */
export function PageTree() {
  const pages = useLab(selectPages) ?? NO_PAGES;
  const focusEntries = useLab(useShallow(selectFocusEntries));
  const profile = useLab(selectProfile);
  const allNames = useVnodeNames();
  const { names } = useShownVnodes();

  // Both caches keep identity across steps: a vnode whose pages did not
  // change keeps its array, and a tree whose offsets did not change keeps
  // its layout. Each memo is idempotent, so StrictMode's double call is fine.
  const [grouper] = useState(() => new PageGrouper<PageView>());
  const [layouts] = useState(() => new LayoutCache());
  const groups = useMemo(() => grouper.group(pages, allNames), [grouper, pages, allNames]);
  const kind = profile?.pageTree.layout ?? 'rbtree';
  const scene = arrangeTrees(
    names.map((name) => {
      const list = groups.get(name) ?? NO_PAGES;
      return { name, pages: list, layout: layouts.get(name, list, kind) };
    }),
  );

  // The page each running thread works on, in that thread's colour: the one that busied it as owner.
  // Only the few pages threads work on are looked up, by a kept index (no pass over every page per step).
  const pageOf = usePageLookup(pages);
  const focus = useMemo(() => {
    const map = new Map<number, FocusMark[]>();
    for (let at = 0; at < focusEntries.length; at += 3) {
      const id = focusEntries[at] as string;
      const i = focusEntries[at + 1] as number;
      const page = focusEntries[at + 2] as number;
      const marks = map.get(page) ?? [];
      const role = pageOf(page)?.owner === id ? 'owner' : 'waiter';
      marks.push({ thread: id, color: threadColor(i), role });
      map.set(page, marks);
    }
    return map;
  }, [focusEntries, pageOf]);

  // What the last step did to the pages: changed or brought in.
  const pageChanges = useLab(selectPageChanges);
  const added = useLab(selectAddedPages);
  const removed = useLab(selectRemovedPages);
  const changed = useMemo(() => {
    const ids = [...Object.keys(pageChanges).map(Number), ...added];
    return ids.length ? new Set(ids) : NO_IDS;
  }, [pageChanges, added]);

  const svg = useRef<SVGSVGElement>(null);
  const { view: zoomed, size, controller, ready } = usePanZoom(svg, profile !== null);

  // Fit when the shown vnodes change, or when the trees change size and the
  // user has not zoomed or panned since the last fit.
  const { x0, y0, x1, y1 } = scene.bounds;
  // Until the controller's chunk is in, draw with the fit it will make on arrival: the tree is whole from its
  // first frame, and nothing moves when the controller comes.
  const view = useMemo(
    () =>
      ready || size.width === 0 || size.height === 0
        ? zoomed
        : fitTransform({ x0, y0, x1, y1 }, size.width, size.height, FIT_PADDING),
    [ready, zoomed, x0, y0, x1, y1, size],
  );
  const namesKey = names.join('\n');
  const fittedFor = useRef<string | null>(null);
  useEffect(() => {
    const c = controller.current;
    if (!c || size.width === 0 || size.height === 0) return;
    if (c.userMoved && fittedFor.current === namesKey) return;
    fittedFor.current = namesKey;
    c.fit({ x0, y0, x1, y1 }, size.width, size.height);
  }, [controller, ready, namesKey, x0, y0, x1, y1, size]);

  // The exporters are their own chunk, fetched on the first export: the first paint does not need them.
  const exportTree = (run: (el: SVGSVGElement, x: typeof import('./export')) => unknown) => {
    const el = svg.current;
    if (el) void import('./export').then((x) => run(el, x));
  };
  const fit = () => {
    controller.current?.fit(scene.bounds, size.width, size.height);
  };

  const detail = view.k >= DETAIL_SCALE;

  // Where each working thread's page is in the scene, for the "go to" buttons.
  // The few pages threads work on are looked up (the page's place in its tree's list, a native search by
  // identity), not found by a pass over every node of every tree on each render.
  const targets: { thread: string; color: string; x: number; y: number }[] = [];
  for (const [id, marks] of focus) {
    const page = pageOf(id);
    const t = page && scene.trees.find((tree) => tree.name === page.vnode);
    const i = t ? t.pages.indexOf(page) : -1;
    const n = t?.layout.nodes[i];
    if (n) for (const m of marks) targets.push({ ...m, x: n.x + t.shiftX, y: n.y });
  }
  targets.sort((a, b) => byThreadId(a.thread, b.thread));
  // The buttons read the zoom and size when pressed, so they stay the same elements while the targets do.
  const shown = useRef({ k: view.k, size });
  useLayoutEffect(() => {
    shown.current = { k: view.k, size };
  });
  const targetsKey = targets.map((t) => `${t.thread} ${t.color} ${t.x} ${t.y}`).join('\n');
  const goToButtons = useMemo(
    () =>
      targets.length > 0 && (
        <span className="legend-item tree-goto" role="group" aria-label="Zoom to a thread's page">
          zoom to
          {targets.map((t) => (
            <button
              key={t.thread}
              type="button"
              onClick={() => {
                const { k, size } = shown.current;
                controller.current?.centerOn(t.x, t.y, Math.max(k, 1), size.width, size.height);
              }}
              aria-label={`Zoom to the page ${t.thread} works on`}
            >
              <span className="owner-swatch" style={{ background: t.color }} aria-hidden="true" /> {t.thread}
            </button>
          ))}
        </span>
      ),
    // eslint-disable-next-line react-hooks/exhaustive-deps -- targetsKey stands for the targets
    [targetsKey, controller],
  );
  const summary = scene.trees
    .map((t) => {
      const busy = countWhere(busyCounts, t.pages, isBusy);
      return `${t.name}: ${t.pages.length} resident page${t.pages.length === 1 ? '' : 's'}, ${busy} busy`;
    })
    .join('; ');

  return (
    <Panel
      title="Page tree"
      className="panel-tree"
      id="tree"
      actions={
        <div className="toolbar">
          <VnodePicker />
          <button type="button" onClick={() => controller.current?.zoomBy(1 / 1.5)} aria-label="Zoom out">
            −
          </button>
          <button type="button" onClick={() => controller.current?.zoomBy(1.5)} aria-label="Zoom in">
            +
          </button>
          <button type="button" onClick={fit}>
            Fit
          </button>
          <button
            type="button"
            onClick={() => exportTree((el, x) => x.exportSvg(el, 'pager-lab-page-tree.svg'))}
            title="Download the page tree as you see it, as SVG"
          >
            SVG
          </button>
          <button
            type="button"
            onClick={() => exportTree((el, x) => x.exportPng(el, 'pager-lab-page-tree.png'))}
            title="Download the page tree as you see it, as PNG (twice the screen's resolution)"
          >
            PNG
          </button>
        </div>
      }
    >
      <div className="tree-body">
        {profile && <p className="tree-structure muted">{profile.pageTree.structure}</p>}
        <div className="tree-canvas">
          <svg
            ref={svg}
            className="tree-svg"
            role="img"
            aria-label={summary ? `Page tree. ${summary}` : 'Page tree: no vnodes'}
          >
            <g transform={`translate(${view.x},${view.y}) scale(${view.k})`}>
              {size.width > 0 &&
                profile &&
                scene.trees.map((t) => (
                  <TreeLayer
                    key={t.name}
                    name={t.name}
                    pages={t.pages}
                    layout={t.layout}
                    shiftX={t.shiftX}
                    slotX={t.slotX}
                    slotWidth={t.slotWidth}
                    view={view}
                    width={size.width}
                    height={size.height}
                    detail={detail}
                    focus={focus}
                    changed={changed}
                    profile={profile}
                  />
                ))}
            </g>
          </svg>
        </div>
        {removed.length > 0 && (
          <p className="tree-freed">
            <span className="changed-mark">Left the tree in this step:</span>{' '}
            {removed.map((p) => pageLabel(p, profile?.pageTree.key ?? 'offset')).join(', ')}
          </p>
        )}
        <Legend profile={profile} hint={!detail && scene.trees.some((t) => t.pages.length > 0)}>
          {goToButtons}
        </Legend>
      </div>
    </Panel>
  );
}

/** Rendered again only when the profile, the hint or the zoom-to buttons change (not on every step's pages). */
const Legend = memo(function Legend({
  profile,
  hint,
  children,
}: {
  profile: PagerProfile | null;
  hint: boolean;
  children?: ReactNode;
}) {
  return (
    <div className="tree-legend" aria-label="Page tree legend">
      {profile?.pageStates.map((s) => (
        <span key={s.state} className="legend-item" title={s.meaning}>
          <span className="legend-swatch" style={{ background: stateFill(s.state) }} aria-hidden="true" />
          {stateTag(profile, s.state)}
          {s.state === 'dirty' && <span className="legend-note">: {s.meaning}</span>}
        </span>
      ))}
      {profile?.pageTree.layout === 'list' ? (
        <span className="legend-item" title="vm_page_next finds a resident page at the next pindex only">
          <span className="legend-link" aria-hidden="true" />
          adjacent pindexes
        </span>
      ) : (
        <>
          <span className="legend-item" title="Red-black tree: a black node is drawn square with a solid outline">
            <span
              className="legend-swatch legend-rb-black"
              style={{ borderColor: RB_STROKE.black }}
              aria-hidden="true"
            />
            black node
          </span>
          <span className="legend-item" title="Red-black tree: a red node is drawn round with a dashed outline">
            <span className="legend-swatch legend-rb-red" style={{ borderColor: RB_STROKE.red }} aria-hidden="true" />
            red node
          </span>
        </>
      )}
      <span className="legend-item">
        <span className="legend-badge" aria-hidden="true">
          B
        </span>
        {profile?.pageTree.busy}
      </span>
      <span className="legend-item">
        <span className="legend-badge" aria-hidden="true">
          W
        </span>
        {profile?.pageTree.wanted}
      </span>
      <span className="legend-item">
        <span className="legend-ring legend-ring-owner" aria-hidden="true" />
        square ring: the thread that busied the page
      </span>
      <span className="legend-item">
        <span className="legend-ring legend-ring-waiter" aria-hidden="true" />
        dashed pill: a thread waiting on (or working on) it
      </span>
      <span className="legend-item">
        <span className="legend-changed" aria-hidden="true" />
        dotted halo: changed by the last step
      </span>
      {children}
      {hint && (
        <span className="legend-item tree-hint">
          zoom in (wheel, double-click or +) to read {profile?.pageTree.key === 'pindex' ? 'pindexes' : 'offsets'}
        </span>
      )}
    </div>
  );
});
