import { memo } from 'react';
import type { ThreadView } from '../../protocol/snapshot';
import { frameRows } from './locals';

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
        frames.map((f, i) => (
          <details key={`${f.depth}-${f.fn}`} open={i === 0} className="src-frame">
            <summary>
              <span className="mono">{f.fn}</span>
              {i === 0 ? ' (innermost)' : ` (caller, frame ${f.depth})`}
            </summary>
            <table aria-label={`Locals of ${f.fn}`}>
              <tbody>
                {f.rows.map((r) => (
                  <tr key={r.name} className={r.changed ? 'changed' : undefined}>
                    <th scope="row" className="mono">
                      {r.name}
                    </th>
                    <td className="mono" title={r.was !== null ? `was ${r.was}` : undefined}>
                      {r.value}
                      {r.changed && <span className="visually-hidden"> (changed, was {r.was})</span>}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </details>
        ))
      )}
    </section>
  );
});
