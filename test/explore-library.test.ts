/**
 * The explorer against the library: for every scenario whose last digest shows a panic or a hang, the
 * search given only its setup and spawns (and, when the scenario steps a thread part-way, as many
 * preemptions as it has `step`s) reports that panic, or a hang with the same waits, and the
 * finding's scenario, run through the headless runner (`npm run --silent scenario -- FILE --final`), ends
 * showing it.
 */
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scratchDir } from './fixtures/scratch';
import { explore } from '../src/engine/explore/search';
import type { Scenario } from '../src/protocol/scenario';
import { libraryFindings } from '../tools/bench-explore';

const cases = libraryFindings();
const dir = scratchDir('pager-lab-explore-library-');

/** The runner's last digest for a scenario. */
function finalDigest(scenario: Scenario, name: string): Promise<Record<string, unknown>> {
  const file = join(dir, `${name}.json`);
  writeFileSync(file, JSON.stringify(scenario));
  return new Promise((resolve, reject) =>
    execFile(
      join('node_modules', '.bin', 'tsx'),
      ['tools/scenario.ts', file, '--final'],
      { encoding: 'utf8' },
      (error, stdout, stderr) => {
        if (error) reject(new Error(`runner exit ${String(error.code)}: ${stderr}`));
        else resolve(JSON.parse(stdout) as Record<string, unknown>);
      },
    ),
  );
}

describe('explore finds what the library shows, from the spawns alone', () => {
  it('has panic and hang scenarios to look at', () => {
    expect(cases.filter((c) => c.kind === 'panic').length).toBeGreaterThanOrEqual(9);
    expect(cases.filter((c) => c.kind === 'hang').length).toBeGreaterThanOrEqual(1);
  });

  it.each(cases.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const spawnsOnly: Scenario = { ...c.scenario, steps: c.scenario.steps.filter((s) => 'spawn' in s) };
    let found = false;
    const r = explore(spawnsOnly, {
      preempt: c.scenario.steps.filter((s) => 'step' in s).length,
      maxSchedules: 100_000,
      onFinding: (f) => (found ||= f.kind === c.kind && f.message === c.message),
      shouldStop: () => found,
    });
    const finding = r.findings.find((f) => f.kind === c.kind && f.message === c.message);
    expect(finding, `${c.kind} ${c.message} among ${r.findings.map((f) => f.message).join(' | ')}`).toBeDefined();
    const last = await finalDigest(finding!.scenario, c.name);
    expect(last.step).toBe(finding!.steps - 1);
    if (c.kind === 'panic') expect(last.panic).toBe(c.message);
    else {
      const threads = last.threads as { id: string; status: string; wait: string | null }[];
      expect(last.panic).toBeNull();
      expect(last.io).toEqual([]);
      expect(threads.every((t) => t.status !== 'ready')).toBe(true);
      const waits = threads.filter((t) => t.status !== 'done').map((t) => `${t.id} ${t.status} ${t.wait}`);
      expect(waits.join(', ')).toBe(c.message);
    }
  });
});
