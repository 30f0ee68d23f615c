/**
 * The scenario library as golden files: every scenarios/*.json, run through the engine, must print exactly
 * its checked-in scenarios/<name>.digests.jsonl (each hand-checked against uvm_vnode.c or vnode_pager.c when it was
 * made).
 * Also the headless runner's exit codes and messages, and the seed-coverage guarantee that every seed line
 * the library never reaches has a stated reason.
 */
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { scratchDir } from './fixtures/scratch';
import { OPENBSD } from '../src/engine/openbsd/model';
import { scenarioDigests } from '../src/engine/run-scenario';
import { parseScenario } from '../src/scenario/schema';
import { stringifyDigest } from '../src/protocol/digest-json';
import { main as coverageMain, measureSeedCoverage, unexplainedLines, type SeedCoverage } from '../tools/coverage-seed';

const SCENARIOS = 'scenarios';
const names = readdirSync(SCENARIOS)
  .filter((f) => f.endsWith('.json'))
  .map((f) => f.replace(/\.json$/, ''))
  .sort();

function expectedDigests(name: string): string[] {
  return readFileSync(join(SCENARIOS, `${name}.digests.jsonl`), 'utf8')
    .split('\n')
    .slice(0, -1);
}

describe('scenario library', () => {
  it('has scenarios that run every seed function any thread can enter', () => {
    const coverage = measureSeedCoverage('openbsd');
    // uvn_init runs at boot, before any thread exists (its lines are explained, not reached).
    const enterable = coverage.functions.filter((f) => f.tagged.some((l) => !(l in OPENBSD.unreachableLines)));
    expect(enterable.map((f) => f.fn.name)).toHaveLength(12);
    for (const f of enterable) expect(f.reached.length, `no library scenario enters ${f.fn.name}`).toBeGreaterThan(0);
  });

  it.each(names)('%s prints its checked-in digests', (name) => {
    const parsed = parseScenario(readFileSync(join(SCENARIOS, `${name}.json`), 'utf8'));
    if (!parsed.ok) throw new Error(`${name}.json is invalid: ${JSON.stringify(parsed.error)}`);
    expect(name).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
    expect(parsed.scenario.title).toMatch(/checked by hand against (uvm_vnode|vnode_pager)\.c: \S/i);
    const run = scenarioDigests(parsed.scenario);
    expect(run.refused).toBeNull();
    const actual = run.digests.map((d) => stringifyDigest(d));
    const expected = expectedDigests(name);
    expect(actual.length).toBe(expected.length);
    actual.forEach((line, i) => expect(line, `${name} digest line ${i + 1}`).toBe(expected[i]));
  });
});

describe('seed coverage of the library', () => {
  let coverage: SeedCoverage;
  beforeAll(() => {
    coverage = measureSeedCoverage();
  });

  it('reaches every tagged seed line or says why not, and names every untagged statement line', () => {
    expect(unexplainedLines(coverage)).toEqual([]);
  });

  it('finds the seed functions and the lines the engine cannot reach', () => {
    expect(coverage.functions.map((f) => f.fn.name)).toEqual([
      'uvn_init',
      'uvn_attach',
      'uvn_reference',
      'uvn_detach',
      'uvm_vnp_terminate',
      'uvn_flush',
      'uvn_cluster',
      'uvn_put',
      'uvn_get',
      'uvn_io',
      'uvm_vnp_uncache',
      'uvm_vnp_setsize',
      'uvm_vnp_sync',
    ]);
    expect(coverage.missed.map((m) => m.line)).toEqual([155, 518, 773, 785, 1014]);
    expect(coverage.reached.length).toBe(coverage.tagged.length - 5);
  });
});

describe('seed coverage of the FreeBSD library', () => {
  let coverage: SeedCoverage;
  beforeAll(() => {
    coverage = measureSeedCoverage('freebsd');
  });

  it('finds the functions of vnode_pager.c and has at least 30 scenarios that enter every one', () => {
    expect(coverage.seed).toBe('public/seeds/vnode_pager.c');
    expect(coverage.functions.map((f) => f.fn.name)).toContain('vnode_pager_generic_getpages');
    expect(coverage.functions).toHaveLength(22);
    expect(coverage.scenarios).toBeGreaterThanOrEqual(30);
    for (const f of coverage.functions)
      expect(f.reached.length, `no library scenario enters ${f.fn.name}`).toBeGreaterThan(0);
  });

  it('reaches every tagged seed line or says why not, and names every untagged statement line', () => {
    expect(unexplainedLines(coverage)).toEqual([]);
  });

  it('misses exactly the tagged lines its table proves unreachable', () => {
    // Each has a reason in src/engine/freebsd/unreachable.ts; a new miss is a gap in the library, and a
    // scenario reaching one of these would prove its reason wrong.
    expect(coverage.missed.map((m) => m.line)).toEqual([
      118, 126, 127, 128, 129, 137, 181, 184, 185, 228, 229, 283, 292, 293, 407, 408, 490, 493, 504, 505, 506, 531, 552,
      625, 757, 811, 812, 886, 950, 1257, 1258, 1261, 1262,
    ]);
    expect(coverage.reached.length).toBe(coverage.tagged.length - 33);
  });

  it('gives a reason for every untagged statement line', () => {
    expect(coverage.untagged.filter((u) => u.reason === null)).toEqual([]);
  });
});

