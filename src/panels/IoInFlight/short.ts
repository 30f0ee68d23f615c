/** The "Short…" completion of a disk request: B bytes transferred, 0 <= B < length (pure). */
import { parseByteCount } from '../format';

/** Half the request, rounded down to a 512-byte sector: always below the length. */
export function defaultShortBytes(length: number): number {
  return Math.floor(length / 2 / 512) * 512;
}

export type ShortResult = { ok: true; result: string } | { ok: false; error: string };

/** Check what was typed; on success the `complete` result string `short:B`. */
export function parseShortBytes(text: string, length: number): ShortResult {
  const bytes = parseByteCount(text);
  if (bytes === null) return { ok: false, error: 'enter a whole number of bytes' };
  if (bytes >= length) return { ok: false, error: `must be less than the length, ${length} bytes` };
  return { ok: true, result: `short:${bytes}` };
}
