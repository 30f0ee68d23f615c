/**
 * Which fields of two contract digests differ, as paths a person can read:
 * `threads[t2].status`, `vnodes[vn1].uvn.pages[0x1000].flags`. Lists of
 * things with an identity (threads, vnodes, pages, requests, objects) are
 * matched by it, not by position, so one extra page does not make every
 * later page "differ". Kernel-neutral: it walks whatever the digest holds.
 */
import { stringifyDigest } from '../protocol/digest-json';
import { hex } from '../protocol/format';

type Json = null | boolean | number | string | readonly Json[] | { readonly [key: string]: Json };

const isObject = (v: Json): v is { readonly [key: string]: Json } =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** The identity of a list item, or null when the list is a plain value list (flag names). */
function keyOf(item: Json): string | null {
  if (!isObject(item)) return null;
  for (const k of ['id', 'name', 'offset', 'pindex']) {
    const v = item[k];
    if (typeof v === 'string') return v;
    if (typeof v === 'number') return k === 'offset' ? hex(v) : String(v);
  }
  return null;
}

function same(a: Json, b: Json): boolean {
  return stringifyDigest(a) === stringifyDigest(b);
}

function walk(a: Json, b: Json, path: string, out: string[]): void {
  if (same(a, b)) return;
  if (Array.isArray(a) && Array.isArray(b)) {
    const keys = [...a, ...b].map(keyOf);
    if (keys.length > 0 && keys.every((k) => k !== null)) {
      const left = new Map(a.map((x) => [keyOf(x)!, x]));
      const right = new Map(b.map((x) => [keyOf(x)!, x]));
      for (const k of new Set(keys as string[])) {
        const x = left.get(k);
        const y = right.get(k);
        if (x === undefined || y === undefined) out.push(`${path}[${k}]`);
        else walk(x, y, `${path}[${k}]`, out);
      }
      return;
    }
    out.push(path);
    return;
  }
  if (isObject(a) && isObject(b)) {
    for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) {
      const x = a[k];
      const y = b[k];
      if (x === undefined || y === undefined) out.push(path ? `${path}.${k}` : k);
      else walk(x, y, path ? `${path}.${k}` : k, out);
    }
    return;
  }
  out.push(path);
}

/** The paths where `a` and `b` differ (the `step` field aside); empty when they are the same state. */
export function digestDiff(a: object, b: object): string[] {
  const out: string[] = [];
  const { step: _a, ...x } = a as { step?: unknown };
  const { step: _b, ...y } = b as { step?: unknown };
  walk(x as Json, y as Json, '', out);
  return out;
}
