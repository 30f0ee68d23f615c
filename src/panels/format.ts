/** Small formatting and parsing helpers shared by the panels (pure). */
import { hex } from '../viz/pages';

export { hex };
export { grouped } from '../protocol/format';

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
