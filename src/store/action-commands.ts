/**
 * What a dispatched action does: the command it sends the worker, and what it changes in the store at once.
 * Pure functions of the action and the state it is dispatched in; `dispatch` (store.ts) does the sending.
 */
import type { CommandBody, LabAction, LabState } from './lab-state';

/** What a read-only lab (the embed) still does: open the link it was given, move through the history, follow a lesson. */
export const READ_ONLY_ALLOWED: ReadonlySet<LabAction['type']> = new Set(['open', 'seek', 'teach', 'cancel']);
/** The command an action sends, given the state it is dispatched in (null: nothing to send). */
export function commandOf(action: LabAction, state: LabState): CommandBody | null {
  const breakpoints = state.breakpoints.length > 0 ? { breakpoints: state.breakpoints } : {};
  switch (action.type) {
    case 'open':
      return {
        type: 'sim.open',
        source: action.source,
        origin: action.origin,
        cursor: action.cursor,
        ...(action.select !== undefined ? { select: action.select } : {}),
        ...(action.branches ? { branches: action.branches } : {}),
        ...(action.fallback ? { fallback: action.fallback } : {}),
      };
    case 'load':
      return { type: 'sim.load', scenario: action.scenario, cursor: action.cursor };
    case 'reset':
      return state.setup ? { type: 'sim.reset' } : null;
    case 'undoReset':
      return { type: 'sim.undoReset' };
    case 'spawn':
      return { type: 'sim.spawn', step: action.step };
    case 'run':
      return { type: 'sim.run', thread: action.thread, ...breakpoints };
    case 'step':
      return { type: 'sim.step', thread: action.thread };
    case 'stepOver':
      return { type: 'sim.stepOver', thread: action.thread, ...breakpoints };
    case 'stepOut':
      return { type: 'sim.stepOut', thread: action.thread, ...breakpoints };
    case 'runTo':
      return { type: 'sim.runTo', thread: action.thread, line: action.line, ...breakpoints };
    case 'complete':
      return { type: 'sim.complete', request: action.request, result: action.result };
    case 'seek':
      return { type: 'sim.seek', to: action.to };
    case 'teach':
      return action.command;
    case 'switchBranch':
      return { type: 'sim.branch', branch: action.branch };
    case 'compare':
      return { type: 'sim.compare', a: action.a, b: action.b };
    case 'cancel':
      return state.busy ? { type: 'sim.cancel' } : null;
    case 'toggleBreakpoint':
    case 'chooseLine':
    case 'closeComparison':
      return null;
  }
}

/** What an action changes in the store itself, before (or instead of) the worker. */
export function localPatch(action: LabAction, state: LabState): Partial<LabState> | null {
  switch (action.type) {
    case 'toggleBreakpoint': {
      const has = state.breakpoints.includes(action.line);
      const breakpoints = has
        ? state.breakpoints.filter((l) => l !== action.line)
        : [...state.breakpoints, action.line].sort((a, b) => a - b);
      return { breakpoints };
    }
    case 'chooseLine':
      return { chosenLine: action.line };
    case 'closeComparison':
      return { comparison: null };
    case 'open':
      return action.about !== undefined ? { aboutOpen: action.about } : null;
    default:
      return null;
  }
}
