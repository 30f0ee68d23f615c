/**
 * The compare view's pairs (scenarios/compare/pairs.json): each pairs an
 * OpenBSD and a FreeBSD library scenario, and each story step says at which
 * step of each it stands and what holds there. Both scenarios are run through
 * the engine and every claim (a goal of the teaching language,
 * src/teaching/goal.ts, the grader's) is checked against the digest at its
 * step, so the story the compare view tells is what the two kernels really do.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FIRST_PAIR } from '../src/app/compare/link';
import {
  readPairIndex,
  stepsOnStory,
  storyBranch,
  storyMoves,
  storyPosition,
  type KernelPair,
} from '../src/app/compare/pairs';
import { scenarioDigests } from '../src/engine/run-scenario';
import type { Digest } from '../src/engine/model';
import { parseScenario } from '../src/scenario/schema';
import { explainGoal, goalHolds, readGoal, type Goal } from '../src/teaching/goal';

const INDEX = JSON.parse(readFileSync('scenarios/compare/pairs.json', 'utf8')) as unknown;
const read = readPairIndex(INDEX);
const pairs: KernelPair[] = read.ok ? read.pairs : [];

/** Null when `claim` holds of `digest`, else what the digest shows instead. */
function checkClaim(digest: Digest | undefined, claim: unknown): string | null {
  if (!digest) return 'no digest at that step';
  const goal: Goal = readGoal(claim, ['holds']);
  return goalHolds(goal, { digest }) ? null : explainGoal(goal, { digest });
}

const digestsOf = new Map<string, Digest[]>();
function digests(name: string, pager: string): Digest[] {
  let d = digestsOf.get(name);
  if (!d) {
    const parsed = parseScenario(readFileSync(`scenarios/${name}.json`, 'utf8'));
    if (!parsed.ok) throw new Error(`${name}: ${JSON.stringify(parsed.error)}`);
    expect(parsed.scenario.pager, `${name} is an ${pager} scenario`).toBe(pager);
    const run = scenarioDigests(parsed.scenario);
    expect(run.refused).toBeNull();
    digestsOf.set(name, (d = run.digests));
  }
  return d;
}

describe('the pair index', () => {
  it('reads, with at least the six stories the compare view promises', () => {
    expect(read).toMatchObject({ ok: true });
    // The lab's header links to the first pair by a name of its own.
    expect(pairs[0]?.id).toBe(FIRST_PAIR);
    expect(pairs.map((p) => p.id)).toEqual(
      expect.arrayContaining([
        'one-fault',
        'two-faults-one-page',
        'msync-dirty-pages',
        'truncate-busy-page',
        'terminate-during-read',
        'out-of-memory',
      ]),
    );
  });

  it.each(pairs.map((p) => [p.id, p] as const))('%s: every story step holds in both kernels', (_id, pair) => {
    for (const kernel of ['openbsd', 'freebsd'] as const) {
      const all = digests(pair[kernel], kernel);
      for (const [i, step] of pair.story.entries()) {
        const { at, holds } = step[kernel];
        expect(at, `${pair.id} story ${i} ${kernel}: step ${at} is past the scenario's end`).toBeLessThan(all.length);
        for (const claim of holds)
          expect(
            checkClaim(all[at], claim),
            `${pair.id} story ${i} "${step.title}" ${kernel} at ${at}: ${JSON.stringify(claim)}`,
          ).toBeNull();
      }
    }
  });

  it.each(pairs.map((p) => [p.id, p] as const))(
    '%s: no story step holds one step earlier in both kernels',
    (_id, pair) => {
      // A story step must point at the step that makes it true, not merely at some step where it is true.
      for (const [i, step] of pair.story.entries()) {
        const early = (['openbsd', 'freebsd'] as const).map((kernel) => {
          const { at, holds } = step[kernel];
          return at > 0 && holds.every((c) => checkClaim(digests(pair[kernel], kernel)[at - 1], c) === null);
        });
        expect(early, `${pair.id} story ${i} "${step.title}" already holds a step earlier`).not.toEqual([true, true]);
      }
    },
  );
});

