import { memo, useMemo, useRef, useState } from 'react';
import type { PageColumn } from '../../protocol/profile';
import type { CellValue, PageView } from '../../protocol/snapshot';
import { useLab, useLabStore } from '../../store/context';
import {
  selectAddedPages,
  selectPageChanges,
  selectPageFlagChanges,
  selectPages,
  selectProfile,
  selectRemovedPages,
  selectThreadOrderKey,
} from '../../store/selectors';
import { threadColor } from '../../viz/palette';
import { hex, PageGrouper, pageKeyText, pageLabel } from '../../viz/pages';
import { useChangedNote, type ChangedNote } from '../common/changed';
import { selectFontScale, usePrefs } from '../../store/prefs';
import { useWindow } from '../common/useWindow';
import { useShownVnodes, useVnodeNames, VnodePicker } from '../common/VnodePicker';
import { Panel } from '../Panel';
import { bitStripText } from './bit-strip';
import './PageBits.css';

/** Every row is this tall (CSS matches), so the window is plain arithmetic. */
const ROW_HEIGHT = 24;
const NO_PAGES: readonly PageView[] = [];
const NO_COLUMNS: readonly PageColumn[] = [];
const NO_KEYS: readonly string[] = [];

/**
 * Every resident page of the shown vnode(s) with its bits, the columns as the
 * pager's profile names them. Only the rows in view (plus a few) are in the
 * DOM, so 4,096 pages stay fast.
 */
export function PageBits() {
  const pages = useLab(selectPages) ?? NO_PAGES;
  const profile = useLab(selectProfile);
  const store = useLabStore();
  const columns = profile?.pageColumns ?? NO_COLUMNS;
  const key = profile?.pageTree.key ?? 'offset';
  /** Columns before the profile's: vnode and offset, or the page's name. */
  const lead = key === 'pindex' ? 1 : 2;
  const { names, all } = useShownVnodes();
  const allNames = useVnodeNames();
  // One vnode shown: its own list, kept across steps and patched by the pages a step replaced (no pass over
  // every page per step).
  const [grouper] = useState(() => new PageGrouper<PageView>());
  const groups = useMemo(() => (all ? null : grouper.group(pages, allNames)), [all, grouper, pages, allNames]);
  const rows = (groups && groups.get(names[0]!)) ?? (all ? pages : NO_PAGES);

  // Thread ids only change when threads are added: don't rebuild the colour map on every step.
  const threadKey = useLab(selectThreadOrderKey);
  const colors = useMemo(
    () => new Map(store.getState().snapshot?.threads.map((t, i) => [t.id, threadColor(i)])),
    // eslint-disable-next-line react-hooks/exhaustive-deps -- threadKey stands for the thread ids
    [threadKey, store],
  );

  const scroller = useRef<HTMLDivElement>(null);
  const scale = usePrefs(selectFontScale);
  const win = useWindow(scroller, rows.length, ROW_HEIGHT * scale);
  const pageChanges = useLab(selectPageChanges);
  const pageFlags = useLab(selectPageFlagChanges);
  const addedPages = useLab(selectAddedPages);
  const removed = useLab(selectRemovedPages);
  const changed = useChangedNote();
  const added = useMemo(() => new Set(addedPages), [addedPages]);
  const freed = removed.filter((p) => all || names.includes(p.vnode));

  const body = [];
  for (let i = win.start; i < win.end; i++) {
    const p = rows[i]!;
    body.push(
      <BitsRow
        key={p.id}
        page={p}
        index={i}
        columns={columns}
        pageKey={key}
        colors={colors}
        changed={pageChanges[p.id] ?? NO_KEYS}
        flipped={pageFlags[p.id] ?? 0}
        added={added.has(p.id)}
        mark={changed.mark}
      />,
    );
  }

  // The header is the same elements from step to step: React skips it when a step replaces pages.
  const head = useMemo(
    () => (
      <thead>
        <tr aria-rowindex={1}>
          {/* A page by pindex is named as the kernel's %p names it, obj1[0]: one column. */}
          {key === 'pindex' ? (
            <th scope="col" title="the page's object and pindex">
              page
            </th>
          ) : (
            <>
              <th scope="col">vnode</th>
              <th scope="col">offset</th>
            </>
          )}
          {columns.map((c) => (
            <th
              scope="col"
              key={c.key}
              className={c.kind === 'yes' || c.kind === 'flag' ? 'bit-col' : undefined}
              title={c.meaning}
            >
              {/* Break after a prefix when narrow; the header text stays the kernel's name. */}
              {c.label.includes('_') ? (
                <>
                  {c.label.slice(0, c.label.indexOf('_') + 1)}
                  <wbr />
                  {c.label.slice(c.label.indexOf('_') + 1)}
                </>
              ) : (
                c.label
              )}
            </th>
          ))}
        </tr>
      </thead>
    ),
    [columns, key],
  );

  return (
    <Panel title="Page bits" className="panel-bits" id="bits" actions={<VnodePicker />}>
      {changed.note}
      <div className="bits-body">
        <p className="bits-count muted" aria-live="off">
          {rows.length} resident page{rows.length === 1 ? '' : 's'}
          {all ? ', all vnodes' : ` of ${names[0]}`}
        </p>
        {freed.length > 0 && (
          <p className="changed-list">
            <span className="changed-mark">Freed or taken out by the last step:</span>{' '}
            {freed.map((p) => `${pageLabel(p, key)} (was ${p.summary})`).join('; ')}
          </p>
        )}
        <div ref={scroller} className="bits-scroller" tabIndex={0} role="region" aria-label="Page bits table">
          <table className="bits-table" aria-rowcount={rows.length + 1}>
            {head}
            <tbody>
              {win.padTop > 0 && <Spacer height={win.padTop} span={columns.length + lead} />}
              {body}
              {win.padBottom > 0 && <Spacer height={win.padBottom} span={columns.length + lead} />}
            </tbody>
          </table>
          {rows.length === 0 && <p className="muted bits-empty">No resident pages.</p>}
        </div>
      </div>
    </Panel>
  );
}

