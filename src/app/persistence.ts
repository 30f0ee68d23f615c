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

/** Save after the state settles: serialising thousands of steps on every step would cost more than the step. */
const SAVE_DELAY_MS = 400;

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
    if (timer === null) timer = setTimeout(save, SAVE_DELAY_MS);
  });
  return () => {
    unsubscribe();
    removeEventListener('pagehide', save);
  };
}
