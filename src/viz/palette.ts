/**
 * Colours readable on a projector and by colour-blind viewers (Okabe-Ito).
 * Colour never carries meaning alone: every state also has a text label.
 */
export const THREAD_COLORS = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#F0E442', '#000000'];

export function threadColor(index: number): string {
  return THREAD_COLORS[index % THREAD_COLORS.length]!;
}

/**
 * Fills of the page states a pager's profile names (PageStateInfo.state); the
 * text tag beside each comes from the profile's label. A state not listed
 * here is drawn grey: its label still says what it is.
 */
const STATE_FILLS: Readonly<Record<string, string>> = {
  busy: '#E69F00',
  dirty: '#D55E00',
  clean: '#56B4E9',
  fake: '#BBBBBB',
  invalid: '#BBBBBB',
  partial: '#F0E442',
};

export function stateFill(state: string): string {
  return STATE_FILLS[state] ?? '#DDDDDD';
}
