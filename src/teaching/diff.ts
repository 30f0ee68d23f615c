/**
 * What changed between two digests, as digest paths: what a reveal shows
 * after a question, and what an exercise shows after each answer. Lists of
 * records with an identity (`id`, `name`, `offset`, `pindex`) are matched by
 * it, so a page that appears or a thread that finishes reads as such and not
 * as every later element shifting.
 */
import type { Digest } from './state';
import { formatValue, sameValue } from './values';

export interface Change {
  /** Digest path of the changed value (`threads[id=t2].status`); with an identity selector where the list has one. */
  readonly path: string;
  /** undefined: the value appeared. */
  readonly before: unknown;
  /** undefined: the value went away. */
  readonly after: unknown;
}

const IDENTITY_KEYS = ['id', 'name', 'offset', 'pindex'];

function identityKey(list: unknown[]): string | null {
  if (list.length === 0 || !list.every((x) => x !== null && typeof x === 'object' && !Array.isArray(x))) return null;
  for (const key of IDENTITY_KEYS) {
    const values = list.map((x) => (x as Record<string, unknown>)[key]);
    if (values.every((v) => typeof v === 'string' || typeof v === 'number') && new Set(values).size === values.length)
      return key;
  }
  return null;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function walk(path: string, a: unknown, b: unknown, out: Change[]): void {
  if (sameValue(a, b)) return;
  if (isRecord(a) && isRecord(b)) {
    for (const key of new Set([...Object.keys(a), ...Object.keys(b)]))
      walk(path ? `${path}.${key}` : key, a[key], b[key], out);
    return;
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    const key = identityKey(a.length ? a : b);
    if (key !== null && identityKey(b.length ? b : a) === key) {
      const byId = (list: unknown[]) => new Map(list.map((x) => [(x as Record<string, unknown>)[key], x]));
      const ma = byId(a);
      const mb = byId(b);
      for (const id of new Set([...ma.keys(), ...mb.keys()]))
        walk(
          `${path}[${key}=${typeof id === 'number' && key === 'offset' ? `0x${id.toString(16)}` : id}]`,
          ma.get(id),
          mb.get(id),
          out,
        );
      return;
    }
  }
  out.push({ path, before: a, after: b });
}

/** Every changed leaf (or appeared/vanished record) from `before` to `after`, `step` left out. */
export function diffDigests(before: Digest, after: Digest): Change[] {
  const out: Change[] = [];
  const { step: _a, ...a } = before;
  const { step: _b, ...b } = after;
  walk('', a, b, out);
  return out;
}

/** A change in words: "threads[id=t3].status: ready → sleep", "threads[id=t4]: appeared". */
export function formatChange(c: Change): string {
  if (c.before === undefined) return `${c.path}: appeared ${formatValue(c.after)}`;
  if (c.after === undefined) return `${c.path}: went away`;
  return `${c.path}: ${formatValue(c.before)} → ${formatValue(c.after)}`;
}
