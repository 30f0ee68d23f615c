import { useEffect } from 'react';
import { useStore } from 'zustand';
import type { LabState, LabStore } from '../../store/store';
import { typingInto } from '../shortcuts';
import { KERNELS, stepsOnStory, storyMoves, storyPosition, type Kernel, type KernelPair } from './pairs';

const selectCursor = (s: { cursor: number }) => s.cursor;
const selectShared = (s: LabState) => stepsOnStory(s.branches, s.branch);

/** Story keys: the ones a presentation clicker sends (Page Down / Page Up) and the arrows. */
const NEXT_KEYS = ['ArrowRight', 'PageDown'];
const PREVIOUS_KEYS = ['ArrowLeft', 'PageUp'];

/**
 * The pair's story, step by step: choosing a story step moves both labs to
 * the scenario step where each kernel reaches it. The step both labs stand
 * at is marked; each lab can still step on its own (its own timeline).
 * Page Down / → and Page Up / ← are Next and Previous, so a lecturer's clicker walks the story.
 */
export function StoryBar({
  pair,
  stores,
  onPick,
}: {
  pair: KernelPair;
  stores: Readonly<Record<Kernel, LabStore>>;
  onPick: (index: number) => void;
}) {
  const cursors = {
    openbsd: useStore(stores.openbsd, selectCursor),
    freebsd: useStore(stores.freebsd, selectCursor),
  };
  const shared = {
    openbsd: useStore(stores.openbsd, selectShared),
    freebsd: useStore(stores.freebsd, selectShared),
  };
  const at = KERNELS.map((k) => storyPosition(pair, k, cursors[k], shared[k]));
  const { both, previous, next } = storyMoves(pair, at);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.metaKey || e.altKey || e.ctrlKey || e.shiftKey || typingInto(e.target)) return;
      if (document.querySelector('dialog[open]')) return;
      const to = NEXT_KEYS.includes(e.key) ? next : PREVIOUS_KEYS.includes(e.key) ? previous : undefined;
      if (to === undefined) return;
      e.preventDefault();
      if (to !== null) onPick(to);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [previous, next, onPick]);
  return (
    <nav className="story-bar" aria-label="Story steps">
      <button
        type="button"
        onClick={() => previous !== null && onPick(previous)}
        disabled={previous === null}
        aria-label="Previous story step in both labs"
        aria-keyshortcuts="ArrowLeft PageUp"
        title="Previous story step (← or Page Up)"
      >
        ◀ Previous
      </button>
      <ol className="story-steps">
        {pair.story.map((s, i) => (
          <li key={s.title}>
            <button
              type="button"
              className="story-step"
              aria-current={i === both ? 'step' : undefined}
              onClick={() => onPick(i)}
              title={`OpenBSD step ${s.openbsd.at}, FreeBSD step ${s.freebsd.at}`}
            >
              <span className="story-number">{i + 1}</span> {s.title}
            </button>
          </li>
        ))}
      </ol>
      <button
        type="button"
        onClick={() => next !== null && onPick(next)}
        disabled={next === null}
        aria-label="Next story step in both labs"
        aria-keyshortcuts="ArrowRight PageDown"
        title="Next story step (→ or Page Down)"
      >
        Next ▶
      </button>
    </nav>
  );
}