function Spacer({ height, span }: { height: number; span: number }) {
  return (
    <tr aria-hidden="true" className="bits-spacer" style={{ height }}>
      <td colSpan={span} />
    </tr>
  );
}

/** A set bit: a check mark on screen (narrow columns), the word "yes" to screen readers. */
function Yes({ on }: { on: boolean }) {
  return on ? (
    <span className="yes" title="yes">
      <span aria-hidden="true">✓</span>
      <span className="visually-hidden">yes</span>
    </span>
  ) : null;
}

/**
 * One cell per 512-byte chunk, bit 0 (bytes 0-511) at the left; the exact bits on hover and to screen
 * readers (bitStripText), the hex value beside it for the eye.
 */
function BitStrip({ value, cells, column }: { value: number; cells: number; column: PageColumn }) {
  const text = bitStripText(column.label, value, cells);
  return (
    <span className={`bit-strip bit-strip-${column.key}`} title={text} role="img" aria-label={text}>
      <span className="bit-strip-cells" aria-hidden="true">
        {Array.from({ length: cells }, (_, i) => (
          <span key={i} className={value & (1 << i) ? 'bit-on' : 'bit-off'} />
        ))}
      </span>
      <span className="bit-strip-value mono" aria-hidden="true">
        {hex(value, Math.ceil(cells / 4))}
      </span>
    </span>
  );
}

/** A column's value for a page: the page's own fields by name, else its cells. */
function cellValue(p: PageView, c: PageColumn): CellValue | undefined {
  switch (c.key) {
    case 'queue':
      return p.queue;
    case 'mapped':
      return p.mapped;
    case 'modified':
      return p.modified;
    case 'owner':
      return p.owner;
    default:
      return c.kind === 'flag' ? (p.flagWord & (c.bit ?? 0)) !== 0 : p.cells[c.key];
  }
}

function Cell({
  column: c,
  value,
  colors,
}: {
  column: PageColumn;
  value: CellValue | undefined;
  colors: ReadonlyMap<string, string>;
}) {
  switch (c.kind) {
    case 'yes':
    case 'flag':
      return <Yes on={value === true} />;
    case 'bits':
      return <BitStrip value={typeof value === 'number' ? value : 0} cells={c.cells ?? 8} column={c} />;
    case 'hex':
      return <span className="mono">{typeof value === 'number' ? hex(value) : String(value ?? '')}</span>;
    case 'thread': {
      if (typeof value !== 'string') return null;
      const color = colors.get(value);
      return (
        <span className="owner">
          {color && <span className="owner-swatch" style={{ background: color }} aria-hidden="true" />}
          {value}
        </span>
      );
    }
    default:
      return <>{value === null || value === undefined ? '' : String(value)}</>;
  }
}

const BitsRow = memo(function BitsRow({
  page: p,
  index,
  columns,
  pageKey,
  colors,
  changed,
  flipped,
  added,
  mark,
}: {
  page: PageView;
  index: number;
  columns: readonly PageColumn[];
  pageKey: 'offset' | 'pindex';
  colors: ReadonlyMap<string, string>;
  /** Column keys the last step changed. */
  changed: readonly string[];
  /** Bits of the flag word the last step flipped. */
  flipped: number;
  /** The last step brought this page in. */
  added: boolean;
  mark: ChangedNote['mark'];
}) {
  const rowClass = [p.busy ? 'row-busy' : '', added ? 'row-new' : ''].filter(Boolean).join(' ') || undefined;
  return (
    <tr aria-rowindex={index + 2} className={rowClass}>
      {pageKey === 'pindex' ? (
        <td {...mark(added, 'mono')}>{pageLabel(p, 'pindex')}</td>
      ) : (
        <>
          <td {...mark(added)}>{p.vnode}</td>
          <td {...mark(added, 'mono')}>{pageKeyText(p, pageKey)}</td>
        </>
      )}
      {columns.map((c) => (
        <td
          key={c.key}
          {...mark(
            added || changed.includes(c.key) || (c.kind === 'flag' && (flipped & (c.bit ?? 0)) !== 0),
            c.kind === 'yes' || c.kind === 'flag' ? 'bit-cell' : undefined,
          )}
        >
          <Cell column={c} value={cellValue(p, c)} colors={colors} />
        </td>
      ))}
    </tr>
  );
});
