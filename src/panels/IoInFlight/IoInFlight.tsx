import { Fragment, useState, type CSSProperties } from 'react';
import type { IoView } from '../../protocol/snapshot';
import { useDispatch, useLab } from '../../store/context';
import { useShallow } from 'zustand/react/shallow';
import { selectIo, selectIoFinished, selectIoStarted, selectPanic, selectProfile } from '../../store/selectors';
import type { LabState } from '../../store/store';
import { useChangedNote } from '../common/changed';
import { threadIndexOf } from '../common/threadIndex';
import { threadColor } from '../../viz/palette';
import { Panel } from '../Panel';
import { hex } from '../format';
import { fieldText, pagesText } from './io-text';
import { defaultShortBytes, parseShortBytes } from './short';
import './IoInFlight.css';

const NO_IO: readonly IoView[] = [];

/** Each request's thread's position in the thread list (its colour), not the list: it is new every step. */
const selectIoThreadIndexes = (s: LabState) => {
  const threads = s.snapshot?.threads ?? [];
  return (s.snapshot?.io ?? NO_IO).map((req) => Math.max(0, threadIndexOf(threads, req.thread)));
};

interface ShortDraft {
  id: number;
  text: string;
  error: string | null;
}

/** Disk requests started and not yet finished; the user plays the disk. */
export function IoInFlight() {
  const io = useLab(selectIo) ?? NO_IO;
  const threadIndexes = useLab(useShallow(selectIoThreadIndexes));
  const panicked = useLab(selectPanic) !== null;
  const [draft, setDraft] = useState<ShortDraft | null>(null);
  const dispatch = useDispatch();
  const profile = useLab(selectProfile);
  const ioFields = profile?.ioFields ?? [];
  const pageKey = profile?.pageTree.key ?? 'offset';
  const started = useLab(selectIoStarted);
  const finished = useLab(selectIoFinished);
  const changed = useChangedNote();

  const confirmShort = (req: IoView) => {
    if (!draft) return;
    const parsed = parseShortBytes(draft.text, req.length, req.exactLength);
    if (!parsed.ok) {
      setDraft({ ...draft, error: parsed.error });
      return;
    }
    setDraft(null);
    dispatch({ type: 'complete', request: req.id, result: parsed.result });
  };

  return (
    <Panel title="I/O in flight" className="panel-io" id="io">
      {changed.note}
      {finished.length > 0 && (
        <p className="changed-list">
          <span className="changed-mark">Finished in the last step:</span>{' '}
          {finished.map((r) => `request ${r.id} (${r.thread}, ${r.rw} ${hex(r.offset)})`).join('; ')}
        </p>
      )}
      {io.length === 0 ? (
        <p className="empty">No disk I/O in flight.</p>
      ) : (
        <table className="io-table">
          <thead>
            <tr>
              <th scope="col">id</th>
              <th scope="col">thread</th>
              <th scope="col">vnode</th>
              <th scope="col">r/w</th>
              <th scope="col">offset</th>
              <th scope="col">length</th>
              <th scope="col">pages</th>
              {ioFields.map((f) => (
                <th scope="col" key={f.key} title={f.meaning}>
                  {f.label}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {io.map((req, index) => {
              const open = draft?.id === req.id ? draft : null;
              const errId = `io-short-${req.id}-error`;
              return (
                <Fragment key={req.id}>
                  <tr>
                    <td {...changed.mark(started.includes(req.id), 'mono')}>{req.id}</td>
                    <td className="mono">
                      <span
                        className="io-swatch"
                        style={{ '--thread-color': threadColor(threadIndexes[index] ?? 0) } as CSSProperties}
                      />
                      {req.thread}
                    </td>
                    <td className="mono">{req.vnode}</td>
                    <td>{req.rw}</td>
                    <td className="mono">{hex(req.offset)}</td>
                    <td className="mono">{req.exactLength ?? req.length}</td>
                    <td className="mono io-pages">{pagesText(req.pageOffsets, pageKey)}</td>
                    {ioFields.map((f) => (
                      <td className="mono" key={f.key}>
                        {fieldText(req.fields[f.key])}
                      </td>
                    ))}
                  </tr>
                  <tr className="io-actions-row">
                    <td colSpan={7 + ioFields.length} className="io-actions">
                      <button
                        type="button"
                        aria-label={`Complete request ${req.id}`}
                        disabled={panicked}
                        onClick={() => dispatch({ type: 'complete', request: req.id, result: 'ok' })}
                      >
                        Complete
                      </button>
                      <button
                        type="button"
                        aria-label={`Fail request ${req.id} with EIO`}
                        disabled={panicked}
                        onClick={() => dispatch({ type: 'complete', request: req.id, result: 'eio' })}
                      >
                        Fail (EIO)
                      </button>
                      <button
                        type="button"
                        aria-label={`Complete request ${req.id} short`}
                        aria-expanded={open !== null}
                        disabled={panicked}
                        onClick={() =>
                          setDraft(
                            open ? null : { id: req.id, text: String(defaultShortBytes(req.length)), error: null },
                          )
                        }
                      >
                        Short…
                      </button>
                    </td>
                  </tr>
                  {open && !panicked && (
                    <tr className="io-short-row">
                      <td colSpan={7 + ioFields.length}>
                        <form
                          className="io-short"
                          aria-label={`Short completion of request ${req.id}`}
                          noValidate
                          onSubmit={(e) => {
                            e.preventDefault();
                            confirmShort(req);
                          }}
                        >
                          <label>
                            bytes transferred (0 ≤ B &lt; {req.exactLength ?? req.length})
                            <input
                              type="number"
                              min={0}
                              max={req.length - 1}
                              step={1}
                              // As wide as the largest B it takes (16 digits at most: 2^53 - 1), the spinner beside.
                              style={{
                                width: `calc(${String(Math.min(req.length - 1, Number.MAX_SAFE_INTEGER)).length}ch + 2.5em)`,
                              }}
                              autoFocus
                              value={open.text}
                              aria-invalid={open.error ? true : undefined}
                              aria-describedby={open.error ? errId : undefined}
                              onChange={(e) => setDraft({ ...open, text: e.target.value, error: null })}
                            />
                          </label>
                          <button type="submit" aria-label={`Confirm short completion of request ${req.id}`}>
                            Complete short
                          </button>
                          <button type="button" onClick={() => setDraft(null)}>
                            Cancel
                          </button>
                          {open.error && (
                            <span role="alert" id={errId} className="field-error">
                              {open.error}
                            </span>
                          )}
                        </form>
                      </td>
                    </tr>
                  )}
                </Fragment>
              );
            })}
          </tbody>
        </table>
      )}
    </Panel>
  );
}
