/**
 * The session survives a reload: the scenario (setup and every step) and the
 * cursor are saved locally and restored on start. The saved text is read
 * again by the worker like any file, so a damaged save is refused with a
 * message, never trusted.
 */
import { currentScenario, type LabStore } from '../store/store';

const KEY = 'pager-lab/session/v1';

export interface SavedSession {
  /** The scenario as text, read again by the worker. */
  text: string;
  cursor: number;
}

export function savedSession(): SavedSession | null {
  try {
    const raw = localStorage.getItem(KEY);
    if (!raw) return null;
    const saved = JSON.parse(raw) as { scenario?: unknown; cursor?: unknown };
    if (typeof saved.cursor !== 'number' || !Number.isSafeInteger(saved.cursor) || saved.cursor < 0) return null;
    return { text: JSON.stringify(saved.scenario), cursor: saved.cursor };
  } catch {
    return null;
  }
}

/**
 * A short session is saved right after each change. A long one (thousands of
 * steps) is saved once the user pauses: serialising it on every step would
 * cost more than the step, so each change pushes that save back.
 */
const LONG_SESSION_STEPS = 1000;
const LONG_SESSION_DELAY_MS = 1000;

export function startSaving(store: LabStore): () => void {
  let timer: ReturnType<typeof setTimeout> | null = null;
  let saved: { steps: unknown; cursor: number; setup: unknown } | null = null;
  const save = () => {
    timer = null;
    const state = store.getState();
    const scenario = currentScenario(state);
    if (!scenario) return;
    if (saved && saved.steps === state.steps && saved.cursor === state.cursor && saved.setup === state.setup) return;
    saved = { steps: state.steps, cursor: state.cursor, setup: state.setup };
    try {
      localStorage.setItem(KEY, JSON.stringify({ scenario, cursor: state.cursor }));
    } catch {
      // Storage full or disabled: the session just won't survive a reload.
    }
  };
  addEventListener('pagehide', save);
  const unsubscribe = store.subscribe(() => {
    if (timer !== null) clearTimeout(timer);
    const long = store.getState().steps.length > LONG_SESSION_STEPS;
    timer = setTimeout(save, long ? LONG_SESSION_DELAY_MS : 0);
  });
  return () => {
    unsubscribe();
    removeEventListener('pagehide', save);
  };
}
