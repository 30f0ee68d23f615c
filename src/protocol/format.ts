/** Formatting shared by the engine's words (timeline labels, who can unblock) and the panels. */

/**
 * A call's arguments that are byte offsets or lengths, written in hex as the kernel source thinks of them, by
 * the Timeline's labels and the Threads cards alike; the others (sizes, page counts and indexes) in decimal.
 */
export const HEX_ARGS: ReadonlySet<string> = new Set(['offset', 'start', 'stop', 'end', 'length']);

/** 4096 -> "0x1000"; `pad` zero-pads the digits. */
export function hex(n: number, pad = 0): string {
  return `0x${n.toString(16).padStart(pad, '0')}`;
}

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
 * The first sentence of `text` (of at least 40 characters), at most 140 (cut at a word, with an ellipsis): a
 * scenario's title is its whole explanation; a heading or a note quotes this much of it.
 */
export function firstSentence(text: string): string {
  const end = text.slice(40).search(/[.;](\s|$)/);
  // A full stop ends the sentence quoted; a semicolon only its first clause, and stays out of the quote.
  const sentence = end < 0 ? text : text.slice(0, 40 + end + (text[40 + end] === '.' ? 1 : 0));
  return sentence.length <= 140 ? sentence : `${sentence.slice(0, sentence.lastIndexOf(' ', 139))}…`;
}
