import { memo, useMemo, useRef, useState } from 'react';
import type { PageView } from '../../protocol/snapshot';
import { useLab } from '../../store/context';
import { selectFreePages, selectPages, selectProfile, selectQueues } from '../../store/selectors';
import type { LabState } from '../../store/store';
import { pageLabel } from '../../viz/pages';
import { useWindow } from '../common/useWindow';
import { Panel } from '../Panel';

const ROW_HEIGHT = 22;
const NO_QUEUES: readonly (readonly number[])[] = [];
const NO_PAGES: readonly PageView[] = [];

const selectStep = (s: LabState) => s.snapshot?.step ?? -1;
const selectEpoch = (s: LabState) => s.epoch;
const selectPhysPages = (s: LabState) => s.setup?.machine?.physPages ?? null;

/**
 * The paging queues in order (head first) and the free-page pool. Entries
 * that joined a queue since the previous step are marked "new" (and flash,
 * unless the user prefers reduced motion).
 */
export function PageQueues() {
  const pages = useLab(selectPages) ?? NO_PAGES;
  const queues = useLab(selectQueues) ?? NO_QUEUES;
  const profile = useLab(selectProfile);
  const free = useLab(selectFreePages);
  const physPages = useLab(selectPhysPages);
  const step = useLab(selectStep);
  const epoch = useLab(selectEpoch);

  const byId = useMemo(() => new Map(pages.map((p) => [p.id, p])), [pages]);
  const unqueued = useMemo(() => pages.reduce((n, p) => n + (p.queue === 'none' ? 1 : 0), 0), [pages]);

  // The queues as they stood at the previous step we showed ("storing
  // information from previous renders", as React's docs describe it).
  // A newly loaded scenario (a new epoch) has nothing "new" in it.
  const [history, setHistory] = useState({ epoch, step, queues, prev: queues });
  if (history.step !== step || history.epoch !== epoch) {
    const fresh = history.epoch !== epoch;
    setHistory({ epoch, step, queues, prev: fresh ? queues : history.queues });
  }
  const arrived = useMemo(() => queues.map((q, i) => arrivals(history.prev[i] ?? q, q)), [history.prev, queues]);
  const pageKey = profile?.pageTree.key ?? 'offset';

  // Without machine.physPages in the scenario, every page is free or resident.
  const total = Math.max(physPages ?? free + pages.length, 1);
  return (
    <Panel title="Page queues" className="panel-queues">
      <div className="queues-body">
        <div className="free-pool">
          <span>
            Free pages: <strong className="mono">{free}</strong> of {total}
          </span>
          <span className="free-bar" aria-hidden="true">
            <span className="free-bar-fill" style={{ width: `${(100 * free) / total}%` }} />
          </span>
          <span className="muted">resident, on no queue: {unqueued}</span>
        </div>
        <div className="queue-columns">
          {profile?.queues.map((q, i) => (
            <QueueList
              key={q.name}
              title={q.label.charAt(0).toUpperCase() + q.label.slice(1)}
              label={`${q.label.charAt(0).toUpperCase() + q.label.slice(1)} queue`}
              ids={queues[i] ?? []}
              byId={byId}
              fresh={arrived[i] ?? NOTHING}
              pageKey={pageKey}
            />
          ))}
        </div>
      </div>
    </Panel>
  );
}

const NOTHING: ReadonlySet<number> = new Set();

function arrivals(before: readonly number[], now: readonly number[]): ReadonlySet<number> {
  if (before === now) return new Set();
  const old = new Set(before);
  return new Set(now.filter((id) => !old.has(id)));
}

const QueueList = memo(function QueueList({
  title,
  label,
  ids,
  byId,
  fresh,
  pageKey,
}: {
  title: string;
  label: string;
  ids: readonly number[];
  byId: ReadonlyMap<number, PageView>;
  fresh: ReadonlySet<number>;
  pageKey: 'offset' | 'pindex';
}) {
  const scroller = useRef<HTMLDivElement>(null);
  const win = useWindow(scroller, ids.length, ROW_HEIGHT);
  const rows = [];
  for (let i = win.start; i < win.end; i++) {
    const id = ids[i]!;
    const page = byId.get(id);
    const isNew = fresh.has(id);
    rows.push(
      <li
        key={id}
        className={isNew ? 'queue-entry queue-new' : 'queue-entry'}
        aria-setsize={ids.length}
        aria-posinset={i + 1}
      >
        <span className="queue-pos">{i + 1}.</span>
        <span className="mono">{page ? pageLabel(page, pageKey) : `page ${id}`}</span>
        {isNew && <span className="queue-new-tag">new</span>}
      </li>,
    );
  }
  return (
    <div className="queue">
      <div className="queue-head">
        <h3 className="queue-heading">
          {title} ({ids.length})
        </h3>
        {ids.length > 1 && <span className="muted">head first</span>}
      </div>
      <div ref={scroller} className="queue-scroller">
        <ul
          role="list"
          className="queue-list"
          aria-label={label}
          style={{ paddingTop: win.padTop, paddingBottom: win.padBottom }}
        >
          {rows}
        </ul>
        {ids.length === 0 && <p className="muted queue-empty">empty</p>}
      </div>
    </div>
  );
});
