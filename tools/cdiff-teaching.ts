/**
 * The teaching and exploring features against the real seed C (docs/cdiff.md, "Teaching and exploring"):
 * what the exercises, the challenge grader, the lessons and the explorer compute from the engine, computed
 * again from the digests of the seed C (tools/cdiff.ts for OpenBSD, tools/cdiff-freebsd.ts for FreeBSD),
 * at `run` granularity (a `step` becomes a `run` on both sides).
 *
 *   npx tsx tools/cdiff-teaching.ts [--exercises N [--from S]] [--challenges] [--lessons]
 *                                   [--explore [--max-schedules M]]
 *
 * - exercises: seeds S..S+N-1 (S defaults to 0) of every kind; engine vs C digests, and every question's
 *   answer (the value the tutor checks a learner against) read out of the C's digest at the question's step;
 * - challenges: every challenge's fixture solutions (right and wrong), engine vs C, and the grader's
 *   verdict (the goal judged after every step) from the C's digests;
 * - lessons: every lesson's scenario, engine vs C, and every path question's answer from the C's digest
 *   (those asked before the lesson's first `step` step: after it, the C runs another schedule);
 * - explore: the explorer on every library scenario, each finding's schedule replayed in the C, which must
 *   show the same panic, the same hang (every thread blocked, nothing in flight, the same waits) or the
 *   same final state (a leak). Findings with `step` steps cannot be replayed and are counted apart.
 *
 * Exit 0 when everything agreed, 1 otherwise, 2 on a build error.
 */
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { explore } from '../src/engine/explore/search';
import type { Scenario } from '../src/protocol/scenario';
import { parseScenario } from '../src/scenario/schema';
import { challengeScenario, parseChallenge, parseSolution, type Challenge } from '../src/teaching/challenge';
import { EXERCISE_KINDS, makeExercise, valueAtPath, type ExerciseKind } from '../src/teaching/exercise';
import { goalHolds } from '../src/teaching/goal';
import { gradeSolution } from '../src/teaching/grade';
import { lessonScenario, parseLesson } from '../src/teaching/lesson';
import { answerIn } from '../src/teaching/question';
import { sameValue, type Value } from '../src/teaching/values';
import { buildCdiff, toLines as openbsdLines } from './cdiff';
import { compareWithHarness, describeDiff, engineLines, REPO, stepsToRuns, type Comparison } from './cdiff-common';
import { buildFreebsdHarness, supported, toLines as freebsdLines } from './cdiff-freebsd';

export interface Bins {
  openbsd: string;
  freebsd: string;
}

/** Build both C harnesses under `dir`. */
export function buildBoth(dir: string): Bins {
  return {
    openbsd: buildCdiff(join(dir, 'openbsd')),
    freebsd: buildFreebsdHarness(join(dir, 'freebsd', 'cdiff-freebsd')),
  };
}

/** Engine vs C on a scenario of either pager (`step`s turned into `run`s), with both digest streams parsed. */
export function compareAny(
  bins: Bins,
  s: Scenario,
): { c: Comparison; scenario: Scenario; engine: Record<string, unknown>[]; cDigests: Record<string, unknown>[] } {
  const scenario = stepsToRuns(s);
  const c =
    scenario.pager === 'freebsd'
      ? compareWithHarness(bins.freebsd, scenario, freebsdLines)
      : compareWithHarness(bins.openbsd, scenario, openbsdLines);
  const parse = (lines: string[]) => lines.map((l) => JSON.parse(l) as Record<string, unknown>);
  return { c, scenario, engine: parse(engineLines(scenario).lines), cDigests: parse(c.cLines ?? []) };
}

/** What one check found: how many things agreed, and a line for each disagreement. */
export interface Tally {
  scenarios: number;
  digests: number;
  /** Answers, verdicts or findings checked against the C. */
  checked: number;
  /** Not checkable at `run` granularity (exercise or lesson questions on a scenario with `step`s, findings). */
  skipped: number;
  problems: string[];
}

const tally = (): Tally => ({ scenarios: 0, digests: 0, checked: 0, skipped: 0, problems: [] });

function compared(t: Tally, name: string, r: ReturnType<typeof compareAny>): boolean {
  t.scenarios++;
  t.digests += r.c.digests;
  if (!r.c.equal) t.problems.push(describeDiff(name, r.c, true));
  return r.c.equal;
}

