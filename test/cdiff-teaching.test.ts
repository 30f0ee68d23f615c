/**
 * What the teaching and exploring features compute from the engine, computed again from the real seed C
 * (docs/cdiff.md, "Teaching and exploring"; tools/cdiff-teaching.ts): exercise answers, the challenge
 * grader's verdicts, lesson answers and explorer findings. A fixed, fast subset; skipped only without gcc.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasGcc } from '../tools/cdiff-common';
import {
  buildBoth,
  checkChallenges,
  checkExercises,
  checkExplorer,
  checkLessons,
  libraryAll,
  type Bins,
} from '../tools/cdiff-teaching';

const HAVE_GCC = hasGcc();
if (!HAVE_GCC) console.warn('test/cdiff-teaching.test.ts: skipped, gcc is not installed (the seed C cannot be built)');

describe.skipIf(!HAVE_GCC)('teaching and exploring features vs the seed C (needs gcc)', () => {
  let dir = '';
  let bins: Bins;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'cdiff-teaching-'));
    bins = buildBoth(dir);
  }, 60_000);
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("exercises 0..39 of every kind: same digests, and every answer is the C digest's value", () => {
    const t = checkExercises(bins, 0, 40);
    expect(t.problems).toEqual([]);
    expect(t.scenarios).toBe(160);
    expect(t.checked).toBeGreaterThan(700);
  }, 30_000);

  it("every challenge fixture solution: same digests, and the same verdict from the C's digests", () => {
    const t = checkChallenges(bins);
    expect(t.problems).toEqual([]);
    expect(t.scenarios).toBeGreaterThanOrEqual(38);
    expect(t.checked).toBeGreaterThanOrEqual(36);
  });

  it('every lesson: same digests, and every path question before its first `step` answered the same by the C', () => {
    const t = checkLessons(bins);
    expect(t.problems).toEqual([]);
    expect(t.scenarios).toBeGreaterThanOrEqual(9);
    expect(t.checked).toBeGreaterThanOrEqual(19);
  });

  it('explorer findings on a few library scenarios replay in the C: same panic, same hang, same end', () => {
    const pick = new Set([
      'recycle-terminate-hangs-when-late-fault-page-survives.json',
      'msync-nowait-syncio-again-panics.json',
      'persisting-uvn-stray-references-vrele-panics-ref-cnt.json',
      'fault-out-of-memory-waits-for-free-page.json',
      'freebsd-sendfile-out-of-memory-sleeps-vmwait.json',
      'freebsd-sendfile-no-bmap-pager-fail-panics.json',
      // Findings whose spawns were deferred and never made: their scenarios once listed them at boot.
      'freebsd-close-waits-for-pageout-then-vinactive-writes-dirty-page.json',
      'freebsd-sendfile-smlfs-bogus-page-read-once-then-skipped.json',
    ]);
    const chosen = libraryAll().filter((x) => pick.has(x.file));
    expect(chosen.length).toBe(8);
    const t = checkExplorer(bins, chosen, 300);
    expect(t.problems).toEqual([]);
    expect(t.byKind.panic ?? 0).toBeGreaterThan(0);
    expect(t.byKind.hang ?? 0).toBeGreaterThan(0);
  }, 30_000);
});
