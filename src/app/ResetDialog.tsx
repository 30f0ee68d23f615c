import { useEffect, useRef } from 'react';

/**
 * Reset asks first: it drops every step and branch (the setup stays). The
 * banner after it offers the undo.
 */
export function ResetDialog({
  open,
  steps,
  branches,
  onReset,
  onClose,
}: {
  open: boolean;
  steps: number;
  branches: number;
  onReset: () => void;
  onClose: () => void;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  const cancel = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    const d = dialog.current;
    if (!d) return;
    if (open && !d.open) {
      d.showModal();
      // Cancel is the safe answer. Focused here, not with React's autoFocus: that focuses the button when the
      // closed dialog mounts, with the page, and the focus call lays the whole page out during the first render.
      cancel.current?.focus();
    }
    if (!open && d.open) d.close();
  }, [open]);
  const what = `${steps} step${steps === 1 ? '' : 's'}${branches > 1 ? ` and ${branches} branches` : ''}`;
  return (
    <dialog ref={dialog} aria-labelledby="reset-title" onClose={onClose}>
      <h2 id="reset-title">Reset the lab?</h2>
      <p>
        This drops {what} and starts again from the scenario&apos;s setup. You can undo it from the message that
        follows.
      </p>
      <div className="toolbar">
        <button
          type="button"
          onClick={() => {
            onReset();
            onClose();
          }}
        >
          Reset the lab
        </button>
        <button type="button" ref={cancel} onClick={onClose}>
          Cancel
        </button>
      </div>
    </dialog>
  );
}
