/**
 * The engine against the real seed C (docs/cdiff.md): seeds/uvm_vnode.c compiled unmodified against the fake
 * kernel in tools/cdiff/openbsd, the same scenario run by both, every digest compared. `run` granularity:
 * library scenarios with `step` steps are not compared; random schedules have their `step`s turned into `run`s.
 */
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildCdiff,
  compareScenario,
  describeDiff,
  hasGcc,
  libraryScenarios,
  randomSchedule,
  seedPath,
} from '../tools/cdiff';

const gcc = hasGcc();
const seed = seedPath();
const skipReason = !gcc ? 'gcc is not installed' : !seed ? 'seeds/uvm_vnode.c not found' : null;
if (skipReason) console.warn(`cdiff-openbsd: skipped: ${skipReason}`);

describe.skipIf(skipReason !== null)('engine vs the seed C (OpenBSD, run granularity)', () => {
  const dir = join(tmpdir(), `pager-lab-cdiff-test-${process.pid}`);
  let bin = '';
  beforeAll(() => {
    bin = buildCdiff(dir);
  }, 60_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('every OpenBSD library scenario without `step` steps', () => {
    const lib = libraryScenarios();
    expect(lib.length).toBeGreaterThanOrEqual(30);
    const diffs = lib
      .map(({ file, scenario }) => ({ file, c: compareScenario(bin, scenario) }))
      .filter(({ c }) => !c.equal)
      .map(({ file, c }) => describeDiff(file, c, true));
    expect(diffs).toEqual([]);
  });

  it('200 fixed-seed random run-only schedules, disciplined and chaotic, half with clustering setups', () => {
    const diffs: string[] = [];
    let digests = 0;
    for (let i = 0; i < 200; i++) {
      const disciplined = i % 2 === 0;
      // Half with more memory, longer files and a run of dirty pages first, so that flushes cluster.
      const big = i % 4 >= 2;
      const s = randomSchedule(7000 + i, disciplined, big ? 120 : 80, big);
      const c = compareScenario(bin, s);
      digests += c.digests;
      if (!c.equal) diffs.push(`${describeDiff(`seed ${7000 + i}`, c, true)}\n  scenario: ${JSON.stringify(s)}`);
    }
    expect(diffs).toEqual([]);
    expect(digests).toBeGreaterThan(5000);
  }, 60_000);
});
