/** The "Short…" completion of a disk request: B bytes transferred, 0 <= B < length (pure). */
import { parseByteCount } from '../format';

/** The largest byte count a scenario's short:B takes (2^53 - 1), rounded down to a 512-byte sector. */
const MAX_SHORT = Math.floor(Number.MAX_SAFE_INTEGER / 512) * 512;

/** Half the request, rounded down to a 512-byte sector: always below the length, and a count a step takes. */
export function defaultShortBytes(length: number): number {
  return Math.min(Math.floor(length / 2 / 512) * 512, MAX_SHORT);
}

export type ShortResult = { ok: true; result: string } | { ok: false; error: string };

/** Check what was typed; on success the `complete` result string `short:B`. */
export function parseShortBytes(text: string, length: number, lengthText = String(length)): ShortResult {
  const bytes = parseByteCount(text);
  if (bytes === null) return { ok: false, error: 'enter a whole number of bytes, 0 or more' };
  if (bytes >= length) return { ok: false, error: `must be less than the length, ${lengthText} bytes` };
  if (bytes > Number.MAX_SAFE_INTEGER) return { ok: false, error: 'must be at most 2^53 - 1 bytes' };
  return { ok: true, result: `short:${bytes}` };
}
