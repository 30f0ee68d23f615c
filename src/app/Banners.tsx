/**
 * The status row under the header: its height is reserved, so a message
 * never pushes the panels down. On the left, the kernel (panicked, hung, or
 * a one-line summary); on the right, the last action's message, which goes
 * with the next action. A text longer than two lines opens over the panels.
 */
import { useEffect, useRef, useState, type ReactNode } from 'react';
import type { ThreadView, WaitView } from '../protocol/snapshot';
import type { Busy } from '../store/store';
import { wakeText } from '../panels/Threads/wake-text';
import { grouped } from '../panels/format';
import { liveIndices } from '../panels/common/threadIndex';
import { useLab, useLabStore } from '../store/context';
import {
  selectBusy,
  selectCursor,
  selectHung,
  selectLeaks,
  selectIo,
  selectLength,
  selectNotice,
  selectPanic,
  selectProfile,
  selectThreads,
  selectWaits,
  selectWorkerState,
} from '../store/selectors';

const NO_THREADS: readonly ThreadView[] = [];
const NO_WAITS: readonly WaitView[] = [];

function Banner({
  kind,
  role,
  label,
  children,
  actions,
}: {
  kind: string;
  role?: 'alert' | 'status';
  label?: string;
  children: ReactNode;
  actions?: ReactNode;
}) {
  const text = useRef<HTMLSpanElement>(null);
  const [open, setOpen] = useState(false);
  const [clipped, setClippedState] = useState(false);
  // Set only when it changes: React renders a component again for a set state even when the value is the one
  // it has (its quick check fails right after the component's own render), and this runs after every step.
  const shownClipped = useRef(false);
  const setClipped = useRef((value: boolean) => {
    if (shownClipped.current === value) return;
    shownClipped.current = value;
    setClippedState(value);
  }).current;
  // Whether the text overflows its two lines. Read in the next animation frame, after every panel of the
  // step has changed the DOM: reading it in the commit forced a layout of the whole lab on every step
  // (the frame lays it out anyway). The observer follows the row's own size (a resize, a font scale).
  useEffect(() => {
    const el = text.current;
    if (!el) return;
    const observer = new ResizeObserver(() => setClipped(el.scrollHeight > el.clientHeight + 1));
    observer.observe(el);
    return () => observer.disconnect();
  }, [setClipped]);
  useEffect(() => {
    const el = text.current;
    if (!el) return;
    const frame = requestAnimationFrame(() => setClipped(el.scrollHeight > el.clientHeight + 1));
    return () => cancelAnimationFrame(frame);
  });
  return (
    <div role={role} aria-label={label} className={`banner banner-${kind}${open ? ' open' : ''}`}>
      <span ref={text} className="banner-text">
        {children}
      </span>
      {(clipped || open) && (
        <button type="button" aria-expanded={open} onClick={() => setOpen(!open)}>
          {open ? 'Less' : 'More'}
        </button>
      )}
      {actions}
    </div>
  );
}

/** "t2 io (request 1)", "t3 sleep (vn1 page 0x0)": one thread in a few words. */
function threadWord(t: ThreadView, waits: readonly WaitView[]): string {
  if (t.status === 'done' || t.status === 'ready') return `${t.id} ${t.status}`;
  const w = waits.find((x) => x.thread === t.id);
  return `${t.id} ${t.status}${w ? ` (${w.label})` : ''}`;
}