/** Exercises: seeds `from`..`to`-1 of each kind; digests and every question's answer read from the C. */
export function checkExercises(bins: Bins, from: number, to: number, kinds = EXERCISE_KINDS): Tally {
  const t = tally();
  for (const kind of kinds as readonly ExerciseKind[])
    for (let seed = from; seed < to; seed++) {
      const ex = makeExercise(seed, kind);
      const name = `exercise ${kind}:${seed}`;
      const hasStep = ex.scenario.steps.some((s) => 'step' in s);
      const r = compareAny(bins, ex.scenario);
      compared(t, name, r);
      for (const [i, q] of ex.questions.entries()) {
        if (hasStep) {
          t.skipped++;
          continue;
        }
        t.checked++;
        // The tutor marks a learner's answer against q.answer; the C's digest at q.step must hold that value.
        const d = r.cDigests[q.step + 1];
        const cv = d === undefined ? '(no C digest)' : valueAtPath(d, q.path);
        if (!sameValue(q.answer as Value, cv as Value))
          t.problems.push(
            `${name} question ${i + 1} [step ${q.step}, ${q.path}]: answer ${JSON.stringify(q.answer)} vs C ${JSON.stringify(cv)}`,
          );
      }
    }
  return t;
}

/** The verdict the grader would give from a stream of digests (`digests[0]` the initial state). */
function verdictFrom(challenge: Challenge, digests: Record<string, unknown>[], steps: number): string {
  for (let i = 0; i < steps; i++) {
    const d = digests[i + 1];
    if (d === undefined) return `no digest after step ${i}`;
    if (goalHolds(challenge.goal, { digest: d as never })) return i + 1 === steps ? 'PASS' : `held early at ${i}`;
  }
  return 'FAIL';
}

/** Challenges: every fixture solution (test/fixtures/solutions), digests and the grader's verdict from the C. */
export function checkChallenges(bins: Bins): Tally {
  const t = tally();
  const dir = join(REPO, 'test', 'fixtures', 'solutions');
  for (const f of readdirSync(dir).sort()) {
    if (!f.endsWith('.json')) continue;
    const name = f.replace(/\.(solution|wrong)\.json$/, '');
    const parsed = parseChallenge(readFileSync(join(REPO, 'challenges', `${name}.json`), 'utf8'));
    if (!parsed.ok) {
      t.problems.push(`${f}: challenge does not parse`);
      continue;
    }
    const challenge = parsed.challenge;
    const text = readFileSync(join(dir, f), 'utf8');
    const sol = parseSolution(challenge, text);
    if (!sol.ok) {
      t.problems.push(`${f}: solution does not parse`);
      continue;
    }
    const steps = sol.solution.steps;
    const r = compareAny(bins, challengeScenario(challenge, steps));
    compared(t, `challenge ${f}`, r);
    if (steps.some((s) => 'step' in s)) {
      t.skipped++;
      continue;
    }
    t.checked++;
    const v = gradeSolution(challenge, text);
    const engineVerdict = v.verdict === 'INVALID' ? 'INVALID' : v.verdict;
    const cVerdict = verdictFrom(challenge, r.cDigests, steps.length);
    if (engineVerdict !== cVerdict)
      t.problems.push(`challenge ${f}: grader ${engineVerdict} vs from the C ${cVerdict}`);
  }
  return t;
}

function library(name: string): Scenario | null {
  try {
    const p = parseScenario(readFileSync(join(REPO, 'scenarios', `${name}.json`), 'utf8'));
    return p.ok ? p.scenario : null;
  } catch {
    return null;
  }
}

/** Lessons: each lesson's scenario, digests, and every path question's answer read from the C. */
export function checkLessons(bins: Bins): Tally {
  const t = tally();
  const dir = join(REPO, 'lessons');
  for (const f of readdirSync(dir).sort()) {
    if (!f.endsWith('.md')) continue;
    const parsed = parseLesson(f.replace(/\.md$/, ''), readFileSync(join(dir, f), 'utf8'));
    if (!parsed.ok) {
      t.problems.push(`lesson ${f}: does not parse`);
      continue;
    }
    const s = lessonScenario(parsed.lesson, library);
    if (!s) {
      t.problems.push(`lesson ${f}: no scenario`);
      continue;
    }
    const hasStep = s.steps.some((x) => 'step' in x);
    // Up to the first `step` step, the scenario with its `step`s turned into `run`s is the lesson's own.
    const firstStep = hasStep ? s.steps.findIndex((x) => 'step' in x) : s.steps.length;
    const r = compareAny(bins, s);
    compared(t, `lesson ${f}${hasStep ? ' (step as run)' : ''}`, r);
    for (const scene of parsed.lesson.scenes) {
      const q = scene.question;
      if (!q || q.source.kind !== 'path') continue;
      // A question's step counts the lesson's own steps: from the first `step` on, once turned into a `run`,
      // it means another state.
      if (q.at >= firstStep) {
        t.skipped++;
        continue;
      }
      t.checked++;
      const e = answerIn(q.source, { digest: r.engine[q.at + 1] as never });
      const cd = r.cDigests[q.at + 1];
      const c =
        cd === undefined
          ? ({ ok: false, reason: 'no C digest' } as const)
          : answerIn(q.source, { digest: cd as never });
      if (!e.ok || !c.ok || !sameValue(e.value, c.value))
        t.problems.push(
          `lesson ${f} question at ${q.at} (${q.source.path}): engine ${JSON.stringify(e)} vs C ${JSON.stringify(c)}`,
        );
    }
  }
  return t;
}

