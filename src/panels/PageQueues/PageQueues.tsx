import { memo, useMemo, useRef } from 'react';
import type { PageView } from '../../protocol/snapshot';
import { countWhere } from '../../protocol/patched';
import { useLab } from '../../store/context';
import { selectFontScale, usePrefs } from '../../store/prefs';
import {
  selectFreePages,
  selectFreePagesChange,
  selectPages,
  selectProfile,
  selectQueueChanges,
  selectQueues,
} from '../../store/selectors';
import type { LabState } from '../../store/store';
import { pageLabel } from '../../viz/pages';
import { useChangedNote } from '../common/changed';
import { usePageLookup } from '../common/pageIndex';
import { useWindow } from '../common/useWindow';
import { Panel } from '../Panel';

const ROW_HEIGHT = 22;
const NO_QUEUES: readonly (readonly number[])[] = [];
const NO_PAGES: readonly PageView[] = [];
/** Pages on no queue, counted from the last list's count when a step replaced a few pages. */
const unqueuedCounts = new WeakMap<readonly PageView[], number>();
const isUnqueued = (p: PageView) => p.queue === 'none';

const selectPhysPages = (s: LabState) => s.setup?.machine?.physPages ?? null;

/**
 * The paging queues in order (head first) and the free-page pool. Entries
 * that joined a queue (or moved to its tail) in the last step are marked
 * "new" (and flash, unless the user prefers reduced motion), pages that left
 * are listed, and a changed free count is marked.
 */
export function PageQueues() {
  const pages = useLab(selectPages) ?? NO_PAGES;
  const queues = useLab(selectQueues) ?? NO_QUEUES;
  const profile = useLab(selectProfile);
  const free = useLab(selectFreePages);
  const physPages = useLab(selectPhysPages);
  const queueChanges = useLab(selectQueueChanges);
  const freeChanged = useLab(selectFreePagesChange) !== 0;
  const changed = useChangedNote();

  // Only the rows on screen are looked up (no map of every page per step).
  const pageOf = usePageLookup(pages);
  const unqueued = countWhere(unqueuedCounts, pages, isUnqueued);

  const arrived = useMemo(() => queueChanges.map((q) => new Set(q.joined)), [queueChanges]);
  const left = queueChanges.flatMap((q, i) =>
    q.left.length
      ? [`${profile?.queues[i]?.label ?? 'a queue'}: ${q.left.length} page${q.left.length === 1 ? '' : 's'}`]
      : [],
  );
  const pageKey = profile?.pageTree.key ?? 'offset';

  // Without machine.physPages in the scenario, every page is free or resident.
  const total = Math.max(physPages ?? free + pages.length, 1);
  return (
    <Panel title="Page queues" className="panel-queues" id="queues">
      {changed.note}
      <div className="queues-body">
        <div className="free-pool">
          <span>
            Free pages: <strong className={freeChanged ? 'mono changed' : 'mono'}>{free}</strong> of {total}
            {freeChanged ? <span className="visually-hidden"> (changed by the last step)</span> : null}
          </span>
          <span className="free-bar" aria-hidden="true">
            <span className="free-bar-fill" style={{ width: `${(100 * free) / total}%` }} />
          </span>
          <span className="muted">resident, on no queue: {unqueued}</span>
        </div>
        {left.length > 0 && (
          <p className="changed-list">
            <span className="changed-mark">Left in the last step:</span> {left.join('; ')}
          </p>
        )}
        <div className="queue-columns">
          {profile?.queues.map((q, i) => (
            <QueueList
              key={q.name}
              title={q.label.charAt(0).toUpperCase() + q.label.slice(1)}
              label={`${q.label.charAt(0).toUpperCase() + q.label.slice(1)} queue`}
              ids={queues[i] ?? []}
              pageOf={pageOf}
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

const QueueList = memo(function QueueList({
  title,
  label,
  ids,
  pageOf,
  fresh,
  pageKey,
}: {
  title: string;
  label: string;
  ids: readonly number[];
  pageOf: (id: number) => PageView | undefined;
  fresh: ReadonlySet<number>;
  pageKey: 'offset' | 'pindex';
}) {
  const scroller = useRef<HTMLDivElement>(null);
  const scale = usePrefs(selectFontScale);
  const win = useWindow(scroller, ids.length, ROW_HEIGHT * scale);
  const rows = [];
  for (let i = win.start; i < win.end; i++) {
    const id = ids[i]!;
    const page = pageOf(id);
    const isNew = fresh.has(id);
    rows.push(
      <QueueRow
        key={id}
        label={page ? pageLabel(page, pageKey) : `page ${id}`}
        isNew={isNew}
        position={i + 1}
        size={ids.length}
      />,
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
      <div
        ref={scroller}
        className="queue-scroller"
        tabIndex={0}
        role="region"
        aria-label={`${title} queue, scrolling`}
      >
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

/** One entry, rendered again only when what it says changes (a step that replaced pages gives a new lookup). */
const QueueRow = memo(function QueueRow({
  label,
  isNew,
  position,
  size,
}: {
  label: string;
  isNew: boolean;
  position: number;
  size: number;
}) {
  return (
    <li className={isNew ? 'queue-entry queue-new' : 'queue-entry'} aria-setsize={size} aria-posinset={position}>
      <span className="queue-pos">{position}.</span>
      <span className="mono">{label}</span>
      {isNew && <span className="queue-new-tag">new</span>}
    </li>
  );
});