describe("the stories' words against the C", () => {
  const seed = readFileSync('public/seeds/uvm_vnode.c', 'utf8').split('\n');
  /** The seed functions with a line that clears `flag` (`atomic_clearbits_int(…, …flag…)`). */
  function clearersOf(flag: string): string[] {
    const found = new Set<string>();
    let fn = '';
    for (const line of seed) {
      // A function's definition starts at column 0 with its name (the BSD style the seed is in).
      const def = /^([a-z_][a-z0-9_]*)\(/.exec(line);
      if (def) fn = def[1]!;
      if (line.includes('atomic_clearbits_int') && new RegExp(`\\b${flag}\\b`).test(line)) found.add(fn);
    }
    return [...found];
  }

  it('an OpenBSD step that says a function cleared a page flag names the function whose line clears it', () => {
    let named = 0;
    for (const pair of pairs)
      for (const step of pair.story)
        for (const [, fn, flag] of step.openbsd.says.matchAll(/\b([a-z]\w*_\w+) cleared (PG_[A-Z]+)/g)) {
          named++;
          expect(clearersOf(flag!), `${pair.id} "${step.title}": ${fn} cleared ${flag}`).toContain(fn);
        }
    expect(named).toBeGreaterThan(0);
  });
});

describe('claims', () => {
  it('are goals of the teaching language, read strictly, and fail where the digest says otherwise', () => {
    const all = digests('two-threads-fault-same-page', 'openbsd');
    // At step 6 t3 sleeps on the busy page under t2's read; at step 4 it does not exist yet.
    const sleeps = { thread: { id: 't3', status: 'sleep', wait: 'uvn_get' } };
    expect(checkClaim(all[6], sleeps)).toBeNull();
    expect(checkClaim(all[4], sleeps)).toMatch(/no thread has/);
    const wanted = { path: 'vnodes[name=vn1].uvn.pages[offset=0].flags', contains: 'PG_WANTED' };
    expect(checkClaim(all[6], wanted)).toBeNull();
    expect(checkClaim(all[4], wanted)).not.toBeNull();
    expect(checkClaim(all[7], { path: 'io', equals: [] })).toBeNull();
    expect(checkClaim(all[6], { path: 'io', equals: [] })).not.toBeNull();
    expect(() => checkClaim(all[6], { path: 'io', count: 1 })).toThrow();
  });
});

describe('reading the index strictly', () => {
  const good = INDEX as { format: string; pairs: Record<string, unknown>[] };
  const withPair = (change: (p: Record<string, unknown>) => Record<string, unknown>) => ({
    ...good,
    pairs: [change(structuredClone(good.pairs[0]!))],
  });

  it('refuses a damaged index with the field that is wrong', () => {
    expect(readPairIndex({ ...good, format: 'x' })).toEqual({
      ok: false,
      error: 'index.format: expected "pager-compare/1"',
    });
    expect(readPairIndex(withPair((p) => ({ ...p, extra: 1 })))).toMatchObject({
      ok: false,
      error: expect.stringMatching(/^pairs\[0\]\.extra: unknown key/),
    });
    expect(readPairIndex(withPair((p) => ({ ...p, id: 'Not A Name' })))).toMatchObject({
      ok: false,
      error: 'pairs[0].id: "Not A Name" is not a lower-case-dashed name',
    });
    const backwards = withPair((p) => {
      const story = p.story as { openbsd: { at: number } }[];
      story[1]!.openbsd.at = story[0]!.openbsd.at;
      return p;
    });
    expect(readPairIndex(backwards)).toEqual({
      ok: false,
      error: "pairs[0].story[1].openbsd.at: must come after story step 0's",
    });
    expect(readPairIndex({ ...good, pairs: [good.pairs[0], good.pairs[0]] })).toMatchObject({
      ok: false,
      error: expect.stringMatching(/listed twice/),
    });
  });

  it('places a cursor on the story', () => {
    const pair = pairs.find((p) => p.id === 'one-fault')!;
    const ats = pair.story.map((s) => s.freebsd.at);
    expect(storyPosition(pair, 'freebsd', 0)).toEqual({ index: -1, exact: false, off: false });
    expect(storyPosition(pair, 'freebsd', ats[1]!)).toEqual({ index: 1, exact: true, off: false });
    // Between story steps 0 and 1 (steps 4 and 6 of the FreeBSD scenario).
    expect(ats[1]! - ats[0]!).toBeGreaterThan(1);
    expect(storyPosition(pair, 'freebsd', ats[0]! + 1)).toEqual({ index: 0, exact: false, off: false });
    expect(storyPosition(pair, 'freebsd', 1000)).toEqual({ index: ats.length - 1, exact: false, off: false });
    // On a branch that shares the story's first ats[1] steps: at a story step's number past them, off the story.
    expect(storyPosition(pair, 'freebsd', ats[2]!, ats[1]!)).toEqual({ index: 1, exact: false, off: true });
    expect(storyPosition(pair, 'freebsd', ats[1]!, ats[1]!)).toEqual({ index: 1, exact: true, off: false });
  });

  it("moves both labs one story step from where they stand, never one lab the other way (Previous/Next, the clicker's keys)", () => {
    const pair = pairs.find((p) => p.id === 'two-faults-one-page')!;
    const last = pair.story.length - 1;
    const on = (index: number) => ({ index, exact: true });
    const past = (index: number) => ({ index, exact: false });
    expect(storyMoves(pair, [on(0), on(0)])).toEqual({ both: 0, previous: null, next: 1 });
    expect(storyMoves(pair, [on(2), on(2)])).toEqual({ both: 2, previous: 1, next: 3 });
    expect(storyMoves(pair, [on(last), on(last)])).toEqual({ both: last, previous: last - 1, next: null });
    // Apart: Next one past the furthest, Previous at the earliest.
    expect(storyMoves(pair, [on(1), on(3)])).toEqual({ both: -1, previous: 1, next: 4 });
    expect(storyMoves(pair, [past(1), on(1)])).toEqual({ both: -1, previous: 1, next: 2 });
    expect(storyMoves(pair, [on(last), past(last)])).toEqual({ both: -1, previous: last, next: null });
    // Both before the story's first step: only Next.
    expect(storyMoves(pair, [past(-1), past(-1)])).toEqual({ both: -1, previous: null, next: 0 });
  });

  it('counts the steps a branch shares with the story: the least fork point back to the first branch', () => {
    const branches = [
      { id: 1, parent: null, forkAt: 0 },
      { id: 2, parent: 1, forkAt: 9 },
      { id: 3, parent: 2, forkAt: 11 },
      { id: 4, parent: 2, forkAt: 5 },
    ];
    expect(stepsOnStory(branches, 1)).toBe(Infinity);
    expect(stepsOnStory(branches, 2)).toBe(9);
    expect(stepsOnStory(branches, 3)).toBe(9);
    expect(stepsOnStory(branches, 4)).toBe(5);
    expect(storyBranch(branches)).toBe(1);
  });
});
