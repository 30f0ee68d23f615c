/**
 * Lesson highlights: a panel of the lab and what to point at in it, written
 * `PANEL TARGET` in a scene block (docs/teaching.md, "Highlights").
 */

/** The panels a highlight can name (the lab's panels). */
export const PANELS = [
  'source',
  'threads',
  'io',
  'page-tree',
  'page-bits',
  'page-queues',
  'object',
  'locks',
  'timeline',
] as const;
export type PanelName = (typeof PANELS)[number];

/** What a highlight points at, read from its target text. */
export type HighlightTarget =
  | { kind: 'lines'; from: number; to: number }
  | { kind: 'thread'; thread: string }
  | { kind: 'request'; id: number }
  | { kind: 'page'; vnode: string; offset: number; column: string | null }
  | { kind: 'object'; vnode: string; field: string | null }
  | { kind: 'lock'; lock: string }
  | { kind: 'step'; step: number };

export interface Highlight {
  readonly panel: PanelName;
  /** The target as written ("vn1:0x1000 PG_WANTED"). */
  readonly what: string;
  readonly target: HighlightTarget;
}

const OFFSET = /^(0x[0-9a-f]+|\d+)$/i;

/** Read a highlight: `PANEL TARGET` as docs/teaching.md lists them. */
export function readHighlight(text: string): Highlight | string {
  const m = /^(\S+)\s+(.+)$/.exec(text.trim());
  if (!m) return `expected "panel target", got "${text}"`;
  const panel = m[1] as PanelName;
  const what = m[2]!.trim();
  if (!PANELS.includes(panel)) return `unknown panel "${m[1]}"; one of ${PANELS.join(', ')}`;
  const words = what.split(/\s+/);
  const bad = (form: string) => `a ${panel} highlight is "${panel} ${form}", got "${what}"`;
  switch (panel) {
    case 'source': {
      const r = /^(\d+)(?:-(\d+))?$/.exec(what);
      if (!r) return bad('LINE or LINE-LINE');
      const from = Number(r[1]);
      const to = r[2] === undefined ? from : Number(r[2]);
      if (from < 1 || to < from) return bad('LINE or LINE-LINE');
      return { panel, what, target: { kind: 'lines', from, to } };
    }
    case 'threads':
      if (words.length !== 1) return bad('THREAD');
      return { panel, what, target: { kind: 'thread', thread: what } };
    case 'io':
      if (!/^[1-9]\d*$/.test(what)) return bad('REQUEST-ID');
      return { panel, what, target: { kind: 'request', id: Number(what) } };
    case 'page-tree':
    case 'page-bits':
    case 'page-queues': {
      const p = /^([A-Za-z0-9_.-]+):(\S+)$/.exec(words[0]!);
      if (!p || !OFFSET.test(p[2]!) || words.length > (panel === 'page-bits' ? 2 : 1))
        return bad(panel === 'page-bits' ? 'VNODE:OFFSET [COLUMN]' : 'VNODE:OFFSET');
      return { panel, what, target: { kind: 'page', vnode: p[1]!, offset: Number(p[2]), column: words[1] ?? null } };
    }
    case 'object':
      if (words.length > 2) return bad('VNODE [FLAG-OR-FIELD]');
      return { panel, what, target: { kind: 'object', vnode: words[0]!, field: words[1] ?? null } };
    case 'locks':
      if (words.length !== 1) return bad('LOCK');
      return { panel, what, target: { kind: 'lock', lock: what } };
    case 'timeline':
      if (!/^-?\d+$/.test(what)) return bad('STEP');
      return { panel, what, target: { kind: 'step', step: Number(what) } };
  }
}
