import { useEffect, useRef } from 'react';
import { useLab, useLabStore } from '../store/context';
import { selectHelpOpen } from '../store/selectors';
import { SHORTCUTS } from './shortcut-table';

export function HelpOverlay() {
  const open = useLab(selectHelpOpen);
  const store = useLabStore();
  const dialog = useRef<HTMLDialogElement>(null);

  useEffect(() => {
    const d = dialog.current;
    if (!d) return;
    if (open && !d.open) d.showModal();
    if (!open && d.open) d.close();
  }, [open]);

  return (
    <dialog ref={dialog} aria-labelledby="help-title" onClose={() => store.getState().setHelpOpen(false)}>
      <h2 id="help-title">Keyboard shortcuts</h2>
      <table>
        <tbody>
          {SHORTCUTS.map((s) => (
            <tr key={s.keys}>
              <th scope="row">
                {s.keys.split(/\s{2,}/).map((k, i) => (
                  <span key={k}>
                    {i > 0 && ' or '}
                    <kbd>{k}</kbd>
                  </span>
                ))}
              </th>
              <td>{s.does}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p>
        You are the scheduler: start calls on kernel threads in the Threads panel, run or step them, and complete disk
        requests in the I/O panel in any order. The stepping keys act on the thread the Source panel follows (the
        selected one, else the one last run; one that has returned gives way to one that can still run).
      </p>
      <button type="button" onClick={() => store.getState().setHelpOpen(false)}>
        Close
      </button>
    </dialog>
  );
}