function KernelBanner() {
  const panic = useLab(selectPanic);
  const hung = useLab(selectHung);
  const leaks = useLab(selectLeaks);
  const waits = useLab(selectWaits) ?? NO_WAITS;
  const threads = useLab(selectThreads) ?? NO_THREADS;
  const io = useLab(selectIo);
  const cursor = useLab(selectCursor);
  const length = useLab(selectLength);
  const seed = useLab(selectProfile)?.seed.file ?? 'the seed';
  const store = useLabStore();
  if (panic)
    return (
      <Banner kind="panic" role="alert">
        <strong>panic:</strong> {panic.message} — thread {panic.thread}
        {panic.line !== null ? `, ${seed} line ${panic.line}` : ''}. The kernel has stopped; go back in the timeline to
        explore another path.
      </Banner>
    );
  if (hung)
    return (
      <Banner
        kind="hung"
        role="alert"
        actions={
          <button type="button" onClick={() => store.getState().showWaitGraph(true)}>
            Show the wait-for graph
          </button>
        }
      >
        Hung: no thread can run and no disk request is in flight.{' '}
        {waits.map((w) => `${w.thread} waits on ${w.label}; ${wakeText(w)}.`).join(' ')}
      </Banner>
    );
  if (leaks.length > 0)
    return (
      <Banner kind="leak" role="alert">
        Leak: every thread is done, but the calls left this behind: {leaks.join('; ')}.
      </Banner>
    );
  const live = liveIndices(threads).map((i) => threads[i]!);
  const inFlight = io?.length ?? 0;
  return (
    <Banner kind="summary" label="Kernel summary">
      Step {cursor} of {length}
      {threads.length === 0
        ? ' · no threads'
        : ` · ${live.length ? live.map((t) => threadWord(t, waits)).join(', ') : 'every thread done'}`}
      {` · ${inFlight} request${inFlight === 1 ? '' : 's'} in flight`}
    </Banner>
  );
}

/** Long work shows its progress after this long (shorter work would only flash it)… */
const SHOW_PROGRESS_AFTER_MS = 250;
/** …and offers Cancel after this long. */
const OFFER_CANCEL_AFTER_MS = 1000;

/** How long the long work `busy` has been seen: 0 (not yet shown), 1 (progress) or 2 (progress and Cancel). */
function useBusyPhase(busy: Busy | null): 0 | 1 | 2 {
  const id = busy?.id ?? null;
  const [phase, setPhase] = useState<{ id: number | null; phase: 0 | 1 | 2 }>({ id: null, phase: 0 });
  useEffect(() => {
    if (id === null) return;
    const show = setTimeout(() => setPhase({ id, phase: 1 }), SHOW_PROGRESS_AFTER_MS);
    const offer = setTimeout(() => setPhase({ id, phase: 2 }), OFFER_CANCEL_AFTER_MS);
    return () => {
      clearTimeout(show);
      clearTimeout(offer);
    };
  }, [id]);
  return phase.id === id && id !== null ? phase.phase : 0;
}

/** Long work in the worker: how far it has got, and after a second, Cancel. */
function BusyBanner({ busy, cancel }: { busy: Busy; cancel: boolean }) {
  const store = useLabStore();
  const n = grouped;
  return (
    <Banner
      kind="info"
      role="status"
      label="Progress"
      actions={
        cancel && (
          <button type="button" onClick={() => store.getState().dispatch({ type: 'cancel' })}>
            Cancel
          </button>
        )
      }
    >
      {busy.what}… {busy.total > 0 ? `${n(busy.done)} of ${n(busy.total)} steps` : `${n(busy.done)} steps`}
    </Banner>
  );
}

function NoticeBanner() {
  const notice = useLab(selectNotice);
  const workerState = useLab(selectWorkerState);
  const busy = useLab(selectBusy);
  const phase = useBusyPhase(busy);
  const store = useLabStore();
  if (workerState === 'restarting')
    return (
      <Banner kind="info" role="status">
        Restarting the simulation worker…
      </Banner>
    );
  if (busy && phase > 0) return <BusyBanner busy={busy} cancel={phase === 2} />;
  if (!notice) return null;
  return (
    <Banner
      kind={notice.kind}
      role={notice.kind === 'error' ? 'alert' : 'status'}
      actions={
        <>
          {notice.action && (
            <button type="button" onClick={() => store.getState().dispatch(notice.action!.action)}>
              {notice.action.label}
            </button>
          )}
          <button type="button" aria-label="Dismiss message" onClick={() => store.getState().notify(null)}>
            ×
          </button>
        </>
      }
    >
      {notice.text}
    </Banner>
  );
}

export function StatusRow() {
  return (
    <div className="status-row">
      <KernelBanner />
      <NoticeBanner />
    </div>
  );
}
