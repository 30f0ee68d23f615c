/**
 * The engine against the real seed C at statement granularity (docs/cdiff.md, "Step granularity"): the seed
 * compiled -O0 -g, a stepped thread stopped at each line-table row of the seed by tools/cdiff/common/stepper.c.
 * Both sides run `cstep T` (step T until the digest changes, or it blocks, ends or panics) and `runto T L`; each
 * digest and the seed line of each change are compared.
 */
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasGcc, seedPath } from '../tools/cdiff';
import type { Setup } from '../src/protocol/scenario';
import { buildCdiffStep, compareOps, libraryOps, openbsdLibrary, randomOps, type Op } from '../tools/cdiff-step';

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
  it('the uvn_wlist double insert: the sync laps the cycle, uo_refs 4, 5, 6... at line 1491 (docs/cdiff/wlist-double-insert.json)', () => {
    const setup: Setup = {
      pager: 'openbsd',
      machine: { physPages: 8 },
      vnodes: [{ name: 'vn1', size: 4096, type: 'VREG', mount: 'm1', usecount: 1, vtext: false }],
    };
    const ops: Op[] = [
      { spawn: 't0', call: 'uvn_attach', args: { vnode: 'vn1', prot: 'r' } },
      { run: 't0' },
      { spawn: 't1', call: 'uvn_attach', args: { vnode: 'vn1', prot: 'rw' } },
      { spawn: 't2', call: 'uvn_attach', args: { vnode: 'vn1', prot: 'rw' } },
      // Both past the test at line 175, neither at 179 yet: both insert.
      { runto: 't1', line: 177 },
      { runto: 't2', line: 177 },
      { run: 't1' },
      { run: 't2' },
      { spawn: 't3', call: 'uvm_vnp_sync', args: { mount: 'm1' } },
      ...Array.from({ length: 10 }, (): Op => ({ cstep: 't3' })),
    ];
    const c = compareOps(bin, table, setup, ops);
    expect(c.ops).toBe(ops.length);
    expect(c.cError).toBeNull();
    expect(c.equal ? '' : `op ${c.at}\n  engine: ${c.engine}\n  C:      ${c.c}`).toBe('');
  }, 60_000);
});
