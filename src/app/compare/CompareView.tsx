import { useEffect, useRef, useState } from 'react';
import { LabProvider } from '../../store/context';
import { loadText } from '../library';
import { LabColumn } from './LabColumn';
import { compareLabs } from './labs';
import { compareHash, compareParams } from './link';
import { DEFAULT_PAIR, findPair, libraryEntry, PAIRS, PAIRS_ERROR } from './pair-data';
import { KERNELS, storyBranch, type KernelPair } from './pairs';
import { StoryBar } from './StoryBar';
import './Compare.css';

let lastOpen = 0;

/**
 * Open both labs on `pair`, each at the scenario step where it reaches story step `index`. The texts are
 * fetched first (library chunks); when another pair was opened meanwhile, only the last one opens.
 */
function openPair(pair: KernelPair, index: number): void {
  const labs = compareLabs();
  const open = ++lastOpen;
  for (const kernel of KERNELS) {
    const entry = libraryEntry(pair[kernel]);
    if (!entry) continue; // pair-data refuses an index naming a missing scenario
    const state = labs[kernel].store.getState();
    loadText(entry).then(
      (text) =>
        open === lastOpen &&
        state.dispatch({
          type: 'open',
          source: { kind: 'text', text },
          origin: `Compare ${pair.id}: ${entry.name}`,
          cursor: pair.story[index]![kernel].at,
        }),
      (e: unknown) =>
        state.notify({ kind: 'error', text: `Could not load ${entry.name} (${String(e)}); reload the page.` }),
    );
  }
}

/** Both labs to story step `index`, each back on the story's branch first if it has left it. */
function seekBoth(pair: KernelPair, index: number): void {
  const labs = compareLabs();
  for (const kernel of KERNELS) {
    const state = labs[kernel].store.getState();
    const story = storyBranch(state.branches);
    if (story !== null && story !== state.branch) state.dispatch({ type: 'switchBranch', branch: story });
    state.dispatch({ type: 'seek', to: pair.story[index]![kernel].at });
  }
}

/**
 * Both kernels side by side: an OpenBSD lab and a FreeBSD lab running a pair
 * of library scenarios that tell the same story, the story's steps above
 * them. Opened by `#compare=PAIR[&step=K]` (./link.ts); a link naming no pair
 * or no such step says so and changes nothing.
 */
export function CompareView({ hash }: { hash: string }) {
  const labs = compareLabs();
  const [shown, setShown] = useState<{ pair: KernelPair | null; message: string | null }>({
    pair: null,
    message: null,
  });
  const loaded = useRef<string | null>(null);

  // Follow the link: open the pair it names (or move to its story step); refuse what is not there.
  useEffect(() => {
    const params = compareParams(hash);
    if (!params) return;
    const pair = findPair(params.pair);
    const fallback = shown.pair ?? findPair(DEFAULT_PAIR) ?? null;
    if (!pair) {
      const known = PAIRS.map((p) => p.id).join(', ');
      const message = `No kernel pair is named "${params.pair}"; the pairs are ${known}.`;
      if (fallback && loaded.current === null) {
        loaded.current = fallback.id;
        openPair(fallback, 0);
      }
      setShown({ pair: fallback, message });
      return;
    }
    let index = 0;
    let message: string | null = null;
    // As a lesson link's scene: a step out of the story is said and the nearest shown (past the end, the last),
    // one that is not a number too (the first); the address then names the step shown.
    const steps = pair.story.length;
    if (params.step !== null) {
      index = Math.min(Math.max(params.step, 1), steps) - 1;
      if (index !== params.step - 1)
        message = `"${pair.title}" has ${steps} story steps, not ${params.step}: showing the ${index === 0 ? 'first' : 'last'}.`;
    } else if (params.badStep !== null)
      message = `"step=${params.badStep}" is not a story step of "${pair.title}": showing the first.`;
    if (message) history.replaceState(null, '', compareHash(pair.id, index + 1));
    if (loaded.current !== pair.id) {
      loaded.current = pair.id;
      openPair(pair, index);
    } else seekBoth(pair, index);
    setShown({ pair, message });
    // `shown` is read only for the fallback on a bad link: following the hash is what this effect does.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [hash]);

  const pair = shown.pair;
  const pick = (index: number) => {
    if (!pair) return;
    seekBoth(pair, index);
    history.replaceState(null, '', compareHash(pair.id, index + 1));
  };
  const choosePair = (id: string) => {
    const next = findPair(id);
    if (!next) return;
    loaded.current = next.id;
    openPair(next, 0);
    setShown({ pair: next, message: null });
    history.replaceState(null, '', compareHash(next.id));
  };

  return (
    <div className="compare">
      <header className="app-header compare-header">
        <h1>
          Pager Lab <span className="subtitle">Compare kernels</span>
        </h1>
        <label className="compare-pick">
          Story
          <select value={pair?.id ?? ''} onChange={(e) => choosePair(e.target.value)}>
            {PAIRS.map((p) => (
              <option key={p.id} value={p.id}>
                {p.title}
              </option>
            ))}
          </select>
        </label>
        <a className="header-link" href="#">
          Back to the lab
        </a>
      </header>
      {(PAIRS_ERROR ?? shown.message) && (
        <div role="alert" className="banner banner-error">
          <span>{PAIRS_ERROR ?? shown.message}</span>
          {!PAIRS_ERROR && (
            <button type="button" aria-label="Dismiss message" onClick={() => setShown({ ...shown, message: null })}>
              ×
            </button>
          )}
        </div>
      )}
      {pair && (
        <>
          <p className="compare-summary">{pair.summary}</p>
          <StoryBar pair={pair} stores={{ openbsd: labs.openbsd.store, freebsd: labs.freebsd.store }} onPick={pick} />
          <div className="compare-labs">
            {KERNELS.map((kernel) => (
              <LabProvider key={kernel} store={labs[kernel].store}>
                <LabColumn pair={pair} kernel={kernel} />
              </LabProvider>
            ))}
          </div>
        </>
      )}
    </div>
  );
}
