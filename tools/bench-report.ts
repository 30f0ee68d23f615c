/**
 * What the bench halves share: a seeded PRNG so every run measures the same
 * steps, medians and 95th percentiles, and the table of figures against their
 * targets (figures only: the bench never fails on timing).
 */
import type { Step } from '../src/protocol/scenario';

export const PAGE = 4096;

/** mulberry32: a small seeded PRNG, so every run measures the same steps. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function stats(samples: number[]): { median: number; p95: number; n: number } {
  const s = [...samples].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))]!;
  return { median: at(0.5), p95: at(0.95), n: s.length };
}

export function must(reason: string | null, step: Step): void {
  if (reason !== null) throw new Error(`bench workload: step ${JSON.stringify(step)} refused: ${reason}`);
}

export const bytes = (v: unknown): number => Buffer.byteLength(JSON.stringify(v));

export interface Row {
  figure: string;
  value: string;
  target: string;
  verdict: 'PASS' | 'MISS' | 'info';
}
export const rows: Row[] = [];
export const ms = (x: number) => (x >= 100 ? x.toFixed(0) : x >= 1 ? x.toFixed(2) : x.toFixed(3));
export const kb = (b: number) => (b >= 1024 ? `${(b / 1024).toFixed(1)} KB` : `${b} B`);

export function timed(figure: string, samples: number[], targetMs: number | null): void {
  const s = stats(samples);
  rows.push({
    figure,
    value: `median ${ms(s.median)} ms, p95 ${ms(s.p95)} ms (n=${s.n})`,
    target: targetMs === null ? '-' : `< ${targetMs} ms`,
    verdict: targetMs === null ? 'info' : s.p95 < targetMs ? 'PASS' : 'MISS',
  });
}

export function sized(figure: string, samples: number[], targetBytes: number | null): void {
  const s = stats(samples);
  rows.push({
    figure,
    value: s.n === 1 ? kb(s.median) : `median ${kb(s.median)}, p95 ${kb(s.p95)} (n=${s.n})`,
    target: targetBytes === null ? '-' : `< ${kb(targetBytes)}`,
    verdict: targetBytes === null ? 'info' : s.p95 < targetBytes ? 'PASS' : 'MISS',
  });
}

export function print(): void {
  const head = ['figure', 'measured', 'target', ''];
  const body = rows.map((r) => [r.figure, r.value, r.target, r.verdict]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((r) => r[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  console.log('');
  console.log(line(head));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const r of body) console.log(line(r));
  const missed = rows.filter((r) => r.verdict === 'MISS').length;
  console.log(
    `\n${missed === 0 ? 'every target met' : `${missed} target(s) missed`} (figures only; the bench never fails)`,
  );
}
