import { useLab, useLabStore } from '../store/context';
import { selectNotice, selectPanic, selectProfile, selectWorkerState } from '../store/selectors';

/** A panic stops the kernel: say so, with the message, the thread and the line. */
export function PanicBanner() {
  const panic = useLab(selectPanic);
  const seed = useLab(selectProfile)?.seed.file ?? 'the seed';
  if (!panic) return null;
  return (
    <div role="alert" className="banner banner-panic">
      <strong>panic:</strong> {panic.message} — thread {panic.thread}
      {panic.line !== null ? `, ${seed} line ${panic.line}` : ''}. The kernel has stopped; go back in the timeline to
      explore another path.
    </div>
  );
}

export function NoticeBanner() {
  const notice = useLab(selectNotice);
  const workerState = useLab(selectWorkerState);
  const store = useLabStore();
  return (
    <>
      {workerState === 'restarting' && (
        <div role="status" className="banner banner-info">
          Restarting the simulation worker…
        </div>
      )}
      {notice && (
        <div role={notice.kind === 'error' ? 'alert' : 'status'} className={`banner banner-${notice.kind}`}>
          <span>{notice.text}</span>
          {notice.action && (
            <button type="button" onClick={() => store.getState().dispatch(notice.action!.action)}>
              {notice.action.label}
            </button>
          )}
          <button type="button" aria-label="Dismiss message" onClick={() => store.getState().notify(null)}>
            ×
          </button>
        </div>
      )}
    </>
  );
}
