/** Small formatting and parsing helpers shared by the panels (pure). */
import { hex } from '../viz/pages';

export { hex };

/**
 * `n` with commas between thousands, as `toLocaleString('en-US')` writes an integer, without it: the
 * first `toLocaleString` of a page loads the locale data (over 100 ms of the first state on a slow machine).
 */
export function grouped(n: number): string {
  if (!Number.isSafeInteger(n)) return n.toLocaleString('en-US');
  const digits = String(Math.abs(n));
  let out = '';
  for (let i = 0; i < digits.length; i++) {
    if (i > 0 && (digits.length - i) % 3 === 0) out += ',';
    out += digits[i];
  }
  return n < 0 ? `-${out}` : out;
}

/**
 * A byte count or offset typed by a person: decimal (`4096`) or hex
 * (`0x1000`), surrounding spaces ignored. Null when it is neither.
 */
export function parseByteCount(text: string): number | null {
  const t = text.trim();
  if (/^0[xX][0-9a-fA-F]+$/.test(t)) return parseInt(t.slice(2), 16);
  if (/^\d+$/.test(t)) return Number(t);
  return null;
}
