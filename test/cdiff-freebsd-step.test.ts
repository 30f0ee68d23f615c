/**
 * The FreeBSD engine against the real seed C at statement granularity (docs/cdiff-freebsd.md, "Step
 * granularity"): vnode_pager.c compiled -O0 -g with the fake kernel of tools/cdiff/freebsd/, a stepped thread
 * stopped at each line-table row of the seed and at each caller statement by tools/cdiff/common/stepper.c.
 * Both sides run `cstep T` (step T until the digest changes, or it blocks, ends or panics) and `runto T L`;
 * each digest and the seed line of each change are compared.
 */
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findSeed, hasGcc } from '../tools/cdiff-common';
import { libraryOps, STEPPER_HOST } from '../tools/cdiff-step-common';
import {
  buildFreebsdStep,
  compareFreebsdOps,
  freebsdLibrary,
  randomFreebsdOps,
  type RandomKind,
} from '../tools/cdiff-step-freebsd';

const skipReason = !STEPPER_HOST
  ? 'the stepper is x86-64 Linux only'
  : !hasGcc()
    ? 'gcc is not installed'
    : !findSeed('vnode_pager.c')
      ? 'seeds/vnode_pager.c not found'
      : null;
if (skipReason) console.warn(`cdiff-freebsd-step: skipped: ${skipReason}`);

describe.skipIf(skipReason !== null)('engine vs the seed C (FreeBSD, statement granularity)', () => {
  const dir = join(tmpdir(), `pager-lab-cdiff-step-freebsd-test-${process.pid}`);
  let bin = '';
  let table = '';
  beforeAll(() => {
    [bin, table] = buildFreebsdStep(dir);
  }, 60_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('every FreeBSD library scenario, each run and step made csteps', () => {
    const lib = freebsdLibrary();
    expect(lib.length).toBeGreaterThanOrEqual(40);
    const diffs: string[] = [];
    let ops = 0;
    for (const { file, scenario } of lib) {
      const c = compareFreebsdOps(bin, table, scenario, libraryOps(scenario, true));
      ops += c.ops;
      if (!c.equal) diffs.push(`${file}: op ${c.at}\n  engine: ${c.engine}\n  C:      ${c.c}\n  ${c.cError ?? ''}`);
    }
    expect(diffs).toEqual([]);
    expect(ops).toBeGreaterThan(1500);
  }, 60_000);

  it('100 fixed-seed random interleavings of csteps, runtos and runs (disciplined, chaotic, big, race)', () => {
    const kinds: RandomKind[] = ['disciplined', 'chaotic', 'big', 'race'];
    const diffs: string[] = [];
    let ops = 0;
    for (let i = 0; i < 100; i++) {
      const kind = kinds[i % 4]!;
      const [setup, list] = randomFreebsdOps(7000 + i, kind, kind === 'big' ? 100 : 60);
      const c = compareFreebsdOps(bin, table, setup, list);
      ops += c.ops;
      if (!c.equal) diffs.push(`seed ${7000 + i} ${kind}: op ${c.at}\n  engine: ${c.engine}\n  C:      ${c.c}`);
    }
    expect(diffs).toEqual([]);
    expect(ops).toBeGreaterThan(8000);
  }, 90_000);
});
