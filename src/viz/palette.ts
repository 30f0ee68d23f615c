/**
 * Colours, as CSS custom properties the stylesheet defines for the light and
 * the dark theme (src/styles.css): thread colours and page-state fills are
 * disjoint sets (a thread is never the colour of a page state), both readable
 * by colour-blind viewers (Paul Tol's schemes). Colour never carries meaning
 * alone: every state also has a text label, every thread its name.
 */
export const THREAD_COLOR_COUNT = 8;

/** The colour of the thread at `index` (spawn order), e.g. `var(--thread-1)`. */
export function threadColor(index: number): string {
  return `var(--thread-${index % THREAD_COLOR_COUNT})`;
}

/** Text drawn on a thread's colour. */
export const THREAD_INK = 'var(--thread-ink)';

/** Page states the stylesheet has a fill for; others are drawn in a neutral grey (their label says what). */
const STATES = new Set(['busy', 'dirty', 'clean', 'fake', 'invalid', 'partial']);

/** The fill of a page state (PageStateInfo.state), e.g. `var(--state-dirty)`. */
export function stateFill(state: string): string {
  return STATES.has(state) ? `var(--state-${state})` : 'var(--state-other)';
}
