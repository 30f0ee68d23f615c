/**
 * A JSON parser for scenario files that keeps what JSON.parse throws away:
 * duplicate keys are an error; a number that is not a plain integer
 * (`4096.0`, `1e3`) or not a safe one is kept as a NumberText for the
 * validator to refuse in context; objects have no prototype, so `__proto__`
 * is an ordinary key (and an unknown one). Nesting is limited, so hostile
 * input cannot overflow the stack. Errors carry the path of the value.
 */

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

export function isJsonObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof NumberText);
}

const NUMBER = /-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/y;

export function parseStrictJson(text: string): unknown {
  let i = 0;
  const path: JsonPath = [];

  const fail = (reason: string): never => {
    throw new JsonInputError([...path], reason);
  };
  const ws = () => {
    for (;;) {
      const c = text.charCodeAt(i);
      if (c !== 32 && c !== 9 && c !== 10 && c !== 13) return;
      i++;
    }
  };
  const expect = (ch: string) => {
    ws();
    if (text[i] !== ch) fail(`invalid JSON at character ${i}: expected '${ch}'`);
    i++;
  };

  const parseString = (): string => {
    ws();
    if (text[i] !== '"') fail(`invalid JSON at character ${i}: expected a string`);
    const startAt = i;
    i++;
    while (i < text.length && text[i] !== '"') {
      const c = text.charCodeAt(i);
      if (c < 0x20)
        fail(
          `invalid JSON at character ${i}: a control character (such as a line break) inside a string; write it as \\n`,
        );
      if (c === 0x5c) i++;
      i++;
    }
    if (i >= text.length) fail(`invalid JSON at character ${startAt}: a string that never ends`);
    i++;
    try {
      return JSON.parse(text.slice(startAt, i)) as string;
    } catch {
      return fail(`invalid JSON at character ${startAt}: a bad escape (\\) in a string`);
    }
  };

  const parseValue = (depth: number): unknown => {
    ws();
    const ch = text[i];
    if ((ch === '{' || ch === '[') && depth >= MAX_DEPTH)
      fail(`invalid JSON at character ${i}: nested more than ${MAX_DEPTH} levels deep`);
    if (ch === '{') {
      i++;
      const out = Object.create(null) as JsonObject;
      ws();
      if (text[i] === '}') {
        i++;
        return out;
      }
      for (;;) {
        const key = parseString();
        if (Object.hasOwn(out, key)) {
          path.push(key);
          fail('duplicate key');
        }
        expect(':');
        path.push(key);
        out[key] = parseValue(depth + 1);
        path.pop();
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        expect('}');
        return out;
      }
    }
    if (ch === '[') {
      i++;
      const out: unknown[] = [];
      ws();
      if (text[i] === ']') {
        i++;
        return out;
      }
      for (;;) {
        path.push(out.length);
        out.push(parseValue(depth + 1));
        path.pop();
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        expect(']');
        return out;
      }
    }
    if (ch === '"') return parseString();
    NUMBER.lastIndex = i;
    const m = NUMBER.exec(text);
    if (m) {
      i += m[0].length;
      const n = Number(m[0]);
      return /^-?(0|[1-9]\d*)$/.test(m[0]) && Number.isSafeInteger(n) ? n : new NumberText(m[0]);
    }
    for (const [word, value] of [
      ['true', true],
      ['false', false],
      ['null', null],
    ] as const) {
      if (text.startsWith(word, i)) {
        i += word.length;
        return value;
      }
    }
    if (i >= text.length) return fail(`invalid JSON at character ${i}: the text ends where a value should be`);
    return fail(`invalid JSON at character ${i}`);
  };

  const value = parseValue(0);
  ws();
  if (i !== text.length) fail(`invalid JSON at character ${i}: unexpected text after the document`);
  return value;
}
