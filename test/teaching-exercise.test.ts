/**
 * Seeded exercises: the same seed gives the same document, different seeds
 * give different ones, and every answer is what the scenario runner prints at
 * the question's step and path (checked in-process for many seeds, and once
 * end to end through both command lines).
 */
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scratchDir } from './fixtures/scratch';
import { scenarioDigests } from '../src/engine/run-scenario';
import { parseScenario } from '../src/scenario/schema';
import { lookup } from '../src/teaching/digest-path';
import {
  DEFAULT_KINDS,
  EXERCISE_KINDS,
  makeExercise,
  reachState,
  withoutAnswers,
  type Exercise,
} from '../src/teaching/exercise';
import { Prng } from '../src/teaching/prng';
import { exerciseStepText } from '../src/protocol/exercise-text';
import { main as exerciseMain, USAGE as EXERCISE_USAGE } from '../tools/exercise';

function checkAgainstRunner(e: Exercise): void {
  const parsed = parseScenario(JSON.stringify(e.scenario));
  if (!parsed.ok) throw new Error(`seed ${e.seed}: invalid scenario ${JSON.stringify(parsed.error)}`);
  const run = scenarioDigests(parsed.scenario);
  expect(run.refused, `seed ${e.seed}`).toBeNull();
  expect(run.digests.at(-1)!.panic, `seed ${e.seed}`).toBeNull();
  for (const q of e.questions) {
    const digest = run.digests[q.step + 1]!;
    expect(digest.step).toBe(q.step);
    expect(lookup(digest, q.path), `seed ${e.seed} ${e.kind} ${q.path}`).toEqual({ found: true, value: q.answer });
  }
}

describe('the PRNG', () => {
  it('is mulberry32', () => {
    // mulberry32(1)'s first draw is the widely quoted 0.6270739405881613.
    const p = new Prng(1);
    expect(p.next() / 2 ** 32).toBe(0.6270739405881613);
    expect([p.next(), p.next()]).toEqual([11749833, 2265367787]);
  });

  it('stays in range and shuffles without losing items', () => {
    const p = new Prng(42);
    for (let i = 0; i < 1000; i++) {
      const r = p.range(3, 5);
      expect(r >= 3 && r <= 5).toBe(true);
    }
    expect(p.shuffle([1, 2, 3, 4, 5]).sort()).toEqual([1, 2, 3, 4, 5]);
  });
});

