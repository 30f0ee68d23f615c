/**
 * A bug in the engine is not the scenario's fault: the runner says so in one line and exits 1, with no
 * stack trace, whether it breaks while booting or in the middle of a step. A toy pager that throws stands
 * in for the bug (in its own test file, so the corpus's pager lists do not name it).
 */
import { describe, expect, it } from 'vitest';
import type { PagerModel } from '../src/engine/model';
import { registerPager } from '../src/engine/registry';
import { OPENBSD } from '../src/engine/openbsd/model';
import { main, type RunnerIo } from '../tools/scenario';

function run(doc: unknown, ...flags: string[]): { code: number; stdout: string; stderr: string } {
  const bytes = new TextEncoder().encode(JSON.stringify(doc));
  let stdout = '';
  let stderr = '';
  const io: RunnerIo = {
    size: () => bytes.length,
    read: () => bytes,
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
  };
  return { code: main(['toy.json', ...flags], io), stdout, stderr };
}

const toy = (failAt: 'boot' | 'spawn'): PagerModel =>
  ({
    ...OPENBSD,
    pager: `broken-${failAt}`,
    boot: (setup) => {
      if (failAt === 'boot') throw new TypeError('Cannot read properties of undefined (reading "uvn")\n    at boot');
      return OPENBSD.boot(setup);
    },
    spawn: () => {
      throw new RangeError('Maximum call stack size exceeded');
    },
  }) as PagerModel;

registerPager(toy('boot'));
registerPager(toy('spawn'));

const scenario = (pager: string) => ({
  format: 'pager-scenario/1',
  pager,
  vnodes: [{ name: 'vn1', size: 4096 }],
  steps: [{ spawn: 't1', call: 'uvm_vnp_sync', args: {} }],
});

describe('an engine bug', () => {
  it('while booting: exit 1, one line, no stack', () => {
    const r = run(scenario('broken-boot'));
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      'internal error at step -1 (a bug in the engine, not in the scenario): Cannot read properties of undefined (reading "uvn") at boot\n',
    );
  });

  it('in a step: the digests before it, then exit 1 and one line naming the step', () => {
    const r = run(scenario('broken-spawn'));
    expect(r.code).toBe(1);
    expect(r.stdout.split('\n').slice(0, -1)).toHaveLength(1);
    expect(r.stderr).toBe(
      'internal error at step 0 (a bug in the engine, not in the scenario): Maximum call stack size exceeded\n',
    );
    const final = run(scenario('broken-spawn'), '--final');
    expect(final.code).toBe(1);
    expect(final.stderr).toBe(
      'internal error (a bug in the engine, not in the scenario): Maximum call stack size exceeded\n',
    );
  });
});
