/**
 * Small checks for parsed JSON values, each throwing a CheckError that names
 * the path and says what was expected and what was found ("expected a
 * non-negative integer, got false"). The scenario reader is built from them.
 */
import { isJsonObject, NumberText, quote, type JsonObject, type JsonPath } from './strict-json';
import { grouped as count } from '../protocol/format';

export class CheckError extends Error {
  constructor(
    readonly path: JsonPath,
    readonly reason: string,
  ) {
    super(reason);
  }
}

export const MAX_SAFE = Number.MAX_SAFE_INTEGER;
export const MAX_INT32 = 2 ** 31 - 1;

/** A count as messages write it: 1,000,000. */
export { count };

/** How a value is described in a message: its JSON kind, or the value itself when short; always one line. */
export function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return v.length === 0 ? 'an empty array' : 'an array';
  if (v instanceof NumberText)
    return v.text.length > 40 ? `${v.text.slice(0, 40)}… (${count(v.text.length)} characters)` : v.text;
  if (typeof v === 'object') return Object.keys(v as object).length === 0 ? 'an empty object' : 'an object';
  if (typeof v === 'string') return `the string ${quote(v)}`;
  return String(v);
}

export function fail(path: JsonPath, reason: string): never {
  throw new CheckError(path, reason);
}

/**
 * A field's path: `path` and then `key`, when one is given. The checks below take a field as its object's path
 * and its key, and join them only to say what is wrong: a valid file's hundred thousand fields make no path.
 */
export function at(path: JsonPath, key?: string | number): JsonPath {
  return key === undefined ? path : [...path, key];
}

export function object(v: unknown, path: JsonPath, what = 'an object'): JsonObject {
  if (!isJsonObject(v)) fail(path, `expected ${what}, got ${describe(v)}`);
  return v;
}

/** The object's keys must all be in `allowed` and include every one of `required` (checked in that order). */
export function keys(o: JsonObject, path: JsonPath, allowed: readonly string[], required: readonly string[]): void {
  for (const key of Object.keys(o)) if (!allowed.includes(key)) fail([...path, key], 'unknown key');
  for (const key of required) if (!Object.hasOwn(o, key)) fail([...path, key], 'required key missing');
}

export function array(v: unknown, path: JsonPath, max: number): unknown[] {
  if (!Array.isArray(v)) fail(path, `expected an array, got ${describe(v)}`);
  if (v.length > max) fail(path, `${count(v.length)} entries, more than the limit of ${count(max)}`);
  return v;
}

export function boolean(v: unknown, path: JsonPath, key?: string | number): boolean {
  if (typeof v !== 'boolean') fail(at(path, key), `expected true or false, got ${describe(v)}`);
  return v;
}

export function string(v: unknown, path: JsonPath, maxLength: number, key?: string | number): string {
  if (typeof v !== 'string') fail(at(path, key), `expected a string, got ${describe(v)}`);
  if (v.length > maxLength)
    fail(at(path, key), `${count(v.length)} characters, more than the limit of ${count(maxLength)}`);
  return v;
}

export const NAME = /^[A-Za-z0-9_.-]{1,64}$/;

export function name(v: unknown, path: JsonPath, key?: string | number): string {
  const s = string(v, path, 64, key);
  if (!NAME.test(s)) fail(at(path, key), `must match [A-Za-z0-9_.-]{1,64}, got ${describe(s)}`);
  return s;
}

const bound = (max: number): string => (max === MAX_SAFE ? '2^53 - 1' : max === MAX_INT32 ? '2^31 - 1' : String(max));

/**
 * The value of a number written with a fraction or an exponent when that value is a whole number (`4096.0`,
 * `1e3`, `1e400` as Infinity), else null (`0.5`).
 */
export function wholeValue(text: string): number | null {
  const m = /^(-?)(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/.exec(text);
  if (!m) return null;
  const digits = `${m[2]}${m[3] ?? ''}`.replace(/^0+/, '');
  if (digits === '') return 0;
  // The value is digits × 10^scale: whole when scale >= 0 or digits end in at least -scale zeros.
  const scale = Number(m[4] ?? 0) - (m[3]?.length ?? 0);
  if (scale < 0 && !/^0+$/.test(digits.slice(scale))) return null;
  return Number(text);
}

/** An integer in [min, max]; messages name it "a non-negative integer" (min 0) or "an integer of at least min". */
export function integer(v: unknown, path: JsonPath, min: number, max: number, key?: string | number): number {
  const what = min === 0 ? 'a non-negative integer' : `an integer of at least ${min}`;
  if (v instanceof NumberText) {
    const n = wholeValue(v.text);
    if (n === null) fail(at(path, key), `expected ${what}, got ${describe(v)}`);
    if (n < min) fail(at(path, key), `expected ${what}, got ${describe(v)}`);
    if (n > max) fail(at(path, key), `must be at most ${bound(max)}, got ${describe(v)}`);
    fail(at(path, key), `expected ${what} written in plain digits (no fraction or exponent), got ${describe(v)}`);
  }
  if (typeof v !== 'number') fail(at(path, key), `expected ${what}, got ${describe(v)}`);
  if (v < min) fail(at(path, key), `expected ${what}, got ${v}`);
  if (v > max) fail(at(path, key), `must be at most ${bound(max)}, got ${v}`);
  return v;
}

export function choice<T extends string>(v: unknown, path: JsonPath, choices: readonly T[], key?: string | number): T {
  if (typeof v !== 'string' || !(choices as readonly string[]).includes(v))
    fail(
      at(path, key),
      `must be ${choices
        .map((c) => JSON.stringify(c))
        .join(', ')
        .replace(/, ([^,]*)$/, ' or $1')}, got ${describe(v)}`,
    );
  return v as T;
}

export function numberChoice(v: unknown, path: JsonPath, choices: readonly number[]): number {
  const n = integer(v, path, 0, MAX_SAFE);
  if (!choices.includes(n)) fail(path, `must be one of ${choices.join(', ')}, got ${n}`);
  return n;
}
