/**
 * Teaching links (`#lesson=NAME&scene=K`, `#exercise=KIND:SEED`), read at boot before React is loaded
 * (src/main.tsx): plain store calls, no components, so the first chunk the page runs stays small.
 */
import type { LabStore } from '../store/store';

/** `#lesson=NAME&scene=K` or `#exercise=KIND:SEED` (read strictly by the worker). */
export const TEACHING_HASH = /^#(lesson|exercise)=/;

/** Open a teaching link in the lab; false when the hash is not one. */
export function openTeachingLink(store: LabStore, hash: string): boolean {
  if (!TEACHING_HASH.test(hash)) return false;
  const state = store.getState();
  state.setTeachOpen(true);
  state.dispatch({ type: 'teach', command: { type: 'teach.link', hash } });
  return true;
}

/** Drop a teaching link from the address bar once the learner has left what it opened. */
export function clearTeachingHash(): void {
  if (TEACHING_HASH.test(location.hash)) history.replaceState(null, '', `${location.pathname}${location.search}`);
}
