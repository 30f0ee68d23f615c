/**
 * The hostile-input corpus (test/hostile/) through the real runner entry, `main` of tools/scenario.ts:
 * in-process for every case (the same function the command runs, given the file's bytes), and as a
 * separate `tsx tools/scenario.ts FILE` process for a sample. Each case must give its exit code and its
 * exact line on standard error (one line, no stack trace), print its digests and nothing else, and take
 * under 2 s of CPU.
 */
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { scratchDir } from './fixtures/scratch';
import { main, USAGE, type RunnerIo } from '../tools/scenario';
import { HOSTILE_CASES, inputBytes, type HostileCase } from './hostile/corpus';
import { ensureFreebsdReader } from './hostile/freebsd-standin';

ensureFreebsdReader();

interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
  /** Wall-clock milliseconds. */
  ms: number;
  /**
   * CPU milliseconds of this process (the runner's own work, GC included): what the 2 s bound is checked
   * on, since a machine shared with other jobs can stretch wall-clock time several times over.
   */
  cpuMs: number;
}

/** Run `main` on one file whose contents are `bytes`, collecting what it prints. */
function runInProcess(bytes: Uint8Array, argv: string[] = ['case.json']): RunResult {
  let stdout = '';
  let stderr = '';
  const io: RunnerIo = {
    size: () => bytes.length,
    read: () => bytes,
    stdout: (text) => (stdout += text),
    stderr: (text) => (stderr += text),
  };
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const code = main(argv, io);
  const cpu = process.cpuUsage(c0);
  return { code, stdout, stderr, ms: performance.now() - t0, cpuMs: (cpu.user + cpu.system) / 1000 };
}

/** What every run must show, whatever the case: one line or none on stderr, no stack, digests in order. */
function expectWellBehaved(c: HostileCase, r: Omit<RunResult, 'ms' | 'cpuMs'>): void {
  expect(r.code, 'exit code').toBe(c.code);
  expect(r.stderr, 'standard error').toBe(c.stderr === '' ? '' : `${c.stderr}\n`);
  expect(r.stderr).not.toMatch(/\n\s+at |Error:|TypeError|RangeError/);
  const lines = r.stdout === '' ? [] : r.stdout.slice(0, -1).split('\n');
  if (r.stdout !== '') expect(r.stdout.endsWith('\n')).toBe(true);
  expect(lines.length, 'digest lines').toBe(c.digests);
  // Cheap check of each digest: it is one JSON object, and they come in step order.
  lines.forEach((line, i) => expect(line.startsWith(`{"step":${i - 1},"panic":`), `digest ${i}`).toBe(true));
  if (lines.length > 0) expect(() => JSON.parse(lines.at(-1)!)).not.toThrow();
}

describe('the hostile corpus', () => {
  it('has at least 200 cases, each named once, most of them refused', () => {
    const names = HOSTILE_CASES.map((c) => c.name);
    expect(names.length).toBeGreaterThanOrEqual(200);
    expect(new Set(names).size).toBe(names.length);
    for (const name of names) expect(name).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
    expect(HOSTILE_CASES.filter((c) => c.code === 2).length).toBeGreaterThanOrEqual(200);
    // Every refusal names a step; a setup error the setup (-1).
    for (const c of HOSTILE_CASES) if (c.code === 2) expect(c.stderr, c.name).toMatch(/^step -?\d+: \S/);
  });

  it.each(HOSTILE_CASES.map((c) => [c.name, c] as const))('%s', (_, c) => {
    const r = runInProcess(inputBytes(c));
    expectWellBehaved(c, r);
    expect(r.cpuMs, `CPU milliseconds (wall clock ${Math.round(r.ms)} ms)`).toBeLessThan(2000);
  });
});

describe('library scenarios broken at random', () => {
  const library = readdirSync('scenarios')
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => readFileSync(join('scenarios', f), 'utf8'));
  /** Pieces a careless or hostile edit puts in: JSON punctuation, extreme numbers, odd characters and keys. */
  const PIECES = [
    '{',
    '}',
    '[',
    ']',
    ',',
    ':',
    '"',
    '\\',
    ' ',
    '\n',
    '0',
    '-1',
    '1.5',
    '1e400',
    '9007199254740992',
    'null',
    'true',
    '"__proto__":',
    '"x":1,',
    '\u0000',
    '\ud800',
    '\ufeff',
    'é',
    '\u2028',
    '{"run":"t1"}',
    '[[[[[[[[',
  ];
  const edit = fc.record({
    scenario: fc.nat(library.length - 1),
    at: fc.double({ min: 0, max: 1, noNaN: true }),
    cut: fc.nat(12),
    piece: fc.constantFrom(...PIECES),
  });

  it('exit 0 or 2, one "step N: …" line or none, never a stack trace, under 2 s', () => {
    fc.assert(
      fc.property(fc.array(edit, { minLength: 1, maxLength: 3 }), (edits) => {
        let text = library[edits[0]!.scenario]!;
        for (const e of edits) {
          const at = Math.floor(e.at * text.length);
          text = text.slice(0, at) + e.piece + text.slice(at + e.cut);
        }
        const r = runInProcess(new TextEncoder().encode(text));
        expect([0, 2]).toContain(r.code);
        expect(r.stderr).toMatch(r.code === 0 ? /^$/ : /^step -?\d+: [^\n]+\n$/);
        expect(r.cpuMs).toBeLessThan(2000);
      }),
      { numRuns: 400, seed: 20251201 },
    );
  });
});

