/**
 * Structural sharing for plain data (what crosses the worker boundary: objects, arrays, primitives):
 * `keepEqual(before, after)` is `after`, except that every part of it equal to the same part of `before` is
 * `before`'s own object. Everything a step did not change then keeps its identity, so a panel that reads
 * only unchanged parts is skipped by React (selectors compare by identity) instead of re-rendering the same
 * figures on every step. Pure; it never mutates either argument.
 */
export function keepEqual<T>(before: T, after: T): T {
  if (Object.is(before, after)) return before;
  if (typeof before !== 'object' || typeof after !== 'object' || before === null || after === null) return after;
  if (Array.isArray(before) !== Array.isArray(after)) return after;
  if (Array.isArray(after)) {
    const was = before as unknown as readonly unknown[];
    let same = was.length === after.length;
    const out = after.map((item: unknown, i) => {
      const kept = i < was.length ? keepEqual(was[i], item) : item;
      if (kept !== was[i]) same = false;
      return kept;
    });
    return (same ? was : out) as T;
  }
  const was = before as Record<string, unknown>;
  const now = after as Record<string, unknown>;
  const keys = Object.keys(now);
  let same = keys.length === Object.keys(was).length;
  const out: Record<string, unknown> = {};
  for (const key of keys) {
    const kept = key in was ? keepEqual(was[key], now[key]) : now[key];
    if (kept !== was[key]) same = false;
    out[key] = kept;
  }
  return (same ? was : out) as T;
}
