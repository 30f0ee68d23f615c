/**
 * The teaching layer's foothold in the lab's first load: the "Learn" button,
 * the dock where the teaching pane appears, and the router for teaching
 * links. Everything else (the pane, the Markdown renderer, the tutor in the
 * worker) is fetched when first opened, so the initial bundle stays as it was.
 */
import { lazy, Suspense, useEffect, useRef } from 'react';
import { useLab, useLabStore } from '../store/context';
import type { LabState } from '../store/store';
import { clearTeachingHash } from './teach-link';

const TeachPane = lazy(() => import('../teaching-ui/TeachPane'));

const selectTeachOpen = (s: LabState) => s.teach.open;
const selectTeachMode = (s: LabState) => s.teach.mode !== null;

export function LearnButton() {
  const open = useLab(selectTeachOpen);
  const store = useLabStore();
  return (
    <button
      type="button"
      className="learn-button"
      aria-expanded={open}
      // Only while the pane is there: a reference to no element is one a screen reader cannot follow.
      aria-controls={open ? 'teach-pane' : undefined}
      onClick={() => store.getState().setTeachOpen(!open)}
    >
      Learn
    </button>
  );
}

/** The teaching pane, beside the panels (the lab stays in view), when it is open. */
export function TeachDock({ compact = false }: { compact?: boolean }) {
  const open = useLab(selectTeachOpen);
  // What was open ended without "← Menu" (another scenario opened, the lab reset), the pane shown or hidden:
  // its address goes too, or a reload would bring it back over the lab the learner chose.
  const teaching = useLab(selectTeachMode);
  const wasTeaching = useRef(false);
  useEffect(() => {
    if (wasTeaching.current && !teaching) clearTeachingHash();
    wasTeaching.current = teaching;
  }, [teaching]);
  if (!open) return null;
  return (
    <Suspense
      fallback={
        <aside id="teach-pane" className="teach-pane" aria-label="Learn" aria-busy="true">
          Loading lessons…
        </aside>
      }
    >
      <TeachPane compact={compact} />
    </Suspense>
  );
}
