/**
 * The goal language of challenges (docs/teaching.md, "Goals"): a predicate
 * over one state, written as JSON, evaluated on the contract digest. Nothing
 * in it names an OpenBSD field: `thread` and `io` read the parts every
 * digest has, and `path`/`some` reach anything else by a digest path, so the
 * same language judges a FreeBSD digest.
 *
 *   {"panic": true}                          the kernel has panicked (false: it has not)
 *   {"panic": {"equals": "…"}}               …with exactly this message
 *   {"panic": {"contains": "…"}}             …with a message containing this
 *   {"hung": true}                           no thread can run, no request in flight, some thread not done
 *   {"thread": {"call": "fault", "status": "sleep", "wait": "uvn_get"}}
 *                                            some thread has every listed field
 *   {"io": {"rw": "read"}}                   some request in flight has every listed field
 *   {"some": PATH, "match": {FIELD: M, …}}   some element of the list at PATH matches
 *   {"path": PATH, "equals": V}              the value at PATH (also "contains", "oneOf", "atLeast", "atMost")
 *   {"and": [G, …]}, {"or": [G, …]}, {"not": G}
 *
 * A field's M is a plain value (equal to it; flag lists compare as sets) or
 * one matcher object: {"equals": V}, {"contains": V} (a list holding V, or a
 * string holding the text V), {"oneOf": [V, …]}, {"atLeast": N}, {"atMost": N}.
 */
import { array, CheckError, describe as describeJson, fail, keys, object, string } from '../scenario/checks';
import { isJsonObject, NumberText, type JsonPath } from '../scenario/strict-json';
import { lookup, parsePath } from './digest-path';
import { digestIo, digestThreads, isHung, threadSummary, type JudgeState } from './state';
import { formatValue, sameValue } from './values';

export type Matcher =
  { equals: unknown } | { contains: unknown } | { oneOf: unknown[] } | { atLeast: number } | { atMost: number };

/** A field pattern: field name to a plain value or a matcher. */
export type Pattern = Record<string, unknown>;

export type Goal =
  | { panic: boolean | { equals: string } | { contains: string } }
  | { hung: boolean }
  | { thread: Pattern }
  | { io: Pattern }
  | { some: string; match: Pattern }
  | ({ path: string } & Matcher)
  | { and: Goal[] }
  | { or: Goal[] }
  | { not: Goal };

const MATCHER_KEYS = ['equals', 'contains', 'oneOf', 'atLeast', 'atMost'] as const;
type MatcherKey = (typeof MATCHER_KEYS)[number];

/** The thread fields of every digest, and what `status` can be. */
const THREAD_KEYS = ['id', 'call', 'status', 'wait', 'ret'];
const STATUSES = ['ready', 'lock', 'sleep', 'io', 'done'];
/** Request fields: OpenBSD's, plus FreeBSD's blkno and async. */
const IO_KEYS = ['id', 'thread', 'vnode', 'rw', 'offset', 'length', 'blkno', 'async'];

function matcherKeyOf(v: unknown): MatcherKey | null {
  if (!isJsonObject(v)) return null;
  const ks = Object.keys(v);
  return ks.length === 1 && (MATCHER_KEYS as readonly string[]).includes(ks[0]!) ? (ks[0] as MatcherKey) : null;
}

/** A JSON value as parsed by the strict reader: reject numbers it kept as text. */
function plain(v: unknown, path: JsonPath): unknown {
  if (v instanceof NumberText) fail(path, `expected a plain integer, got ${v.text}`);
  if (Array.isArray(v)) return v.map((x, i) => plain(x, [...path, i]));
  if (isJsonObject(v)) {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v)) out[k] = plain(v[k], [...path, k]);
    return out;
  }
  return v;
}

function readMatcher(key: MatcherKey, v: unknown, path: JsonPath): Matcher {
  switch (key) {
    case 'oneOf': {
      const list = array(v, path, 1000);
      // Nothing is one of no values: a goal that could never hold.
      if (list.length === 0) fail(path, 'list at least one value');
      return { oneOf: list.map((x, i) => plain(x, [...path, i])) };
    }
    case 'atLeast':
    case 'atMost':
      if (typeof v !== 'number') fail(path, `expected a number, got ${describeJson(v)}`);
      return key === 'atLeast' ? { atLeast: v } : { atMost: v };
    default:
      return { [key]: plain(v, path) } as Matcher;
  }
}

