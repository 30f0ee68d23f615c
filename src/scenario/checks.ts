/**
 * Small checks for parsed JSON values, each throwing a CheckError that names
 * the path and says what was expected and what was found ("expected a
 * non-negative integer, got false"). The scenario reader is built from them.
 */
import { isJsonObject, NumberText, type JsonObject, type JsonPath } from './strict-json';

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

/** How a value is described in a message: its JSON kind, or the value itself when short. */
export function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (v instanceof NumberText) return v.text.length > 40 ? `${v.text.slice(0, 40)}…` : v.text;
  if (typeof v === 'object') return 'an object';
  if (typeof v === 'string')
    return v.length > 40 ? `the string "${v.slice(0, 40)}…"` : `the string ${JSON.stringify(v)}`;
  return String(v);
}

export function fail(path: JsonPath, reason: string): never {
  throw new CheckError(path, reason);
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
  if (v.length > max) fail(path, `more than ${max.toLocaleString('en-US')} entries`);
  return v;
}

export function boolean(v: unknown, path: JsonPath): boolean {
  if (typeof v !== 'boolean') fail(path, `expected true or false, got ${describe(v)}`);
  return v;
}

export function string(v: unknown, path: JsonPath, maxLength: number): string {
  if (typeof v !== 'string') fail(path, `expected a string, got ${describe(v)}`);
  if (v.length > maxLength) fail(path, `longer than ${maxLength.toLocaleString('en-US')} characters`);
  return v;
}

export const NAME = /^[A-Za-z0-9_.-]{1,64}$/;

export function name(v: unknown, path: JsonPath): string {
  const s = string(v, path, 64);
  if (!NAME.test(s)) fail(path, `must match [A-Za-z0-9_.-]{1,64}, got ${describe(s)}`);
  return s;
}

/** An integer in [min, max]; `what` names it in messages ("a non-negative integer"). */
export function integer(v: unknown, path: JsonPath, min: number, max: number): number {
  const what = min === 0 ? 'a non-negative integer' : `an integer of at least ${min}`;
  if (v instanceof NumberText) {
    if (v.integral)
      fail(
        path,
        `must be at most ${max === MAX_SAFE ? '2^53 - 1' : max === MAX_INT32 ? '2^31 - 1' : max}, got ${describe(v)}`,
      );
    fail(path, `expected ${what}, got ${describe(v)}`);
  }
  if (typeof v !== 'number') fail(path, `expected ${what}, got ${describe(v)}`);
  if (v < min) fail(path, `expected ${what}, got ${v}`);
  if (v > max)
    fail(path, `must be at most ${max === MAX_SAFE ? '2^53 - 1' : max === MAX_INT32 ? '2^31 - 1' : max}, got ${v}`);
  return v;
}

export function choice<T extends string>(v: unknown, path: JsonPath, choices: readonly T[]): T {
  if (typeof v !== 'string' || !(choices as readonly string[]).includes(v))
    fail(
      path,
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
