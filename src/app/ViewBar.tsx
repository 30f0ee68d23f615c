import { useLab } from '../store/context';
import { FONT_SCALES, STATE_PANELS, usePrefs, type StatePanelId, type ThemeChoice } from '../store/prefs';
import { prefsStore } from '../store/prefs';
import { selectProfile } from '../store/selectors';

/** What each state panel is called in the layout menu (the object panel by its pager's title). */
export function statePanelTitle(id: StatePanelId, objectTitle: string): string {
  return {
    bits: 'Page bits',
    object: objectTitle,
    tree: 'Page tree',
    queues: 'Page queues',
    io: 'I/O in flight',
    timeline: 'Timeline',
  }[id];
}

/** How the lab is shown: text size, layout (all panels, or focused for a lecture), theme, print. */
export function ViewBar() {
  const scale = usePrefs((s) => s.fontScale);
  const theme = usePrefs((s) => s.theme);
  const layout = usePrefs((s) => s.layout);
  const focusPanel = usePrefs((s) => s.focusPanel);
  const objectTitle = useLab(selectProfile)?.objectPanel.title ?? 'Object';
  const prefs = prefsStore.getState();
  const layoutValue = layout === 'focus' ? `focus:${focusPanel}` : 'full';
  return (
    <div className="view-bar" role="toolbar" aria-label="View">
      <button type="button" onClick={() => prefs.stepFont(-1)} disabled={scale <= FONT_SCALES[0]} title="Smaller text">
        <span aria-hidden="true">A−</span>
        <span className="visually-hidden">Smaller text</span>
      </button>
      <output className="font-scale" aria-label="Text size">
        {Math.round(scale * 100)}%
      </output>
      <button
        type="button"
        onClick={() => prefs.stepFont(1)}
        disabled={scale >= FONT_SCALES[FONT_SCALES.length - 1]!}
        title="Larger text"
      >
        <span aria-hidden="true">A+</span>
        <span className="visually-hidden">Larger text</span>
      </button>
      <select
        aria-label="Layout"
        title="All panels, or a focus: the threads, the source, I/O in flight and the one panel chosen"
        value={layoutValue}
        onChange={(e) => {
          const v = e.target.value;
          if (v === 'full') prefs.setLayout('full');
          else {
            prefs.setFocusPanel(v.slice(6) as StatePanelId);
            prefs.setLayout('focus');
          }
        }}
      >
        <option value="full">All panels</option>
        {STATE_PANELS.map((id) => (
          <option key={id} value={`focus:${id}`}>
            Focus: {statePanelTitle(id, objectTitle)}
          </option>
        ))}
      </select>
      <select aria-label="Theme" value={theme} onChange={(e) => prefs.setTheme(e.target.value as ThemeChoice)}>
        <option value="system">Theme: as the system</option>
        <option value="light">Theme: light</option>
        <option value="dark">Theme: dark</option>
      </select>
      <button type="button" onClick={() => print()}>
        Print
      </button>
    </div>
  );
}
