/**
 * What a valid or dirty strip says in words (pure): FreeBSD keeps one bit per DEV_BSIZE (512-byte) chunk
 * of a page, bit i for bytes [512i, 512i + 512). The hover text and the screen-reader name of a strip are
 * this text, so the exact bits are never only a picture.
 */
import { hex } from '../format';

/** Bytes per bit of a strip: DEV_BSIZE. */
export const CHUNK_BYTES = 512;

/** Runs of set bits, lowest first: 0b01101 -> [[0, 0], [2, 3]]. */
export function setRuns(value: number, cells: number): [number, number][] {
  const runs: [number, number][] = [];
  for (let i = 0; i < cells; i++) {
    if (!(value & (1 << i))) continue;
    const last = runs.at(-1);
    if (last && last[1] === i - 1) last[1] = i;
    else runs.push([i, i]);
  }
  return runs;
}

const range = (a: number, b: number, sep = '–') => (a === b ? String(a) : `${a}${sep}${b}`);

/**
 * "valid 0xff: all 8 chunks (bytes 0–4095)", "dirty 0x00: no chunk",
 * "valid 0x0b: chunks 0–1, 3 (bytes 0–1023, 1536–2047)".
 */
export function bitStripText(label: string, value: number, cells: number): string {
  const digits = Math.ceil(cells / 4);
  const head = `${label} ${hex(value, digits)}`;
  const runs = setRuns(value, cells);
  if (runs.length === 0) return `${head}: no chunk`;
  const bytes = runs.map(([a, b]) => range(a * CHUNK_BYTES, (b + 1) * CHUNK_BYTES - 1)).join(', ');
  const all = runs.length === 1 && runs[0]![0] === 0 && runs[0]![1] === cells - 1;
  if (all) return `${head}: all ${cells} chunks (bytes ${bytes})`;
  const count = runs.reduce((n, [a, b]) => n + b - a + 1, 0);
  return `${head}: chunk${count === 1 ? '' : 's'} ${runs.map(([a, b]) => range(a, b)).join(', ')} (bytes ${bytes})`;
}
