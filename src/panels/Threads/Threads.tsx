import { Panel } from '../Panel';
import type { ThreadView } from '../../engine/view';
import { useStore } from '../../store/store';
import { selectLocks, selectPages, selectPanic, selectSelectedThread, selectThreads } from '../../store/selectors';
import { SpawnForm } from './SpawnForm';
import { ThreadCard } from './ThreadCard';
import './Threads.css';

const NO_THREADS: readonly ThreadView[] = [];
const NONE: readonly never[] = [];

/** The kernel threads, one card each, and the form that starts a new one. */
export function Threads() {
  const threads = useStore(selectThreads) ?? NO_THREADS;
  const locks = useStore(selectLocks) ?? NONE;
  const pages = useStore(selectPages) ?? NONE;
  const panic = useStore(selectPanic);
  const selected = useStore(selectSelectedThread);

  return (
    <Panel title="Threads" className="panel-threads">
      <div className="threads-scroll">
        {threads.length === 0 ? (
          <p className="empty">No threads yet: start a call below.</p>
        ) : (
          <ul className="thread-list" aria-label="Kernel threads">
            {threads.map((t, i) => (
              <ThreadCard
                key={t.id}
                thread={t}
                index={i}
                selected={t.id === selected}
                panicked={panic !== null}
                culprit={panic?.thread === t.id}
                locks={locks}
                pages={pages}
              />
            ))}
          </ul>
        )}
      </div>
      <SpawnForm />
    </Panel>
  );
}
