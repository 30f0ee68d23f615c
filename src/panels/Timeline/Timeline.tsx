import { useEffect, useRef } from 'react';
import { useDispatch, useLab, useLabStore } from '../../store/context';
import { selectFontScale, usePrefs } from '../../store/prefs';
import { selectCursor, selectLength, selectTimeline } from '../../store/selectors';
import { trailText } from '../Source/follow';
import { timelineMarkdown } from './markdown';
import { useWindow } from '../common/useWindow';
import { Panel } from '../Panel';

/** Fixed row height of the step list at 100%, so thousands of steps are windowed. */
const ROW_BASE = 22;

/** Every step so far in words; back, forward, jump, scrub. Acting after going back forks. */
export function Timeline() {
  const timeline = useLab(selectTimeline);
  const cursor = useLab(selectCursor);
  const length = useLab(selectLength);
  const dispatch = useDispatch();
  const store = useLabStore();
  const ROW = ROW_BASE * usePrefs(selectFontScale);
  const scroller = useRef<HTMLDivElement>(null);
  // Row 0 is the setup; row i is step i.
  const rows = timeline.length + 1;
  const win = useWindow(scroller, rows, ROW);

  // Keep the current step in view, scrolling only when it is outside.
  useEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const top = cursor * ROW;
    if (top < el.scrollTop) el.scrollTop = top;
    else if (top + ROW > el.scrollTop + el.clientHeight) el.scrollTop = top + ROW - el.clientHeight;
  }, [cursor, rows, ROW]);

  const exportMarkdown = () => {
    const { title } = store.getState();
    const url = URL.createObjectURL(new Blob([timelineMarkdown(title, timeline)], { type: 'text/markdown' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = 'pager-lab-timeline.md';
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  };
  const here = cursor > 0 ? timeline[cursor - 1] : undefined;

  const items = [];
  for (let i = win.start; i < win.end; i++) {
    const entry = i === 0 ? undefined : timeline[i - 1]!;
    const label = entry?.label ?? 'setup';
    const ran = entry?.trail.lines.length ? `ran seed lines ${trailText(entry.trail.lines, entry.trail.omitted)}` : '';
    items.push(
      <li
        key={i}
        aria-setsize={rows}
        aria-posinset={i + 1}
        className={i === cursor ? 'current' : i > cursor ? 'future' : ''}
      >
        <button
          type="button"
          onClick={() => dispatch({ type: 'seek', to: i })}
          aria-current={i === cursor ? 'step' : undefined}
          title={ran ? `${i}. ${label}: ${ran}` : undefined}
        >
          {i}. {label}
        </button>
      </li>,
    );
  }

  return (
    <Panel
      title="Timeline"
      className="panel-timeline"
      id="timeline"
      actions={
        <div className="toolbar" role="group" aria-label="History">
          <button type="button" onClick={() => dispatch({ type: 'seek', to: 0 })} disabled={cursor === 0}>
            Start
          </button>
          <button
            type="button"
            onClick={() => dispatch({ type: 'seek', to: cursor - 1 })}
            disabled={cursor === 0}
            aria-keyshortcuts="ArrowLeft"
          >
            Back
          </button>
          <button
            type="button"
            onClick={() => dispatch({ type: 'seek', to: cursor + 1 })}
            disabled={cursor >= length}
            aria-keyshortcuts="ArrowRight"
          >
            Forward
          </button>
          <button type="button" onClick={() => dispatch({ type: 'seek', to: length })} disabled={cursor >= length}>
            End
          </button>
          <button type="button" onClick={exportMarkdown} title="Download the timeline as Markdown, one line per step">
            Markdown
          </button>
        </div>
      }
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
        <div className="timeline-scroll" ref={scroller}>
          <ol
            className="timeline-list"
            aria-label="Steps"
            style={{ paddingTop: win.padTop, paddingBottom: win.padBottom }}
          >
            {items}
          </ol>
        </div>
      </div>
    </Panel>
  );
}
