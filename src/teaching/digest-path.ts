/**
 * Paths into a contract digest (shared/scenario-format.md, "Digest"): the one
 * way goals, questions and exercises name a value, so a lesson, a challenge
 * and the grader read a state the same way, whichever pager made the digest.
 *
 * A path is dot-separated keys, each followed by any number of selectors:
 *   `[N]`          the N-th element (0-based), as in `vnodes[0].uvn.pages[1].flags`
 *   `[key=value]`  the first element whose `key` equals `value`, as in
 *                  `threads[id=t3].wait` or `vnodes[name=vn1].uvn.pages[offset=0x1000].flags`
 * In a selector a value that reads as an integer (decimal or 0x hex) is a
 * number, `true`/`false`/`null` are themselves, anything else is a string.
 */
import { stringifyDigest } from '../protocol/digest-json';

export type PathSelector = { index: number } | { key: string; value: string | number | boolean | null };

export type PathPart = { key: string } | PathSelector;

export interface PathError {
  /** Character offset in the path text. */
  at: number;
  reason: string;
}

const KEY = /[A-Za-z_][A-Za-z0-9_]*/y;

/** A selector value as written: integers (decimal or 0x hex), true/false/null, or a bare string. */
export function selectorValue(text: string): string | number | boolean | null {
  if (/^(0|[1-9]\d*)$/.test(text) || /^0x[0-9a-f]+$/i.test(text)) {
    const n = Number(text);
    if (Number.isSafeInteger(n)) return n;
  }
  if (text === 'true') return true;
  if (text === 'false') return false;
  if (text === 'null') return null;
  return text;
}

/** Parse a path; a malformed one gives where and why. */
export function parsePath(text: string): { ok: true; parts: PathPart[] } | { ok: false; error: PathError } {
  const parts: PathPart[] = [];
  let i = 0;
  const fail = (reason: string) => ({ ok: false as const, error: { at: i, reason } });
  if (text.length === 0) return fail('an empty path');
  for (;;) {
    KEY.lastIndex = i;
    const m = KEY.exec(text);
    if (!m) return fail(`expected a key at character ${i}`);
    parts.push({ key: m[0] });
    i += m[0].length;
    while (text[i] === '[') {
      const end = text.indexOf(']', i);
      if (end < 0) return fail(`a "[" at character ${i} is never closed`);
      const inner = text.slice(i + 1, end);
      const eq = inner.indexOf('=');
      if (eq < 0) {
        if (!/^(0|[1-9]\d*)$/.test(inner)) return fail(`"[${inner}]" is neither an index nor key=value`);
        parts.push({ index: Number(inner) });
      } else {
        const key = inner.slice(0, eq);
        const value = inner.slice(eq + 1);
        if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) return fail(`"${key}" is not a key in "[${inner}]"`);
        if (value.length === 0) return fail(`"[${inner}]" has no value`);
        parts.push({ key, value: selectorValue(value) });
      }
      i = end + 1;
    }
    if (i === text.length) return { ok: true, parts };
    if (text[i] !== '.') return fail(`expected "." or "[" at character ${i}`);
    i++;
  }
}

export type Lookup = { found: true; value: unknown } | { found: false; reason: string };

function show(v: unknown): string {
  return typeof v === 'string' ? v : stringifyDigest(v);
}

/** Follow parsed parts from `root`. */
export function lookupParts(root: unknown, parts: readonly PathPart[]): Lookup {
  let cur: unknown = root;
  let where = '';
  for (const part of parts) {
    if ('key' in part && !('value' in part)) {
      if (cur === null || typeof cur !== 'object' || Array.isArray(cur) || !Object.hasOwn(cur, part.key))
        return { found: false, reason: `${where || 'the digest'} has no "${part.key}"` };
      cur = (cur as Record<string, unknown>)[part.key];
      where = where ? `${where}.${part.key}` : part.key;
      continue;
    }
    if (!Array.isArray(cur)) return { found: false, reason: `${where} is not a list` };
    if ('index' in part) {
      if (part.index >= cur.length)
        return {
          found: false,
          reason: `${where} has ${cur.length} element${cur.length === 1 ? '' : 's'}, no [${part.index}]`,
        };
      cur = cur[part.index];
      where += `[${part.index}]`;
    } else {
      const hit = cur.find(
        (el) =>
          el !== null &&
          typeof el === 'object' &&
          Object.hasOwn(el, part.key) &&
          (el as Record<string, unknown>)[part.key] === part.value,
      );
      if (hit === undefined)
        return { found: false, reason: `${where} has no element with ${part.key} ${show(part.value)}` };
      cur = hit;
      where += `[${part.key}=${show(part.value)}]`;
    }
  }
  return { found: true, value: cur };
}

/** Look a path up in a digest (or any JSON value); an invalid path is reported as not found. */
export function lookup(root: unknown, path: string): Lookup {
  const parsed = parsePath(path);
  if (!parsed.ok) return { found: false, reason: `bad path "${path}": ${parsed.error.reason}` };
  return lookupParts(root, parsed.parts);
}
