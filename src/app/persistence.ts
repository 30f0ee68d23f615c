/**
 * The session survives a reload: the scenario (setup and every step) and the
 * cursor are saved locally and restored on start. A link in the URL hash wins.
 */
import type { Scenario } from '../engine/api';
import { readScenarioText } from '../scenario/share';
import { currentScenario, useStore } from '../store/store';

const KEY = 'pager-lab/session/v1';

export function savedSession(): { scenario: Scenario; cursor: number } | null {
  try {
    const raw = localStorage.getItem(KEY);
    if (!raw) return null;
    const saved = JSON.parse(raw) as { scenario?: unknown; cursor?: unknown };
    const read = readScenarioText(JSON.stringify(saved.scenario), 'Saved session');
    if (!read.ok || typeof saved.cursor !== 'number') return null;
    return { scenario: read.scenario, cursor: saved.cursor };
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

export function startSaving(): () => void {
  let timer: ReturnType<typeof setTimeout> | null = null;
  let saved: { steps: unknown; cursor: number; setup: unknown } | null = null;
  const save = () => {
    timer = null;
    const state = useStore.getState();
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
  const unsubscribe = useStore.subscribe(() => {
    if (timer !== null) clearTimeout(timer);
    const long = useStore.getState().steps.length > LONG_SESSION_STEPS;
    timer = setTimeout(save, long ? LONG_SESSION_DELAY_MS : 0);
  });
  return () => {
    unsubscribe();
    removeEventListener('pagehide', save);
  };
}