describe('the runner as a command (a sample of the corpus)', () => {
  const dir = scratchDir('pager-lab-hostile-');
  const tsx = join('node_modules', '.bin', 'tsx');

  function runCommand(args: string[]): Promise<Omit<RunResult, 'ms' | 'cpuMs'>> {
    return new Promise((resolve) => {
      execFile(
        tsx,
        ['tools/scenario.ts', ...args],
        { encoding: 'utf8', maxBuffer: 1 << 26 },
        (error, stdout, stderr) => {
          resolve({ code: error ? Number(error.code) : 0, stdout, stderr });
        },
      );
    });
  }

  const SAMPLE = [
    'bom-then-valid-scenario',
    'utf8-bad-byte-ff',
    'deep-arrays-10000',
    'raw-newline-in-title',
    'proto-wrapping-a-valid-scenario',
    'top-level-null',
    'flush-start-false',
    'result-short-overflow',
    'run-a-done-thread',
    'file-over-16-mib',
    'valid-flush-and-sync-of-2-pow-53-bytes',
  ];

  it.each(SAMPLE)('%s gives the same exit code and line as in-process', async (name) => {
    const c = HOSTILE_CASES.find((x) => x.name === name)!;
    const file = join(dir, `${name}.json`);
    writeFileSync(file, inputBytes(c));
    expectWellBehaved(c, await runCommand([file]));
  });

  it('refuses a missing file, a directory, no file, two files and an unknown option with one line', async () => {
    const missing = await runCommand([join(dir, 'no-such-file.json')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(
      /^step -1: cannot read .*no-such-file\.json: ENOENT: no such file or directory[^\n]*\n$/,
    );
    const directory = await runCommand([dir]);
    expect(directory.code).toBe(2);
    expect(directory.stderr).toMatch(/^step -1: cannot read .*: EISDIR[^\n]*\n$/);
    // The problem first, then the usage, as the explorer says it.
    const cases: [string[], string][] = [
      [[], 'one scenario file, please'],
      [['a.json', 'b.json'], 'one scenario file, please'],
      [['a.json', '--all'], 'unknown option --all'],
      [['--finall', 'a.json'], 'unknown option --finall'],
      [['a.json', '-f'], 'unknown option -f'],
    ];
    for (const [argv, problem] of cases) {
      const r = runInProcess(new Uint8Array(), argv);
      expect(r.code, argv.join(' ')).toBe(2);
      expect(r.stderr, argv.join(' ')).toBe(`${problem}\n${USAGE}\n`);
      expect(r.stdout).toBe('');
    }
  });

  it('takes options before or after the file, and a file named like an option after --', () => {
    const c = HOSTILE_CASES.find((x) => x.name === 'complete-twice')!;
    const after = runInProcess(inputBytes(c), ['case.json', '--final']);
    expect(runInProcess(inputBytes(c), ['--final', 'case.json'])).toMatchObject({
      code: after.code,
      stdout: after.stdout,
    });
    const named = runInProcess(inputBytes(c), ['--final', '--', '--final']);
    expect(named).toMatchObject({ code: after.code, stdout: after.stdout, stderr: after.stderr });
  });

  it('reads a file of unknown size (a pipe) only to one byte past the 16 MiB limit, and refuses it', () => {
    let asked = -1;
    let stderr = '';
    const io: RunnerIo = {
      size: () => 0,
      read: (_path, max) => {
        asked = max;
        return new Uint8Array(max);
      },
      stdout: () => {},
      stderr: (text) => (stderr += text),
    };
    expect(main(['/dev/stdin'], io)).toBe(2);
    expect(asked).toBe(16 * 1024 * 1024 + 1);
    expect(stderr).toBe('step -1: the scenario file is more than 16,777,216 bytes, the limit\n');
  });

  it('--final prints only the last digest, also before an impossible step', () => {
    const c = HOSTILE_CASES.find((x) => x.name === 'complete-twice')!;
    const all = runInProcess(inputBytes(c));
    const last = runInProcess(inputBytes(c), ['case.json', '--final']);
    expect(last.code).toBe(2);
    expect(last.stderr).toBe(all.stderr);
    expect(last.stdout).toBe(`${all.stdout.slice(0, -1).split('\n').at(-1)}\n`);
  });
});
