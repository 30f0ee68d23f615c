import { useEffect, useRef } from 'react';
import { useStore } from '../../store/store';
import { selectCursor, selectLength, selectTimeline } from '../../store/selectors';
import { sim } from '../../worker/client';
import { Panel } from '../Panel';

/** Every step so far in words; back, forward, jump, scrub. Acting after going back forks. */
export function Timeline() {
  const timeline = useStore(selectTimeline);
  const cursor = useStore(selectCursor);
  const length = useStore(selectLength);
  const current = useRef<HTMLLIElement>(null);

  useEffect(() => {
    current.current?.scrollIntoView({ block: 'nearest' });
  }, [cursor]);

  return (
    <Panel
      title="Timeline"
      className="panel-timeline"
      actions={
        <div className="toolbar" role="group" aria-label="History">
          <button type="button" onClick={() => sim.seek(0)} disabled={cursor === 0}>
            Start
          </button>
          <button
            type="button"
            onClick={() => sim.seek(cursor - 1)}
            disabled={cursor === 0}
            aria-keyshortcuts="ArrowLeft"
          >
            Back
          </button>
          <button
            type="button"
            onClick={() => sim.seek(cursor + 1)}
            disabled={cursor >= length}
            aria-keyshortcuts="ArrowRight"
          >
            Forward
          </button>
          <button type="button" onClick={() => sim.seek(length)} disabled={cursor >= length}>
            End
          </button>
        </div>
      }
    >
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
          onChange={(e) => sim.seek(Number(e.target.value))}
        />
      </label>
      <ol className="timeline-list" aria-label="Steps">
        <li className={cursor === 0 ? 'current' : ''} ref={cursor === 0 ? current : undefined}>
          <button type="button" onClick={() => sim.seek(0)} aria-current={cursor === 0 ? 'step' : undefined}>
            0. setup
          </button>
        </li>
        {timeline.map((entry) => (
          <li
            key={entry.index}
            ref={entry.index === cursor ? current : undefined}
            className={entry.index === cursor ? 'current' : entry.index > cursor ? 'future' : ''}
          >
            <button
              type="button"
              onClick={() => sim.seek(entry.index)}
              aria-current={entry.index === cursor ? 'step' : undefined}
            >
              {entry.index}. {entry.label}
            </button>
          </li>
        ))}
      </ol>
    </Panel>
  );
}
