import { memo, useEffect, useRef } from 'react';
import { useDispatch, useLab } from '../../store/context';
import { selectBranches, selectComparison } from '../../store/selectors';
import type { LabState } from '../../store/store';
import type { BranchView } from '../../protocol/debug';

const NO_BRANCHES: readonly BranchView[] = [];
const selectComparedBranches = (s: LabState) => (s.comparison ? selectBranches(s) : NO_BRANCHES);

/** Paths shown in a cell before "+N more" (all of them in its tooltip). */
const SHOWN_PATHS = 6;

/**
 * Two branches step by step: each one's step in words and the digest fields that differ after it. Where the
 * history has more than two, a picker compares the branch shown with another.
 */
// Memoised (no props: the Timeline re-renders on every step, the dialog only when a comparison opens or closes).
export const ComparisonDialog = memo(function ComparisonDialog() {
  const comparison = useLab(selectComparison);
  // The branches change with every step at the end of one (its length): read them only while a comparison is
  // open, so a step does not re-render the closed dialog.
  const branches = useLab(selectComparedBranches);
  const dispatch = useDispatch();
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const d = dialog.current;
    if (!d) return;
    if (comparison && !d.open) d.showModal();
    if (!comparison && d.open) d.close();
  }, [comparison]);
  // The Timeline's Compare takes the newest other branch: another is picked here.
  const others = comparison ? branches.filter((b) => b.id !== comparison.a) : NO_BRANCHES;
  const name = (id: number) => branches.find((b) => b.id === id)?.name ?? `Branch ${id}`;
  return (
    <dialog
      ref={dialog}
      className="comparison"
      aria-labelledby={comparison ? 'comparison-title' : undefined}
      onClose={() => dispatch({ type: 'closeComparison' })}
    >
      {comparison && (
        <>
          <h2 id="comparison-title">
            {name(comparison.a)} and {name(comparison.b)}
          </h2>
          {others.length > 1 && (
            <p>
              <label>
                Compare with{' '}
                <select
                  aria-label="Compare with"
                  value={comparison.b}
                  onChange={(e) => dispatch({ type: 'compare', a: comparison.a, b: Number(e.target.value) })}
                >
                  {others.map((b) => (
                    <option key={b.id} value={b.id}>
                      {b.name}
                    </option>
                  ))}
                </select>
              </label>
            </p>
          )}
          <p>
            They share their first {comparison.shared} step{comparison.shared === 1 ? '' : 's'}. After each later step,
            the contract digest fields that differ between them:
          </p>
          <div className="comparison-scroll">
            <table aria-label="Step by step">
              <thead>
                <tr>
                  <th scope="col">step</th>
                  <th scope="col">{name(comparison.a)}</th>
                  <th scope="col">{name(comparison.b)}</th>
                  <th scope="col">digest fields that differ</th>
                </tr>
              </thead>
              <tbody>
                {comparison.rows.map((r) => {
                  const ended = r.a === null || r.b === null;
                  const shown = r.differ.slice(0, SHOWN_PATHS);
                  return (
                    <tr key={r.index} className={r.differ.length > 0 ? 'differs' : undefined}>
                      <td>{r.index}</td>
                      <td>{r.a ?? '(ended)'}</td>
                      <td>{r.b ?? '(ended)'}</td>
                      <td className="mono" title={r.differ.join('\n') || undefined}>
                        {ended
                          ? `not compared: ${r.a === null ? name(comparison.a) : name(comparison.b)} has ended`
                          : r.differ.length === 0
                            ? 'none in the digest; a thread may still differ inside'
                            : `${shown.join(', ')}${r.differ.length > shown.length ? `, +${r.differ.length - shown.length} more` : ''}`}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
          <button type="button" onClick={() => dispatch({ type: 'closeComparison' })}>
            Close
          </button>
        </>
      )}
    </dialog>
  );
});
