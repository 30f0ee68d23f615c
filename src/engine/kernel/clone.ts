/**
 * A deep copy of plain kernel data, objects shared inside it kept shared (a
 * disk request's buffer is also the pager's), as the host's structured clone
 * makes it. Kernel state is plain objects and arrays of primitives: those are
 * copied here, in JS, which is several times faster than structuredClone's
 * serialise-then-read (a checkpoint of 4,096 pages, 21 times over a link's
 * load, and each fork's restore). Anything else (a Map, a typed array, a
 * class instance) goes to the host's structured clone, which every runtime
 * the engine runs in has (Node 17+, browsers, workers), though the engine's
 * pure-ES2022 build does not declare it.
 */
declare const structuredClone: <T>(value: T) => T;

export function cloneData<T>(value: T): T {
  return copy(value, new Map()) as T;
}

function copy(v: unknown, seen: Map<object, unknown>): unknown {
  if (typeof v !== 'object' || v === null) return v;
  const done = seen.get(v);
  if (done !== undefined) return done;
  if (Array.isArray(v)) {
    const out = new Array<unknown>(v.length);
    seen.set(v, out);
    for (let i = 0; i < v.length; i++) out[i] = copy(v[i], seen);
    return out;
  }
  const proto: unknown = Object.getPrototypeOf(v);
  if (proto !== Object.prototype && proto !== null) {
    const out = structuredClone(v);
    seen.set(v, out);
    return out;
  }
  const out: Record<string, unknown> = {};
  seen.set(v, out);
  const from = v as Record<string, unknown>;
  // for-in: a plain object's own keys in their order (it has no inherited enumerable ones).
  for (const k in from) out[k] = copy(from[k], seen);
  return out;
}