/** The library scenarios of both pagers (those the C harnesses can run). */
export function libraryAll(): { file: string; scenario: Scenario }[] {
  const out: { file: string; scenario: Scenario }[] = [];
  for (const f of readdirSync(join(REPO, 'scenarios')).sort()) {
    if (!f.endsWith('.json')) continue;
    const p = parseScenario(readFileSync(join(REPO, 'scenarios', f), 'utf8'));
    if (!p.ok) continue;
    if (p.scenario.pager === 'freebsd' && !supported(p.scenario)) continue;
    out.push({ file: f, scenario: p.scenario });
  }
  return out;
}

export interface ExploreTally extends Tally {
  byKind: Record<string, number>;
}

/**
 * The explorer on each scenario (its spawns; as many preemptions as it has `step`s, as the lab's explorer
 * test does), each finding's scenario replayed in the C: same digests, and the C's last digest shows it.
 */
export function checkExplorer(
  bins: Bins,
  scenarios: { file: string; scenario: Scenario }[],
  maxSchedules: number,
): ExploreTally {
  const t: ExploreTally = { ...tally(), byKind: {} };
  for (const { file, scenario } of scenarios) {
    const r = explore(scenario, {
      preempt: scenario.steps.filter((s) => 'step' in s).length,
      maxSchedules,
    });
    for (const f of r.findings) {
      const name = `explore ${file}: ${f.kind} ${f.message}`;
      if (f.scenario.steps.some((s) => 'step' in s)) {
        t.skipped++;
        continue;
      }
      t.checked++;
      t.byKind[f.kind] = (t.byKind[f.kind] ?? 0) + 1;
      const cmp = compareAny(bins, f.scenario);
      if (!compared(t, name, cmp)) continue;
      const last = cmp.cDigests.at(-1) as
        | { panic: string | null; io: unknown[]; threads: { id: string; status: string; wait: string | null }[] }
        | undefined;
      const wrong = (why: string) => t.problems.push(`${name}: the C ${why}`);
      if (!last || cmp.cDigests.length !== f.scenario.steps.length + 1) wrong('did not run the whole schedule');
      else if (f.kind === 'panic') {
        if (last.panic !== f.message) wrong(`panics ${JSON.stringify(last.panic)}`);
      } else if (f.kind === 'hang') {
        const waiting = last.threads.filter((x) => x.status !== 'done');
        const msg = waiting.map((x) => `${x.id} ${x.status} ${x.wait}`).join(', ');
        const stuck = last.panic === null && last.io.length === 0 && last.threads.every((x) => x.status !== 'ready');
        if (!stuck || waiting.length === 0 || msg !== f.message) wrong(`is not hung the same way: ${msg}`);
      } else if (JSON.stringify(last) !== JSON.stringify(cmp.engine.at(-1))) wrong('ends in another state');
    }
  }
  return t;
}

function report(what: string, t: Tally): void {
  const extra = 'byKind' in t ? ` ${JSON.stringify((t as ExploreTally).byKind)}` : '';
  console.log(
    `${what}: ${t.scenarios} scenarios, ${t.digests} digests, ${t.checked} checked${extra}, ${t.skipped} skipped (step), ${t.problems.length} problems`,
  );
  for (const p of t.problems) console.log(`  ${p}`);
}

function main(argv: string[]): number {
  let exercises = 0;
  let from = 0;
  let doChallenges = false;
  let doLessons = false;
  let doExplore = false;
  let maxSchedules = 5000;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--exercises') exercises = Number(argv[++i]);
    else if (a === '--from') from = Number(argv[++i]);
    else if (a === '--challenges') doChallenges = true;
    else if (a === '--lessons') doLessons = true;
    else if (a === '--explore') doExplore = true;
    else if (a === '--max-schedules') maxSchedules = Number(argv[++i]);
    else {
      process.stderr.write(`unknown argument ${a}\n`);
      return 2;
    }
  }
  const dir = join(tmpdir(), `pager-lab-cdiff-teaching-${process.pid}`);
  let bins: Bins;
  try {
    bins = buildBoth(dir);
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n`);
    return 2;
  }
  let bad = 0;
  try {
    const run = (what: string, f: () => Tally) => {
      const t0 = Date.now();
      const t = f();
      report(`${what} (${((Date.now() - t0) / 1000).toFixed(1)} s)`, t);
      bad += t.problems.length;
    };
    if (exercises > 0)
      run(`exercises ${from}..${from + exercises - 1}`, () => checkExercises(bins, from, from + exercises));
    if (doChallenges) run('challenges', () => checkChallenges(bins));
    if (doLessons) run('lessons', () => checkLessons(bins));
    if (doExplore)
      run(`explorer (max ${maxSchedules} schedules)`, () => checkExplorer(bins, libraryAll(), maxSchedules));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return bad === 0 ? 0 : 1;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url))
  process.exit(main(process.argv.slice(2)));
