/**
 * Colours readable on a projector and by colour-blind viewers (Okabe-Ito).
 * Colour never carries meaning alone: every state also has a text label.
 */
export const THREAD_COLORS = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#F0E442', '#000000'];

export function threadColor(index: number): string {
  return THREAD_COLORS[index % THREAD_COLORS.length]!;
}

/** Page states, each with a fill and a pattern-free text tag shown beside it. */
export const PAGE_STATE_STYLE = {
  busy: { fill: '#E69F00', tag: 'BUSY' },
  dirty: { fill: '#D55E00', tag: 'DIRTY' },
  clean: { fill: '#56B4E9', tag: 'CLEAN' },
  fake: { fill: '#BBBBBB', tag: 'FAKE' },
} as const;
