/**
 * Keyboard shortcuts: the handler (the help overlay lists them, shortcut-table.ts).
 * The stepping keys are the ones debuggers use (gdb's s/n/finish/run, and
 * F5/F9/F10/F11 as in Visual Studio and VS Code); they act on the thread the
 * source follows (the selected one, else the one last run; never a returned one while another can run).
 */
import { followedThread, lastActedThread } from '../panels/Source/follow';
import { seedLineHasCode } from '../panels/Source/code-lines';
import type { LabAction, LabState, LabStore } from '../store/store';

/** The key goes into a text field or a list box, whose own keys arrows are. */
export function typingInto(target: EventTarget | null): boolean {
  return (
    target instanceof HTMLElement && (target.isContentEditable || /^(INPUT|SELECT|TEXTAREA)$/.test(target.tagName))
  );
}

/** The thread the debugger keys act on: the one the Source panel follows. */
export function debugTarget(state: LabState): string | null {
  const threads = state.snapshot?.threads ?? [];
  return followedThread(threads, state.selectedThread, lastActedThread(state.steps, state.cursor))?.thread.id ?? null;
}

/** Line `n` of the seed shown holds C code (undefined: its text is not in yet). */
function seedHasCode(state: LabState, n: number): boolean | undefined {
  const path = state.profile?.seed.url;
  return path === undefined ? undefined : seedLineHasCode(path, n);
}

/**
 * The action a key press asks for, or null (not ours: let the browser have it); `{ say }`: refused, with why.
 * `hasCode`: whether a seed line holds C code (a run to a line that cannot hold a thread is refused).
 */
export function shortcutAction(
  e: Pick<KeyboardEvent, 'key' | 'shiftKey' | 'ctrlKey'>,
  state: LabState,
  hasCode: (line: number) => boolean | undefined = (n) => seedHasCode(state, n),
): LabAction | 'help' | 'none' | { say: string } | null {
  const thread = debugTarget(state);
  const on = (make: (t: string) => LabAction) => (thread ? make(thread) : 'none');
  if (e.ctrlKey) {
    if (e.key !== 'F10') return null;
    const line = state.chosenLine;
    if (!thread || line === null) return 'none';
    // As the Run to line button: a thread never stands there, so the run would go on to a block.
    if (hasCode(line) === false)
      return {
        say: `Line ${line} has no C code (blank, a comment, or past the end of the file): choose another line to run to.`,
      };
    return { type: 'runTo', thread, line };
  }
  switch (e.key) {
    case 's':
      return on((t) => ({ type: 'step', thread: t }));
    case 'F11':
      return on((t) => (e.shiftKey ? { type: 'stepOut', thread: t } : { type: 'step', thread: t }));
    case 'n':
    case 'F10':
      return on((t) => ({ type: 'stepOver', thread: t }));
    case 'o':
      return on((t) => ({ type: 'stepOut', thread: t }));
    case 'r':
    case 'F5':
      return on((t) => ({ type: 'run', thread: t }));
    case 'F9': {
      const line = state.chosenLine ?? state.snapshot?.threads.find((t) => t.id === thread)?.line ?? null;
      return line !== null ? { type: 'toggleBreakpoint', line } : 'none';
    }
    case 'ArrowLeft': {
      const at = state.aimedCursor();
      return at > 0 ? { type: 'seek', to: at - 1 } : 'none';
    }
    case 'ArrowRight': {
      const at = state.aimedCursor();
      return at < state.length ? { type: 'seek', to: at + 1 } : 'none';
    }
    case '?':
      return 'help';
    default:
      return null;
  }
}

/** What a key press on `store`'s lab does (use-shortcuts.ts listens, and hands it the keys once this is in). */
export function shortcutHandler(store: LabStore): (e: KeyboardEvent) => void {
  return (e) => {
    // Ctrl+F10 is no text: it works from the "Line to run to" box too, where the line was just typed.
    const runTo = e.ctrlKey && e.key === 'F10';
    if (e.metaKey || e.altKey || (typingInto(e.target) && !runTo)) return;
    const state = store.getState();
    // A dialog is open (help, reset, compare, explore): the lab behind it does not move, and Esc is the
    // dialog's own (the browser closes it). Only ? still closes the help it opened.
    if (document.querySelector('dialog[open]')) {
      if (e.key === '?' && state.helpOpen) {
        state.setHelpOpen(false);
        e.preventDefault();
      }
      return;
    }
    const action = shortcutAction(e, state);
    if (action === null) return;
    if (action === 'help') state.setHelpOpen(!state.helpOpen);
    else if (typeof action === 'object' && 'say' in action) state.notify({ kind: 'info', text: action.say });
    else if (action !== 'none') state.dispatch(action);
    e.preventDefault();
  };
}
