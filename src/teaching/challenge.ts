/**
 * Challenges, the scheduler game (docs/teaching.md, "Challenges"): a
 * machine, the calls and threads a learner may use, a goal over the state,
 * a par and a story. The learner spawns, runs and completes until the goal
 * holds. The rules here are the ones the lab applies as the learner plays
 * and the grader applies to an exported solution.
 */
import type { Scenario, Setup, Step } from '../protocol/scenario';
import { pagerModel } from '../engine/registry';
import {
  array,
  CheckError,
  choice,
  describe as describeJson,
  fail,
  integer,
  keys,
  name,
  object,
  string,
} from '../scenario/checks';
import { formatScenarioError, LIMITS, parseScenario } from '../scenario/schema';
import { JsonInputError, parseStrictJson, type JsonPath } from '../scenario/strict-json';
import { goalHolds, readGoal, type Goal } from './goal';
import { PagerEngine } from '../engine/engine';

export const CHALLENGE_FORMAT = 'pager-challenge/1';
export const SOLUTION_FORMAT = 'pager-solution/1';

/** What a `complete` step may give: "short" stands for every "short:B". */
export type ResultKind = 'ok' | 'eio' | 'short';

export interface Challenge {
  readonly format: typeof CHALLENGE_FORMAT;
  readonly name: string;
  readonly title: string;
  /** Markdown: the situation, in the kernel's words. */
  readonly story: string;
  readonly setup: Setup;
  readonly allow: {
    /** The calls a thread may be spawned with; "all": every call of the pager. */
    readonly calls: readonly string[] | 'all';
    /** At most this many threads; null: any number. */
    readonly threads: number | null;
    /** The disk results `complete` may give; null: any. */
    readonly results: readonly ResultKind[] | null;
  };
  readonly goal: Goal;
  /** The fewest steps the authors found. */
  readonly par: number;
}

/** A problem with a file, located as the scenario runner locates one. */
export interface FileError {
  /** Step index, -1 for anything outside the steps. */
  readonly step: number;
  /** Field path ("call", "setup.vnodes[0].size"), empty when the step as a whole is wrong. */
  readonly field: string;
  readonly reason: string;
}

export function formatFileError(e: FileError): string {
  return formatScenarioError(e);
}

function fieldOf(path: readonly (string | number)[]): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : out ? `.${p}` : p;
  return out;
}

/** Read and check a challenge (text or parsed JSON). */
export function parseChallenge(
  input: string | unknown,
): { ok: true; challenge: Challenge } | { ok: false; error: FileError } {
  try {
    // The scenario reader's bound on values: a 16 MiB file of zeros is refused, not built.
    const doc = typeof input === 'string' ? parseStrictJson(input, LIMITS.jsonValues, 'challenge') : input;
    return { ok: true, challenge: readChallenge(doc) };
  } catch (e) {
    if (e instanceof JsonInputError || e instanceof CheckError)
      return { ok: false, error: { step: -1, field: fieldOf(e.path), reason: e.reason } };
    throw e;
  }
}

function readChallenge(doc: unknown): Challenge {
  const o = object(doc, [], 'a challenge (an object)');
  // The format first, as the scenario reader does: a solution or a scenario given first (the files swapped) has
  // other keys, and what is wrong with it is what it is.
  if (Object.hasOwn(o, 'format') && o.format !== CHALLENGE_FORMAT) {
    const swapped = o.format === SOLUTION_FORMAT ? ' (a solution: the challenge comes first)' : '';
    fail(['format'], `must be "${CHALLENGE_FORMAT}", got ${describeJson(o.format)}${swapped}`);
  }
  keys(
    o,
    [],
    ['format', 'name', 'title', 'story', 'setup', 'allow', 'goal', 'par'],
    ['format', 'name', 'title', 'story', 'setup', 'allow', 'goal', 'par'],
  );
  const setupDoc = object(o.setup, ['setup']);
  keys(setupDoc, ['setup'], ['pager', 'machine', 'mounts', 'vnodes'], ['pager', 'vnodes']);
  const parsed = parseScenario({ format: 'pager-scenario/1', ...setupDoc, steps: [] });
  if (!parsed.ok)
    throw new CheckError(['setup', ...(parsed.error.field ? [parsed.error.field] : [])], parsed.error.reason);
  const s = parsed.scenario;
  const setup: Setup = {
    pager: s.pager,
    ...(s.machine ? { machine: s.machine } : {}),
    ...(s.mounts ? { mounts: s.mounts } : {}),
    vnodes: s.vnodes,
  };
  const callNames = pagerModel(s.pager)!.profile.calls.map((c) => c.name);

  const allowDoc = object(o.allow, ['allow']);
  keys(allowDoc, ['allow'], ['calls', 'threads', 'results'], ['calls']);
  let calls: readonly string[] | 'all';
  if (allowDoc.calls === 'all') calls = 'all';
  else {
    const list = array(allowDoc.calls, ['allow', 'calls'], callNames.length);
    if (list.length === 0) fail(['allow', 'calls'], 'allow at least one call, or "all"');
    calls = list.map((c, i) => choice(c, ['allow', 'calls', i], callNames));
    if (new Set(calls).size !== calls.length) fail(['allow', 'calls'], 'a call is listed twice');
  }
  const threads =
    !Object.hasOwn(allowDoc, 'threads') || allowDoc.threads === null
      ? null
      : integer(allowDoc.threads, ['allow', 'threads'], 1, 1000);
  let results: ResultKind[] | null = null;
  if (Object.hasOwn(allowDoc, 'results') && allowDoc.results !== null) {
    results = array(allowDoc.results, ['allow', 'results'], 3).map((r, i) =>
      choice(r, ['allow', 'results', i], ['ok', 'eio', 'short'] as const),
    );
    if (results.length === 0) fail(['allow', 'results'], 'allow at least one result');
  }
  const challenge: Challenge = {
    format: CHALLENGE_FORMAT,
    name: name(o.name, ['name']),
    title: string(o.title, ['title'], 200),
    story: string(o.story, ['story'], 4000),
    setup,
    allow: { calls, threads, results },
    goal: readGoal(o.goal, ['goal']),
    par: integer(o.par, ['par'], 1, MAX_SOLUTION_STEPS),
  };
  // The lab would call it solved before the first step, and a solution has at least one step.
  if (goalHolds(challenge.goal, { digest: new PagerEngine(challengeScenario(challenge, [])).digest() }))
    fail(['goal'], 'it already holds before any step; a challenge asks for a state its steps reach');
  return challenge;
}

