/**
 * Digest values as a learner writes them and as the lab shows them. A typed
 * answer is compared with the engine's value here, so a lesson's question, an
 * exercise checked as it is typed and the tests agree on what "right" means.
 *
 * What counts as the same:
 * - lists compare as sets when both hold only strings (flag lists: the digest
 *   orders them by bit, a learner need not), otherwise element by element;
 * - numbers compare by value (`4096` and `0x1000` are one answer);
 * - everything else compares as JSON.
 */

export type Value = unknown;

function isStringList(v: unknown): v is string[] {
  return Array.isArray(v) && v.every((x) => typeof x === 'string');
}

/** Deep equality with flag lists as sets. */
export function sameValue(a: Value, b: Value): boolean {
  if (isStringList(a) && isStringList(b)) {
    if (a.length !== b.length) return false;
    const set = new Set(a);
    return set.size === new Set(b).size && b.every((x) => set.has(x));
  }
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((x, i) => sameValue(x, b[i]));
  }
  if (a !== null && b !== null && typeof a === 'object' && typeof b === 'object') {
    const ka = Object.keys(a);
    const kb = Object.keys(b);
    if (ka.length !== kb.length) return false;
    return ka.every(
      (k) => Object.hasOwn(b, k) && sameValue((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]),
    );
  }
  return a === b;
}

/**
 * Read a typed answer against the value it will be compared with, so the
 * same text reads the way that value is written:
 * - a list: names separated by `|`, `,` or spaces (`PG_BUSY|PG_FAKE`); `[]`, `none` or nothing is empty;
 * - a number: decimal (leading zeros allowed) or 0x hex;
 * - a boolean: true/false (also TRUE/FALSE as the C writes them);
 * - null: `null` or `NULL`;
 * - a string: the text, trimmed (surrounding quotes dropped).
 * JSON text is accepted for anything. Returns undefined when the text cannot be such a value.
 */
export function readAnswer(text: string, like: Value): Value | undefined {
  const t = text.trim();
  if (t.startsWith('[') || t.startsWith('{')) {
    try {
      return JSON.parse(t) as Value;
    } catch {
      /* fall through to the plain forms */
    }
  }
  if (/^null$/i.test(t)) return null;
  if (Array.isArray(like)) {
    if (t === '' || /^none$/i.test(t)) return [];
    return t.split(/[|,\s]+/).filter((s) => s.length > 0);
  }
  if (typeof like === 'number') {
    // Decimal with or without leading zeros (`05` is 5: never octal here), or 0x hex.
    if (/^-?\d{1,16}$/.test(t)) return Number(t);
    if (/^0x[0-9a-f]+$/i.test(t)) return Number(t);
    return undefined;
  }
  if (typeof like === 'boolean') {
    if (/^true$/i.test(t)) return true;
    if (/^false$/i.test(t)) return false;
    return undefined;
  }
  if (t.length >= 2 && t.startsWith('"') && t.endsWith('"')) return t.slice(1, -1);
  return t;
}

/**
 * How an answer like `expected` is written, when `text` cannot be read as one (a number typed as words, `yes`
 * for a boolean) or is a flag list in a form no answer has (names without their prefix); null otherwise (the
 * text is then only not the answer).
 */
export function answerFormHint(text: string, expected: Value): string | null {
  if (text.trim() === '') return null;
  if (readAnswer(text, expected) !== undefined) return flagListHint(text, expected);
  if (typeof expected === 'number') return 'a number: decimal or 0x hex';
  if (typeof expected === 'boolean') return 'true or false';
  return null;
}

/**
 * A list of flags typed without their family's prefix (`VALID|CANPERSIST`, as the uvn flags panel's summary
 * line abbreviates u_flags) is readable but never the answer, which names them as the C does: say so. Only for
 * a list of C names (or an empty one), and decided by the typed names' form, not by which names are expected.
 */
function flagListHint(text: string, expected: Value): string | null {
  if (!isStringList(expected) || !expected.every((name) => name.includes('_'))) return null;
  const read = readAnswer(text, expected);
  if (!isStringList(read) || !read.some((name) => /^[A-Z][A-Z0-9]*$/.test(name))) return null;
  // NOTE: no example name: an example could be one of the flags asked about.
  return 'flag names in full, with their prefix, as the C writes them';
}

/** Whether typed `text` is the answer `expected`. */
export function answerMatches(text: string, expected: Value): boolean {
  const read = readAnswer(text, expected);
  return read !== undefined && sameValue(read, expected);
}

/** A value as the lab and the CLI print it: lists joined by `|` (or "none"), strings bare, the rest as JSON. */
export function formatValue(v: Value): string {
  if (isStringList(v)) return v.length ? v.join('|') : 'none';
  if (typeof v === 'string') return v;
  return JSON.stringify(v);
}
