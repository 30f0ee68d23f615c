/**
 * Differential test of the FreeBSD model against the real seed C (docs/cdiff-freebsd.md): the seed
 * public/seeds/vnode_pager.c, compiled unmodified with gcc and the fake kernel of tools/cdiff/freebsd/,
 * runs every FreeBSD library scenario and a fixed-seed set of random schedules at `run` granularity; every
 * digest must equal the engine's. Skipped only when gcc is not installed.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseScenario } from '../src/scenario/schema';
import type { Scenario } from '../src/protocol/scenario';
import { buildHarness, compare, randomScenario, supported, type Comparison } from '../tools/cdiff-freebsd';

const HAVE_GCC = spawnSync('gcc', ['--version']).status === 0;
const SCENARIOS = join(__dirname, '..', 'scenarios');

function describeDiff(name: string, r: Comparison): string {
  if (r.equal) return '';
  const d = r.diff!;
  return `${name}: step ${d.step} ${d.path}: engine ${JSON.stringify(d.engine)} C ${JSON.stringify(d.c)} (C: ${r.c.stopped ?? 'ran'})`;
}

describe.skipIf(!HAVE_GCC)('FreeBSD engine vs the seed C (needs gcc)', () => {
  let dir = '';
  let bin = '';
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'cdiff-freebsd-'));
    bin = buildHarness(join(dir, 'cdiff-freebsd'));
  });
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('every FreeBSD library scenario gives the same digests', () => {
    const library: [string, Scenario][] = [];
    for (const f of readdirSync(SCENARIOS).filter((n) => n.endsWith('.json')).sort()) {
      const parsed = parseScenario(readFileSync(join(SCENARIOS, f), 'utf8'));
      if (parsed.ok && parsed.scenario.pager === 'freebsd') library.push([f, parsed.scenario]);
    }
    expect(library.length).toBeGreaterThan(40);
    const diffs: string[] = [];
    for (const [f, s] of library) {
      expect(supported(s), f).toBe(true);
      const r = compare(bin, s);
      if (!r.equal) diffs.push(describeDiff(f, r));
      // Both sides apply the same steps: a C harness that stopped early would show up as a diff.
      expect(r.c.digests.length, f).toBe(r.engine.digests.length);
    }
    expect(diffs).toEqual([]);
  });

  it('fixed-seed random schedules (disciplined and chaotic callers) give the same digests', () => {
    const diffs: string[] = [];
    let digests = 0;
    for (let seed = 1; seed <= 240; seed++) {
      const s = randomScenario(seed, 60, seed % 3 !== 0);
      const r = compare(bin, s);
      digests += r.engine.digests.length;
      if (!r.equal) diffs.push(describeDiff(`random seed ${seed}`, r));
    }
    expect(diffs).toEqual([]);
    expect(digests).toBeGreaterThan(240 * 30);
  });
});
