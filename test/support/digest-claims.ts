/**
 * Claims over one contract digest, as the compare pairs state them
 * (scenarios/compare/pairs.json). The forms are the teaching goal language's
 * (src/teaching/goal.ts on the teaching branch), the subset the pairs need,
 * plus `count` for the length of a list:
 *
 *   {"thread": {"id": "t2", "status": "io"}}     some thread has every listed field
 *   {"io": {"rw": "read", "offset": 0}}           some request in flight has every listed field
 *   {"path": P, "equals": V}                      the value at P (also "contains", "atLeast", "atMost", "count")
 *   {"some": P, "match": {FIELD: V, …}}           some element of the list at P has every listed field
 *   {"not": C}, {"and": [C, …]}, {"or": [C, …]}
 *
 * A path is dot-separated keys, each followed by selectors: `[N]` (the N-th
 * element) or `[key=value]` (the first element whose key equals value; a value
 * that reads as an integer, decimal or 0x hex, is a number; true, false, null
 * are themselves), e.g. `vnodes[name=vn1].uvn.pages[offset=0x1000].flags`.
 */

type Json = unknown;

const isObj = (v: Json): v is Record<string, Json> => typeof v === 'object' && v !== null && !Array.isArray(v);

function selectorValue(text: string): Json {
  if (/^(0|[1-9]\d*)$/.test(text) || /^0x[0-9a-f]+$/i.test(text)) return Number(text);
  if (text === 'true') return true;
  if (text === 'false') return false;
  if (text === 'null') return null;
  return text;
}

/** The value at `path` in `root`, or why there is none. */
export function lookup(root: Json, path: string): { found: true; value: Json } | { found: false; reason: string } {
  let cur = root;
  let where = '';
  for (const segment of path.split('.')) {
    const m = /^([A-Za-z_][A-Za-z0-9_]*)((?:\[[^\]]+\])*)$/.exec(segment);
    if (!m) return { found: false, reason: `bad path segment "${segment}" in ${path}` };
    const key = m[1]!;
    if (!isObj(cur) || !(key in cur)) return { found: false, reason: `${where || 'the digest'} has no "${key}"` };
    cur = cur[key];
    where = where ? `${where}.${key}` : key;
    for (const sel of m[2]!.match(/\[[^\]]+\]/g) ?? []) {
      const inner = sel.slice(1, -1);
      if (!Array.isArray(cur)) return { found: false, reason: `${where} is not a list` };
      const eq = inner.indexOf('=');
      const hit =
        eq < 0
          ? cur[Number(inner)]
          : cur.find((el) => isObj(el) && el[inner.slice(0, eq)] === selectorValue(inner.slice(eq + 1)));
      if (hit === undefined) return { found: false, reason: `${where} has no element ${sel}` };
      cur = hit;
      where += sel;
    }
  }
  return { found: true, value: cur };
}

function same(a: Json, b: Json): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function matches(el: Json, pattern: Json): boolean {
  if (!isObj(el) || !isObj(pattern)) return false;
  return Object.entries(pattern).every(([k, v]) => k in el && same(el[k], v));
}

const show = (v: Json) => JSON.stringify(v);

/** Null when `claim` holds of `digest`, else what the digest shows instead. */
export function checkClaim(digest: Json, claim: Json): string | null {
  if (!isObj(claim)) return `not a claim: ${show(claim)}`;
  if ('not' in claim)
    return checkClaim(digest, claim.not) === null ? `holds, but should not: ${show(claim.not)}` : null;
  if ('and' in claim && Array.isArray(claim.and)) {
    for (const c of claim.and) {
      const why = checkClaim(digest, c);
      if (why) return why;
    }
    return null;
  }
  if ('or' in claim && Array.isArray(claim.or))
    return claim.or.some((c) => checkClaim(digest, c) === null) ? null : `none holds: ${show(claim.or)}`;
  if ('thread' in claim || 'io' in claim) {
    const list = lookup(digest, 'thread' in claim ? 'threads' : 'io');
    const pattern = 'thread' in claim ? claim.thread : claim.io;
    if (!list.found || !Array.isArray(list.value)) return 'no such list';
    return list.value.some((el) => matches(el, pattern))
      ? null
      : `no ${'thread' in claim ? 'thread' : 'request'} matches ${show(pattern)}: ${show(list.value)}`;
  }
  if ('some' in claim && typeof claim.some === 'string') {
    const list = lookup(digest, claim.some);
    if (!list.found) return list.reason;
    if (!Array.isArray(list.value)) return `${claim.some} is not a list`;
    return list.value.some((el) => matches(el, claim.match))
      ? null
      : `no element of ${claim.some} matches ${show(claim.match)}`;
  }
  if ('path' in claim && typeof claim.path === 'string') {
    const at = lookup(digest, claim.path);
    if (!at.found) return at.reason;
    const v = at.value;
    const is = `${claim.path} is ${show(v)}`;
    if ('equals' in claim) return same(v, claim.equals) ? null : `${is}, not ${show(claim.equals)}`;
    if ('contains' in claim)
      return Array.isArray(v) && v.some((x) => same(x, claim.contains)) ? null : `${is}: no ${show(claim.contains)}`;
    if ('atLeast' in claim)
      return typeof v === 'number' && v >= Number(claim.atLeast) ? null : `${is}, below ${show(claim.atLeast)}`;
    if ('atMost' in claim)
      return typeof v === 'number' && v <= Number(claim.atMost) ? null : `${is}, above ${show(claim.atMost)}`;
    if ('count' in claim)
      return Array.isArray(v) && v.length === claim.count
        ? null
        : `${claim.path} has ${Array.isArray(v) ? v.length : 'no'} elements, not ${show(claim.count)}`;
    return `no test in ${show(claim)}`;
  }
  return `unknown claim ${show(claim)}`;
}
