/**
 * A JSON parser for scenario files that keeps what JSON.parse throws away:
 * duplicate keys are an error, and so is any number not written as a plain
 * non-negative integer (`4096.0`, `-1`, `1e3`), since every number in the
 * format is one. Errors carry the path of the offending value.
 */

export type JsonPath = (string | number)[];

export class JsonInputError extends Error {
  constructor(
    readonly path: JsonPath,
    readonly reason: string,
  ) {
    super(reason);
  }
}

export function parseStrictJson(text: string): unknown {
  let i = 0;
  const path: JsonPath = [];

  const fail = (reason: string): never => {
    throw new JsonInputError([...path], reason);
  };
  const ws = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i]!)) i++;
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
      if (text[i] === '\\') i++;
      i++;
    }
    if (i >= text.length) fail('invalid JSON: unterminated string');
    i++;
    try {
      return JSON.parse(text.slice(startAt, i)) as string;
    } catch {
      return fail(`invalid JSON at character ${startAt}: bad string escape`);
    }
  };

  const parseValue = (): unknown => {
    ws();
    const ch = text[i];
    if (ch === '{') {
      i++;
      const out: Record<string, unknown> = {};
      ws();
      if (text[i] === '}') {
        i++;
        return out;
      }
      for (;;) {
        const key = parseString();
        if (Object.prototype.hasOwnProperty.call(out, key)) {
          path.push(key);
          fail('duplicate key');
        }
        expect(':');
        path.push(key);
        out[key] = parseValue();
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
        out.push(parseValue());
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
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
    if (m && m[0].length > 0 && /[\d]/.test(m[0])) {
      i += m[0].length;
      if (!/^(0|[1-9]\d*)$/.test(m[0])) fail(`expected a non-negative integer, got ${m[0]}`);
      const n = Number(m[0]);
      if (!Number.isSafeInteger(n)) fail(`number ${m[0]} is larger than 2^53 - 1`);
      return n;
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
    return fail(`invalid JSON at character ${i}`);
  };

  const value = parseValue();
  ws();
  if (i !== text.length) fail(`invalid JSON at character ${i}: unexpected text after the document`);
  return value;
}