describe('exercises', () => {
  it.each(EXERCISE_KINDS)(
    '%s: 5-10 questions, each answer the digest value at its step and path (100 seeds)',
    (kind) => {
      for (let seed = 0; seed < 100; seed++) {
        const e = makeExercise(seed, kind);
        expect(e.kind).toBe(kind);
        expect(e.questions.length).toBeGreaterThanOrEqual(5);
        expect(e.questions.length).toBeLessThanOrEqual(10);
        checkAgainstRunner(e);
      }
    },
  );

  it('are the same for the same seed and differ across seeds', () => {
    const a = JSON.stringify(makeExercise(2024));
    expect(JSON.stringify(makeExercise(2024))).toBe(a);
    const docs = new Set<string>();
    for (let seed = 0; seed < 60; seed++) docs.add(JSON.stringify(makeExercise(seed)));
    expect(docs.size).toBe(60);
  });

  it('let the seed pick the kind among the OpenBSD ones, and each of them comes up', () => {
    // freebsd is asked for by name: a seed handed out without a kind keeps the exercise it always gave.
    const kinds = new Set(Array.from({ length: 30 }, (_, seed) => makeExercise(seed).kind));
    expect([...kinds].sort()).toEqual([...DEFAULT_KINDS].sort());
    const e = makeExercise(7);
    expect(makeExercise(7, e.kind)).toEqual(e);
  });

  it('never ask what a void call returns: the lab shows "(void)", the contract null, and neither is worked out', () => {
    for (const kind of EXERCISE_KINDS)
      for (let seed = 0; seed < 60; seed++) {
        const voids = makeExercise(seed, kind).questions.filter((q) => /\.ret$/.test(q.path) && q.answer === null);
        expect(
          voids.map((q) => q.ask),
          `${kind}:${seed}`,
        ).toEqual([]);
      }
  });

  it('state questions ask about pages and counters; block about threads; reach about three copies', () => {
    const paths = (kind: (typeof EXERCISE_KINDS)[number]) =>
      Array.from({ length: 20 }, (_, seed) => makeExercise(seed, kind).questions.map((q) => q.path)).flat();
    expect(paths('state').some((p) => /^vnodes\[0\]\.uvn\.pages\[\d+\]\.flags$/.test(p))).toBe(true);
    expect(paths('block').every((p) => /^threads\[\d+\]\.(status|wait|ret)$/.test(p))).toBe(true);
    expect(paths('block').some((p) => p.endsWith('.wait'))).toBe(true);
    const reach = makeExercise(99, 'reach');
    expect(reach.scenario.vnodes.map((v) => v.name)).toEqual(['vn1', 'vn2', 'vn3']);
    expect(reach.scenario.title).toMatch(
      /^Three schedules of the same calls on three copies of one file \(A on vn1, steps 0-\d+; B on vn2, /,
    );
    // freebsd: a FreeBSD scenario with its mount and block map; questions on the object's pages, the pbufs,
    // the vnode and the threads, never on the open and the mapping every exercise starts with.
    const freebsd = makeExercise(5, 'freebsd');
    expect(freebsd.scenario).toMatchObject({ pager: 'freebsd', mounts: [{ name: 'm1' }] });
    expect(freebsd.scenario.steps.slice(0, 4)).toEqual([
      { spawn: 't1', call: 'vnode_create_vobject', args: { vnode: 'vn1' } },
      { run: 't1' },
      expect.objectContaining({ spawn: 't2', call: 'mmap' }),
      { run: 't2' },
    ]);
    const fpaths = Array.from({ length: 60 }, (_, seed) =>
      makeExercise(seed, 'freebsd').questions.map((q) => q.path),
    ).flat();
    for (const re of [
      /^objects\[0\]\.pages\[\d+\]\.valid$/,
      /^objects\[0\]\.pages\[\d+\]\.dirty$/,
      /^objects\[0\]\.pages\[\d+\]\.xbusy$/,
      /^objects\[0\]\.paging_in_progress$/,
      /^(pbufs|asyncPbufs)$/,
      /^threads\[\d+\]\.wait$/,
      /^threads\[\d+\]\.ret\.after$/,
    ])
      expect(
        fpaths.some((p) => re.test(p)),
        String(re),
      ).toBe(true);
    expect(fpaths.some((p) => /^threads\[[01]\]\.ret$/.test(p))).toBe(false);
    expect(fpaths.some((p) => /\.uvn\./.test(p))).toBe(false);
    expect(reach.questions.map((q) => q.ask.slice(0, 11))).toEqual([
      'Schedule A:',
      'Schedule A:',
      'Schedule B:',
      'Schedule B:',
      'Schedule C:',
      'Schedule C:',
    ]);
  });

  it('reach: exactly one schedule ends in the state the title names, said so that only reasoning tells which', () => {
    for (let seed = 0; seed < 120; seed++) {
      const e = makeExercise(seed, 'reach');
      const asked = / leaves its thread \d+ \(.*\) (.*)\?$/.exec(e.scenario.title ?? '');
      expect(asked, e.scenario.title).not.toBeNull();
      // Request numbers run on from copy to copy, and each copy has its own file: neither may name the target.
      expect(asked![1]).not.toMatch(/io:\d|vn\d/);
      // The first question of each schedule asks for the title's field of the title's thread.
      const firsts = ['A', 'B', 'C'].map((c) => e.questions.find((q) => q.ask.startsWith(`Schedule ${c}:`))!);
      const reached = firsts.map((q) => reachState(q.path.endsWith('.wait') ? 'wait' : 'status', q.answer));
      expect(
        reached.filter((r) => r === asked![1]),
        `seed ${seed}`,
      ).toHaveLength(1);
    }
  });

  it('block: a wait question never tells the status the same exercise asks for', () => {
    let waits = 0;
    for (let seed = 0; seed < 100; seed++)
      for (const q of makeExercise(seed, 'block').questions.filter((x) => x.path.endsWith('.wait'))) {
        waits++;
        expect(q.ask, `seed ${seed}`).toMatch(/wait for: a lock \(.*\), a wait message, or a request \(io:N\)\?$/);
      }
    expect(waits).toBeGreaterThan(50);
  });

  it('freebsd: a haspage whose after is 0 is asked whether it has the page, with either answer', () => {
    const asked = { hasTrue: 0, hasFalse: 0, after: 0 };
    for (let seed = 0; seed < 200; seed++) {
      const e = makeExercise(seed, 'freebsd');
      const haspage = e.questions.filter((q) => /^threads\[\d+\]\.ret\.(has|after)$/.test(q.path));
      if (haspage.length === 0) continue;
      const parsed = parseScenario(JSON.stringify(e.scenario));
      if (!parsed.ok) throw new Error(`seed ${seed}: invalid scenario`);
      const { digests } = scenarioDigests(parsed.scenario);
      for (const q of haspage) {
        const ret = lookup(digests[q.step + 1]!, q.path.replace(/\.(has|after)$/, ''));
        const { has, after } = (ret as { value: { has: boolean; after: number } }).value;
        if (after > 0) {
          asked.after++;
          expect(q.path, `seed ${seed}`).toMatch(/\.after$/);
        } else {
          if (has) asked.hasTrue++;
          else asked.hasFalse++;
          expect(q.path, `seed ${seed}`).toMatch(/\.has$/);
          expect(q.ask, `seed ${seed}`).toMatch(
            /: does it report that the file has the page \(has: true or false\)\?$/,
          );
        }
      }
    }
    // Asked only when false, the question would give its answer away.
    expect(asked.hasTrue).toBeGreaterThan(0);
    expect(asked.hasFalse).toBeGreaterThan(0);
    expect(asked.after).toBeGreaterThan(0);
  });

  it('withoutAnswers keeps everything but the answers', () => {
    const e = makeExercise(3);
    const bare = withoutAnswers(e);
    expect(bare.questions.every((q) => !('answer' in q))).toBe(true);
    expect(bare.questions.map((q) => [q.ask, q.step, q.path])).toEqual(e.questions.map((q) => [q.ask, q.step, q.path]));
    expect(Object.keys(e)).toEqual(['seed', 'kind', 'scenario', 'questions']);
    expect(Object.keys(e.questions[0]!)).toEqual(['ask', 'step', 'path', 'answer']);
  });

  it('refuse a seed out of range', () => {
    expect(() => makeExercise(-1)).toThrow(RangeError);
    expect(() => makeExercise(2 ** 32)).toThrow(RangeError);
    expect(() => makeExercise(1.5)).toThrow(RangeError);
  });
});

function run(tool: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(join('node_modules', '.bin', 'tsx'), [tool, ...args], { encoding: 'utf8' }, (error, stdout, stderr) => {
      resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

describe('an exercise step in words (the tool and the lab alike)', () => {
  it('writes byte arguments in hex as the Threads panel does, counts in decimal, no flags as none', () => {
    expect(
      exerciseStepText({ spawn: 't1', call: 'uvn_flush', args: { vnode: 'vn1', start: 0, stop: 8192, flags: [] } }),
    ).toBe('spawn t1: uvn_flush vnode=vn1 start=0x0 stop=0x2000 flags=none');
    expect(exerciseStepText({ spawn: 't5', call: 'haspage', args: { vnode: 'vn1', pindex: 10 } })).toBe(
      'spawn t5: haspage vnode=vn1 pindex=10',
    );
  });
});

describe('npm run exercise', () => {
  const dir = scratchDir('exercise-');
  it('prints the same bytes twice for a seed, other bytes for another, and answers the runner agrees with', async () => {
    const [a, b, c] = await Promise.all([
      run('tools/exercise.ts', ['--seed', '31337', '--json', '--answers']),
      run('tools/exercise.ts', ['--seed', '31337', '--json', '--answers']),
      run('tools/exercise.ts', ['--seed', '31338', '--json', '--answers']),
    ]);
    expect(a.code).toBe(0);
    expect(b.stdout).toBe(a.stdout);
    expect(c.stdout).not.toBe(a.stdout);
    const doc = JSON.parse(a.stdout) as Exercise;
    expect(a.stdout).toBe(`${JSON.stringify(makeExercise(31337))}\n`);
    const file = join(dir, 'openbsd.json');
    writeFileSync(file, JSON.stringify(doc.scenario));
    const runner = await run('tools/scenario.ts', [file]);
    expect(runner.code).toBe(0);
    const digests = runner.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(doc.questions.length).toBeGreaterThanOrEqual(5);
    for (const q of doc.questions) {
      const d = digests.find((x) => x.step === q.step)!;
      expect(lookup(d, q.path)).toEqual({ found: true, value: q.answer });
    }
  });

  it('makes a FreeBSD exercise whose every answer the runner prints at its step and path', async () => {
    const a = await run('tools/exercise.ts', ['--seed', '2026', '--kind', 'freebsd', '--json', '--answers']);
    expect(a.code).toBe(0);
    expect(a.stdout).toBe(`${JSON.stringify(makeExercise(2026, 'freebsd'))}\n`);
    const doc = JSON.parse(a.stdout) as Exercise;
    expect(doc.kind).toBe('freebsd');
    const file = join(dir, 'freebsd.json');
    writeFileSync(file, JSON.stringify(doc.scenario));
    const runner = await run('tools/scenario.ts', [file]);
    expect(runner.code).toBe(0);
    const digests = runner.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(digests[0]).toHaveProperty('objects');
    expect(doc.questions.length).toBeGreaterThanOrEqual(5);
    for (const q of doc.questions) {
      const d = digests.find((x) => x.step === q.step)!;
      expect(lookup(d, q.path), q.path).toEqual({ found: true, value: q.answer });
    }
  });

  it('leaves the answers out unless asked, prints text without --json, and refuses bad arguments', async () => {
    const bare = await run('tools/exercise.ts', ['--seed', '8', '--kind', 'block', '--json']);
    const doc = JSON.parse(bare.stdout) as { kind: string; questions: Record<string, unknown>[] };
    expect(doc.kind).toBe('block');
    expect(doc.questions.every((q) => Object.keys(q).join() === 'ask,step,path')).toBe(true);
    const text = await run('tools/exercise.ts', ['--seed', '8', '--kind', 'block', '--answers']);
    expect(text.stdout).toMatch(/^Exercise 8 \(block: where a thread blocks\)\n/);
    expect(text.stdout).toContain('      answer: ');
    // A FreeBSD exercise may ask the pbuf counters: the machine line gives where they start.
    const freebsd = await run('tools/exercise.ts', ['--seed', '4', '--kind', 'freebsd']);
    expect(freebsd.stdout.split('\n')[2]).toBe(
      'Machine: 16 free pages; vn1 of 17159 bytes; mount m1 with 8192-byte blocks; pbufs 129, async pbufs 128, pageout_free_min 34.',
    );
    // The command says what is wrong, then how to call it (exit 2), as the explorer does.
    const typo = await run('tools/exercise.ts', ['--seed', '1', '--finall']);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toBe(`unknown option --finall\n${EXERCISE_USAGE}\n`);
    expect(typo.stdout).toBe('');
  });

  it('names what is wrong with a bad command line before the usage', () => {
    const bad: [string[], string][] = [
      [[], '--seed N is required'],
      [['--seed'], '--seed needs an integer 0..4294967295, got nothing'],
      [['--seed', '-1'], '--seed needs an integer 0..4294967295, got "-1"'],
      [['--seed', '4294967296'], '--seed needs an integer 0..4294967295, got "4294967296"'],
      [['--seed', '007'], '--seed needs an integer 0..4294967295, got "007"'],
      [['--seed', '1', '--kind', 'x'], `--kind needs one of ${EXERCISE_KINDS.join(', ')}, got "x"`],
      [['--seed', '1', '--csv'], 'unknown option --csv'],
      [['--seed', '1', '-j'], 'unknown option -j'],
      [['--seed', '1', 'x.json'], 'unexpected argument "x.json": an exercise reads no file'],
      [['--seed', '1', '--', '--json'], 'unexpected argument "--json": an exercise reads no file'],
      // Said twice: refused rather than one of them taken silently.
      [['--seed', '1', '--seed', '2'], '--seed given twice'],
      [['--seed', '1', '--kind', 'state', '--kind', 'block'], '--kind given twice'],
    ];
    for (const [argv, problem] of bad) {
      let stdout = '';
      let stderr = '';
      const code = exerciseMain(argv, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
      expect(code, argv.join(' ')).toBe(2);
      expect(stderr, argv.join(' ')).toBe(`${problem}\n${EXERCISE_USAGE}\n`);
      expect(stdout).toBe('');
    }
    // Options in any order.
    let a = '';
    let b = '';
    exerciseMain(['--json', '--kind', 'block', '--seed', '8'], { stdout: (t) => (a += t), stderr: () => {} });
    exerciseMain(['--seed', '8', '--kind', 'block', '--json', '--'], { stdout: (t) => (b += t), stderr: () => {} });
    expect(a).toBe(b);
    expect(JSON.parse(a)).toMatchObject({ seed: 8, kind: 'block' });
  });
});
