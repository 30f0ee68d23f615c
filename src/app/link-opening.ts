/**
 * What a link visit shows until the link's answer: a line of text, the worker's progress and Cancel, drawn
 * without React. The lab (React and its panels) mounts only with the link's state (or, refused or cancelled,
 * its fallback's), so the page's main thread does not render a library start that the link then replaces
 * while the worker replays the link on the same cores.
 */
import { grouped as count } from '../protocol/format';
import type { LabStore } from '../store/store';

/**
 * Show the opening state in `root` (replacing what is there); the returned function stops following the store
 * (the box stays until the lab takes its place in the commit that renders the state, so no empty frame comes
 * between them: src/app/mount.tsx `mountAside`).
 */
export function showLinkOpening(root: HTMLElement, store: LabStore): () => void {
  const box = document.createElement('div');
  box.className = 'link-opening';
  box.setAttribute('role', 'status');
  box.setAttribute('aria-label', 'Opening the shared link');
  const text = document.createElement('p');
  text.className = 'link-opening-text';
  const cancel = document.createElement('button');
  cancel.type = 'button';
  cancel.textContent = 'Cancel';
  cancel.hidden = true;
  // The worker's open, once it reports progress, is what Cancel stops: the link's fallback then opens.
  cancel.addEventListener('click', () => {
    cancel.disabled = true;
    store.getState().dispatch({ type: 'cancel' });
  });
  box.append(text, cancel);
  root.replaceChildren(box);

  const show = () => {
    const { busy, notice } = store.getState();
    let line = 'Opening the shared link…';
    if (busy && busy.total > 0) line += ` ${count(busy.done)} of ${count(busy.total)} steps`;
    // A message before the lab mounts (the worker restarted, a protocol mismatch) is said here.
    if (notice) line += ` ${notice.text}`;
    if (text.textContent !== line) text.textContent = line;
    cancel.hidden = busy === null;
  };
  show();
  const stop = store.subscribe(show);
  return () => {
    stop();
    cancel.disabled = true;
  };
}
