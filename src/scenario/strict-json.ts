/**
 * A JSON parser for scenario files that keeps what JSON.parse throws away:
 * duplicate keys are an error; a number that is not a plain safe integer
 * (`4096.0`, `1e3`, `2^60`) is kept as a NumberText for the validator to
 * refuse in context; objects have no prototype, so `__proto__` is an ordinary
 * key (and an unknown one). Nesting is limited, so hostile input cannot
 * overflow the stack. Every error names the path of the value it is in and
 * the line and column, and says what was found ("got ']'").
 */
import { grouped } from '../protocol/format';

export type JsonPath = (string | number)[];

/** Deeper than any scenario (setup, step, args, a list: 5 levels); far below what would overflow the stack. */
export const MAX_DEPTH = 64;

export class JsonInputError extends Error {
  constructor(
    readonly path: JsonPath,
    readonly reason: string,
  ) {
    super(reason);
  }
}

/** A number as written, when it is not a safe integer. */
export class NumberText {
  constructor(readonly text: string) {}
  /** Written as an integer (only too large). */
  get integral(): boolean {
    return /^-?(0|[1-9]\d*)$/.test(this.text);
  }
}

/** A parsed object: no prototype, keys in document order. */
export type JsonObject = { [key: string]: unknown };

/**
 * The parser's objects inherit from an empty object that has no prototype: no key is inherited and
 * `__proto__` is an ordinary own key, as with Object.create(null), but V8 keeps these objects compact
 * (Object.create(null) ones start in dictionary mode, three times the memory: 100,000 steps
 * cost 70 MB more).
 */
const EMPTY_PROTOTYPE = Object.create(null) as object;
function ParsedObject(): void {}
ParsedObject.prototype = EMPTY_PROTOTYPE;
const newObject = (): JsonObject => new (ParsedObject as unknown as new () => JsonObject)();

/**
 * Every `{}` and every `[]` of a document is one frozen object: nothing reads a parsed value to change it,
 * and a file of a million empty steps then costs no allocation to refuse.
 */
const EMPTY_OBJECT = Object.freeze(newObject());
const EMPTY_ARRAY: unknown[] = Object.freeze([]) as unknown as unknown[];

export function isJsonObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof NumberText);
}

/** A lone UTF-16 surrogate: with the u flag a well-formed pair is one code point outside this range. */
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;

const ESCAPES: Readonly<Record<string, true>> = {
  '"': true,
  '\\': true,
  '/': true,
  b: true,
  f: true,
  n: true,
  r: true,
  t: true,
};

/**
 * A character as a message shows it: printable ASCII quoted, anything else as U+XXXX (with a name when it has
 * one), so a message stays one line of plain text whatever the input holds.
 */
