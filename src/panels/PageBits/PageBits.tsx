import { memo, useMemo, useRef } from 'react';
import type { PageView } from '../../engine/view';
import { useStore } from '../../store/store';
import { selectPages, selectThreads } from '../../store/selectors';
import { threadColor } from '../../viz/palette';
import { hex } from '../../viz/pages';
import { useWindow } from '../common/useWindow';
import { useShownVnodes, VnodePicker } from '../common/VnodePicker';
import { Panel } from '../Panel';

/** The pg_flags bits shown, in bit order; column headers use these exact names. */
const BITS = ['PG_BUSY', 'PG_WANTED', 'PG_CLEAN', 'PG_CLEANCHK', 'PG_RELEASED', 'PG_FAKE'] as const;
/** Every row is this tall (CSS matches), so the window is plain arithmetic. */
const ROW_HEIGHT = 24;
const COLUMNS = 7 + BITS.length;
const NO_PAGES: readonly PageView[] = [];

/**
 * Every resident page of the shown vnode(s) with its bits. Only the rows in
 * view (plus a few) are in the DOM, so 4,096 pages stay fast.
 */
export function PageBits() {
  const pages = useStore(selectPages) ?? NO_PAGES;
  const threads = useStore(selectThreads);
  const { names, all } = useShownVnodes();
  const namesKey = names.join('\n');
  const rows = useMemo(() => {
    if (all) return pages;
    const shown = new Set(namesKey.split('\n'));
    return pages.filter((p) => shown.has(p.vnode));
  }, [pages, all, namesKey]);

  // Thread ids only change when threads are added: don't rebuild the colour map on every step.
  const threadKey = `${threads?.length ?? 0}:${threads?.[0]?.id ?? ''}:${threads?.at(-1)?.id ?? ''}`;
  const colors = useMemo(
    () => new Map(useStore.getState().snapshot?.threads.map((t, i) => [t.id, threadColor(i)])),
    // eslint-disable-next-line react-hooks/exhaustive-deps -- threadKey stands for the thread ids
    [threadKey],
  );

  const scroller = useRef<HTMLDivElement>(null);
  const win = useWindow(scroller, rows.length, ROW_HEIGHT);

  const body = [];
  for (let i = win.start; i < win.end; i++) {
    const p = rows[i]!;
    body.push(<BitsRow key={p.id} page={p} index={i} ownerColor={p.owner ? (colors.get(p.owner) ?? null) : null} />);
  }

  return (
    <Panel title="Page bits" className="panel-bits" actions={<VnodePicker />}>
      <div className="bits-body">
        <p className="bits-count muted" aria-live="off">
          {rows.length} resident page{rows.length === 1 ? '' : 's'}
          {all ? ', all vnodes' : ` of ${names[0]}`}
        </p>
        <div ref={scroller} className="bits-scroller">
          <table className="bits-table" aria-rowcount={rows.length + 1}>
            <thead>
              <tr aria-rowindex={1}>
                <th scope="col">vnode</th>
                <th scope="col">offset</th>
                {BITS.map((b) => (
                  <th scope="col" key={b} className="bit-col">
                    {/* Break after "PG_" when narrow; the header text stays the flag name. */}
                    PG_
                    <wbr />
                    {b.slice(3)}
                  </th>
                ))}
                <th scope="col">queue</th>
                <th scope="col">wired</th>
                <th scope="col">mapped</th>
                <th scope="col">modified</th>
                <th scope="col">owner thread</th>
              </tr>
            </thead>
            <tbody>
              {win.padTop > 0 && <Spacer height={win.padTop} />}
              {body}
              {win.padBottom > 0 && <Spacer height={win.padBottom} />}
            </tbody>
          </table>
          {rows.length === 0 && <p className="muted bits-empty">No resident pages.</p>}
        </div>
      </div>
    </Panel>
  );
}

function Spacer({ height }: { height: number }) {
  return (
    <tr aria-hidden="true" className="bits-spacer" style={{ height }}>
      <td colSpan={COLUMNS} />
    </tr>
  );
}

function Yes({ on }: { on: boolean }) {
  return on ? (
    <span className="yes">
      <span aria-hidden="true">✓ </span>yes
    </span>
  ) : null;
}

const BitsRow = memo(function BitsRow({
  page: p,
  index,
  ownerColor,
}: {
  page: PageView;
  index: number;
  ownerColor: string | null;
}) {
  return (
    <tr aria-rowindex={index + 2} className={p.flags.includes('PG_BUSY') ? 'row-busy' : undefined}>
      <td>{p.vnode}</td>
      <td className="mono">{hex(p.offset)}</td>
      {BITS.map((b) => (
        <td key={b} className="bit-cell">
          <Yes on={p.flags.includes(b)} />
        </td>
      ))}
      <td>{p.queue}</td>
      <td className="mono">{p.wired}</td>
      <td className="bit-cell">
        <Yes on={p.mapped} />
      </td>
      <td className="bit-cell">
        <Yes on={p.modified} />
      </td>
      <td>
        {p.owner && (
          <span className="owner">
            {ownerColor && <span className="owner-swatch" style={{ background: ownerColor }} aria-hidden="true" />}
            {p.owner}
          </span>
        )}
      </td>
    </tr>
  );
});
