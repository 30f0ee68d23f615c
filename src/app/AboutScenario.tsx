import { useLab, useLabStore } from '../store/context';
import { selectAboutOpen, selectTitle } from '../store/selectors';

/**
 * "About this scenario": the scenario's title, which in the library is the
 * whole explanation of what it shows and what was checked by hand. Opens by
 * itself when a library scenario is opened; the reader can fold it away.
 */
export function AboutScenario() {
  const title = useLab(selectTitle);
  const open = useLab(selectAboutOpen);
  const store = useLabStore();
  if (!title) return null;
  return (
    <details
      className="about"
      open={open}
      onToggle={(e) => {
        const now = e.currentTarget.open;
        if (now !== store.getState().aboutOpen) store.getState().setAboutOpen(now);
      }}
    >
      <summary>About this scenario</summary>
      {/* Scrolls past five lines: it takes focus so the keyboard can scroll it, as every scroll area does. */}
      <p tabIndex={0} role="region" aria-label="About this scenario, scrolling">
        {title}
      </p>
    </details>
  );
}
