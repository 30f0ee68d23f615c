/**
 * The wait-for graph's layout: blocked threads on the left, what each waits
 * on in the middle, who can wake it on the right (a thread, a disk request to
 * complete, or nobody known). A waker that is itself blocked is drawn once,
 * on the left, and its edge bends back. D3 computes positions and paths;
 * React draws them.
 */
import { linkHorizontal, scalePoint } from 'd3';
import type { WaitView } from '../protocol/snapshot';

export interface GraphNode {
  readonly key: string;
  readonly kind: 'thread' | 'thing' | 'request' | 'nobody';
  readonly label: string;
  readonly x: number;
  readonly y: number;
  /** For a thread: its id (its colour). */
  readonly thread?: string;
}

export interface GraphEdge {
  readonly key: string;
  readonly d: string;
  readonly kind: 'waits' | 'wakes';
  /** The edge goes back to a blocked thread: a cycle or a chain of waits. */
  readonly back: boolean;
}

export interface WaitGraphLayout {
  readonly nodes: readonly GraphNode[];
  readonly edges: readonly GraphEdge[];
  readonly width: number;
  readonly height: number;
}

export const NODE_W = 150;
export const NODE_H = 30;
const COLUMN_GAP = 70;
const ROW = 44;

export function layoutWaitGraph(waits: readonly WaitView[]): WaitGraphLayout {
  const waiting = [...new Set(waits.map((w) => w.thread))];
  const things = [...new Map(waits.map((w) => [w.on, w])).values()];
  const right: { key: string; kind: GraphNode['kind']; label: string; thread?: string }[] = [];
  const seen = new Set<string>();
  const addRight = (key: string, kind: GraphNode['kind'], label: string, thread?: string) => {
    if (seen.has(key)) return;
    seen.add(key);
    right.push({ key, kind, label, thread });
  };
  for (const w of things) {
    for (const t of w.wakers) if (!waiting.includes(t)) addRight(`thread:${t}`, 'thread', t, t);
    for (const r of w.requests) addRight(`request:${r}`, 'request', `complete request ${r}`);
    if (w.wakers.length === 0 && w.requests.length === 0) addRight('nobody', 'nobody', 'nobody known');
  }
  const rows = Math.max(waiting.length, things.length, right.length, 1);
  const height = rows * ROW + 16;
  const y = (count: number) =>
    scalePoint<number>()
      .domain(Array.from({ length: count }, (_, i) => i))
      .range([8 + ROW / 2, height - 8 - ROW / 2])
      .padding(count === 1 ? 0.5 : 0);
  const x = [NODE_W / 2 + 4, NODE_W * 1.5 + COLUMN_GAP + 4, NODE_W * 2.5 + 2 * COLUMN_GAP + 4];
  const yw = y(waiting.length);
  const yt = y(things.length);
  const yr = y(right.length);
  const nodes: GraphNode[] = [
    ...waiting.map((t, i) => ({
      key: `thread:${t}`,
      kind: 'thread' as const,
      label: t,
      thread: t,
      x: x[0]!,
      y: yw(i)!,
    })),
    ...things.map((w, i) => ({ key: `thing:${w.on}`, kind: 'thing' as const, label: w.label, x: x[1]!, y: yt(i)! })),
    ...right.map((r, i) => ({ ...r, x: x[2]!, y: yr(i)! })),
  ];
  const at = new Map(nodes.map((n) => [n.key, n]));
  const link = linkHorizontal<{ source: [number, number]; target: [number, number] }, [number, number]>();
  const edges: GraphEdge[] = [];
  for (const w of waits) {
    const from = at.get(`thread:${w.thread}`)!;
    const to = at.get(`thing:${w.on}`)!;
    edges.push({
      key: `${w.thread}->${w.on}`,
      kind: 'waits',
      back: false,
      d: link({ source: [from.x + NODE_W / 2, from.y], target: [to.x - NODE_W / 2, to.y] })!,
    });
  }
  for (const w of things) {
    const from = at.get(`thing:${w.on}`)!;
    const targets = [
      ...w.wakers.map((t) => `thread:${t}`),
      ...w.requests.map((r) => `request:${r}`),
      ...(w.wakers.length === 0 && w.requests.length === 0 ? ['nobody'] : []),
    ];
    for (const key of targets) {
      const to = at.get(key)!;
      const back = to.x < from.x;
      // A blocked waker is on the left: bend the edge under the middle column back to it.
      const d = back
        ? `M${from.x},${from.y + NODE_H / 2}C${from.x},${from.y + ROW}` +
          ` ${to.x + NODE_W / 2 + 30},${to.y + ROW / 2} ${to.x + NODE_W / 2},${to.y + 4}`
        : link({ source: [from.x + NODE_W / 2, from.y], target: [to.x - NODE_W / 2, to.y] })!;
      edges.push({ key: `${w.on}->${key}`, kind: 'wakes', back, d });
    }
  }
  return { nodes, edges, width: x[2]! + NODE_W / 2 + 4, height };
}
