import { useStore } from 'zustand';
import type { LabState, LabStore } from '../../store/store';
import { KERNELS, stepsOnStory, storyPosition, type Kernel, type KernelPair } from './pairs';

const selectCursor = (s: { cursor: number }) => s.cursor;
const selectShared = (s: LabState) => stepsOnStory(s.branches, s.branch);

/**
 * The pair's story, step by step: choosing a story step moves both labs to
 * the scenario step where each kernel reaches it. The step both labs stand
 * at is marked; each lab can still step on its own (its own timeline).
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
  // The story step both labs stand on exactly, if they do.
  const both = at.every((p) => p.exact && p.index === at[0]!.index) ? at[0]!.index : -1;
  // Labs apart: "next" lines them up one past the furthest either has got, "previous" at the earliest (so
  // neither button moves a lab the other way).
  const from = Math.max(...at.map((p) => p.index));
  const earliest = Math.min(...at.map((p) => p.index));
  const last = pair.story.length - 1;
  return (
    <nav className="story-bar" aria-label="Story steps">
      <button
        type="button"
        onClick={() => onPick(Math.max(0, both >= 0 ? both - 1 : earliest))}
        disabled={both === 0 || from < 0}
        aria-label="Previous story step in both labs"
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
        onClick={() => onPick(Math.min(last, both >= 0 ? both + 1 : from + 1))}
        disabled={both === last || (both < 0 && from >= last)}
        aria-label="Next story step in both labs"
      >
        Next ▶
      </button>
    </nav>
  );
}
