import { useStore } from '../store/store';
import { selectNotice, selectPanic, selectWorkerState } from '../store/selectors';

/** A panic stops the kernel: say so, with the message, the thread and the line. */
export function PanicBanner() {
  const panic = useStore(selectPanic);
  if (!panic) return null;
  return (
    <div role="alert" className="banner banner-panic">
      <strong>panic:</strong> {panic.message} — thread {panic.thread}
      {panic.line !== null ? `, uvm_vnode.c line ${panic.line}` : ''}. The kernel has stopped; go back in the timeline
      to explore another path.
    </div>
  );
}

export function NoticeBanner() {
  const notice = useStore(selectNotice);
  const workerState = useStore(selectWorkerState);
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
          <button type="button" aria-label="Dismiss message" onClick={() => useStore.getState().notify(null)}>
            ×
          </button>
        </div>
      )}
    </>
  );
}
