/**
 * Teaching links (`#lesson=NAME&scene=K`, `#exercise=KIND:SEED`), read at boot before React is loaded
 * (src/main.tsx): plain store calls, no components, so the first chunk the page runs stays small.
 */
import type { LabStore } from '../store/store';

/** `#lesson=NAME&scene=K` or `#exercise=KIND:SEED` (read strictly by the worker). */
export const TEACHING_HASH = /^#(lesson|exercise)=/;

/**
 * Open a teaching link in the lab; false when the hash is not one. Back (or Forward) from a teaching link (`from`,
 * the address left) to one that is not leaves what the link opened, as "← Menu" does: the address and the pane
 * must not disagree.
 */
export function openTeachingLink(store: LabStore, hash: string, from = ''): boolean {
  const state = store.getState();
  if (!TEACHING_HASH.test(hash)) {
    if (state.teach.mode && TEACHING_HASH.test(new URL(from, location.href).hash))
      state.dispatch({ type: 'teach', command: { type: 'teach.leave' } });
    return false;
  }
  state.setTeachOpen(true);
  state.dispatch({ type: 'teach', command: { type: 'teach.link', hash } });
  return true;
}

/** Drop a teaching link from the address bar once the learner has left what it opened. */
export function clearTeachingHash(): void {
  if (TEACHING_HASH.test(location.hash)) history.replaceState(null, '', `${location.pathname}${location.search}`);
}
