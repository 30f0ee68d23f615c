/**
 * How the lab is shown, for the whole page (every lab on it): theme, font
 * scale, layout, which panel is maximised or collapsed. Kept in localStorage
 * so a lecture's settings survive a reload; a damaged entry is ignored.
 */
import { useStore } from 'zustand';
import { createStore } from 'zustand/vanilla';

export type ThemeChoice = 'system' | 'light' | 'dark';

/** The lab's panels, by the id layouts place them with. */
export const PANEL_IDS = ['threads', 'source', 'tree', 'bits', 'object', 'queues', 'io', 'timeline'] as const;
export type PanelId = (typeof PANEL_IDS)[number];

/** Panels the focused layout can show beside Threads and Source. */
export const STATE_PANELS = ['bits', 'object', 'tree', 'queues', 'io', 'timeline'] as const;
export type StatePanelId = (typeof STATE_PANELS)[number];

/** Font scales offered by A- and A+ (1 = 14 px body text). */
export const FONT_SCALES = [0.85, 1, 1.15, 1.3, 1.5, 1.75, 2] as const;

export interface Prefs {
  theme: ThemeChoice;
  fontScale: number;
  /** 'full': every panel; 'focus': Threads, Source and `focusPanel`. */
  layout: 'full' | 'focus';
  focusPanel: StatePanelId;
  maximised: PanelId | null;
  collapsed: readonly PanelId[];
}

export interface PrefsActions {
  setTheme(theme: ThemeChoice): void;
  /** One step up (+1) or down (-1) the FONT_SCALES. */
  stepFont(direction: 1 | -1): void;
  setLayout(layout: Prefs['layout']): void;
  setFocusPanel(panel: StatePanelId): void;
  /** Maximise `panel`, or restore the layout (null). */
  maximise(panel: PanelId | null): void;
  toggleCollapsed(panel: PanelId): void;
}

export type PrefsState = Prefs & PrefsActions;

const KEY = 'pager-lab/prefs/v1';

export const DEFAULT_PREFS: Prefs = {
  theme: 'system',
  fontScale: 1,
  layout: 'full',
  focusPanel: 'bits',
  maximised: null,
  collapsed: [],
};

const isPanel = (v: unknown): v is PanelId => PANEL_IDS.includes(v as PanelId);

/** The saved prefs, each field checked; anything damaged falls back to its default. */
export function readPrefs(raw: string | null): Prefs {
  let saved: Record<string, unknown> = {};
  try {
    const parsed: unknown = raw ? JSON.parse(raw) : {};
    if (parsed && typeof parsed === 'object') saved = parsed as Record<string, unknown>;
  } catch {
    // not JSON: defaults
  }
  const d = DEFAULT_PREFS;
  return {
    theme: saved.theme === 'light' || saved.theme === 'dark' || saved.theme === 'system' ? saved.theme : d.theme,
    fontScale: FONT_SCALES.includes(saved.fontScale as (typeof FONT_SCALES)[number])
      ? (saved.fontScale as number)
      : d.fontScale,
    layout: saved.layout === 'focus' ? 'focus' : 'full',
    focusPanel: STATE_PANELS.includes(saved.focusPanel as StatePanelId)
      ? (saved.focusPanel as StatePanelId)
      : d.focusPanel,
    maximised: isPanel(saved.maximised) ? saved.maximised : null,
    // The panel maximised is shown whole (a hand-edited entry may say both).
    collapsed: Array.isArray(saved.collapsed)
      ? [...new Set(saved.collapsed.filter((p) => isPanel(p) && p !== saved.maximised))]
      : [],
  };
}

function load(): Prefs {
  try {
    return readPrefs(localStorage.getItem(KEY));
  } catch {
    return DEFAULT_PREFS;
  }
}

export function createPrefsStore(initial: Prefs = load(), save = true) {
  const store = createStore<PrefsState>()((set, get) => ({
    ...initial,
    setTheme: (theme) => set({ theme }),
    stepFont: (direction) => {
      const at = FONT_SCALES.indexOf(get().fontScale as (typeof FONT_SCALES)[number]);
      const next = FONT_SCALES[Math.max(0, Math.min(FONT_SCALES.length - 1, (at < 0 ? 1 : at) + direction))]!;
      set({ fontScale: next });
    },
    setLayout: (layout) => set({ layout, maximised: null }),
    setFocusPanel: (focusPanel) => set({ focusPanel }),
    // A panel maximised is never collapsed: maximising expands it, collapsing it restores the layout.
    maximise: (maximised) =>
      set(({ collapsed }) => ({ maximised, collapsed: collapsed.filter((p) => p !== maximised) })),
    toggleCollapsed: (panel) => {
      const { collapsed, maximised } = get();
      set({
        collapsed: collapsed.includes(panel) ? collapsed.filter((p) => p !== panel) : [...collapsed, panel],
        maximised: maximised === panel ? null : maximised,
      });
    },
  }));
  if (save)
    store.subscribe((s) => {
      const { theme, fontScale, layout, focusPanel, maximised, collapsed } = s;
      try {
        localStorage.setItem(KEY, JSON.stringify({ theme, fontScale, layout, focusPanel, maximised, collapsed }));
      } catch {
        // storage full or disabled: the prefs last this visit
      }
    });
  return store;
}

/** The page's prefs: one store, whatever number of labs the page holds. */
export const prefsStore = createPrefsStore();

export function usePrefs<T>(selector: (s: PrefsState) => T): T {
  return useStore(prefsStore, selector);
}

export const selectFontScale = (s: PrefsState) => s.fontScale;
