/**
 * What a long session keeps per step, packed (history-ops.ts, labels.ts): the
 * labels and trails read back exactly, branches share their parent's records
 * without being able to change them, and forks of forks (a kernel restored from
 * a checkpoint of a kernel that was itself restored) find every thread by name.
 */
import { describe, expect, it } from 'vitest';
import { PagerEngine } from '../src/engine/engine';
import { SnapshotHistory } from '../src/engine/history';
import { applyGroup, Dict, Ints, Recorder } from '../src/engine/history-ops';
import { LabelList } from '../src/engine/labels';
import { Session } from '../src/engine/session';
import { SnapshotBuilder } from '../src/engine/view';
import type { Step } from '../src/protocol/scenario';
import { sessionSteps, SESSION_SETUP } from '../tools/workloads';

const withoutTrail = (s: object) => {
  const { trail: _, ...rest } = s as { trail: unknown };
  return JSON.stringify(rest);
};

function fresh(steps: readonly Step[]): string {
  const engine = new PagerEngine(SESSION_SETUP);
  for (const step of steps) engine.apply(step);
  return withoutTrail(new SnapshotBuilder(engine.k, engine.model).build(steps.length));
}

describe('changes recorded field by field', () => {
  it('rebuilds each value from the one before, whatever its shape, templates of another shape included', () => {
    const values: unknown[] = [
      { a: 1, b: 'x', list: [1, 2, 3] },
      { a: 2, b: 'x', list: [1, 5] },
      { a: 2, b: null, list: [1, 5, { deep: ['y'] }, 4] },
      { other: true },
      [1, { a: 3 }, 'z'],
      { a: 1, b: 'x', list: [] },
      -7,
      { a: 2 ** 40, b: 0.5, list: [-0] },
    ];
    const dict = new Dict();
    let before: unknown = undefined;
    for (const value of values) {
      const out = new Ints();
      const r = new Recorder(out, dict);
      r.view(8, before, value);
      const rebuilt = out.length === 0 ? before : applyGroup(out.data, 1, before, dict.values, new Set()).root;
      expect(rebuilt).toEqual(value);
      before = value;
    }
    // A new value of a known shape is recorded against the first one seen: only where it differs.
    const out = new Ints();
    new Recorder(out, dict).view(8, undefined, { a: 1, b: 'x', list: [1, 2, 3, 9] });
    expect(out.at(1)).toBeLessThanOrEqual(3);
  });
});

describe('packed labels', () => {
  it('reads back every label, characters past Latin-1 included, and shares a prefix with a branch', () => {
    const labels = new LabelList();
    const words = [
      'spawn t1: fault(vnode="vn1")',
      '',
      't1 runs: now at line 12 → uvn_get',
      'ü ½ 漢字',
      'x'.repeat(5000),
    ];
    for (const w of words) labels.push(w);
    expect(labels.slice()).toEqual(words);
    expect(labels.at(5)).toBeUndefined();
    const branch = labels.share(2);
    branch.push('other');
    expect(branch.slice()).toEqual([words[0], words[1], 'other']);
    expect(labels.slice(3)).toEqual(words.slice(3));
    // The branch shares the first two: they cannot be dropped under it.
    expect(() => labels.truncate(1)).toThrow(/shared/);
    labels.truncate(3);
    labels.push('again');
    expect(labels.slice()).toEqual([...words.slice(0, 3), 'again']);
    expect(branch.slice()).toEqual([words[0], words[1], 'other']);
  });
});

describe('packed trails', () => {
  it('keeps lines that jump forward and back by any amount, and what was omitted', () => {
    const engine = new PagerEngine(SESSION_SETUP);
    const history = new SnapshotHistory();
    const snapshot = new SnapshotBuilder(engine.k, engine.model).build(0);
    history.push(snapshot);
    const trails = [
      { lines: [1, 900, 12, 65_000, 7, 7, 130], omitted: 0 },
      { lines: [], omitted: 0 },
      { lines: [2000, 1999, 2001], omitted: 41 },
    ];
    for (const [i, trail] of trails.entries()) history.push({ ...snapshot, step: i + 1, trail });
    for (const [i, trail] of trails.entries()) expect(history.trailAt(i + 1)).toEqual(trail);
    // A branch of the first two steps shares them; the original cannot drop them any more.
    const branch = history.copy(3);
    expect(branch.trailAt(2)).toEqual(trails[1]);
    expect(() => history.truncate(2)).toThrow(/shares/);
  });
});

describe('branches of branches', () => {
  const steps = sessionSteps(1400, 3);

  it('forks from a checkpoint a restored kernel took, and still finds its first threads by name', () => {
    const session = new Session(SESSION_SETUP);
    for (const step of steps.slice(0, 1000)) expect(session.apply(step)).toBeNull();
    // Branch 2: back to 300, then the same steps again and 400 more, made a branch (not followed) from the
    // first: its later checkpoints are taken by a restored kernel.
    session.seek(300);
    for (const step of steps.slice(300)) expect(session.apply(step, { follow: false })).toBeNull();
    expect(session.branch).toBe(2);
    const line2 = steps;
    const late = session.checkpoints.filter((at) => at > 1000);
    expect(late.length).toBeGreaterThan(0);
    // Branch 3: back into branch 2 after one of those checkpoints.
    const at = late[0]! + 3;
    session.seek(at);
    // The first thread ever spawned is done: found through the chain of kernels, and refused as such.
    const first = (steps[0] as { spawn: string }).spawn;
    expect(session.apply({ run: first })).toBe(`thread ${first} is done`);
    // The live engine was rebuilt there: a finished thread's view is still found by name.
    expect(session.threadView(first)?.status).toBe('done');
    expect(session.apply({ spawn: first, call: 'uvm_vnp_sync', args: {} })).toBe(`thread ${first} already exists`);
    const step: Step = { spawn: 'b3', call: 'uvm_vnp_sync', args: {} };
    expect(session.apply(step)).toBeNull();
    expect(session.branch).toBe(3);
    const line3 = [...line2.slice(0, at), step];
    const replayed = new PagerEngine(SESSION_SETUP);
    for (const s of line3) replayed.apply(s);
    expect(session.digest()).toEqual(replayed.digest());
    expect(withoutTrail(session.snapshot())).toBe(fresh(line3));
    // Every branch still reads back as it was: branch 2 past the fork, branch 1 at its end.
    expect(session.switchBranch(2)).toBeNull();
    expect(withoutTrail(session.seek(at + 5))).toBe(fresh(line2.slice(0, at + 5)));
    expect(session.switchBranch(1)).toBeNull();
    expect(withoutTrail(session.seek(1000))).toBe(fresh(steps.slice(0, 1000)));
    expect(session.labels).toHaveLength(1000);
    expect(session.branches.map((b) => [b.id, b.parent, b.forkAt, b.length])).toEqual([
      [1, null, 0, 1000],
      [2, 1, 300, 1400],
      [3, 2, at, at + 1],
    ]);
  });
});
