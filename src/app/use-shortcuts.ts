/**
 * The lab's keyboard shortcuts. Their handler (shortcuts.ts) is not the first paint's code: it loads once the
 * lab is painted and idle, and a key pressed before it is in is handed to it then, in order.
 */
import { useEffect } from 'react';
import { idleAfterPaint } from '../panels/common/idleAfterPaint';
import { useLabStore } from '../store/context';

export function useShortcuts(): void {
  const store = useLabStore();
  useEffect(() => {
    const early: KeyboardEvent[] = [];
    let handle: ((e: KeyboardEvent) => void) | null = null;
    const onKey = (e: KeyboardEvent) => (handle ? handle(e) : early.push(e));
    window.addEventListener('keydown', onKey);
    let gone = false;
    const cancel = idleAfterPaint(
      () =>
        void import('./shortcuts').then((m) => {
          if (gone) return;
          handle = m.shortcutHandler(store);
          for (const e of early.splice(0)) handle(e);
        }),
    );
    return () => {
      gone = true;
      cancel();
      window.removeEventListener('keydown', onKey);
    };
  }, [store]);
}