function readPattern(v: unknown, path: JsonPath, allowed: readonly string[] | null): Pattern {
  const o = object(v, path, 'an object of fields to match');
  if (Object.keys(o).length === 0) fail(path, 'name at least one field');
  const out: Pattern = {};
  for (const field of Object.keys(o)) {
    if (allowed && !allowed.includes(field)) fail([...path, field], `unknown field; one of ${allowed.join(', ')}`);
    const m = matcherKeyOf(o[field]);
    const value = m
      ? readMatcher(m, (o[field] as Record<string, unknown>)[m], [...path, field, m])
      : plain(o[field], [...path, field]);
    if (field === 'status' && !m && !STATUSES.includes(value as string))
      fail([...path, field], `must be one of ${STATUSES.join(', ')}, got ${describeJson(value)}`);
    out[field] = value;
  }
  return out;
}

function readPathText(v: unknown, path: JsonPath): string {
  const text = string(v, path, 1000);
  const parsed = parsePath(text);
  if (!parsed.ok) fail(path, parsed.error.reason);
  return text;
}

/** Read and check a goal from parsed JSON; throws CheckError naming the field. */
export function readGoal(v: unknown, path: JsonPath = ['goal']): Goal {
  const o = object(v, path, 'a goal (an object)');
  const ks = Object.keys(o);
  const kind = ks.find((k) => ['panic', 'hung', 'thread', 'io', 'some', 'path', 'and', 'or', 'not'].includes(k));
  if (!kind)
    fail(path, `a goal has one of panic, hung, thread, io, some, path, and, or, not; got ${ks.join(', ') || 'no key'}`);
  switch (kind) {
    case 'panic': {
      keys(o, path, ['panic'], ['panic']);
      const p = o.panic;
      if (typeof p === 'boolean') return { panic: p };
      const pp = object(p, [...path, 'panic'], 'true, false, {"equals": …} or {"contains": …}');
      const m = matcherKeyOf(pp);
      if (m !== 'equals' && m !== 'contains') fail([...path, 'panic'], 'expected {"equals": "…"} or {"contains": "…"}');
      const text = string(pp[m], [...path, 'panic', m], 1000);
      return { panic: m === 'equals' ? { equals: text } : { contains: text } };
    }
    case 'hung': {
      keys(o, path, ['hung'], ['hung']);
      if (typeof o.hung !== 'boolean') fail([...path, 'hung'], `expected true or false, got ${describeJson(o.hung)}`);
      return { hung: o.hung };
    }
    case 'thread':
      keys(o, path, ['thread'], ['thread']);
      return { thread: readPattern(o.thread, [...path, 'thread'], THREAD_KEYS) };
    case 'io':
      keys(o, path, ['io'], ['io']);
      return { io: readPattern(o.io, [...path, 'io'], IO_KEYS) };
    case 'some':
      keys(o, path, ['some', 'match'], ['some', 'match']);
      return { some: readPathText(o.some, [...path, 'some']), match: readPattern(o.match, [...path, 'match'], null) };
    case 'path': {
      const m = ks.find((k) => k !== 'path');
      keys(o, path, ['path', ...MATCHER_KEYS], ['path']);
      if (!m || ks.length !== 2) fail(path, `a path goal has "path" and one of ${MATCHER_KEYS.join(', ')}`);
      return { path: readPathText(o.path, [...path, 'path']), ...readMatcher(m as MatcherKey, o[m], [...path, m]) };
    }
    case 'and':
    case 'or': {
      keys(o, path, [kind], [kind]);
      const list = array(o[kind], [...path, kind], 100);
      if (list.length === 0) fail([...path, kind], 'list at least one goal');
      const goals = list.map((g, i) => readGoal(g, [...path, kind, i]));
      return kind === 'and' ? { and: goals } : { or: goals };
    }
    case 'not':
      keys(o, path, ['not'], ['not']);
      return { not: readGoal(o.not, [...path, 'not']) };
  }
  throw new CheckError(path, 'unreachable');
}

