import { lazy, memo, Suspense, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { useDispatch, useLab, useLabStore } from '../../store/context';
import { selectFontScale, usePrefs } from '../../store/prefs';
import { selectBranch, selectBranches, selectCursor, selectLength, selectTimeline } from '../../store/selectors';
import type { BranchView } from '../../protocol/debug';
import type { TimelineEntry } from '../../protocol/messages';
import type { LabState } from '../../store/store';
import { trailText } from '../Source/follow';
import { timelineMarkdown } from './markdown';
import { useScrollView, useSteadyWindow } from '../common/useWindow';
import { Panel } from '../Panel';
import { useOnceTrue } from '../common/useOnceTrue';
import { forkMarks, sharedSteps } from './branches';

/** Fetched when two branches are first compared: the first paint does not need it. */
const ComparisonDialog = lazy(() => import('./ComparisonDialog').then((m) => ({ default: m.ComparisonDialog })));
const selectComparing = (s: LabState) => s.comparison !== null;

/** Fixed row height of the step list at 100%, so thousands of steps are windowed. */
const ROW_BASE = 22;

/** A branch in the pickers: its name, length and where it parts from the current one. */
function branchText(b: BranchView, shared: number | undefined): string {
  const from = shared === undefined ? '' : `, parts after step ${shared}`;
  return `${b.name} (${b.length} step${b.length === 1 ? '' : 's'}${from})`;
}

/**
 * Switch between the history's branches; compare the current one with another (the newest other branch: the
 * comparison picks another where there are more). One short row, so the step list under it keeps its rows.
 */
function BranchBar({ branches, branch }: { branches: readonly BranchView[]; branch: number }) {
  const dispatch = useDispatch();
  const shared = useMemo(() => sharedSteps(branches, branch), [branches, branch]);
  const current = branches.find((b) => b.id === branch);
  const other = branches.filter((b) => b.id !== branch).at(-1);
  return (
    <div className="branches" role="group" aria-label="Branches">
      <label>
        Branch{' '}
        <select
          aria-label="Branch"
          value={branch}
          onChange={(e) => dispatch({ type: 'switchBranch', branch: Number(e.target.value) })}
        >
          {branches.map((b) => (
            <option key={b.id} value={b.id}>
              {branchText(b, shared.get(b.id))}
            </option>
          ))}
        </select>
      </label>
      <button
        type="button"
        disabled={other === undefined}
        title={other && current ? `Compare ${current.name} with ${other.name}, step by step` : undefined}
        onClick={() => other && dispatch({ type: 'compare', a: branch, b: other.id })}
      >
        Compare
      </button>
    </div>
  );
}

/**
 * Start, Back, Forward, End and the Markdown export. Memoized on whether the cursor is at either end: the
 * rest is read from the store when pressed, so a step that moves the cursor does not render them again.
 */
const HistoryButtons = memo(function HistoryButtons({ atStart, atEnd }: { atStart: boolean; atEnd: boolean }) {
  const dispatch = useDispatch();
  const store = useLabStore();
  const seek = (to: (s: { cursor: number; length: number }) => number) => {
    const state = store.getState();
    // From where the lab is going: a Back pressed before End's answer counts from End.
    const at = { cursor: state.aimedCursor(), length: state.length };
    dispatch({ type: 'seek', to: Math.min(at.length, Math.max(0, to(at))) });
  };
  const exportMarkdown = () => {
    const { title, timeline } = store.getState();
    const url = URL.createObjectURL(new Blob([timelineMarkdown(title, timeline)], { type: 'text/markdown' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = 'pager-lab-timeline.md';
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  };
  return (
    <div className="toolbar" role="group" aria-label="History">
      {/* Named apart from the Threads panel's Start, which starts a thread: this one goes to the setup. */}
      <button
        type="button"
        onClick={() => seek(() => 0)}
        disabled={atStart}
        aria-label="Start of timeline"
        title="Go to the setup, before step 1"
      >
        Start
      </button>
      <button type="button" onClick={() => seek((s) => s.cursor - 1)} disabled={atStart} aria-keyshortcuts="ArrowLeft">
        Back
      </button>
      <button type="button" onClick={() => seek((s) => s.cursor + 1)} disabled={atEnd} aria-keyshortcuts="ArrowRight">
        Forward
      </button>
      <button type="button" onClick={() => seek((s) => s.length)} disabled={atEnd}>
        End
      </button>
      <button type="button" onClick={exportMarkdown} title="Download the timeline as Markdown, one line per step">
        Markdown
      </button>
    </div>
  );
});

const NO_FORKS: readonly BranchView[] = [];

interface TimelineRowProps {
  step: number;
  label: string;
  /** The seed lines the step ran, in words ('' for none). */
  ran: string;
  place: 'current' | 'future' | '';
  /** The other branches that part from this step. */
  forks: readonly BranchView[];
  /** The list's length (rows are windowed: each one says how many there are). */
  setSize: number;
}

/**
 * One step of the list. Memoized without its `setSize`: a step at the end of the history makes the list one
 * longer, and rendering every row again for that (the whole window, on every step) was most of the
 * Timeline's share of a step; the Timeline sets the new length on the rows in place.
 */
const TimelineRow = memo(
  function TimelineRow({ step: i, label, ran, place, forks, setSize }: TimelineRowProps) {
    const dispatch = useDispatch();
    return (
      <li aria-setsize={setSize} aria-posinset={i + 1} className={place}>
        <button
          type="button"
          onClick={() => dispatch({ type: 'seek', to: i })}
          aria-current={place === 'current' ? 'step' : undefined}
          title={ran ? `${i}. ${label}: ${ran}` : undefined}
        >
          {i}. {label}
        </button>
        {forks.map((b) => (
          <button
            key={b.id}
            type="button"
            className="fork"
            title={`${b.name} parts from here${b.firstLabel ? `: ${b.firstLabel}` : ''}. Switch to it.`}
            onClick={() => dispatch({ type: 'switchBranch', branch: b.id })}
          >
            ↪ {b.name}
          </button>
        ))}
      </li>
    );
  },
  (a, b) => a.step === b.step && a.label === b.label && a.ran === b.ran && a.place === b.place && a.forks === b.forks,
);

/** What a row says a step ran, made once per entry (an entry never changes): a step renders ~15 rows. */
const RAN = new WeakMap<TimelineEntry, string>();
function ranText(entry: TimelineEntry): string {
  let text = RAN.get(entry);
  if (text === undefined) {
    text = entry.trail.lines.length ? `ran seed lines ${trailText(entry.trail.lines, entry.trail.omitted)}` : '';
    RAN.set(entry, text);
  }
  return text;
}

/**
 * Every step so far in words; back, forward, jump, scrub. Acting on a past
 * step keeps the old future as a branch: the list marks where each other
 * branch parts from this one, and the branch bar switches and compares.
 */
export function Timeline() {
  const timeline = useLab(selectTimeline);
  const compared = useOnceTrue(useLab(selectComparing));
  const cursor = useLab(selectCursor);
  const length = useLab(selectLength);
  const branches = useLab(selectBranches);
  const branch = useLab(selectBranch);
  const forks = useMemo(() => forkMarks(branches, branch), [branches, branch]);
  const dispatch = useDispatch();
  const ROW = ROW_BASE * usePrefs(selectFontScale);
  const scroller = useRef<HTMLDivElement>(null);
  // Row 0 is the setup; row i is step i.
  const rows = timeline.length + 1;
  const view = useScrollView(scroller);

  // Keep the current step in view, scrolling only when it is outside: worked out from the position last
  // seen, during the render that moves the cursor, so the window is right at once and the commit reads no
  // layout (reading the scroller's height there laid the whole lab out on every step).
  // (Also when the scroller's height is first known or changes: the current step stays in view.)
  // A step that leaves the view is brought back to its middle: the next steps either way come into rows
  // already shown, so the list scrolls (and repaints every row it shows) once in a few steps, not on each.
  // Below the last step the list keeps half a view of room (`room`), where each Step at the end of the
  // history adds its row.
  const room = Math.max(0, (view.height - ROW) / 2);
  const follow = `${cursor}:${rows}:${ROW}:${view.height}`;
  const [followed, setFollowed] = useState('');
  if (followed !== follow) {
    setFollowed(follow);
    const top = cursor * ROW;
    if (top < view.top || top + ROW > view.top + view.height) view.moveTo(Math.max(0, top - room));
  }
  const win = useSteadyWindow(view, ROW, rows);

  const here = cursor > 0 ? timeline[cursor - 1] : undefined;

  const items = [];
  for (let i = win.start; i < win.end; i++) {
    const entry = i === 0 ? undefined : timeline[i - 1]!;
    items.push(
      <TimelineRow
        key={i}
        step={i}
        label={entry?.label ?? 'setup'}
        ran={entry ? ranText(entry) : ''}
        place={i === cursor ? 'current' : i > cursor ? 'future' : ''}
        forks={forks.get(i) ?? NO_FORKS}
        setSize={rows}
      />,
    );
  }
  // The rows skip rendering when only the list's length changed (see TimelineRow): the length they announce
  // is set here, on the rows already in the list, when it changes.
  const list = useRef<HTMLOListElement>(null);
  useLayoutEffect(() => {
    const size = String(rows);
    for (const row of list.current?.children ?? [])
      if (row.getAttribute('aria-setsize') !== size) row.setAttribute('aria-setsize', size);
  }, [rows]);

  // 'branched': in the layouts that share a column the Timeline is given the height of its Branches bar
  // (styles.css), so the bar does not take its rows from the step list.
  return (
    <Panel
      title="Timeline"
      className={branches.length > 1 ? 'panel-timeline branched' : 'panel-timeline'}
      id="timeline"
      actions={<HistoryButtons atStart={cursor === 0} atEnd={cursor >= length} />}
    >
      <div className="timeline">
        <label className="scrubber">
          <span>
            Step {cursor} of {length}
          </span>
          <input
            type="range"
            min={0}
            max={length}
            value={cursor}
            aria-label="Scrub through steps"
            onChange={(e) => dispatch({ type: 'seek', to: Number(e.target.value) })}
          />
        </label>
        <p
          className="timeline-ran"
          title={here?.trail.lines.length ? trailText(here.trail.lines, here.trail.omitted, 1000) : undefined}
        >
          {here?.trail.lines.length ? (
            <>
              <span className="src-trail-swatch" aria-hidden="true" />
              {`Step ${cursor} ran seed lines `}
              <span className="mono">{trailText(here.trail.lines, here.trail.omitted, 400)}</span>
            </>
          ) : (
            <span className="muted">{cursor === 0 ? 'The setup.' : `Step ${cursor} ran no seed line.`}</span>
          )}
        </p>
        {branches.length > 1 && <BranchBar branches={branches} branch={branch} />}
        <div className="timeline-scroll" ref={scroller}>
          <ol
            ref={list}
            className="timeline-list"
            aria-label="Steps"
            style={{ paddingTop: win.padTop, paddingBottom: win.padBottom + room }}
          >
            {items}
          </ol>
        </div>
      </div>
      {compared && (
        <Suspense fallback={null}>
          <ComparisonDialog />
        </Suspense>
      )}
    </Panel>
  );
}
