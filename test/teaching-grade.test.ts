/**
 * Challenges and the grader: every shipped challenge is valid, not already
 * solved at boot, passed by its reference solution in par steps and failed by
 * a plausible wrong one; the three challenges other tools read have exactly
 * the setups and goals the issue fixes; invalid solutions are reported as the
 * runner reports invalid scenarios; and the CLI prints and exits as documented.
 */
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scratchDir } from './fixtures/scratch';
import { PagerEngine } from '../src/engine/engine';
import { OPENBSD_CALL_SPECS } from '../src/engine/openbsd/profile';
import { challengeScenario, parseChallenge, ruleRefusal, type Challenge } from '../src/teaching/challenge';
import { goalHolds } from '../src/teaching/goal';
import { gradeSolution, playChallenge } from '../src/teaching/grade';

const names = readdirSync('challenges')
  .filter((f) => f.endsWith('.json'))
  .map((f) => f.replace(/\.json$/, ''))
  .sort();

function load(name: string): Challenge {
  const parsed = parseChallenge(readFileSync(`challenges/${name}.json`, 'utf8'));
  if (!parsed.ok) throw new Error(`${name}: ${JSON.stringify(parsed.error)}`);
  return parsed.challenge;
}

const fixture = (name: string, kind: 'solution' | 'wrong') =>
  readFileSync(`test/fixtures/solutions/${name}.${kind}.json`, 'utf8');

describe('shipped challenges', () => {
  it('are at least twelve, including the three fixed ones', () => {
    expect(names.length).toBeGreaterThanOrEqual(12);
    expect(names).toEqual(expect.arrayContaining(['wanted-sleeper', 'cluster-panic', 'terminate-hang']));
  });

  it.each(names)('%s: valid, unsolved at boot, passed in par by its solution, failed by the wrong one', (name) => {
    const c = load(name);
    expect(c.name).toBe(name);
    expect(c.story.length).toBeGreaterThan(40);
    const boot = new PagerEngine(challengeScenario(c, []));
    expect(goalHolds(c.goal, { digest: boot.digest() })).toBe(false);

    const pass = gradeSolution(c, fixture(name, 'solution'));
    expect(pass).toEqual({ verdict: 'PASS', steps: c.par });

    const fail = gradeSolution(c, fixture(name, 'wrong'));
    expect(fail.verdict).toBe('FAIL');
    if (fail.verdict === 'FAIL') expect(fail.reason).toMatch(/^goal not reached after \d+ steps?: \S/);
  });

  const everyCall = OPENBSD_CALL_SPECS.map((c) => c.name);
  const fixed: [string, number, unknown][] = [
    ['wanted-sleeper', 16384, { and: [{ thread: { status: 'sleep', wait: 'uvn_get' } }, { io: { rw: 'read' } }] }],
    ['cluster-panic', 32768, { panic: { equals: 'uvn_cluster: offset out of range' } }],
    ['terminate-hang', 16384, { and: [{ hung: true }, { thread: { status: 'sleep', wait: 'uvn_term' } }] }],
  ];
  it.each(fixed)('%s has the setup and goal the issue fixes', (name, size, goal) => {
    const c = load(name);
    expect(c.setup).toEqual({
      pager: 'openbsd',
      machine: { physPages: 32 },
      vnodes: [{ name: 'vn1', size, type: 'VREG', mount: 'm1', usecount: 1 }],
    });
    expect(c.goal).toEqual(goal);
    expect(c.allow).toEqual({ calls: 'all', threads: null, results: null });
    // "all" really is every OpenBSD call, with any number of threads.
    const steps = everyCall.map((call, i) => ({ spawn: `t${i}`, call, args: {} }));
    for (let i = 0; i < steps.length; i++) expect(ruleRefusal(c, steps, i)).toBeNull();
  });
});

