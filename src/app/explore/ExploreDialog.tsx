/**
 * The lab's Explore dialog (its own chunk, loaded on the first click of "Explore"): search every schedule of
 * the current setup's threads in the explorer's own worker, with live progress and Cancel, the findings
 * listed as they come; a finding opens its scenario at the failing step with the culprit thread selected.
 */
import { useEffect, useReducer, useRef, useState } from 'react';
import { ExploreClient, exploreWorker } from '../../client/explore-client';
import {
  callerBugNote,
  CHOICE_LIMITS,
  DEFAULT_CHOICE,
  type ExploreEvent,
  type ExploreFindingView,
} from '../../protocol/explore';
import { useLab, useLabStore } from '../../store/context';
import { currentScenario, type LabState } from '../../store/store';
import { showLinkInAddress } from '../link-in-address';
import {
  findingText,
  IDLE,
  reduceExplore,
  scheduleText,
  searchedNote,
  searchKey,
  STARTED,
  statusText,
  type ExploreView,
  type Searched,
} from './explore-state';
import './explore.css';

type Action =
  | { type: 'event'; event: ExploreEvent }
  | { type: 'start' }
  | { type: 'cancel' }
  /** An option was changed: a refusal of the options before no longer holds. */
  | { type: 'edit' };

function reducer(view: ExploreView, action: Action): ExploreView {
  switch (action.type) {
    case 'start':
      return STARTED;
    case 'cancel':
      return view.status === 'running' ? { ...view, cancelling: true } : view;
    case 'edit':
      return view.status === 'error' ? IDLE : view;
    case 'event':
      return reduceExplore(view, action.event);
  }
}

/** The kernel's own findings first, then those a caller bug led to, each group in the order found. */
const kernelFirst = (findings: readonly ExploreFindingView[]) => [
  ...findings.filter((f) => f.callerBug === null),
  ...findings.filter((f) => f.callerBug !== null),
];

/** A number field's value (an empty field is no number, not 0). */
const asNumber = (text: string) => (text.trim() === '' ? NaN : Number(text));

/** A whole number from a number field, held within its bounds (for the progress bar's scale). */
const whole = (text: string, lo: number, hi: number, fallback: number) => {
  const n = Number(text);
  return Number.isSafeInteger(n) ? Math.min(hi, Math.max(lo, n)) : fallback;
};

