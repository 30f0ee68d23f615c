import { memo, type CSSProperties, type MouseEvent } from 'react';
import type { Token } from '../../viz/c-highlight';
import { sameMarks, type LineMark } from './follow';

const NO_MARKS: readonly LineMark[] = [];

interface LineProps {
  n: number;
  tokens: readonly Token[];
  marks: readonly LineMark[];
  current: boolean;
  breakpoint: boolean;
  chosen: boolean;
  /** The last step ran this line. */
  ran: boolean;
}

/**
 * A line's coloured code: memoized on its tokens (made once per file), so a line a thread comes to or leaves
 * does not build its tokens again.
 */
const LineText = memo(function LineText({ tokens }: { tokens: readonly Token[] }) {
  return (
    <span className="src-text">
      {tokens.map((tk, i) =>
        tk.kind === 'plain' || tk.kind === 'ident' ? (
          tk.text
        ) : (
          <span key={i} className={`tk-${tk.kind}`}>
            {tk.text}
          </span>
        ),
      )}
    </span>
  );
});

/**
 * One seed line. Memoized on its marks: a snapshot re-renders only the lines
 * a thread arrived at or left, never the whole file.
 */
const SourceLine = memo(
  function SourceLine({ n, tokens, marks, current, breakpoint, chosen, ran }: LineProps) {
    const first = marks[0];
    // Two tags fit the gutter; a third thread on the line shows as "+N" (ids in its title).
    const shown = marks.length > 2 ? marks.slice(0, 1) : marks;
    const hidden = marks.slice(shown.length);
    return (
      <div
        className={`src-line${first ? ' marked' : ''}${current ? ' current' : ''}${chosen ? ' chosen' : ''}${ran ? ' ran' : ''}`}
        data-line={n}
        style={first ? ({ '--mark': first.color } as CSSProperties) : undefined}
      >
        <span className="src-tags">
          {shown.map((m) => (
            <span key={m.id} className="src-tag" style={{ background: m.color, color: m.ink }} title={m.id}>
              {m.id}
            </span>
          ))}
          {hidden.length > 0 && (
            <span className="src-more" title={hidden.map((m) => m.id).join(', ')}>
              +{hidden.length}
              <span className="visually-hidden"> more: {hidden.map((m) => m.id).join(', ')}</span>
            </span>
          )}
        </span>
        {/* NOTE: out of the tab order (a thousand stops); F9 toggles the chosen line's breakpoint. */}
        <button
          type="button"
          tabIndex={-1}
          className={`src-ln${breakpoint ? ' bp' : ''}`}
          aria-label={`Breakpoint at line ${n}`}
          aria-pressed={breakpoint}
        >
          {n}
        </button>
        <LineText tokens={tokens} />
      </div>
    );
  },
  (a, b) =>
    a.n === b.n &&
    a.tokens === b.tokens &&
    a.current === b.current &&
    a.breakpoint === b.breakpoint &&
    a.chosen === b.chosen &&
    a.ran === b.ran &&
    sameMarks(a.marks, b.marks),
);

/** One handler for every line (no closure per line): the gutter toggles a breakpoint, the code chooses the line. */
function onLinesClick(e: MouseEvent<HTMLDivElement>, onBreakpoint: (n: number) => void, onChoose: (n: number) => void) {
  const target = e.target as HTMLElement;
  const line = target.closest<HTMLElement>('[data-line]');
  if (!line) return;
  const n = Number(line.dataset.line);
  if (target.closest('.src-ln')) onBreakpoint(n);
  else if (!target.closest('.src-tags')) onChoose(n);
}

/** The visible window of the file: tokens computed once; only `marks` and `current` change per snapshot. */
export const SourceLines = memo(function SourceLines({
  lines,
  marks,
  current,
  breakpoints,
  chosen,
  onBreakpoint,
  onChoose,
  start,
  end,
  padTop,
  padBottom,
  trail,
}: {
  lines: readonly (readonly Token[])[];
  /** Lines the last step ran. */
  trail: ReadonlySet<number>;
  marks: ReadonlyMap<number, readonly LineMark[]>;
  current: number | null;
  breakpoints: ReadonlySet<number>;
  chosen: number | null;
  onBreakpoint: (line: number) => void;
  onChoose: (line: number) => void;
  /** Window of lines to render (0-based, end exclusive) and the space the others take. */
  start: number;
  end: number;
  padTop: number;
  padBottom: number;
}) {
  const shown = [];
  for (let i = start; i < end; i++) {
    shown.push(
      <SourceLine
        key={i + 1}
        n={i + 1}
        tokens={lines[i]!}
        marks={marks.get(i + 1) ?? NO_MARKS}
        current={current === i + 1}
        breakpoint={breakpoints.has(i + 1)}
        chosen={chosen === i + 1}
        ran={trail.has(i + 1)}
      />,
    );
  }
  return (
    <div
      className="src-lines"
      style={{ paddingTop: 2 + padTop, paddingBottom: 40 + padBottom }}
      onClick={(e) => onLinesClick(e, onBreakpoint, onChoose)}
    >
      {shown}
    </div>
  );
});
