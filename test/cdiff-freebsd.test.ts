/**
 * Differential test of the FreeBSD model against the real seed C (docs/cdiff-freebsd.md): the seed
 * public/seeds/vnode_pager.c, compiled unmodified with gcc and the fake kernel of tools/cdiff/freebsd/,
 * runs every FreeBSD library scenario and a fixed-seed set of random schedules at `run` granularity; every
 * digest must equal the engine's. Skipped only when gcc is not installed.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseScenario } from '../src/scenario/schema';
import type { Scenario } from '../src/protocol/scenario';
import { describeDiff, engineLines, hasGcc } from '../tools/cdiff-common';
import { buildFreebsdHarness, compare, randomScenario, supported } from '../tools/cdiff-freebsd';

const HAVE_GCC = hasGcc();
if (!HAVE_GCC) console.warn('test/cdiff-freebsd.test.ts: skipped, gcc is not installed (the seed C cannot be built)');
const SCENARIOS = join(__dirname, '..', 'scenarios');

describe.skipIf(!HAVE_GCC)('FreeBSD engine vs the seed C (needs gcc)', () => {
  let dir = '';
  let bin = '';
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'cdiff-freebsd-'));
    bin = buildFreebsdHarness(join(dir, 'cdiff-freebsd'));
  });
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('every FreeBSD library scenario gives the same digests', () => {
    const library: [string, Scenario][] = [];
    for (const f of readdirSync(SCENARIOS)
      .filter((n) => n.endsWith('.json'))
      .sort()) {
      const parsed = parseScenario(readFileSync(join(SCENARIOS, f), 'utf8'));
      if (parsed.ok && parsed.scenario.pager === 'freebsd') library.push([f, parsed.scenario]);
    }
    expect(library.length).toBeGreaterThan(40);
    const diffs: string[] = [];
    for (const [f, s] of library) {
      expect(supported(s), f).toBe(true);
      const r = compare(bin, s);
      if (!r.equal) diffs.push(describeDiff(f, r, true));
      // Every step applies: the comparison covers the whole scenario, not a prefix the engine accepted.
      expect(r.cutAt, f).toBe(null);
    }
    expect(diffs).toEqual([]);
  });

  it('a hand-made schedule through vnode_pager_dealloc\'s "vnpdea" wait gives the same digests', () => {
    // vgone sleeps "vmopar" on a page a sendfile read holds busy; a fault then takes a reference and
    // paging_in_progress and sleeps "vmpfw" on the same page; after the read completes vgone frees the page
    // and, the object still referenced, vnode_pager_dealloc waits "vnpdea" for the fault's pip.
    const parsed = parseScenario(
      JSON.stringify({
        format: 'pager-scenario/1',
        pager: 'freebsd',
        vnodes: [{ name: 'vn1', size: 16384 }],
        steps: [
          { spawn: 't1', call: 'vnode_create_vobject', args: { vnode: 'vn1' } },
          { run: 't1' },
          { spawn: 't2', call: 'mmap', args: { vnode: 'vn1', prot: 'r', shared: true, length: 16384 } },
          { run: 't2' },
          { spawn: 't3', call: 'sendfile', args: { vnode: 'vn1', offset: 0, length: 4096 } },
          { run: 't3' },
          { spawn: 't4', call: 'vgone', args: { vnode: 'vn1' } },
          { run: 't4' },
          { spawn: 't5', call: 'fault', args: { mapping: 't2', offset: 0, access: 'read' } },
          { run: 't5' },
          { complete: 1, result: 'ok' },
          { run: 't4' },
          { run: 't5' },
          { run: 't4' },
          { run: 't5' },
          { spawn: 't6', call: 'munmap', args: { mapping: 't2' } },
          { run: 't6' },
        ],
      }),
    );
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.error));
    expect(engineLines(parsed.scenario).lines.some((d) => d.includes('"wait":"vnpdea"'))).toBe(true);
    const r = compare(bin, parsed.scenario);
    expect(describeDiff('vnpdea', r, true)).toBe('vnpdea: equal (18 digests)');
  });

  it('fixed-seed random schedules (disciplined and chaotic callers) give the same digests', () => {
    const diffs: string[] = [];
    let digests = 0;
    for (let seed = 1; seed <= 400; seed++) {
      // Disciplined and chaotic callers; every fourth setup has big files (read-around trimmed to MAXPHYS).
      const s = randomScenario(seed, 60, seed % 3 !== 0, seed % 4 === 0);
      const r = compare(bin, s);
      digests += r.digests;
      if (!r.equal) diffs.push(describeDiff(`random seed ${seed}`, r, true));
    }
    expect(diffs).toEqual([]);
    expect(digests).toBeGreaterThan(400 * 30);
  });
});
