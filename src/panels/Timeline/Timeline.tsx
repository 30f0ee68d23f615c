import { useEffect, useRef } from 'react';
import { useDispatch, useLab } from '../../store/context';
import { selectCursor, selectLength, selectTimeline } from '../../store/selectors';
import { useWindow } from '../common/useWindow';
import { Panel } from '../Panel';

/** Fixed row height of the step list, so thousands of steps are windowed. */
const ROW = 22;

/** Every step so far in words; back, forward, jump, scrub. Acting after going back forks. */
export function Timeline() {
  const timeline = useLab(selectTimeline);
  const cursor = useLab(selectCursor);
  const length = useLab(selectLength);
  const dispatch = useDispatch();
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
  }, [cursor, rows]);

  const items = [];
  for (let i = win.start; i < win.end; i++) {
    const label = i === 0 ? 'setup' : timeline[i - 1]!.label;
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