describe('invalid solutions', () => {
  const c = load('first-fault'); // allows uvn_attach and fault, 2 threads, "ok" results only
  const solution = (steps: unknown[], extra: Record<string, unknown> = {}) =>
    JSON.stringify({ format: 'pager-solution/1', challenge: 'first-fault', steps, ...extra });
  const attach = [{ spawn: 't1', call: 'uvn_attach', args: { vnode: 'vn1', prot: 'r' } }, { run: 't1' }];
  const invalid = (text: string) => {
    const v = gradeSolution(c, text);
    return v.verdict === 'INVALID' ? v.error : v;
  };

  it("stops reading past the scenario reader's million JSON values, in a solution as in a challenge", () => {
    // 8 million zeros fit in 16 MiB: parsed whole, they took the grader 2.5 s and 300 MB to be refused.
    const zeros = Array.from({ length: 1_000_001 }, () => '0').join(',');
    const limit = 'more than 1,000,000 JSON values (objects, lists, strings, numbers, true, false, null), the limit';
    expect(invalid(`{"format":"pager-solution/1","challenge":"first-fault","steps":[${zeros}]}`)).toEqual({
      step: -1,
      field: '',
      reason: `the solution holds ${limit}`,
    });
    const challenge = parseChallenge(`{"format":"pager-challenge/1","story":[${zeros}]}`);
    expect(challenge.ok ? challenge : challenge.error).toEqual({
      step: -1,
      field: '',
      reason: `the challenge holds ${limit}`,
    });
  });

  it('names the step and field of a call the challenge does not allow', () => {
    expect(invalid(solution([{ spawn: 't1', call: 'uvn_flush', args: { vnode: 'vn1', flags: [] } }]))).toEqual({
      step: 0,
      field: 'call',
      reason: 'the challenge does not allow uvn_flush (allowed: uvn_attach, fault)',
    });
  });

  it('counts threads and checks disk results', () => {
    const three = [0, 1, 2].map((i) => ({
      spawn: `t${i}`,
      call: 'fault',
      args: { vnode: 'vn1', offset: 0, access: 'read' },
    }));
    expect(invalid(solution(three))).toEqual({
      step: 2,
      field: 'spawn',
      reason: 'the challenge allows at most 2 threads',
    });
    const eio = [
      ...attach,
      { spawn: 't2', call: 'fault', args: { vnode: 'vn1', offset: 0, access: 'read' } },
      { run: 't2' },
      { complete: 1, result: 'short:10' },
    ];
    expect(invalid(solution(eio))).toEqual({
      step: 4,
      field: 'result',
      reason: 'the challenge does not allow "short" results (allowed: ok)',
    });
  });

  it('refuses steps after the goal held', () => {
    const steps = [
      ...attach,
      { spawn: 't2', call: 'fault', args: { vnode: 'vn1', offset: 0, access: 'read' } },
      { run: 't2' },
      { complete: 1, result: 'ok' },
      { run: 't2' },
      { run: 't1' },
    ];
    expect(invalid(solution(steps))).toEqual({
      step: 6,
      field: '',
      reason: 'the goal already held after step 5; a solution ends there',
    });
    expect(playChallenge(c, steps as never).heldAt).toBe(5);
  });

  it('reports what the scenario reader and the engine refuse, as the runner does', () => {
    expect(invalid('{"format": "pager-solution/1", "challenge": "first-fault", "steps": [ {"run": "t1"}, ]}')).toEqual({
      step: -1,
      field: 'steps',
      reason: "invalid JSON at line 1, column 86: expected a value after ',', got ']' (a comma cannot end a list)",
    });
    expect(
      invalid(solution([{ spawn: 't1', call: 'fault', args: { vnode: 'vn1', offset: 100, access: 'read' } }])),
    ).toEqual({
      step: 0,
      field: 'args.offset',
      reason: 'must be page-aligned (a multiple of 4096)',
    });
    expect(invalid(solution([{ run: 't1' }]))).toEqual({
      step: 0,
      field: 'run',
      reason: 'unknown thread t1 (not spawned before this step)',
    });
    expect(invalid(solution([...attach, { run: 't1' }]))).toEqual({ step: 2, field: '', reason: 'thread t1 is done' });
    expect(invalid(solution([], { challenge: 'cluster-panic' }))).toEqual({
      step: -1,
      field: 'challenge',
      reason: 'this solution is for cluster-panic, not first-fault',
    });
    expect(invalid(solution([], { format: 'pager-scenario/1' }))).toEqual({
      step: -1,
      field: 'format',
      reason: 'must be "pager-solution/1", got the string "pager-scenario/1"',
    });
    expect(invalid(solution([], { extra: 1 }))).toEqual({ step: -1, field: 'extra', reason: 'unknown key' });
  });

  it('reports the first refused step in order, a rule or the engine, as the lab refuses a step', () => {
    // Step 2 runs a thread that is done; step 4 gives a result the challenge forbids: step 2 is the one.
    const steps = [
      ...attach,
      { run: 't1' },
      { spawn: 't2', call: 'fault', args: { vnode: 'vn1', offset: 0, access: 'read' } },
      { complete: 1, result: 'eio' },
    ];
    expect(invalid(solution(steps))).toEqual({ step: 2, field: '', reason: 'thread t1 is done' });
  });

  it('names a panic the goal did not ask about', () => {
    const c2 = load('wanted-sleeper');
    // The vnode's last use goes, then an attach vrefs the free vnode.
    const steps = [
      { spawn: 't1', call: 'vrele', args: { vnode: 'vn1' } },
      { run: 't1' },
      { spawn: 't2', call: 'uvn_attach', args: { vnode: 'vn1', prot: 'r' } },
      { run: 't2' },
    ];
    const v = gradeSolution(c2, JSON.stringify({ format: 'pager-solution/1', challenge: 'wanted-sleeper', steps }));
    expect(v).toMatchObject({ verdict: 'FAIL', steps: 4 });
    expect(v.verdict === 'FAIL' && v.reason).toMatch(/; the kernel panicked: "vref used where vget required"$/);
  });

  it('keeps a failure to one readable line however many threads there are', () => {
    const c2 = load('wanted-sleeper');
    const steps = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11].flatMap((i) => [
      { spawn: `x${i}`, call: 'uvn_reference', args: { vnode: 'vn1' } },
      { run: `x${i}` },
    ]);
    const v = gradeSolution(c2, JSON.stringify({ format: 'pager-solution/1', challenge: 'wanted-sleeper', steps }));
    expect(v.verdict === 'FAIL' && v.reason).toContain('x7 done (null) and 4 more)');
  });

  it('plays at most 10,000 steps', () => {
    const c2 = load('wanted-sleeper');
    const steps: unknown[] = [{ spawn: 'x', call: 'uvn_attach', args: { vnode: 'vn1', prot: 'r' } }, { run: 'x' }];
    for (let i = 0; steps.length <= 10_000; i++)
      steps.push({ spawn: `x${i}`, call: 'uvn_reference', args: { vnode: 'vn1' } }, { run: `x${i}` });
    const v = gradeSolution(c2, JSON.stringify({ format: 'pager-solution/1', challenge: 'wanted-sleeper', steps }));
    expect(v).toEqual({
      verdict: 'INVALID',
      error: { step: 10_000, field: '', reason: 'a challenge allows at most 10,000 steps' },
    });
  });

  it('fails an empty solution with what the boot state shows', () => {
    expect(gradeSolution(c, solution([]))).toEqual({
      verdict: 'FAIL',
      steps: 0,
      reason: 'goal not reached after 0 steps: no thread has call fault and ret VM_PAGER_OK (no threads)',
    });
  });

  it('refuses malformed challenges naming the field', () => {
    const base = JSON.parse(readFileSync('challenges/first-fault.json', 'utf8'));
    const err = (patch: Record<string, unknown>) => {
      const r = parseChallenge(JSON.stringify({ ...base, ...patch }));
      return r.ok ? 'accepted' : `${r.error.field}: ${r.error.reason}`;
    };
    expect(err({ allow: { calls: ['fault', 'msync'] } })).toMatch(/^allow\.calls\[1\]: must be "uvn_attach", /);
    expect(err({ setup: { pager: 'openbsd', vnodes: [{ name: 'vn1', size: 1.5 }] } })).toBe(
      'setup.vnodes[0].size: expected a non-negative integer, got 1.5',
    );
    expect(err({ goal: { thread: {} } })).toBe('goal.thread: name at least one field');
    expect(err({ goal: { thread: { status: { oneOf: [] } } } })).toBe(
      'goal.thread.status.oneOf: list at least one value',
    );
    expect(err({ par: 0 })).toBe('par: expected an integer of at least 1, got 0');
    // The lab would call it solved before a step; a solution has at least one.
    expect(err({ goal: { panic: false } })).toBe(
      'goal: it already holds before any step; a challenge asks for a state its steps reach',
    );
  });
});

