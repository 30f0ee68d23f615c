import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { ThreadView } from '../../protocol/snapshot';
import { useDispatch, useLab } from '../../store/context';
import { selectFontScale, usePrefs } from '../../store/prefs';
import {
  selectBreakpoints,
  selectChosenLine,
  selectPrevious,
  selectPreviewLine,
  selectProfile,
  selectSelectedThread,
  selectThreads,
  selectSceneLine,
  selectTrail,
} from '../../store/selectors';
import type { LabState } from '../../store/store';
import { functionDefinitions, tokenizeC } from '../../viz/c-highlight';
import { THREAD_INK, threadColor } from '../../viz/palette';
import { Panel } from '../Panel';
import { callerNotes, firstDefinitionLine, followedThread, lineMarks, selectLastActed, trailText } from './follow';
import { useScrollView, useSteadyWindow } from '../common/useWindow';
import { SourceLines } from './SourceLines';
import { DebugBar } from './DebugBar';
import { fetchedSeed, fetchSeed } from './seeds';
import { hasCode } from './code-lines';
import { LocalsPane } from './LocalsPane';
import { liveIndices, threadById } from '../common/threadIndex';
import './Source.css';

const NO_THREADS: readonly ThreadView[] = [];
const selectPreviousThreads = (s: LabState) => selectPrevious(s)?.threads;

type Seed = { status: 'loading' } | { status: 'error'; message: string } | { status: 'ok'; text: string };

/**
 * The seed at `path`: at once when it has been fetched (a link visit fetches it while the link replays), else
 * loading until its fetch comes in.
 */
function useSeed(path: string | null): Seed {
  const [seed, setSeed] = useState<{ path: string | null; seed: Seed }>({ path, seed: { status: 'loading' } });
  const fetched = path === null ? undefined : fetchedSeed(path);
  useEffect(() => {
    if (path === null || fetchedSeed(path) !== undefined) return;
    let live = true;
    fetchSeed(path).then(
      (text) => live && setSeed({ path, seed: { status: 'ok', text } }),
      (e: unknown) =>
        live && setSeed({ path, seed: { status: 'error', message: e instanceof Error ? e.message : String(e) } }),
    );
    return () => {
      live = false;
    };
  }, [path]);
  if (fetched !== undefined) return { status: 'ok', text: fetched };
  return seed.path === path ? seed.seed : { status: 'loading' };
}

function ThreadTag({ id, index }: { id: string; index: number }) {
  const color = threadColor(index);
  return (
    <span className="src-tag" style={{ background: color, color: THREAD_INK }}>
      {id}
    </span>
  );
}

/** Lines kept clear of the edges before the view scrolls to follow a thread. */
const MARGIN_LINES = 2;
/** Every line is this tall at 100% (Source.css), so the file is windowed: ~60 lines in the DOM, not 1,525. */
const LINE_BASE_PX = 18;
/** Padding above the first line inside the scroller (Source.css .src-lines). */
const TOP_PX = 2;

/**
 * The seed file, each thread's line marked, following the selected (or last
 * run) thread: the debugger's controls for it above, breakpoints in the
 * gutter, its C locals below.
 */