export default function ExploreDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const store = useLabStore();
  const [view, send] = useReducer(reducer, IDLE);
  // Options refused here (no scenario, no result ticked): said in the status line; the last results stay.
  const [refusal, setRefusal] = useState<string | null>(null);
  const [client] = useState(() => new ExploreClient(exploreWorker, (event) => send({ type: 'event', event })));
  useEffect(() => () => client.dispose(), [client]);

  const [ok, setOk] = useState(DEFAULT_CHOICE.results.includes('ok'));
  const [eio, setEio] = useState(DEFAULT_CHOICE.results.includes('eio'));
  const [preempt, setPreempt] = useState(String(DEFAULT_CHOICE.preempt));
  const [maxSchedules, setMaxSchedules] = useState(String(DEFAULT_CHOICE.maxSchedules));
  const [threads, setThreads] = useState(0);
  // A finding or schedule opened, or another scenario or other threads in the lab: the results stay (another may
  // be opened), and say what they were found in, since "Explore again" would now search what the lab shows.
  const [searched, setSearched] = useState<Searched | null>(null);
  // Read only while the dialog shows: the lab does not step behind a modal dialog, so this costs a step nothing.
  const labKey = useLab((s: LabState) => (open ? searchKey(currentScenario(s)) : null));
  const epoch = useLab((s: LabState) => s.epoch);
  const note = searchedNote(searched, { key: labKey, epoch });

  useEffect(() => {
    const d = dialog.current;
    if (!d) return;
    if (open && !d.open) d.showModal();
    if (!open && d.open) d.close();
  }, [open]);

  const running = view.status === 'running';
  const cancelling = view.cancelling;
  const exploreButton = useRef<HTMLButtonElement>(null);
  const cancelButton = useRef<HTMLButtonElement>(null);
  const closeButton = useRef<HTMLButtonElement>(null);
  // The button pressed is disabled as the search starts or is cancelled: the browser would drop focus to the
  // page, out of the dialog; it goes to the button that now does something (Cancel, then Explore again).
  const parkedOnClose = useRef(false);
  useEffect(() => {
    const d = dialog.current;
    const active = document.activeElement;
    const lost = !active || active === document.body || (d?.contains(active) && (active as HTMLButtonElement).disabled);
    // Cancel pressed: focus waits on Close until Explore again can be pressed.
    const parked = parkedOnClose.current && active === closeButton.current;
    if (!d?.open || !(lost || (parked && !running))) return;
    const target = running ? (cancelling ? closeButton : cancelButton) : exploreButton;
    parkedOnClose.current = target === closeButton;
    target.current?.focus();
  }, [running, cancelling]);
  const schedulesLimit = whole(maxSchedules, 1, CHOICE_LIMITS.maxSchedules, DEFAULT_CHOICE.maxSchedules);

  const start = () => {
    const scenario = currentScenario(store.getState());
    if (!scenario) return setRefusal('Open a scenario first.');
    const results = [...(ok ? ['ok'] : []), ...(eio ? ['eio'] : [])];
    if (results.length === 0) return setRefusal('Choose at least one result a request may complete with.');
    setThreads(scenario.steps.filter((s) => 'spawn' in s).length);
    setSearched({ title: scenario.title ?? '', key: searchKey(scenario), openedAt: null });
    setRefusal(null);
    send({ type: 'start' });
    client.start(scenario, {
      ...DEFAULT_CHOICE,
      results,
      // As typed: the worker refuses a value out of bounds with a message, and searches nothing.
      preempt: asNumber(preempt),
      maxSchedules: asNumber(maxSchedules),
    });
  };

  const show = (f: { link: string; steps: number; thread: string | null; callerBug?: string | null }) => {
    // As a link to a moment does: the scenario at the step that shows the finding, the culprit selected; a
    // caller bug's finding with "About this scenario" open, where its title says whose bug it is.
    const openedAt = store.getState().epoch;
    const id = store.getState().dispatch({
      type: 'open',
      source: { kind: 'link', hash: f.link },
      origin: 'Explore finding',
      cursor: f.steps,
      ...(f.thread ? { select: f.thread } : {}),
      ...(f.callerBug ? { about: true } : {}),
    });
    // In the address while the finding is shown: once the learner acts, a reload restores their session.
    if (id !== null) showLinkInAddress(store, f.link, id);
    setSearched((s) => (s ? { ...s, openedAt } : s));
    onClose();
  };

  const p = view.progress;
  return (
    <dialog ref={dialog} className="explore-dialog" aria-labelledby="explore-title" onClose={onClose}>
      <h2 id="explore-title">Explore schedules</h2>
      <p className="muted">
        Searches the orders in which this setup&apos;s threads (its spawns; other steps are ignored) can run and the
        disk can answer, for panics, hangs and leaks.
      </p>
      <form
        className="explore-options"
        onChange={() => {
          setRefusal(null);
          send({ type: 'edit' });
        }}
        onSubmit={(e) => {
          e.preventDefault();
          if (!running) start();
        }}
      >
        <fieldset disabled={running}>
          <legend>Results a request may complete with</legend>
          <label>
            <input type="checkbox" checked={ok} onChange={(e) => setOk(e.target.checked)} /> ok
          </label>
          <label>
            <input type="checkbox" checked={eio} onChange={(e) => setEio(e.target.checked)} /> eio
          </label>
        </fieldset>
        <fieldset disabled={running}>
          <legend>Limits</legend>
          <label>
            Preemption bound{' '}
            <input
              type="number"
              min={0}
              max={CHOICE_LIMITS.preempt}
              value={preempt}
              onChange={(e) => setPreempt(e.target.value)}
            />
          </label>
          <label>
            Max schedules{' '}
            <input
              type="number"
              min={1}
              max={CHOICE_LIMITS.maxSchedules}
              value={maxSchedules}
              onChange={(e) => setMaxSchedules(e.target.value)}
            />
          </label>
        </fieldset>
        <div className="toolbar">
          <button ref={exploreButton} type="submit" disabled={running}>
            {view.status === 'idle' ? 'Explore' : 'Explore again'}
          </button>
          <button
            ref={cancelButton}
            type="button"
            disabled={!running || view.cancelling}
            onClick={() => {
              send({ type: 'cancel' });
              client.cancel();
            }}
          >
            Cancel
          </button>
          <button ref={closeButton} type="button" onClick={onClose}>
            Close
          </button>
        </div>
      </form>
      <div className="explore-progress">
        <p role="status" className={view.status === 'error' || refusal ? 'explore-error' : undefined}>
          {refusal ??
            `${view.status !== 'idle' && view.status !== 'error' && threads > 0 ? `${threads} thread${threads === 1 ? '' : 's'}. ` : ''}${statusText(view)}`}
        </p>
        {p && view.status !== 'error' && (
          <progress
            aria-label="Schedules searched"
            max={schedulesLimit}
            value={view.status === 'done' && view.exhaustive ? schedulesLimit : p.schedules}
          />
        )}
      </div>
      {view.status !== 'idle' && view.status !== 'error' && (
        <section aria-labelledby="explore-findings-title">
          <h3 id="explore-findings-title">Findings</h3>
          {note && <p className="explore-left">{note}</p>}
          {view.findings.length === 0 ? (
            <p className="muted">
              {running
                ? 'None yet.'
                : view.exhaustive
                  ? 'None: no schedule panics, hangs or leaks.'
                  : 'None in the schedules searched (not every schedule was).'}
            </p>
          ) : (
            <ol className="explore-findings" aria-labelledby="explore-findings-title">
              {kernelFirst(view.findings).map((f) => (
                <li key={`${f.kind}\n${f.message}`} className={`finding-${f.kind}`}>
                  <button type="button" onClick={() => show(f)} title="Open this schedule at the step that shows it">
                    {findingText(f)}
                  </button>
                  {f.callerBug && <p className="explore-caller-bug">{callerBugNote(f.callerBug)}</p>}
                </li>
              ))}
            </ol>
          )}
          {running && view.findings.length > 0 && (
            <p className="muted">Each is shortened to its fewest steps when the search ends.</p>
          )}
        </section>
      )}
      {view.schedules.length > 0 && (
        <section aria-labelledby="explore-schedules-title">
          <h3 id="explore-schedules-title">First schedules</h3>
          <ol className="explore-findings" aria-labelledby="explore-schedules-title">
            {view.schedules.map((s) => (
              <li key={s.index}>
                <button type="button" onClick={() => show(s)} title="Open this schedule at its last step">
                  {scheduleText(s)}
                </button>
              </li>
            ))}
          </ol>
        </section>
      )}
    </dialog>
  );
}
