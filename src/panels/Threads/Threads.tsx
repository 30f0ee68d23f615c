import { lazy, Suspense, useState } from 'react';
import { Panel } from '../Panel';
import type { ThreadView } from '../../protocol/snapshot';
import { useLab, useLabStore } from '../../store/context';
import {
  selectChanges,
  selectCursor,
  selectLength,
  selectWaitGraph,
  selectWaits,
  selectLocks,
  selectPages,
  selectPanic,
  selectProfile,
  selectSelectedThread,
  selectThreads,
} from '../../store/selectors';
import { SpawnForm } from './SpawnForm';
import { useChangedNote } from '../common/changed';
import { ThreadCard } from './ThreadCard';
import { waitText } from './thread-text';
import { followedThread, selectLastActed } from '../Source/follow';
import { RECENT_DONE, threadCards } from './thread-cards';
import './Threads.css';

/** The graph and its D3 link shapes load when first shown. */
const WaitGraph = lazy(() => import('./WaitGraph'));

const NO_THREADS: readonly ThreadView[] = [];
const NONE: readonly never[] = [];
/** The kernel threads, one card each, and the form that starts a new one. */
export function Threads() {
  const threads = useLab(selectThreads) ?? NO_THREADS;
  const locks = useLab(selectLocks) ?? NONE;
  const pages = useLab(selectPages) ?? NONE;
  const panic = useLab(selectPanic);
  const selected = useLab(selectSelectedThread);
  const lastActed = useLab(selectLastActed);
  // When the Source follows another thread than the selected one (the selected one has returned), its card
  // says so: the highlighted card is not the one whose line the class sees.
  const followedId = followedThread(threads, selected, lastActed)?.thread.id ?? null;
  const profile = useLab(selectProfile);
  const seedFile = profile?.seed.file ?? 'seed';
  const pageKey = profile?.pageTree.key ?? 'offset';
  const [showAllDone, setShowAllDone] = useState(false);
  const changes = useLab(selectChanges)?.threads;
  const waits = useLab(selectWaits) ?? NONE;
  const graph = useLab(selectWaitGraph);
  const store = useLabStore();
  const changed = useChangedNote();
  // A library scenario opens at its setup: its threads are steps ahead, which Forward replays.
  const stepsAhead = useLab(selectLength) > useLab(selectCursor);

  const { visible, doneCount, hiddenDone } = threadCards(threads, selected, showAllDone);

  return (
    <Panel
      title="Threads"
      className="panel-threads"
      id="threads"
      actions={
        <button type="button" aria-pressed={graph} onClick={() => store.getState().showWaitGraph(!graph)}>
          Wait-for graph
        </button>
      }
    >
      {changed.note}
      <div className="threads-scroll" tabIndex={0} role="region" aria-label="Thread list">
        {graph ? (
          <Suspense fallback={<p className="empty">Drawing the wait-for graph…</p>}>
            <WaitGraph waits={waits} threads={threads} />
          </Suspense>
        ) : threads.length === 0 ? (
          <p className="empty">
            {stepsAhead
              ? 'No threads yet: go Forward (→) to replay the scenario, or start a call below.'
              : 'No threads yet: start a call below.'}
          </p>
        ) : (
          <>
            {(hiddenDone > 0 || showAllDone) && doneCount > RECENT_DONE && (
              <p className="threads-hidden">
                {showAllDone
                  ? `All ${doneCount} finished threads shown.`
                  : `${hiddenDone} earlier finished threads hidden.`}{' '}
                <button type="button" onClick={() => setShowAllDone(!showAllDone)}>
                  {showAllDone ? 'Hide them' : 'Show them'}
                </button>
              </p>
            )}
            <ul className="thread-list" aria-label="Kernel threads">
              {visible.map(({ t, index }) => (
                <ThreadCard
                  seedFile={seedFile}
                  key={t.id}
                  thread={t}
                  index={index}
                  selected={t.id === selected}
                  inSource={selected !== null && t.id === followedId && followedId !== selected}
                  panicked={panic !== null}
                  culprit={panic?.thread === t.id}
                  wait={waitText(t, locks, pages, pageKey, threads)}
                  changed={changes?.[t.id] ?? NONE}
                  mark={changed.mark}
                />
              ))}
            </ul>
          </>
        )}
      </div>
      <SpawnForm />
    </Panel>
  );
}