export function Source() {
  const profile = useLab(selectProfile);
  const seed = useSeed(profile?.seed.url ?? null);
  const text = seed.status === 'ok' ? seed.text : null;
  const lines = useMemo(() => (text === null ? [] : tokenizeC(text)), [text]);
  const isCode = useCallback((line: number) => hasCode(lines[line - 1]), [lines]);
  const defs = useMemo(() => (text === null ? new Map<string, number>() : functionDefinitions(text)), [text]);

  const threads = useLab(selectThreads) ?? NO_THREADS;
  const selected = useLab(selectSelectedThread);
  const lastActed = useLab(selectLastActed);
  const followed = followedThread(threads, selected, lastActed);
  const followedId = followed?.thread.id ?? null;
  const marks = useMemo(() => lineMarks(threads, followedId), [threads, followedId]);
  const notes = useMemo(() => callerNotes(threads), [threads]);
  const scroller = useRef<HTMLDivElement>(null);
  const LINE_PX = LINE_BASE_PX * usePrefs(selectFontScale);
  const view = useScrollView(scroller);
  const win = useSteadyWindow(view, LINE_PX, lines.length, TOP_PX);

  const followedLine = followed?.thread.status === 'done' ? null : (followed?.thread.line ?? null);
  // The lines the last step ran: tinted, and where the view goes when the followed thread has returned.
  const trail = useLab(selectTrail);
  const trailSet = useMemo(() => new Set(trail?.lines ?? []), [trail]);
  const trailEnd = trail?.lines.at(-1) ?? null;
  // A followed thread outside the seed (in its caller) with a step that ran no seed line: show where another
  // live thread stands (the one it waits for, often) rather than leave the view on the licence header.
  const otherLine = useMemo(() => {
    for (const i of liveIndices(threads)) if (threads[i]!.line !== null) return threads[i]!.line;
    return null;
  }, [threads]);
  const sceneLine = useLab(selectSceneLine);
  const viewLine = sceneLine ?? followedLine ?? trailEnd ?? (followed ? otherLine : null);
  const dispatch = useDispatch();
  const breakpointList = useLab(selectBreakpoints);
  const breakpoints = useMemo(() => new Set(breakpointList), [breakpointList]);
  const chosen = useLab(selectChosenLine);
  const previewLine = useLab(selectPreviewLine);
  const previousThreads = useLab(selectPreviousThreads);
  const before = followedId === null || !previousThreads ? undefined : threadById(previousThreads, followedId);
  const onBreakpoint = useCallback((line: number) => dispatch({ type: 'toggleBreakpoint', line }), [dispatch]);
  const onChoose = useCallback((line: number) => dispatch({ type: 'chooseLine', line }), [dispatch]);
  // Nothing to follow yet (a library scenario at step 0): show where the selected thread will go, else the
  // first function, never the licence header.
  const firstDef = useMemo(() => (text === null ? null : firstDefinitionLine(text)), [text]);
  const restLine = viewLine !== null ? null : (previewLine ?? firstDef);

  /**
   * Bring a line into view: centred, unless it is already comfortably visible and `force` is off. Worked out
   * from the scroller's position as last seen (no layout read: a step's commit must not lay the lab out).
   */
  const scrollToLine = (line: number, force: boolean) => {
    const top = TOP_PX + (line - 1) * LINE_PX;
    const margin = LINE_PX * MARGIN_LINES;
    if (!force && top >= view.top + margin && top + LINE_PX <= view.top + view.height - margin) return;
    // Clamped as the browser will clamp it (the lines' height less the view's), so the window matches.
    const end = TOP_PX + lines.length * LINE_PX - view.height;
    view.moveTo(Math.min(end, top - (view.height - LINE_PX) / 2));
  };

  // Follow the line to show when it changes, in the same render (the window is then right at once); and when
  // the view's height does (a layout or text size change can leave the line at an edge, or out of view).
  const showKey =
    lines.length === 0
      ? ''
      : viewLine !== null
        ? `line:${followedId}:${viewLine}:${lines.length}:${LINE_PX}:${view.height}`
        : restLine !== null
          ? `rest:${restLine}:${lines.length}:${LINE_PX}`
          : '';
  const [shown, setShown] = useState('');
  // Only once the scroller's height is known: centred on the first render's guess, the line could land at an
  // edge of the view, or out of it.
  if (shown !== showKey && view.measured) {
    setShown(showKey);
    if (viewLine !== null && lines.length > 0) scrollToLine(viewLine, false);
    // NOTE: the top of the function, not centred: the reader starts at its head.
    else if (restLine !== null && lines.length > 0)
      view.moveTo(Math.min(TOP_PX + lines.length * LINE_PX - view.height, TOP_PX + (restLine - 4) * LINE_PX));
  }

  const f = followed?.thread;
  return (
    <Panel
      title="Source"
      className="panel-source"
      id="source"
      actions={
        f && (
          <div className="src-following">
            <span>
              Following <ThreadTag id={f.id} index={followed.index} /> ({followed.reason})
              {followedLine !== null ? ` · line ${followedLine}` : ''}
            </span>
            <button
              type="button"
              disabled={followedLine === null}
              onClick={() => followedLine !== null && scrollToLine(followedLine, true)}
            >
              Show line
            </button>
          </div>
        )
      }
    >
      <DebugBar thread={f ?? null} seedFile={profile?.seed.file ?? 'seed'} isCode={isCode} />
      {f && (
        <nav className="src-crumbs" aria-label={`Call stack of ${f.id}`}>
          <ol>
            <li className="mono">{f.call}</li>
            {f.stack.map((fn, i) => (
              <li key={`${i}-${fn}`}>
                <button
                  type="button"
                  className="mono"
                  aria-current={i === f.stack.length - 1 ? 'location' : undefined}
                  disabled={!defs.has(fn)}
                  title={defs.has(fn) ? `Go to ${fn}, line ${defs.get(fn)}` : undefined}
                  onClick={() => scrollToLine(defs.get(fn)!, true)}
                >
                  {fn}
                </button>
              </li>
            ))}
            {f.stack.length === 0 && (
              <li className="src-crumb-note">
                {f.status === 'done' ? 'returned' : f.callerStmt ? 'in the caller' : 'not started'}
              </li>
            )}
          </ol>
        </nav>
      )}
      {trail && trail.lines.length > 0 && (
        <p className="src-trail">
          <span className="src-trail-swatch" aria-hidden="true" />
          {`The last step ran ${trailSet.size} line${trailSet.size === 1 ? '' : 's'} `}
          {`(${trailText(trail.lines, trail.omitted, 8)}). `}
          <button type="button" onClick={() => scrollToLine(trail.lines[0]!, true)}>
            First
          </button>{' '}
          <button type="button" onClick={() => scrollToLine(trailEnd!, true)}>
            Last
          </button>
        </p>
      )}
      {notes.length > 0 && (
        <ul className="src-notes" aria-label="Threads outside the seed">
          {notes.map((n) => (
            <li key={n.id}>
              <ThreadTag id={n.id} index={n.index} /> is in the caller: <code>{n.stmt}</code>
            </li>
          ))}
        </ul>
      )}
      {/* The scroller is always there so the window hook can watch it from the first render. */}
      <div
        ref={scroller}
        className="src-scroll"
        tabIndex={0}
        role="region"
        aria-label={profile?.seed.file ?? 'seed source'}
      >
        {seed.status === 'loading' && <p className="src-status">Loading {profile?.seed.file ?? 'the seed'}…</p>}
        {seed.status === 'error' && (
          <p role="alert" className="src-status">
            Could not load the seed file: {seed.message}
          </p>
        )}
        {seed.status === 'ok' && (
          <SourceLines
            lines={lines}
            marks={marks}
            current={followedLine}
            breakpoints={breakpoints}
            chosen={chosen}
            onBreakpoint={onBreakpoint}
            onChoose={onChoose}
            start={win.start}
            end={win.end}
            padTop={win.padTop}
            padBottom={win.padBottom}
            trail={trailSet}
          />
        )}
      </div>
      {f && <LocalsPane thread={f} before={before} />}
    </Panel>
  );
}