function matches(actual: unknown, want: unknown): boolean {
  const m = matcherKeyOf(want);
  if (!m) return sameValue(actual, want);
  const arg = (want as Record<string, unknown>)[m];
  switch (m) {
    case 'equals':
      return sameValue(actual, arg);
    case 'contains':
      if (Array.isArray(actual)) return actual.some((x) => sameValue(x, arg));
      return typeof actual === 'string' && typeof arg === 'string' && actual.includes(arg);
    case 'oneOf':
      return (arg as unknown[]).some((x) => sameValue(actual, x));
    case 'atLeast':
      return typeof actual === 'number' && actual >= (arg as number);
    case 'atMost':
      return typeof actual === 'number' && actual <= (arg as number);
  }
}

function matchesPattern(el: unknown, pattern: Pattern): boolean {
  if (el === null || typeof el !== 'object') return false;
  const rec = el as Record<string, unknown>;
  return Object.keys(pattern).every((f) => Object.hasOwn(rec, f) && matches(rec[f], pattern[f]));
}

function listAt(state: JudgeState, path: string): unknown[] | null {
  const l = lookup(state.digest, path);
  return l.found && Array.isArray(l.value) ? l.value : null;
}

/** Whether `goal` holds in `state`. */
export function goalHolds(goal: Goal, state: JudgeState): boolean {
  const d = state.digest;
  if ('and' in goal) return goal.and.every((g) => goalHolds(g, state));
  if ('or' in goal) return goal.or.some((g) => goalHolds(g, state));
  if ('not' in goal) return !goalHolds(goal.not, state);
  if ('panic' in goal) {
    const p = goal.panic;
    if (typeof p === 'boolean') return (d.panic !== null) === p;
    if (d.panic === null) return false;
    return 'equals' in p ? d.panic === p.equals : d.panic.includes(p.contains);
  }
  if ('hung' in goal) return isHung(d) === goal.hung;
  if ('thread' in goal) return digestThreads(d).some((t) => matchesPattern(t, goal.thread));
  if ('io' in goal) return digestIo(d).some((r) => matchesPattern(r, goal.io));
  if ('some' in goal) return (listAt(state, goal.some) ?? []).some((el) => matchesPattern(el, goal.match));
  const l = lookup(d, goal.path);
  const { path: _path, ...m } = goal;
  return l.found && matches(l.value, m);
}

function describeWant(want: unknown): string {
  const m = matcherKeyOf(want);
  if (!m) return formatValue(want);
  const arg = (want as Record<string, unknown>)[m];
  switch (m) {
    case 'equals':
      return formatValue(arg);
    case 'contains':
      return `containing ${formatValue(arg)}`;
    case 'oneOf':
      return `one of ${(arg as unknown[]).map(formatValue).join(', ')}`;
    case 'atLeast':
      return `at least ${formatValue(arg)}`;
    case 'atMost':
      return `at most ${formatValue(arg)}`;
  }
}

function describePattern(p: Pattern): string {
  const parts = Object.keys(p).map((f) => `${f} ${describeWant(p[f])}`);
  return parts.length <= 1 ? parts.join('') : `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)}`;
}

/** The goal in words, for the lab's challenge card and the grader's messages. */
export function describeGoal(goal: Goal): string {
  if ('and' in goal) return goal.and.map(describeGoal).join(', and ');
  if ('or' in goal) return goal.or.map(describeGoal).join(', or ');
  if ('not' in goal) return `not (${describeGoal(goal.not)})`;
  if ('panic' in goal) {
    const p = goal.panic;
    if (typeof p === 'boolean') return p ? 'the kernel panics' : 'the kernel has not panicked';
    return 'equals' in p
      ? `the kernel panics with "${p.equals}"`
      : `the kernel panics with a message containing "${p.contains}"`;
  }
  if ('hung' in goal)
    return goal.hung
      ? 'the kernel is hung (no thread can run, no request is in flight, some thread is not done)'
      : 'the kernel is not hung';
  if ('thread' in goal) return `some thread has ${describePattern(goal.thread)}`;
  if ('io' in goal) return `a request in flight has ${describePattern(goal.io)}`;
  if ('some' in goal) return `some element of ${goal.some} has ${describePattern(goal.match)}`;
  const { path, ...m } = goal;
  return `${path} is ${describeWant(m)}`;
}

