/** Keyboard shortcuts, one table shared by the handler and the help overlay. */
import { useEffect } from 'react';
import { useLabStore } from '../store/context';

export const SHORTCUTS: readonly { keys: string; does: string }[] = [
  { keys: 's', does: 'Step the selected thread by one statement' },
  { keys: 'r', does: 'Run the selected thread until it blocks or returns' },
  { keys: '←', does: 'Back one step in the timeline' },
  { keys: '→', does: 'Forward one step in the timeline' },
  { keys: '?', does: 'Show or hide this help' },
  { keys: 'Esc', does: 'Close this help' },
];

function typingInto(target: EventTarget | null): boolean {
  return (
    target instanceof HTMLElement && (target.isContentEditable || /^(INPUT|SELECT|TEXTAREA)$/.test(target.tagName))
  );
}

export function useShortcuts(): void {
  const store = useLabStore();
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.ctrlKey || e.metaKey || e.altKey || typingInto(e.target)) return;
      const state = store.getState();
      const thread = state.selectedThread;
      switch (e.key) {
        case 's':
          if (thread) state.dispatch({ type: 'step', thread });
          break;
        case 'r':
          if (thread) state.dispatch({ type: 'run', thread });
          break;
        case 'ArrowLeft':
          if (state.cursor > 0) state.dispatch({ type: 'seek', to: state.cursor - 1 });
          break;
        case 'ArrowRight':
          if (state.cursor < state.length) state.dispatch({ type: 'seek', to: state.cursor + 1 });
          break;
        case '?':
          state.setHelpOpen(!state.helpOpen);
          break;
        case 'Escape':
          state.setHelpOpen(false);
          break;
        default:
          return;
      }
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [store]);
}