/** The scenario a challenge's setup and some steps make. */
export function challengeScenario(challenge: Challenge, steps: readonly Step[]): Scenario {
  return { format: 'pager-scenario/1', ...challenge.setup, steps: [...steps] };
}

/**
 * The most steps a challenge is played for (the largest par): judging the goal reads the whole state after
 * every step, so a longer file would cost the grader time in the square of its length.
 */
export const MAX_SOLUTION_STEPS = 10_000;

function resultKind(result: string): ResultKind {
  return result.startsWith('short:') ? 'short' : (result as ResultKind);
}

/**
 * Why the challenge's rules refuse step `index` of `steps` (steps before it
 * already accepted), or null. The lab asks before applying a learner's step;
 * the grader asks for every step of a solution.
 */
export function ruleRefusal(
  challenge: Challenge,
  steps: readonly Step[],
  index: number,
  /** How many of steps 0..index spawn, when the caller keeps count (the grader, over a long file). */
  spawnedThrough?: number,
): FileError | null {
  const step = steps[index]!;
  if (index >= MAX_SOLUTION_STEPS)
    return {
      step: index,
      field: '',
      reason: `a challenge allows at most ${MAX_SOLUTION_STEPS.toLocaleString('en')} steps`,
    };
  if ('spawn' in step) {
    const { calls, threads } = challenge.allow;
    if (calls !== 'all' && !calls.includes(step.call))
      return {
        step: index,
        field: 'call',
        reason: `the challenge does not allow ${step.call} (allowed: ${calls.join(', ')})`,
      };
    const spawned = spawnedThrough ?? steps.slice(0, index + 1).filter((s) => 'spawn' in s).length;
    if (threads !== null && spawned > threads)
      return {
        step: index,
        field: 'spawn',
        reason: `the challenge allows at most ${threads} thread${threads === 1 ? '' : 's'}`,
      };
  }
  if ('complete' in step && challenge.allow.results && !challenge.allow.results.includes(resultKind(step.result)))
    return {
      step: index,
      field: 'result',
      reason: `the challenge does not allow "${resultKind(step.result)}" results (allowed: ${challenge.allow.results.join(', ')})`,
    };
  return null;
}

export interface Solution {
  readonly format: typeof SOLUTION_FORMAT;
  readonly challenge: string;
  readonly steps: readonly Step[];
}

/** The solution the lab exports when a challenge is solved. */
export function solutionOf(challenge: Challenge, steps: readonly Step[]): Solution {
  return { format: SOLUTION_FORMAT, challenge: challenge.name, steps: [...steps] };
}

/**
 * Read a solution for `challenge`: strict JSON, its steps checked by the
 * scenario reader against the challenge's setup (so errors name the step and
 * field as the runner does). The rules are the player's to check, step by step.
 */
export function parseSolution(
  challenge: Challenge,
  input: string | unknown,
): { ok: true; solution: Solution } | { ok: false; error: FileError } {
  let doc: unknown;
  try {
    doc = typeof input === 'string' ? parseStrictJson(input, LIMITS.jsonValues, 'solution') : input;
  } catch (e) {
    if (!(e instanceof JsonInputError)) throw e;
    const stepIndex = e.path[0] === 'steps' && typeof e.path[1] === 'number' ? e.path[1] : -1;
    return {
      ok: false,
      error: { step: stepIndex, field: fieldOf(stepIndex >= 0 ? e.path.slice(2) : e.path), reason: e.reason },
    };
  }
  try {
    const o = object(doc, [], 'a solution (an object)');
    // The format first: a challenge or a scenario given as a solution has other keys ("name: unknown key" says
    // nothing of what the file is).
    if (Object.hasOwn(o, 'format') && o.format !== SOLUTION_FORMAT)
      fail(['format'], `must be "${SOLUTION_FORMAT}", got ${describeJson(o.format)}`);
    keys(o, [], ['format', 'challenge', 'steps'], ['format', 'challenge', 'steps']);
    const named = name(o.challenge, ['challenge']);
    if (named !== challenge.name) fail(['challenge'], `this solution is for ${named}, not ${challenge.name}`);
    const parsed = parseScenario({ format: 'pager-scenario/1', ...challenge.setup, steps: o.steps });
    if (!parsed.ok) return { ok: false, error: parsed.error };
    // NOTE: the challenge's rules are checked as the steps are played (playChallenge), so the first step in
    // order that the lab would refuse, by a rule or by the engine, is the one reported.
    return { ok: true, solution: { format: SOLUTION_FORMAT, challenge: named, steps: parsed.scenario.steps } };
  } catch (e) {
    if (e instanceof CheckError) return { ok: false, error: { step: -1, field: fieldOf(e.path), reason: e.reason } };
    throw e;
  }
}

export type { JsonPath };