/** The reason stays one readable line whatever the state holds: the first few items, then how many more. */
const LISTED = 8;

function listed(items: readonly string[]): string {
  if (items.length <= LISTED) return items.join(', ');
  return `${items.slice(0, LISTED).join(', ')} and ${items.length - LISTED} more`;
}

function threadList(state: JudgeState): string {
  const ts = digestThreads(state.digest);
  return ts.length ? listed(ts.map(threadSummary)) : 'no threads';
}

function ioList(state: JudgeState): string {
  const io = digestIo(state.digest);
  if (io.length === 0) return 'no request is in flight';
  return `in flight: ${listed(io.map((r) => `${r.id} ${r.rw ?? ''} by ${r.thread}`.replace(/ {2}/, ' ')))}`;
}

function whyNotHung(state: JudgeState): string {
  const d = state.digest;
  if (d.panic !== null) return `the kernel panicked ("${d.panic}"), it is not hung`;
  const ready = digestThreads(d).filter((t) => t.status === 'ready');
  if (ready.length) return `the kernel is not hung: ${listed(ready.map((t) => t.id))} can run`;
  const io = digestIo(d);
  if (io.length) return `the kernel is not hung: request ${listed(io.map((r) => String(r.id)))} can complete`;
  return digestThreads(d).length
    ? 'the kernel is not hung: every thread is done'
    : 'the kernel is not hung: no thread was started';
}

/**
 * Why `goal` does not hold in `state`, in words that say what the state shows
 * instead ("no thread has status sleep and wait uvn_get; threads: t1 done (obj), t2 io io:1").
 * Meant for a goal that does not hold; for one that does it says so.
 */
export function explainGoal(goal: Goal, state: JudgeState): string {
  if (goalHolds(goal, state)) return `${describeGoal(goal)}: it holds`;
  const d = state.digest;
  if ('and' in goal)
    return goal.and
      .filter((g) => !goalHolds(g, state))
      .map((g) => explainGoal(g, state))
      .join('; ');
  if ('or' in goal) return `none holds: ${goal.or.map((g) => explainGoal(g, state)).join('; ')}`;
  if ('not' in goal) return `${describeGoal(goal.not)}, and it must not`;
  if ('panic' in goal) {
    if (d.panic === null) return `the kernel did not panic (${threadList(state)})`;
    return goal.panic === false ? `the kernel panicked: "${d.panic}"` : `the kernel panicked with "${d.panic}"`;
  }
  if ('hung' in goal) return goal.hung ? whyNotHung(state) : 'the kernel is hung';
  if ('thread' in goal) return `no thread has ${describePattern(goal.thread)} (${threadList(state)})`;
  if ('io' in goal) return `no request in flight has ${describePattern(goal.io)} (${ioList(state)})`;
  if ('some' in goal) {
    const list = listAt(state, goal.some);
    if (list === null) return `${goal.some}: ${lookupReason(state, goal.some)}`;
    return `no element of ${goal.some} has ${describePattern(goal.match)} (${list.length} element${list.length === 1 ? '' : 's'})`;
  }
  const { path, ...m } = goal;
  const l = lookup(d, path);
  if (!l.found) return `${path}: ${l.reason}`;
  return `${path} is ${formatValue(l.value)}, not ${describeWant(m)}`;
}

/**
 * Why a challenge's goal is not met, as the lab and the grader both say it: `explainGoal`, and the panic when
 * there is one and the explanation does not name it (a panicked kernel takes no more steps, whatever the goal).
 */
export function goalShortfall(goal: Goal, state: JudgeState): string {
  const explained = explainGoal(goal, state);
  const panic = state.digest.panic;
  return panic !== null && !explained.includes('panicked')
    ? `${explained}; the kernel panicked: "${panic}"`
    : explained;
}

function lookupReason(state: JudgeState, path: string): string {
  const l = lookup(state.digest, path);
  return l.found ? 'is not a list' : l.reason;
}
