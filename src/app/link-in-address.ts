/**
 * A link the lab writes into the address for the moment it shows (Share link, an Explore finding). It names that
 * moment only: left there once the learner moves on, a reload would open the link again (a link visit takes the
 * saved session only as its fallback) and drop, without a word, every step taken since. So it leaves the address
 * as soon as the lab shows anything else, as a visited link does once opened (src/main.tsx).
 */
import type { LabState, LabStore } from '../store/store';

/** What a link names: the scenario (its setup and steps), the step shown, the thread selected. */
function moment(state: LabState): readonly unknown[] {
  // The step list grows in place (store.ts appends to its own list): its length is read, not only its identity.
  return [state.setup, state.steps, state.steps.length, state.cursor, state.branch, state.selectedThread];
}

/**
 * Put `hash` in the address for the moment on screen, or (`opening`: the id of the open that shows it) for the
 * moment that open answers with; it goes once the lab shows another, or the open is refused.
 */
export function showLinkInAddress(store: LabStore, hash: string, opening?: number): void {
  history.replaceState(null, '', hash);
  let shown = opening === undefined ? moment(store.getState()) : null;
  const stop = store.subscribe((state) => {
    // Another link, a lesson or the learner took the address over: it is theirs now.
    if (location.hash !== hash) return stop();
    if (opening !== undefined && state.answered < opening) return;
    if (!shown && state.refused !== opening) {
      shown = moment(state);
      return;
    }
    const now = moment(state);
    if (shown && now.every((part, i) => part === shown![i])) return;
    stop();
    history.replaceState(history.state, '', location.pathname + location.search);
  });
}