function grade(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(join('node_modules', '.bin', 'tsx'), ['tools/grade.ts', ...args], (error, stdout, stderr) => {
      resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

describe('npm run grade', () => {
  const dir = scratchDir('grade-');

  it('prints PASS and FAIL lines and exits 1 when some fail', async () => {
    const r = await grade([
      'challenges/wanted-sleeper.json',
      'test/fixtures/solutions/wanted-sleeper.solution.json',
      'test/fixtures/solutions/wanted-sleeper.wrong.json',
    ]);
    expect(r.stdout).toBe(
      'PASS wanted-sleeper steps=6\nFAIL wanted-sleeper: goal not reached after 7 steps: no request in flight has rw read (no request is in flight)\n',
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
  });

  it('exits 0 when all pass and 2 on an invalid file, naming file, step and field', async () => {
    expect(
      (await grade(['challenges/terminate-hang.json', 'test/fixtures/solutions/terminate-hang.solution.json'])).code,
    ).toBe(0);
    const bad = join(dir, 'bad.json');
    writeFileSync(
      bad,
      JSON.stringify({
        format: 'pager-solution/1',
        challenge: 'first-fault',
        steps: [{ spawn: 't1', call: 'revoke', args: { vnode: 'vn1' } }],
      }),
    );
    const r = await grade(['challenges/first-fault.json', 'test/fixtures/solutions/first-fault.solution.json', bad]);
    expect(r.stdout).toBe('PASS first-fault steps=6\n');
    expect(r.stderr).toBe(`${bad}: step 0: call: the challenge does not allow revoke (allowed: uvn_attach, fault)\n`);
    expect(r.code).toBe(2);
  });

  it('prints a class as CSV', async () => {
    const r = await grade([
      '--csv',
      'challenges/first-fault.json',
      'test/fixtures/solutions/first-fault.solution.json',
      'test/fixtures/solutions/first-fault.wrong.json',
      'test/fixtures/solutions/dead-read.solution.json',
    ]);
    expect(r.stdout.split('\n')).toEqual([
      'file,verdict,steps,reason',
      'test/fixtures/solutions/first-fault.solution.json,PASS,6,',
      'test/fixtures/solutions/first-fault.wrong.json,FAIL,2,goal not reached after 2 steps: no thread has call fault and ret VM_PAGER_OK (t1 done (VM_PAGER_BAD))',
      'test/fixtures/solutions/dead-read.solution.json,INVALID,,"step -1: challenge: this solution is for dead-read, not first-fault"',
      '',
    ]);
    expect(r.code).toBe(2);
  });

  it('names the format of a file given in the wrong place, not its first other key', async () => {
    // The solution first (the files swapped): it is not a challenge, whatever keys it has.
    const swapped = await grade(['test/fixtures/solutions/first-fault.solution.json', 'challenges/first-fault.json']);
    expect(swapped.stderr).toBe(
      'test/fixtures/solutions/first-fault.solution.json: step -1: format: must be "pager-challenge/1", got the string "pager-solution/1" (a solution: the challenge comes first)\n',
    );
    expect(swapped.stdout).toBe('');
    expect(swapped.code).toBe(2);
    // A challenge, or a library scenario, where a solution goes.
    const notSolutions = await grade([
      'challenges/first-fault.json',
      'challenges/first-fault.json',
      'scenarios/two-threads-fault-same-page.json',
    ]);
    expect(notSolutions.stderr).toBe(
      'challenges/first-fault.json: step -1: format: must be "pager-solution/1", got the string "pager-challenge/1"\n' +
        'scenarios/two-threads-fault-same-page.json: step -1: format: must be "pager-solution/1", got the string "pager-scenario/1"\n',
    );
    expect(notSolutions.code).toBe(2);
    // A scenario given as the challenge.
    const scenario = await grade(['scenarios/two-threads-fault-same-page.json', 'x.json']);
    expect(scenario.stderr).toBe(
      'scenarios/two-threads-fault-same-page.json: step -1: format: must be "pager-challenge/1", got the string "pager-scenario/1"\n',
    );
  });

  it('refuses a bad command line or challenge with exit 2', async () => {
    const one = await grade(['challenges/first-fault.json']);
    expect(one.code).toBe(2);
    expect(one.stderr).toBe(
      'a challenge and at least one solution, please\nusage: npm run --silent grade -- CHALLENGE.json SOLUTION.json... [--csv]\n',
    );
    // A mistyped option is named, not taken for a file or passed over.
    const typo = await grade([
      'challenges/first-fault.json',
      'test/fixtures/solutions/first-fault.solution.json',
      '--cvs',
    ]);
    expect(typo.stderr).toBe(
      'unknown option --cvs\nusage: npm run --silent grade -- CHALLENGE.json SOLUTION.json... [--csv]\n',
    );
    expect(typo.stdout).toBe('');
    expect(typo.code).toBe(2);
    const r = await grade([join(dir, 'missing.json'), 'x.json']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/missing\.json: step -1: cannot read: /);
  });

  it('refuses a challenge or solution over 16 MiB, as the runner and the explorer do, and one not in UTF-8', async () => {
    // The runner's limit and words (scenario-format.md's 16 MiB): a class's folder may hold anything.
    const big = join(dir, 'big.json');
    writeFileSync(big, `${' '.repeat(17_000_000 - 2)}{}`);
    const challenge = await grade([big, 'test/fixtures/solutions/first-fault.solution.json']);
    expect(challenge.stderr).toBe(
      `${big}: step -1: the challenge file is 17,000,000 bytes, more than the limit of 16,777,216\n`,
    );
    expect(challenge.stdout).toBe('');
    expect(challenge.code).toBe(2);
    const latin1 = join(dir, 'latin1.json');
    const good = readFileSync('test/fixtures/solutions/first-fault.solution.json');
    // "first-fault" spelt with a Latin-1 byte in place of its dash: the message names that byte, not U+FFFD.
    const at = good.indexOf('first-fault');
    writeFileSync(latin1, Buffer.concat([good.subarray(0, at + 5), Buffer.from([0xad]), good.subarray(at + 6)]));
    const solutions = await grade([
      'challenges/first-fault.json',
      big,
      'test/fixtures/solutions/first-fault.solution.json',
      latin1,
    ]);
    expect(solutions.stdout).toBe('PASS first-fault steps=6\n');
    expect(solutions.stderr).toBe(
      `${big}: step -1: the solution file is 17,000,000 bytes, more than the limit of 16,777,216\n` +
        `${latin1}: step -1: the file is not valid UTF-8 at byte ${at + 5} (0xad)\n`,
    );
    expect(solutions.code).toBe(2);
  });
});
