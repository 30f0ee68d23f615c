/**
 * The teaching pane (its own chunk, loaded when first opened): the menu, or
 * the lesson, challenge or exercise open. It sits beside the lab's panels,
 * which stay in view and in use.
 */
import { useEffect, useRef } from 'react';
import { clearTeachingHash } from '../app/teach-link';
import { useDispatch, useLab, useLabStore } from '../store/context';
import type { LabState } from '../store/store';
import { ChallengePanel } from './ChallengePanel';
import { ExercisePanel } from './ExercisePanel';
import { LessonPanel } from './LessonPanel';
import { Menu } from './Menu';
import { useFocusKept } from './useFocusKept';
import './teach.css';

const selectCatalog = (s: LabState) => s.teach.catalog;
const selectMode = (s: LabState) => s.teach.mode;
const selectReadOnly = (s: LabState) => s.readOnly;

export default function TeachPane({ compact = false }: { compact?: boolean }) {
  const dispatch = useDispatch();
  const store = useLabStore();
  const catalog = useLab(selectCatalog);
  const mode = useLab(selectMode);
  const readOnly = useLab(selectReadOnly);
  const pane = useRef<HTMLElement>(null);
  useFocusKept(pane, '.learn-button');

  useEffect(() => {
    if (!catalog && !readOnly) dispatch({ type: 'teach', command: { type: 'teach.catalog' } });
  }, [catalog, readOnly, dispatch]);

  const leave = () => {
    dispatch({ type: 'teach', command: { type: 'teach.leave' } });
    clearTeachingHash();
  };
  // Hiding keeps what is open, as the header's Learn button does: a learner who wants the room back must not
  // lose a challenge's standing (its rules keep applying) without a word. "← Menu" is how one leaves.
  const hide = () => {
    store.getState().setTeachOpen(false);
    // The pane and its × go: focus returns to the button that brings it back.
    document.querySelector<HTMLElement>('.learn-button')?.focus();
  };

  return (
    <aside ref={pane} id="teach-pane" className={`teach-pane${compact ? ' is-compact' : ''}`} aria-label="Learn">
      {!readOnly && (
        <header className="teach-header">
          {mode ? (
            <button type="button" onClick={leave}>
              ← Menu
            </button>
          ) : (
            <strong>Lessons, challenges, exercises</strong>
          )}
          <button
            type="button"
            aria-label="Hide the teaching pane"
            title={mode ? 'Hide the pane; what is open stays open (Learn shows it again)' : 'Hide the pane'}
            onClick={hide}
          >
            ×
          </button>
        </header>
      )}
      <div className="teach-body">
        {mode?.kind === 'lesson' ? (
          <LessonPanel lesson={mode} />
        ) : mode?.kind === 'challenge' ? (
          <ChallengePanel challenge={mode} />
        ) : mode?.kind === 'exercise' ? (
          <ExercisePanel exercise={mode} />
        ) : catalog ? (
          <Menu catalog={catalog} />
        ) : (
          <p className="muted">{readOnly ? 'Opening the lesson…' : 'Loading the lessons…'}</p>
        )}
      </div>
    </aside>
  );
}
