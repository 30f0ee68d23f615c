import { useEffect, type RefObject } from 'react';

/** Where focus goes in the pane when it would be lost: the open view's heading, or a reveal's verdict. */
export const FOCUS_TARGET = { 'data-teach-focus': '', tabIndex: -1 } as const;

/**
 * Keyboard users keep their place in the teaching pane. When the control they used goes away or is disabled
 * (Reveal, Next at a scene with a question, "← Menu", a menu entry), the browser drops focus to the page's
 * body, dozens of Tab presses from the pane, where a stray key steps the lab; focus moves to the pane's
 * marked target (`FOCUS_TARGET`) instead. Only while the learner was in the pane: a click or focus elsewhere
 * in the lab leaves focus where they put it. Opened from `opener` (the Learn button), the pane takes focus.
 */
export function useFocusKept(pane: RefObject<HTMLElement | null>, opener: string): void {
  useEffect(() => {
    const el = pane.current;
    if (!el) return;
    let fromOpener = document.activeElement?.matches(opener) ?? false;
    let inside = fromOpener || el.contains(document.activeElement);
    const onFocusIn = (e: FocusEvent) => {
      inside = el.contains(e.target as Node);
      if (inside) fromOpener = false;
    };
    const onPointerDown = (e: PointerEvent) => {
      if (!el.contains(e.target as Node)) inside = fromOpener = false;
    };
    const rescue = () => {
      const active = document.activeElement;
      const lost =
        !active ||
        active === document.body ||
        (el.contains(active) && (active as HTMLButtonElement).disabled === true) ||
        (fromOpener && active.matches(opener));
      if (!inside || !lost) return;
      const target = el.querySelector<HTMLElement>('[data-teach-focus]');
      if (target) {
        fromOpener = false;
        target.focus();
      }
    };
    const observer = new MutationObserver(rescue);
    observer.observe(el, { childList: true, subtree: true, attributes: true, attributeFilter: ['disabled'] });
    document.addEventListener('focusin', onFocusIn);
    document.addEventListener('pointerdown', onPointerDown, true);
    rescue();
    return () => {
      observer.disconnect();
      document.removeEventListener('focusin', onFocusIn);
      document.removeEventListener('pointerdown', onPointerDown, true);
    };
  }, [pane, opener]);
}
