import { memo } from 'react';
import type { ThreadView } from '../../protocol/snapshot';
import { frameRows, sameFrameRows, type FrameRows, type LocalRow } from './locals';

/** One local: rendered again only when its value or its change mark does (most stay put on a step). */
const LocalRowView = memo(function LocalRowView({ name, value, changed, was }: LocalRow) {
  return (
    <tr className={changed ? 'changed' : undefined}>
      <th scope="row" className="mono">
        {name}
      </th>
      <td className="mono" title={was !== null ? `was ${was}` : undefined}>
        {value}
        {changed && <span className="visually-hidden"> (changed, was {was})</span>}
      </td>
    </tr>
  );
});

/**
 * One frame's locals. Memoized on what it shows: a step re-renders only the frames whose values changed
 * (every step makes a new thread, so the pane itself re-renders each time; its tables need not).
 */
const FrameLocals = memo(
  function FrameLocals({ frame: f, innermost }: { frame: FrameRows; innermost: boolean }) {
    return (
      <details open={innermost} className="src-frame">
        <summary>
          <span className="mono">{f.fn}</span>
          {innermost ? ' (innermost)' : ` (caller, frame ${f.depth})`}
        </summary>
        <table aria-label={`Locals of ${f.fn}`}>
          <tbody>
            {f.rows.map((r) => (
              <LocalRowView key={r.name} {...r} />
            ))}
          </tbody>
        </table>
      </details>
    );
  },
  (a, b) => a.innermost === b.innermost && sameFrameRows(a.frame, b.frame),
);

/**
 * The C locals of the followed thread's frames, innermost first (open), the
 * callers below (closed). A value that changed since the state shown before
 * is marked, with what it was.
 */
export const LocalsPane = memo(function LocalsPane({
  thread,
  before,
}: {
  thread: ThreadView;
  before: ThreadView | undefined;
}) {
  const frames = frameRows(thread, before);
  return (
    <section className="src-locals" aria-label={`Locals of ${thread.id}`}>
      {frames.length === 0 ? (
        <p className="src-locals-empty">
          {thread.id} is in no seed function{thread.status === 'done' ? ' (returned)' : ''}: no C locals.
        </p>
      ) : (
        frames.map((f, i) => <FrameLocals key={`${f.depth}-${f.fn}`} frame={f} innermost={i === 0} />)
      )}
    </section>
  );
});
