import { memo, useId, type ReactNode } from 'react';
import { prefsStore, usePrefs, type PanelId } from '../store/prefs';

/**
 * Collapse and maximise: memoized, as the panel renders with its contents on every step that changes them.
 */
const PanelControls = memo(function PanelControls({
  id,
  title,
  collapsed,
  maximised,
  bodyId,
}: {
  id: PanelId;
  title: string;
  collapsed: boolean;
  maximised: boolean;
  bodyId: string;
}) {
  return (
    <span className="panel-controls">
      <button
        type="button"
        aria-label={`${collapsed ? 'Expand' : 'Collapse'} ${title}`}
        title={collapsed ? 'Expand' : 'Collapse'}
        aria-expanded={!collapsed}
        aria-controls={bodyId}
        onClick={() => prefsStore.getState().toggleCollapsed(id)}
      >
        <span aria-hidden="true">{collapsed ? '▸' : '▾'}</span>
      </button>
      <button
        type="button"
        aria-label={`${maximised ? 'Restore' : 'Maximise'} ${title}`}
        title={maximised ? 'Restore the layout' : 'Maximise'}
        aria-pressed={maximised}
        onClick={() => prefsStore.getState().maximise(maximised ? null : id)}
      >
        <span aria-hidden="true">{maximised ? '⤡' : '⤢'}</span>
      </button>
    </span>
  );
});

/**
 * A landmark region named by its heading: every panel is one. With an `id`
 * (a panel of the lab's layout) its header can collapse it to the header
 * alone, or maximise it over the whole lab.
 */
export function Panel({
  title,
  className,
  actions,
  id,
  scrolls = false,
  children,
}: {
  title: string;
  className?: string;
  actions?: ReactNode;
  id?: PanelId;
  /** The body itself scrolls and holds nothing focusable: it takes focus, so the keyboard can scroll it. */
  scrolls?: boolean;
  children: ReactNode;
}) {
  const headingId = useId();
  const bodyId = useId();
  const collapsed = usePrefs((s) => (id ? s.collapsed.includes(id) : false));
  const maximised = usePrefs((s) => id !== undefined && s.maximised === id);
  return (
    <section aria-labelledby={headingId} className={`panel ${className ?? ''}${collapsed ? ' collapsed' : ''}`}>
      <header className="panel-header">
        <h2 id={headingId}>{title}</h2>
        {!collapsed && actions}
        {id && <PanelControls id={id} title={title} collapsed={collapsed} maximised={maximised} bodyId={bodyId} />}
      </header>
      <div
        className="panel-body"
        id={bodyId}
        {...(scrolls ? { tabIndex: 0, role: 'region', 'aria-label': `${title}, scrolling` } : {})}
      >
        {children}
      </div>
    </section>
  );
}
