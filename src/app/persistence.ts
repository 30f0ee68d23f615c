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

export function startSaving(): () => void {
  let last = '';
  return useStore.subscribe((state) => {
    const scenario = currentScenario(state);
    if (!scenario) return;
    const text = JSON.stringify({ scenario, cursor: state.cursor });
    if (text === last) return;
    last = text;
    try {
      localStorage.setItem(KEY, text);
    } catch {
      // Storage full or disabled: the session just won't survive a reload.
    }
  });
}
