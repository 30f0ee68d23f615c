/**
 * Where each panel goes, as data: bands (one screen tall, or as tall as their
 * content) of columns of panels. Wide screens get every panel on one screen;
 * a 1280x720 projector (or 1920x1080 at 150%) and 1024x768 get the moving
 * parts (threads, disk, timeline, source) on the first screen and the state
 * panels full width below, so no column of Page bits or field of the object
 * panel is cut off. Pure, so it is unit-tested.
 */
import type { PanelId, Prefs } from '../store/prefs';

/** How much room the viewport gives, in CSS pixels (browser zoom included). */
export type ScreenSize = 'wide' | 'medium' | 'narrow';

export function screenSize(width: number, height: number): ScreenSize {
  if (width >= 1500 && height >= 760) return 'wide';
  return width >= 1150 ? 'medium' : 'narrow';
}

export interface Column {
  /** `grow` shares the column's height; 0: as tall as the panel's content (up to what is left). */
  readonly panels: readonly { readonly id: PanelId; readonly grow: number }[];
  /** Share of the band's width. */
  readonly width: number;
}

export interface Band {
  /** 'fill': the screen's height below the header; 'auto': its content's; 'tall': about two thirds of it. */
  readonly height: 'fill' | 'auto' | 'tall';
  readonly columns: readonly Column[];
}

const col = (width: number, ...panels: [PanelId, number][]): Column => ({
  width,
  panels: panels.map(([id, grow]) => ({ id, grow })),
});

export function layoutOf(size: ScreenSize, prefs: Pick<Prefs, 'layout' | 'focusPanel' | 'maximised'>): Band[] {
  if (prefs.maximised) return [{ height: 'fill', columns: [col(1, [prefs.maximised, 1])] }];
  if (prefs.layout === 'focus') {
    const chosen = prefs.focusPanel;
    // The disk's requests stay under the threads (as tall as their list): completing or failing one is half of
    // playing the scheduler, and a focused lecture must not lose the button that does it.
    const threads: [PanelId, number][] =
      chosen === 'io'
        ? [['threads', 1]]
        : [
            ['threads', 1],
            ['io', 0],
          ];
    return size === 'wide'
      ? [{ height: 'fill', columns: [col(1, ...threads), col(1.4, ['source', 1]), col(1.3, [chosen, 1])] }]
      : // Source the taller: under its debugger bar, trail and locals the code still needs a dozen lines.
        [{ height: 'fill', columns: [col(0.8, ...threads), col(1.35, ['source', 1.5], [chosen, 1])] }];
  }
  if (size === 'wide')
    return [
      {
        height: 'fill',
        // Page bits under Source, in the widest column: OpenBSD's thirteen columns need ~740 px, which a
        // 1920 px screen gives there (the right column, where it was, left it ~650 and cut modified/owner);
        // below ~1850 px its yes/no headers turn on their side (styles.css) and it needs ~440. The left
        // column is at least ~390 px from 1500 up, where FreeBSD's nine I/O columns fit in their compact form
        // (IoInFlight.css); the right one keeps its share (a list of 8 pages is drawn in detail at 1600).
        columns: [
          col(0.95, ['threads', 1.3], ['io', 0], ['timeline', 0.9]),
          col(1.5, ['source', 2.2], ['bits', 1]),
          col(1.15, ['tree', 1.2], ['object', 1], ['queues', 0.8]),
        ],
      },
    ];
  // The first screen: who runs, what is in flight, the story so far, and the code.
  const first: Band = {
    height: 'fill',
    columns: [
      col(size === 'medium' ? 0.72 : 0.8, ['threads', 1.6], ['io', 0], ['timeline', 0.8]),
      col(1, ['source', 1]),
    ],
  };
  return [
    first,
    { height: 'auto', columns: [col(1, ['bits', 1])] },
    { height: 'auto', columns: [col(1, ['object', 1])] },
    { height: 'tall', columns: [col(1.3, ['tree', 1]), col(0.7, ['queues', 1])] },
  ];
}