export function showChar(text: string, i: number): string {
  const code = text.codePointAt(i);
  if (code === undefined) return 'the end of the text';
  if (code > 0x20 && code < 0x7f) return code === 0x27 ? '"\'"' : `'${String.fromCharCode(code)}'`;
  const hex = `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
  if (code === 0xfeff) return `${hex} (a byte order mark)`;
  if (code === 0x0a) return `${hex} (a line break)`;
  if (code === 0x0d) return `${hex} (a carriage return)`;
  if (code === 0x09) return `${hex} (a tab)`;
  if (code === 0x20) return `${hex} (a space)`;
  return hex;
}

/** A string as a message shows it: JSON-quoted, non-ASCII as \uXXXX, cut at `max` characters. */
export function quote(s: string, max = 40): string {
  let cut = s.length > max ? s.slice(0, max) : s;
  // Never cut a surrogate pair in half.
  if (cut.length === max && /[\uD800-\uDBFF]$/.test(cut)) cut = cut.slice(0, -1);
  const quoted = JSON.stringify(cut).replace(
    /[^\x20-\x7e]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
  return cut.length < s.length ? `${quoted}…` : quoted;
}

/** How to write a control character inside a JSON string. */
function escapeFor(code: number): string {
  if (code === 0x0a) return '\\n';
  if (code === 0x0d) return '\\r';
  if (code === 0x09) return '\\t';
  return `\\u${code.toString(16).padStart(4, '0')}`;
}

/**
 * Parse `text`. `maxValues` bounds the values (objects, lists, strings, numbers, literals) the document
 * may hold: past it the parse stops at once, so no shape of input makes the parser build more than that.
 * `what` names the document in that message.
 */
export function parseStrictJson(text: string, maxValues = Infinity, what = 'scenario'): unknown {
  let i = 0;
  let values = 0;
  const path: JsonPath = [];

  /** Line and column (1-based) of character `at`: counted only when an error is reported. */
  const where = (at: number): string => {
    let line = 1;
    let lineStart = 0;
    for (let j = text.indexOf('\n'); j !== -1 && j < at; j = text.indexOf('\n', j + 1)) {
      line++;
      lineStart = j + 1;
    }
    return `line ${line}, column ${at - lineStart + 1}`;
  };
  const fail = (reason: string, at = i): never => {
    throw new JsonInputError([...path], `invalid JSON at ${where(at)}: ${reason}`);
  };
  const ws = () => {
    for (;;) {
      const c = text.charCodeAt(i);
      if (c !== 32 && c !== 9 && c !== 10 && c !== 13) return;
      i++;
    }
  };

  const parseString = (what: string): string => {
    if (text[i] !== '"') fail(`expected ${what}, got ${showChar(text, i)}`);
    const startAt = i;
    i++;
    let escaped = false;
    let surrogate = false;
    for (;;) {
      if (i >= text.length) fail('a string that never ends (no closing ")', startAt);
      const c = text.charCodeAt(i);
      if (c === 0x22) break;
      if (c >= 0xd800 && c <= 0xdfff) surrogate = true;
      if (c < 0x20) fail(`a control character ${showChar(text, i)} inside a string: write it as ${escapeFor(c)}`);
      if (c === 0x5c) {
        escaped = true;
        const e = text[i + 1];
        if (e === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6)))
            fail('a bad escape in a string: \\u needs four hex digits');
          i += 6;
          continue;
        }
        if (e === undefined) return fail('a string that never ends (no closing ")', startAt);
        if (!ESCAPES[e])
          fail(
            `a bad escape in a string: a backslash before ${showChar(text, i + 1)} (JSON has \\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)`,
          );
        i += 2;
        continue;
      }
      i++;
    }
    i++;
    const raw = text.slice(startAt + 1, i - 1);
    // Every escape was checked above, so JSON.parse cannot fail here.
    const value = escaped ? (JSON.parse(text.slice(startAt, i)) as string) : raw;
    if ((surrogate || escaped) && LONE_SURROGATE.test(value))
      fail('a string with a lone UTF-16 surrogate (half of a \\uD8xx\\uDCxx pair), which is no character', startAt);
    return value;
  };

  const isDigit = (c: number) => c >= 0x30 && c <= 0x39;
  /** A number, scanned by hand: a plain integer of up to 15 digits (every count, size and offset) allocates nothing. */
  const parseNumber = (): unknown => {
    const startAt = i;
    let j = i;
    const negative = text.charCodeAt(j) === 0x2d;
    if (negative) j++;
    if (!isDigit(text.charCodeAt(j))) return fail(`a malformed number: '-' must be followed by a digit`);
    let value = 0;
    if (text.charCodeAt(j) === 0x30) j++;
    else while (isDigit(text.charCodeAt(j))) value = value * 10 + (text.charCodeAt(j++) - 0x30);
    const intDigits = j - startAt - (negative ? 1 : 0);
    let plain = true;
    if (text.charCodeAt(j) === 0x2e) {
      plain = false;
      j++;
      if (!isDigit(text.charCodeAt(j))) fail(`a malformed number: a '.' needs a digit on each side`, startAt);
      while (isDigit(text.charCodeAt(j))) j++;
    }
    const e = text.charCodeAt(j);
    if (e === 0x65 || e === 0x45) {
      plain = false;
      j++;
      const sign = text.charCodeAt(j);
      if (sign === 0x2b || sign === 0x2d) j++;
      if (!isDigit(text.charCodeAt(j))) fail('a malformed number: an exponent needs digits', startAt);
      while (isDigit(text.charCodeAt(j))) j++;
    }
    i = j;
    const next = text[i];
    if (next !== undefined && /[0-9.eE+-]/.test(next)) {
      if (intDigits === 1 && text.charCodeAt(j - 1) === 0x30 && isDigit(text.charCodeAt(j)))
        fail('a malformed number: JSON numbers have no leading zeros', startAt);
      if (next === '.') fail(`a malformed number: a '.' needs a digit on each side`, startAt);
      if (next === 'e' || next === 'E') fail(`a malformed number: an exponent needs digits`, startAt);
      const written = text.slice(startAt, i);
      fail(`a malformed number: ${showChar(text, i)} cannot follow ${written.length > 40 ? 'it' : written}`, startAt);
    }
    if (plain && intDigits <= 15) return negative ? (value === 0 ? 0 : -value) : value; // -0 is 0
    const written = text.slice(startAt, i);
    const n = Number(written);
    if (plain && Number.isSafeInteger(n)) return n;
    return new NumberText(written);
  };

  const tooMany = (): never => {
    throw new JsonInputError(
      [],
      `the ${what} holds more than ${grouped(maxValues)} JSON values (objects, lists, strings, numbers, true, false, null), the limit`,
    );
  };

  // The path is kept as the parse goes: an object pushes each key before its value and pops it after; a list
  // pushes a slot on entry, sets it to each index, and pops it on exit; an error about the container itself (a
  // missing comma) is reported without the key or slot. Pops, not `length =`: setting an array's length is a
  // call into the runtime, and a scenario has a hundred thousand keys.
  const parseValue = (depth: number): unknown => {
    ws();
    if (++values > maxValues) tooMany();
    const c = text.charCodeAt(i);
    if ((c === 0x7b || c === 0x5b) && depth >= MAX_DEPTH) fail(`nested more than ${MAX_DEPTH} levels deep`);
    if (c === 0x7b) {
      i++;
      ws();
      if (text.charCodeAt(i) === 0x7d) {
        i++;
        return EMPTY_OBJECT;
      }
      const out = newObject();
      for (;;) {
        ws();
        const key = parseString(
          text.charCodeAt(i) === 0x7d
            ? "another key after ',' (a comma cannot end an object)"
            : 'a key (a string in double quotes)',
        );
        path.push(key);
        if (Object.hasOwn(out, key)) throw new JsonInputError([...path], 'duplicate key');
        ws();
        if (text.charCodeAt(i) !== 0x3a) {
          path.pop();
          fail(`expected ':' after a key, got ${showChar(text, i)}`);
        }
        i++;
        out[key] = parseValue(depth + 1);
        path.pop();
        ws();
        const next = text.charCodeAt(i);
        if (next === 0x2c) {
          i++;
          continue;
        }
        if (next === 0x7d) {
          i++;
          return out;
        }
        return fail(`expected ',' or '}' after a value, got ${showChar(text, i)}`);
      }
    }
    if (c === 0x5b) {
      i++;
      ws();
      if (text.charCodeAt(i) === 0x5d) {
        i++;
        return EMPTY_ARRAY;
      }
      const out: unknown[] = [];
      const top = path.length;
      path.push(0);
      for (;;) {
        ws();
        if (text.charCodeAt(i) === 0x5d) {
          path.length = top;
          fail(`expected a value after ',', got ']' (a comma cannot end a list)`);
        }
        path[top] = out.length;
        out.push(parseValue(depth + 1));
        ws();
        const next = text.charCodeAt(i);
        if (next === 0x2c) {
          i++;
          continue;
        }
        path.pop();
        if (next === 0x5d) {
          i++;
          return out;
        }
        return fail(`expected ',' or ']' after a value, got ${showChar(text, i)}`);
      }
    }
    const ch = text[i];
    if (ch === '"') return parseString('a string');
    if (ch === '-' || (ch !== undefined && ch >= '0' && ch <= '9')) return parseNumber();
    if (text.startsWith('true', i)) {
      i += 4;
      return true;
    }
    if (text.startsWith('false', i)) {
      i += 5;
      return false;
    }
    if (text.startsWith('null', i)) {
      i += 4;
      return null;
    }
    if (ch === '/') return fail("expected a value, got '/': JSON has no comments");
    if (ch === "'") return fail('expected a value, got "\'": JSON strings take double quotes');
    if (ch === undefined) return fail('the text ends where a value should be');
    return fail(`expected a value, got ${showChar(text, i)}`);
  };

  if (text.charCodeAt(0) === 0xfeff)
    fail('a byte order mark (U+FEFF) before the document: save the file as UTF-8 without one');
  ws();
  if (i === text.length)
    throw new JsonInputError(
      [],
      text.length === 0 ? 'invalid JSON: the text is empty' : 'invalid JSON: the text is only white space',
    );
  const value = parseValue(0);
  ws();
  if (i !== text.length) fail(`text after the end of the document: ${showChar(text, i)}`);
  return value;
}