describe('npm run coverage:seed (tools/coverage-seed.ts)', () => {
  const run = (argv: string[]) => {
    let stdout = '';
    let stderr = '';
    const code = coverageMain(argv, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
    return { code, stdout, stderr };
  };

  it('reports both seeds and exits 0 when every line is reached or explained', () => {
    const r = run([]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout.split('\n').filter((l) => l.startsWith('seed coverage of '))).toEqual([
      expect.stringMatching(/^seed coverage of public\/seeds\/uvm_vnode\.c by \d+ library scenarios$/),
      expect.stringMatching(/^seed coverage of public\/seeds\/vnode_pager\.c by \d+ library scenarios$/),
    ]);
  });

  it('takes a lone -- (the end of no options) as no argument', () => {
    const r = run(['--']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });

  it('refuses an argument with its usage line and exit 2, printing no report', () => {
    // The first word it cannot take is named, as the other tools name an unknown option.
    const cases: [string[], string][] = [
      [['freebsd'], 'unexpected argument "freebsd"'],
      [['--pager', 'freebsd'], 'unknown option --pager'],
      [['--help'], 'unknown option --help'],
      [['--', '--help'], 'unexpected argument "--help"'],
    ];
    for (const [argv, problem] of cases) {
      const r = run(argv);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toBe(
        `${problem}\nusage: npm run --silent coverage:seed (it takes no arguments: it reports both seeds)\n`,
      );
    }
  });
});

describe('headless runner (tools/scenario.ts)', () => {
  const dir = scratchDir('pager-lab-runner-');
  const tsx = join('node_modules', '.bin', 'tsx');

  let files = 0;
  /** Run the runner on a scenario file, asynchronously so the test worker stays responsive. */
  function runner(scenario: unknown, ...flags: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    const file = join(dir, `scenario-${++files}.json`);
    writeFileSync(file, typeof scenario === 'string' ? scenario : JSON.stringify(scenario));
    return new Promise((resolve) => {
      execFile(tsx, ['tools/scenario.ts', file, ...flags], { encoding: 'utf8' }, (error, stdout, stderr) => {
        resolve({ code: error ? Number(error.code) : 0, stdout, stderr });
      });
    });
  }

  const base = {
    format: 'pager-scenario/1',
    pager: 'openbsd',
    vnodes: [{ name: 'vn1', size: 4096 }],
  };
  const attach = { spawn: 't1', call: 'uvn_attach', args: { vnode: 'vn1', prot: 'rw' } };

  it('prints the same digests as the library file for a library scenario', async () => {
    const r = await runner(readFileSync(join(SCENARIOS, 'two-threads-fault-same-page.json'), 'utf8'));
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout.split('\n').slice(0, -1)).toEqual(expectedDigests('two-threads-fault-same-page'));
  });

  it('reads a relative FILE from the folder npm was called in (INIT_CWD), not the package root', async () => {
    const env = { ...process.env, INIT_CWD: resolve(SCENARIOS) };
    const r = await new Promise<{ code: number; stdout: string }>((done) => {
      execFile(tsx, ['tools/scenario.ts', 'two-threads-fault-same-page.json', '--final'], { env }, (error, stdout) =>
        done({ code: error ? Number(error.code) : 0, stdout: String(stdout) }),
      );
    });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`${expectedDigests('two-threads-fault-same-page').at(-1)}\n`);
  });

  it('--final prints only the last digest', async () => {
    const r = await runner(readFileSync(join(SCENARIOS, 'two-threads-fault-same-page.json'), 'utf8'), '--final');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`${expectedDigests('two-threads-fault-same-page').at(-1)}\n`);
  });

  it('rejects an invalid scenario with exit 2, "step N: field: reason" and nothing on stdout', async () => {
    const r = await runner({ ...base, steps: [attach, { run: 't1', bogus: 1 }] });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('step 1: bogus: unknown key\n');
  });

  it('rejects an offset that is not page-aligned, naming the field', async () => {
    const r = await runner({
      ...base,
      steps: [{ spawn: 't1', call: 'fault', args: { vnode: 'vn1', offset: 100, access: 'read' } }],
    });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('step 0: args.offset: must be page-aligned (a multiple of 4096)\n');
  });

  it('stops at an impossible step: digests before it, then exit 2 and the reason', async () => {
    const r = await runner({ ...base, steps: [attach, { run: 't1' }, { complete: 1, result: 'ok' }, { run: 't1' }] });
    expect(r.code).toBe(2);
    const lines = r.stdout.split('\n').slice(0, -1);
    expect(lines.map((l) => (JSON.parse(l) as { step: number }).step)).toEqual([-1, 0, 1]);
    expect(r.stderr).toBe('step 2: request 1 is not in flight\n');
  });

  it('refuses a run of a finished thread as an impossible step', async () => {
    const r = await runner({ ...base, steps: [attach, { run: 't1' }, { run: 't1' }] });
    expect(r.code).toBe(2);
    expect(r.stdout.split('\n').slice(0, -1)).toHaveLength(3);
    expect(r.stderr).toBe('step 2: thread t1 is done\n');
  });

  it('refuses a pager no model is registered for, naming the field', async () => {
    const r = await runner({ ...base, pager: 'netbsd', steps: [] });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^step -1: pager: must be "openbsd"/);
  });
});
