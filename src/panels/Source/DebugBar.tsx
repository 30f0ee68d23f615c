import { memo } from 'react';
import { useLab, useDispatch } from '../../store/context';
import { selectBreakpoints, selectChosenLine, selectLastStop, selectPanic } from '../../store/selectors';
import type { ThreadView } from '../../protocol/snapshot';
import type { StopInfo } from '../../protocol/debug';

/** What made the thread stop, in words. */
export function stopText(stop: StopInfo, seedFile: string): string {
  const at = stop.line !== null ? ` at ${seedFile}:${stop.line}` : '';
  // One primitive step is one statement (or one plain run): only a count above one says something.
  const steps = stop.steps > 1 ? ` (${stop.steps} steps)` : '';
  switch (stop.reason) {
    case 'step':
      return `${stop.thread} stopped${at}${steps}`;
    case 'returned':
      // No seed line: the thread is back in its caller's statement (the fault path between its uvn_get calls).
      return `${stop.thread} stepped out${stop.line !== null ? `, now${at}` : ' to its caller'}${steps}`;
    case 'line':
      return `${stop.thread} reached the line${at}${steps}`;
    case 'breakpoint':
      return `${stop.thread} stopped at a breakpoint${at}${steps}`;
    case 'blocked':
      return `${stop.thread} blocked${at}${steps}`;
    case 'done':
      return `${stop.thread} returned${steps}`;
    case 'panic':
      return `${stop.thread} panicked${at}${steps}`;
    case 'loops':
      return `${stop.thread} loops for ever${at}, run stopped${stop.why ? `: ${stop.why}` : ''}`;
    case 'limit':
      return `${stop.thread} still running${at}${steps}: stopped at the bound`;
    case 'cancelled':
      return `${stop.thread} still running${at}${steps}: cancelled`;
  }
}

/** The buttons that step or run the followed thread, with the debugger keys people know. */
const STEPPERS = [
  { label: 'Step', type: 'step', keys: 'S F11', title: (id: string) => `Step ${id} by one statement (s, F11)` },
  {
    label: 'Step over',
    type: 'stepOver',
    keys: 'N F10',
    title: (id: string) => `Step ${id} over a call into a seed function: run it to its return (n, F10)`,
  },
  {
    label: 'Step out',
    type: 'stepOut',
    keys: 'O Shift+F11',
    title: (id: string) => `Run ${id} until it returns from the function it is in (o, Shift+F11)`,
  },
  {
    label: 'Run',
    type: 'run',
    keys: 'R F5',
    title: (id: string) => `Run ${id} until it blocks, returns or reaches a breakpoint (r, F5)`,
  },
] as const;

/**
 * The stepping buttons and the line to run to. Memoized on what they show (the thread's id, whether it can
 * run, the chosen line): the bar re-renders on every step (a new thread, a new stop), the buttons need not.
 */
const DebugButtons = memo(function DebugButtons({
  id,
  can,
  chosen,
  isCode,
}: {
  id: string | null;
  can: boolean;
  chosen: number | null;
  isCode: (line: number) => boolean;
}) {
  const dispatch = useDispatch();
  const why = id === null ? 'No thread to run' : !can ? `${id} cannot run now` : undefined;
  // A thread never stands on a blank or comment line, nor past the file's end: running to one would run on
  // until the thread blocks, and call that a run to the line.
  const noCode = chosen !== null && !isCode(chosen);
  return (
    <div className="toolbar" role="toolbar" aria-label="Debugger">
      {STEPPERS.map(({ label, type, keys, title }) => (
        <button
          key={type}
          type="button"
          disabled={!can}
          title={why ?? title(id ?? '')}
          aria-keyshortcuts={keys}
          onClick={() => id && dispatch({ type, thread: id })}
        >
          {label}
        </button>
      ))}
      <span className="src-runto">
        <button
          type="button"
          disabled={!can || chosen === null || noCode}
          title={
            why ??
            (chosen === null
              ? 'Click a line of the source (or type its number) to choose where to run to'
              : noCode
                ? `Line ${chosen} has no C code (blank, a comment, or past the end of the file)`
                : `Run ${id} until it stands at line ${chosen} (Ctrl+F10)`)
          }
          aria-keyshortcuts="Control+F10"
          onClick={() => id && chosen !== null && dispatch({ type: 'runTo', thread: id, line: chosen })}
        >
          Run to line
        </button>
        <input
          type="number"
          min={1}
          aria-label="Line to run to"
          aria-invalid={noCode || undefined}
          value={chosen ?? ''}
          // Enter runs to the line typed, as the button beside it does.
          onKeyDown={(e) => {
            if (e.key === 'Enter' && id && can && chosen !== null && !noCode)
              dispatch({ type: 'runTo', thread: id, line: chosen });
          }}
          onChange={(e) => {
            const n = Number(e.target.value);
            dispatch({ type: 'chooseLine', line: e.target.value && Number.isSafeInteger(n) && n > 0 ? n : null });
          }}
        />
      </span>
    </div>
  );
});

/**
 * The debugger's controls for the thread the source follows: step (into),
 * step over, step out, run (to a block, a breakpoint or the end), run to a
 * chosen line; the breakpoints set, and why the thread last stopped.
 */
export function DebugBar({
  thread,
  seedFile,
  isCode,
}: {
  thread: ThreadView | null;
  seedFile: string;
  /** Whether seed line `line` holds C code (not blank, not only a comment, inside the file). */
  isCode: (line: number) => boolean;
}) {
  const dispatch = useDispatch();
  const panic = useLab(selectPanic);
  const chosen = useLab(selectChosenLine);
  const breakpoints = useLab(selectBreakpoints);
  const stop = useLab(selectLastStop);
  const id = thread?.id ?? null;
  const can = id !== null && thread?.status === 'ready' && panic === null;
  return (
    <div className="src-debug">
      <DebugButtons id={id} can={can} chosen={chosen} isCode={isCode} />
      {breakpoints.length > 0 && (
        <ul className="src-bps" aria-label="Breakpoints">
          {breakpoints.map((line) => (
            <li key={line}>
              <button
                type="button"
                aria-label={`Remove the breakpoint at line ${line}`}
                title={`Remove the breakpoint at line ${line}`}
                onClick={() => dispatch({ type: 'toggleBreakpoint', line })}
              >
                ● {line} ×
              </button>
            </li>
          ))}
        </ul>
      )}
      {stop && (
        <p role="status" className="src-stop">
          {stopText(stop, seedFile)}
        </p>
      )}
    </div>
  );
}
