/**
 * The engine against the real seed C at statement granularity (docs/cdiff.md, "Step granularity"): the seed
 * compiled -O0 -g, a stepped thread stopped at each line-table row of the seed by tools/cdiff/openbsd/stepper.c.
 * Both sides run `cstep T` (step T until the digest changes, or it blocks, ends or panics) and `runto T L`; each
 * digest and the seed line of each change are compared.
 */
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasGcc, seedPath } from '../tools/cdiff';
import { buildCdiffStep, compareOps, libraryOps, openbsdLibrary, randomOps } from '../tools/cdiff-step';

const x86 = process.arch === 'x64' && process.platform === 'linux';
const skipReason = !hasGcc()
  ? 'gcc is not installed'
  : !seedPath()
    ? 'seeds/uvm_vnode.c not found'
    : !x86
      ? 'the stepper is x86-64 Linux only'
      : null;
if (skipReason) console.warn(`cdiff-openbsd-step: skipped: ${skipReason}`);

describe.skipIf(skipReason !== null)('engine vs the seed C (OpenBSD, statement granularity)', () => {
  const dir = join(tmpdir(), `pager-lab-cdiff-step-test-${process.pid}`);
  let bin = '';
  let table = '';
  beforeAll(() => {
    [bin, table] = buildCdiffStep(dir);
  }, 60_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('every OpenBSD library scenario, each run and step made csteps', () => {
    const lib = openbsdLibrary();
    expect(lib.length).toBeGreaterThanOrEqual(40);
    const diffs: string[] = [];
    for (const { file, scenario } of lib) {
      const c = compareOps(bin, table, scenario, libraryOps(scenario, true));
      if (!c.equal) diffs.push(`${file}: op ${c.at}\n  engine: ${c.engine}\n  C:      ${c.c}\n  ${c.cError ?? ''}`);
    }
    expect(diffs).toEqual([]);
  }, 60_000);

  it('120 fixed-seed random interleavings of csteps and runtos, half with clustering setups', () => {
    const diffs: string[] = [];
    let ops = 0;
    for (let i = 0; i < 120; i++) {
      const big = i % 4 >= 2;
      const [setup, list] = randomOps(9000 + i, i % 2 === 0, big ? 120 : 80, big);
      const c = compareOps(bin, table, setup, list);
      ops += c.ops;
      if (!c.equal) diffs.push(`seed ${9000 + i}: op ${c.at}\n  engine: ${c.engine}\n  C:      ${c.c}`);
    }
    expect(diffs).toEqual([]);
    expect(ops).toBeGreaterThan(5000);
  }, 90_000);
});
