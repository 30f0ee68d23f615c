import { memo, useEffect, useId, useRef, type CSSProperties } from 'react';
import type { ThreadView } from '../../protocol/snapshot';
import { useDispatch, useLabStore } from '../../store/context';
import { threadColor } from '../../viz/palette';
import type { ChangedNote } from '../common/changed';
import { formatArgs, isBlocked, positionText, returnText } from './thread-text';

export interface ThreadCardProps {
  thread: ThreadView;
  index: number;
  selected: boolean;
  /** The Source follows this thread though another is selected. */
  inSource: boolean;
  panicked: boolean;
  /** This thread is the one that panicked. */
  culprit: boolean;
  /**
   * What it waits for, in words (waitText), made by the list: the card takes this string rather than the
   * snapshot's pages and locks, which change on nearly every step and would re-render every card.
   */
  wait: string | null;
  /** The seed file's name, for "file:line". */
  seedFile: string;
  /** What the last step changed in this thread: 'new', 'status', 'line', 'wait', 'locks', 'ret'. */
  changed: readonly string[];
  mark: ChangedNote['mark'];
}

/** One kernel thread: what it runs, where it stands, what it holds and waits for. */
export const ThreadCard = memo(function ThreadCard({
  thread: t,
  index,
  selected,
  inSource,
  panicked,
  culprit,
  wait,
  seedFile,
  changed,
  mark,
}: ThreadCardProps) {
  const ref = useRef<HTMLElement>(null);
  const labelId = `${useId()}-label`;
  const store = useLabStore();
  const dispatch = useDispatch();
  const select = () => store.getState().selectThread(t.id);
  const canAct = t.status === 'ready' && !panicked;

  // Keep the selected card in view when it is selected or grows (blocked: more lines); not on every line.
  useEffect(() => {
    if (selected) ref.current?.scrollIntoView({ block: 'nearest' });
  }, [selected, t.status]);

  return (
    <li>
      <article
        ref={ref}
        aria-labelledby={labelId}
        className={`thread-card status-${t.status}${selected ? ' selected' : ''}`}
        style={{ '--thread-color': threadColor(index) } as CSSProperties}
        onClick={select}
      >
        <div className="thread-head">
          <span className="swatch" aria-hidden="true" />
          <button type="button" className="thread-id" id={labelId} aria-pressed={selected} title="Select">
            {t.id}
          </button>
          <span {...mark(changed.includes('status'), 'thread-status')}>{culprit ? 'panicked' : t.status}</span>
          {changed.includes('new') && <span className="changed-mark thread-new">new</span>}
          {inSource && (
            <span className="thread-in-source" title="The Source follows this thread: the selected one has returned">
              in Source
            </span>
          )}
          <span className="thread-spacer" />
          <span className="thread-actions">
            <button
              type="button"
              aria-label={`Step ${t.id}`}
              aria-keyshortcuts={selected ? 's' : undefined}
              disabled={!canAct}
              onClick={(e) => {
                e.stopPropagation();
                // Selected with the step's answer: one render for both (the Source jumps once, to the new line).
                dispatch({ type: 'step', thread: t.id });
                store.getState().selectThreadOnAnswer(t.id);
              }}
            >
              Step
            </button>
            <button
              type="button"
              aria-label={`Run ${t.id}`}
              aria-keyshortcuts={selected ? 'r' : undefined}
              disabled={!canAct}
              onClick={(e) => {
                e.stopPropagation();
                dispatch({ type: 'run', thread: t.id });
                store.getState().selectThreadOnAnswer(t.id);
              }}
            >
              Run
            </button>
          </span>
        </div>
        <p className="thread-call mono">
          {t.call}({formatArgs(t.args)})
          {t.status === 'done' && (
            <span {...mark(changed.includes('ret'), 'thread-ret')}> → returned {returnText(t.ret)}</span>
          )}
        </p>
        <dl className="thread-facts">
          {t.status !== 'done' && (
            <>
              <dt>at</dt>
              <dd {...mark(changed.includes('line'), 'mono')}>{positionText(t, seedFile)}</dd>
            </>
          )}
          {wait && (
            <>
              <dt>waits</dt>
              <dd {...mark(changed.includes('wait'), 'mono')}>{wait}</dd>
            </>
          )}
          {isBlocked(t) && (
            <>
              <dt>unblock</dt>
              <dd>{t.unblockers.length ? t.unblockers.join('; ') : 'no thread or request now can wake it'}</dd>
            </>
          )}
          {t.locksHeld.length > 0 && (
            <>
              <dt>holds</dt>
              <dd {...mark(changed.includes('locks'), 'mono')}>{t.locksHeld.join(', ')}</dd>
            </>
          )}
        </dl>
      </article>
    </li>
  );
});
