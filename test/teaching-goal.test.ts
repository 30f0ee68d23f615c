/**
 * Digest paths, answer values and the goal language, on digests the engine
 * prints for library scenarios (so every expectation here is a state a person
 * can reproduce with `npm run --silent scenario`).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { scenarioDigests } from '../src/engine/run-scenario';
import type { Digest } from '../src/engine/model';
import { parseScenario } from '../src/scenario/schema';
import { lookup, parsePath } from '../src/teaching/digest-path';
import { diffDigests, formatChange } from '../src/teaching/diff';
import { describeGoal, explainGoal, goalHolds, readGoal, type Goal } from '../src/teaching/goal';
import { isHung } from '../src/teaching/state';
import { answerFormHint, answerMatches, formatValue, readAnswer, sameValue } from '../src/teaching/values';
import { CheckError } from '../src/scenario/checks';
import { parseChallenge } from '../src/teaching/challenge';
import { gradeSolution } from '../src/teaching/grade';

function digestsOf(name: string): Digest[] {
  const parsed = parseScenario(readFileSync(`scenarios/${name}.json`, 'utf8'));
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.error));
  return scenarioDigests(parsed.scenario).digests;
}

// two-threads-fault-same-page: step 5 has t3 asleep in uvn_get on page 0 (PG_WANTED) with read 1 in flight.
const same = digestsOf('two-threads-fault-same-page');
const at = (step: number) => same[step + 1]!;

describe('digest paths', () => {
  it('reads by index and by key=value selector', () => {
    expect(lookup(at(5), 'threads[2].wait')).toEqual({ found: true, value: 'uvn_get' });
    expect(lookup(at(5), 'threads[id=t3].status')).toEqual({ found: true, value: 'sleep' });
    expect(lookup(at(5), 'vnodes[name=vn1].uvn.pages[offset=0x0].flags')).toEqual({
      found: true,
      value: ['PG_BUSY', 'PG_WANTED', 'PG_CLEAN', 'PG_FAKE'],
    });
    expect(lookup(at(5), 'io[0].id')).toEqual({ found: true, value: 1 });
  });

  it('says what is missing', () => {
    expect(lookup(at(5), 'threads[id=t9].wait')).toEqual({ found: false, reason: 'threads has no element with id t9' });
    expect(lookup(at(5), 'vnodes[0].uvn.pages[3]')).toEqual({
      found: false,
      reason: 'vnodes[0].uvn.pages has 1 element, no [3]',
    });
    expect(lookup(at(5), 'vnodes[0].nope')).toEqual({ found: false, reason: 'vnodes[0] has no "nope"' });
  });

  it('rejects malformed paths with a position', () => {
    expect(parsePath('threads[').ok).toBe(false);
    expect(parsePath('threads[x]').ok).toBe(false);
    expect(parsePath('.threads').ok).toBe(false);
    expect(parsePath('threads[id=]').ok).toBe(false);
    const bad = parsePath('vnodes[0]uvn');
    expect(bad).toEqual({ ok: false, error: { at: 9, reason: 'expected "." or "[" at character 9' } });
  });
});

describe('answer values', () => {
  it('compares flag lists as sets, numbers by value', () => {
    expect(sameValue(['PG_FAKE', 'PG_BUSY'], ['PG_BUSY', 'PG_FAKE'])).toBe(true);
    expect(sameValue(['PG_BUSY'], ['PG_BUSY', 'PG_FAKE'])).toBe(false);
    expect(answerMatches('PG_FAKE|PG_BUSY', ['PG_BUSY', 'PG_FAKE'])).toBe(true);
    expect(answerMatches('PG_BUSY, PG_FAKE', ['PG_BUSY', 'PG_FAKE'])).toBe(true);
    expect(answerMatches('none', [])).toBe(true);
    expect(answerMatches('0x1000', 4096)).toBe(true);
    expect(answerMatches('4097', 4096)).toBe(false);
    expect(answerMatches('05', 5)).toBe(true);
    expect(answerMatches('-007', -7)).toBe(true);
    expect(answerMatches('0', 0)).toBe(true);
    expect(answerMatches('FALSE', false)).toBe(true);
    expect(answerMatches('NULL', null)).toBe(true);
    expect(answerMatches('null', 'uvn_get')).toBe(false);
    expect(answerMatches(' uvn_get ', 'uvn_get')).toBe(true);
  });

  it('says how an answer of the kind is written, when the text typed cannot be one', () => {
    expect(answerFormHint('seven', 7)).toBe('a number: decimal or 0x hex');
    expect(answerFormHint('yes', true)).toBe('true or false');
    // Readable, only not the answer; or a kind any text can be: nothing to say.
    expect(answerFormHint('8', 7)).toBeNull();
    expect(answerFormHint('PG_BUSY', ['PG_FAKE'])).toBeNull();
    expect(answerFormHint('', 7)).toBeNull();
  });

  it('says flag names go in full when a flag list is typed as the uvn flags summary abbreviates it', () => {
    const flags = ['UVM_VNODE_VALID', 'UVM_VNODE_CANPERSIST', 'UVM_VNODE_WRITEABLE'];
    // The summary line reads "u_flags = 0x203 (VALID|CANPERSIST|WRITEABLE)"; the answer names them as the C does.
    expect(answerMatches('VALID|CANPERSIST|WRITEABLE', flags)).toBe(false);
    expect(answerFormHint('VALID|CANPERSIST|WRITEABLE', flags)).toMatch(/^flag names in full/);
    expect(answerFormHint('UVM_VNODE_VALID|CANPERSIST', flags)).toMatch(/^flag names in full/);
    // The same hint whatever the flags are (an empty list too): it tells the form, not the answer.
    expect(answerFormHint('BUSY', [])).toBe(answerFormHint('BUSY', ['PG_BUSY']));
    // Full names, wrong or right, and lists that are not of C names (thread ids), get none.
    expect(answerFormHint('UVM_VNODE_VALID', flags)).toBeNull();
    expect(answerFormHint('t2|t3', ['t2'])).toBeNull();
    expect(answerFormHint('none', flags)).toBeNull();
  });

  it('refuses text that cannot be a value of the kind', () => {
    expect(readAnswer('many', 3)).toBeUndefined();
    expect(readAnswer('maybe', true)).toBeUndefined();
    expect(formatValue(['PG_BUSY', 'PG_FAKE'])).toBe('PG_BUSY|PG_FAKE');
    expect(formatValue([])).toBe('none');
  });
});

const goal = (g: unknown): Goal => readGoal(g);

describe('goals', () => {
  const wanted = goal({ and: [{ thread: { status: 'sleep', wait: 'uvn_get' } }, { io: { rw: 'read' } }] });

  it('holds exactly where the state has it', () => {
    const held = same.map((d) => goalHolds(wanted, { digest: d }));
    // Steps 5 (t3 asleep, read 1 in flight) only: at step 6 the read has completed.
    expect(held.map((h, i) => (h ? i - 1 : null)).filter((x) => x !== null)).toEqual([5]);
  });

  it('explains what the state shows instead', () => {
    expect(explainGoal(wanted, { digest: at(6) })).toBe('no request in flight has rw read (no request is in flight)');
    expect(explainGoal(wanted, { digest: at(3) })).toBe(
      'no thread has status sleep and wait uvn_get (t1 done (obj), t2 io io:1)',
    );
    expect(describeGoal(wanted)).toBe(
      'some thread has status sleep and wait uvn_get, and a request in flight has rw read',
    );
  });

  it('judges panics, paths, some, not and or', () => {
    const panicked = digestsOf('cluster-offset-out-of-range-panic').at(-1)!;
    expect(goalHolds(goal({ panic: { equals: 'uvn_cluster: offset out of range' } }), { digest: panicked })).toBe(true);
    expect(goalHolds(goal({ panic: { contains: 'out of range' } }), { digest: panicked })).toBe(true);
    expect(goalHolds(goal({ panic: { equals: 'uvn_cluster' } }), { digest: panicked })).toBe(false);
    expect(goalHolds(goal({ panic: false }), { digest: at(5) })).toBe(true);
    expect(explainGoal(goal({ panic: true }), { digest: at(1) })).toBe('the kernel did not panic (t1 done (obj))');

    expect(goalHolds(goal({ path: 'vnodes[0].uvn.nio', equals: 1 }), { digest: at(5) })).toBe(true);
    expect(goalHolds(goal({ path: 'vnodes[0].uvn.pages[0].flags', contains: 'PG_WANTED' }), { digest: at(5) })).toBe(
      true,
    );
    expect(goalHolds(goal({ path: 'freePages', atMost: 7 }), { digest: at(5) })).toBe(true);
    expect(goalHolds(goal({ path: 'freePages', atLeast: 8 }), { digest: at(5) })).toBe(false);
    expect(explainGoal(goal({ path: 'vnodes[0].uvn.refs', equals: 2 }), { digest: at(5) })).toBe(
      'vnodes[0].uvn.refs is 1, not 2',
    );
    const some = goal({ some: 'vnodes[0].uvn.pages', match: { flags: { contains: 'PG_WANTED' }, queue: 'none' } });
    expect(goalHolds(some, { digest: at(5) })).toBe(true);
    expect(goalHolds(some, { digest: at(7) })).toBe(false);
    expect(goalHolds(goal({ not: { hung: true } }), { digest: at(5) })).toBe(true);
    expect(
      goalHolds(goal({ or: [{ panic: true }, { thread: { id: 't2', status: 'done' } }] }), { digest: at(7) }),
    ).toBe(true);
    expect(goalHolds(goal({ thread: { ret: { oneOf: ['VM_PAGER_BAD', 'VM_PAGER_OK'] } } }), { digest: at(7) })).toBe(
      true,
    );
  });

  it('knows a hung kernel from a busy, finished or panicked one', () => {
    const hang = digestsOf('recycle-terminate-hangs-when-late-fault-page-survives').at(-1)!;
    expect(isHung(hang)).toBe(true);
    expect(goalHolds(goal({ hung: true }), { digest: hang })).toBe(true);
    expect(isHung(at(5))).toBe(false); // a read is in flight
    expect(isHung(at(11))).toBe(false); // every thread is done
    expect(explainGoal(goal({ hung: true }), { digest: at(4) })).toBe('the kernel is not hung: t3 can run');
    expect(explainGoal(goal({ hung: true }), { digest: at(5) })).toBe('the kernel is not hung: request 1 can complete');
    expect(explainGoal(goal({ hung: true }), { digest: at(11) })).toBe('the kernel is not hung: every thread is done');
  });

  it('rejects malformed goals naming the field', () => {
    const bad = (g: unknown): string => {
      try {
        readGoal(g);
        return 'accepted';
      } catch (e) {
        return `${(e as CheckError).path.join('.')}: ${(e as CheckError).reason}`;
      }
    };
    expect(bad({ thread: { status: 'asleep' } })).toBe(
      'goal.thread.status: must be one of ready, lock, sleep, io, done, got the string "asleep"',
    );
    expect(bad({ thread: { colour: 'red' } })).toMatch(/^goal\.thread\.colour: unknown field/);
    expect(bad({ and: [] })).toBe('goal.and: list at least one goal');
    expect(bad({ panic: { startsWith: 'x' } })).toMatch(/^goal\.panic: expected/);
    expect(bad({ path: 'threads[', equals: 1 })).toMatch(/^goal\.path: /);
    expect(bad({ path: 'freePages' })).toMatch(/^goal: a path goal has "path" and one of/);
    expect(bad({ hung: 'yes' })).toBe('goal.hung: expected true or false, got the string "yes"');
    expect(bad({ wait: 'x' })).toMatch(/^goal: a goal has one of/);
  });
});

describe('digest changes', () => {
  it('lists what a step changed by identity', () => {
    const changes = diffDigests(at(6), at(7)).map(formatChange);
    expect(changes).toEqual([
      'threads[id=t2].status: ready → done',
      'threads[id=t2].ret: null → VM_PAGER_OK',
      'threads[id=t3].status: sleep → ready',
      'threads[id=t3].wait: uvn_get → null',
      'vnodes[name=vn1].uvn.nio: 1 → 0',
      'vnodes[name=vn1].uvn.pages[offset=0x0].flags: PG_BUSY|PG_WANTED|PG_CLEAN|PG_FAKE → PG_CLEAN',
      'vnodes[name=vn1].uvn.pages[offset=0x0].queue: none → active',
      'vnodes[name=vn1].uvn.pages[offset=0x0].mapped: false → true',
    ]);
    expect(diffDigests(at(3), at(4)).map(formatChange)).toEqual([
      'threads[id=t3]: appeared {"id":"t3","call":"fault","status":"ready","wait":null,"ret":null}',
    ]);
    // Every path a change names reads back the new value.
    for (const c of diffDigests(at(6), at(7))) expect(lookup(at(7), c.path)).toEqual({ found: true, value: c.after });
  });
});

describe('goals on a FreeBSD digest', () => {
  // freebsd-setsize-shrink-waits-on-busy-page: at step 5 vnode_pager_setsize sleeps "vmopar" on busy pages
  // that sendfile's asynchronous read (request 1) holds; at step 6 the read has completed.
  const fb = digestsOf('freebsd-setsize-shrink-waits-on-busy-page');
  const fbAt = (step: number) => ({ digest: fb[step + 1]! });

  it('judges threads, requests and pages through the same language', () => {
    const sleeper = goal({ thread: { call: 'vnode_pager_setsize', status: 'sleep', wait: 'vmopar' } });
    const asyncRead = goal({ io: { rw: 'read', async: true, blkno: 8 } });
    const waited = goal({ some: 'objects[id=1].pages', match: { xbusy: true, waiters: true } });
    expect([sleeper, asyncRead, waited].map((g) => goalHolds(g, fbAt(5)))).toEqual([true, true, true]);
    expect([sleeper, asyncRead, waited].map((g) => goalHolds(g, fbAt(6)))).toEqual([false, false, false]);
    expect(goalHolds(goal({ path: 'objects[id=1].pages[pindex=1].valid', equals: 255 }), fbAt(6))).toBe(true);
    expect(goalHolds(goal({ path: 'objects[0].vnp_size', equals: 4000 }), fbAt(7))).toBe(true);
    expect(explainGoal(asyncRead, fbAt(6))).toBe(
      'no request in flight has rw read, async true and blkno 8 (no request is in flight)',
    );
  });

  it('lets a FreeBSD challenge be graded', () => {
    const parsed = parseChallenge({
      format: 'pager-challenge/1',
      name: 'freebsd-vmopar',
      title: 'Truncate under sendfile',
      story: 'Make vnode_pager_setsize wait for pages an asynchronous sendfile read holds busy.',
      setup: { pager: 'freebsd', vnodes: [{ name: 'vn1', size: 12288 }] },
      allow: { calls: 'all' },
      goal: { thread: { call: 'vnode_pager_setsize', status: 'sleep', wait: 'vmopar' } },
      par: 6,
    });
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.error));
    const steps = JSON.parse(readFileSync('scenarios/freebsd-setsize-shrink-waits-on-busy-page.json', 'utf8')).steps;
    const solution = (n: number) => ({
      format: 'pager-solution/1',
      challenge: 'freebsd-vmopar',
      steps: steps.slice(0, n),
    });
    expect(gradeSolution(parsed.challenge, solution(6))).toEqual({ verdict: 'PASS', steps: 6 });
    expect(gradeSolution(parsed.challenge, solution(5))).toMatchObject({ verdict: 'FAIL', steps: 5 });
    expect(gradeSolution(parsed.challenge, solution(8))).toMatchObject({
      verdict: 'INVALID',
      error: { step: 6, reason: 'the goal already held after step 5; a solution ends there' },
    });
  });
});
