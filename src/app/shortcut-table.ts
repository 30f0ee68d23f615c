/**
 * The keyboard shortcuts as the help overlay lists them, what `shortcutAction` (shortcuts.ts) does with each
 * key. Apart from the handler so that its text loads with the overlay, not with the lab's first paint.
 */
export const SHORTCUTS: readonly { keys: string; does: string }[] = [
  { keys: 's  F11', does: 'Step: run the followed thread by one statement (into a call)' },
  { keys: 'n  F10', does: 'Step over: run a call into a seed function to its return' },
  { keys: 'o  Shift+F11', does: 'Step out: run until the thread returns from the function it is in' },
  { keys: 'r  F5', does: 'Run the thread until it blocks, returns or reaches a breakpoint' },
  { keys: 'Ctrl+F10', does: 'Run the thread to the chosen line (click a line of the source to choose it)' },
  { keys: 'F9', does: 'Set or remove a breakpoint on the chosen line (or click a line number)' },
  { keys: '←', does: 'Back one step in the timeline' },
  { keys: '→', does: 'Forward one step in the timeline' },
  { keys: '?', does: 'Show or hide this help' },
  { keys: 'Esc', does: 'Close this help or any dialog (the keys above wait while one is open)' },
];
