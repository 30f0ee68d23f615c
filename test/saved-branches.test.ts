import { describe, expect, it } from 'vitest';
import type { SavedBranches } from '../src/protocol/messages';
import type { Step } from '../src/protocol/scenario';
import { simHarness, walkthrough } from './host-harness';

const harness = simHarness;

const spawn9: Step = { spawn: 't9', call: 'uvn_attach', args: { vnode: 'vn1', prot: 'rw' } };

/** Three branches made in a lab: 2 from step 2 (a spawn), 3 from step 4 (a failed read, then t2 runs). */
function lecture() {
  const lab = harness();
  lab.host.handle({ type: 'sim.load', id: 1, scenario: walkthrough() });
  lab.host.handle({ type: 'sim.seek', id: 2, to: 2 });
  lab.host.handle({ type: 'sim.spawn', id: 3, step: spawn9 as never });
  lab.host.handle({ type: 'sim.branch', id: 4, branch: 1 });
  lab.host.handle({ type: 'sim.seek', id: 5, to: 4 });
  lab.host.handle({ type: 'sim.complete', id: 6, request: 1, result: 'eio' });
  lab.host.handle({ type: 'sim.run', id: 7, thread: 't2' });
  lab.host.handle({ type: 'sim.seek', id: 8, to: 5 });
  return lab;
}

const steps = walkthrough().steps;
const shownSteps: Step[] = [...steps.slice(0, 4), { complete: 1, result: 'eio' }, { run: 't2' }];
const saved = (): SavedBranches => ({
  lines: [
    { parent: null, forkAt: 0, steps },
    { parent: 1, forkAt: 2, steps: [spawn9] },
    { parent: 1, forkAt: 4, steps: null },
  ],
  current: 3,
});

function reopen(branches: SavedBranches) {
  const lab = harness();
  const text = JSON.stringify({ ...walkthrough(), steps: shownSteps });
  lab.host.handle({ type: 'sim.open', id: 1, source: { kind: 'text', text }, origin: 'Saved', cursor: 5, branches });
  return lab;
}

describe("a saved session's branches", () => {
  it('come back with their names, fork points, steps and states, the branch shown at its cursor', () => {
    const before = lecture();
    const after = reopen(saved());
    expect(after.events.some((e) => e.type === 'sim.error')).toBe(false);
    expect(after.last().branches).toEqual(before.last().branches);
    expect([after.last().branch, after.last().cursor, after.last().notice]).toEqual([3, 5, undefined]);
    expect(after.shown()).toEqual(before.shown());
    // The UI is sent the branches it does not show, whose steps a save keeps.
    expect(after.last().otherBranches).toEqual([
      { id: 1, steps },
      { id: 2, steps: [...steps.slice(0, 2), spawn9] },
    ]);
    for (const [id, branch] of [2, 1].entries()) {
      before.host.handle({ type: 'sim.branch', id: 20 + id, branch });
      after.host.handle({ type: 'sim.branch', id: 20 + id, branch });
      before.host.handle({ type: 'sim.seek', id: 30 + id, to: 3 });
      after.host.handle({ type: 'sim.seek', id: 30 + id, to: 3 });
      expect(after.shown()).toEqual(before.shown());
      expect(after.last().length).toBe(before.last().length);
    }
  });

  it.each([
    [
      'a fork after its parent ends',
      { lines: [saved().lines[0]!, { parent: 1, forkAt: 12, steps: [spawn9] }, saved().lines[2]!], current: 3 },
      'Branch 2: forkAt: step 12 is not before the last step of Branch 1 (12)',
    ],
    [
      'a step the engine refuses',
      {
        lines: [saved().lines[0]!, { parent: 1, forkAt: 2, steps: [{ complete: 9, result: 'ok' }] }, saved().lines[2]!],
        current: 3,
      },
      'Branch 2, step 3: request 9 is not in flight',
    ],
    [
      'a step that is not a step',
      { lines: [saved().lines[0]!, { parent: 1, forkAt: 2, steps: [{ fly: 't1' }] }, saved().lines[2]!], current: 3 },
      'Branch 2: step 3: fly: unknown key (a step has one of spawn, run, step or complete)',
    ],
    [
      'a branch shown that is another',
      {
        lines: [saved().lines[0]!, saved().lines[1]!, { parent: 1, forkAt: 4, steps: [{ complete: 1, result: 'ok' }] }],
        current: 3,
      },
      'Branch 3: it is not the branch the session shows',
    ],
    ['no list', { current: 1 }, 'expected a list of branches'],
    [
      'too many to read',
      {
        lines: [
          saved().lines[0]!,
          ...Array.from({ length: 98 }, () => ({ parent: 1, forkAt: 11, steps: Array(5200).fill({ step: 't4' }) })),
          { parent: 1, forkAt: 4, steps: null },
        ],
        current: 100,
      },
      'Branch 97: the branches hold more than 500,000 steps to read; the save is too big to restore',
    ],
  ])('that cannot be made again (%s) are said; the branch shown opens alone', (_, branches, why) => {
    const lab = reopen(branches as unknown as SavedBranches);
    expect(lab.events.some((e) => e.type === 'sim.error')).toBe(false);
    const last = lab.last();
    expect(last.notice).toBe(
      `The saved session's other branches could not be restored (${why}); the branch shown is open alone.`,
    );
    expect([last.branches.length, last.branch, last.cursor, last.length]).toEqual([1, 1, 5, 6]);
    const alone = harness();
    alone.host.handle({ type: 'sim.load', id: 1, scenario: { ...walkthrough(), steps: shownSteps }, cursor: 5 });
    expect(lab.shown()).toEqual(alone.shown());
  });
});
