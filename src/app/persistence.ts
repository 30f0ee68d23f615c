/**
 * The session survives a reload: the scenario (setup and every step of the
 * branch shown), the cursor, the other branches and the selected thread are
 * saved locally and restored on start. The saved text is read
 * again by the worker like any file, so a damaged save is refused with a
 * message, never trusted: the library's first scenario opens instead, and the
 * damaged save is set aside.
 */
import { currentScenario, type LabStore } from '../store/store';
import { branchesToSave } from '../store/saved-branches';
import { grouped } from '../protocol/format';
import type { SavedBranches } from '../protocol/messages';

const KEY = 'pager-lab/session/v1';

/** Where a saved session that could not be restored is put aside (the last one only), rather than lost. */
const SET_ASIDE_KEY = 'pager-lab/session/v1/set-aside';

/** How the lab says a saved session was not restored (the worker adds the reason and the fallback's note). */
export const SAVED_ORIGIN = 'The saved session could not be restored';
export const SAVED_FALLBACK_NOTE = "the library's first scenario is open.";

export interface SavedSession {
  /** The scenario as text, read again by the worker. */
  text: string;
  cursor: number;
  /** The other branches (checked by the worker, which says what it cannot use). */
  branches?: SavedBranches;
  /** The thread selected, when the scenario starts it. */
  thread?: string;
}

/** The save as it is stored, for `setAside`; null when there is none. */
export function savedRaw(): string | null {
  try {
    return localStorage.getItem(KEY);
  } catch {
    return null;
  }
}

/**
 * The saved session, read as strictly as an import: what the main thread can
 * check (the wrapper and the cursor) is checked here, the scenario itself by
 * the worker; null when nothing is saved, else the session or why it cannot
 * be restored.
 */
export function readSaved(
  raw: string | null,
): { ok: true; saved: SavedSession } | { ok: false; reason: string } | null {
  if (!raw) return null;
  let saved: unknown;
  try {
    saved = JSON.parse(raw);
  } catch {
    return { ok: false, reason: `it is not JSON (${grouped(raw.length)} characters)` };
  }
  if (typeof saved !== 'object' || saved === null || Array.isArray(saved))
    return { ok: false, reason: 'expected an object with a scenario and a cursor' };
  const { scenario, cursor, branches, thread } = saved as {
    scenario?: unknown;
    cursor?: unknown;
    branches?: unknown;
    thread?: unknown;
  };
  if (typeof scenario !== 'object' || scenario === null) return { ok: false, reason: 'scenario: missing' };
  if (typeof cursor !== 'number' || !Number.isSafeInteger(cursor) || cursor < 0)
    return {
      ok: false,
      reason: `cursor: expected a step number (a non-negative integer), got ${typeof cursor === 'string' ? JSON.stringify(cursor.slice(0, 40)) : String(cursor)}`,
    };
  const steps = (scenario as { steps?: unknown }).steps;
  const started =
    typeof thread === 'string' &&
    Array.isArray(steps) &&
    steps.some((s) => (s as { spawn?: unknown } | null)?.spawn === thread);
  return {
    ok: true,
    saved: {
      text: JSON.stringify(scenario),
      cursor,
      ...(branches !== undefined ? { branches: branches as SavedBranches } : {}),
      ...(started ? { thread } : {}),
    },
  };
}

/** Keep a save that could not be restored out of the way (the next save replaces the session key). */
export function setAside(raw: string): void {
  try {
    localStorage.setItem(SET_ASIDE_KEY, raw);
  } catch {
    // Storage full or disabled: it is lost, as it could not be used anyway.
  }
}

export const OTHER_TAB_NOTE =
  'Another tab of the lab is saving its session too: a reload opens whichever tab saved last. Export this one to keep it.';

/**
 * A short session is saved right after each change. A long one (thousands of
 * steps) is saved once the user pauses: serialising it on every step would
 * cost more than the step, so each change pushes that save back.
 */
const LONG_SESSION_STEPS = 1000;
const LONG_SESSION_DELAY_MS = 1000;

export function startSaving(store: LabStore): () => void {
  let timer: ReturnType<typeof setTimeout> | null = null;
  let saved: { steps: unknown; cursor: number; setup: unknown; others: unknown; thread: unknown } | null = null;
  let warnedFor: unknown = null;
  const save = () => {
    timer = null;
    const state = store.getState();
    const scenario = currentScenario(state);
    if (!scenario) return;
    const now = {
      steps: state.steps,
      cursor: state.cursor,
      setup: state.setup,
      others: state.otherBranches,
      thread: state.selectedThread,
    };
    if (saved && (Object.keys(now) as (keyof typeof now)[]).every((k) => saved![k] === now[k])) return;
    saved = now;
    const branches = branchesToSave(state);
    try {
      localStorage.setItem(
        KEY,
        JSON.stringify({
          scenario,
          cursor: state.cursor,
          ...(branches ? { branches } : {}),
          ...(state.selectedThread !== null ? { thread: state.selectedThread } : {}),
        }),
      );
    } catch {
      // Storage full or disabled: the session won't survive a reload. Said once a scenario, when it has steps
      // to lose and no other message is showing, so work is not lost unawares.
      if (warnedFor !== state.setup && state.steps.length > 0 && state.notice === null) {
        warnedFor = state.setup;
        store.getState().notify({
          kind: 'error',
          text: "This session cannot be saved (the browser's storage is full or turned off): a reload will lose it. Export it to keep it.",
        });
      }
    }
  };
  // Two tabs of the lab share one saved session: each saves over the other's, so the first time another tab
  // saves, this one says so (a reload opens whichever saved last).
  let toldOfOther = false;
  const onStorage = (e: StorageEvent) => {
    if (e.key !== KEY || e.newValue === null || toldOfOther) return;
    toldOfOther = true;
    store.getState().notify({ kind: 'info', text: OTHER_TAB_NOTE });
  };
  addEventListener('pagehide', save);
  addEventListener('storage', onStorage);
  const unsubscribe = store.subscribe(() => {
    if (timer !== null) clearTimeout(timer);
    const long = store.getState().steps.length > LONG_SESSION_STEPS;
    timer = setTimeout(save, long ? LONG_SESSION_DELAY_MS : 0);
  });
  return () => {
    unsubscribe();
    removeEventListener('pagehide', save);
    removeEventListener('storage', onStorage);
  };
}
