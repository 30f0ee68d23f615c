/**
 * The builder's list hints (engine/list-hints.ts listHint): a snapshot copied out after another says where its
 * page and thread lists differ, so the worker's delta and change set of a step look at what changed only.
 * With the hint they must be exactly what the whole compare gives, on every step of every library
 * scenario of both pagers and on random schedules.
 */
import { describe, expect, it } from 'vitest';
import { Session } from '../src/engine/session';
import { listHint } from '../src/engine/list-hints';
import { changesBetween } from '../src/protocol/changes';
import { diffSnapshots } from '../src/protocol/delta';
import { setupOf, type Scenario, type Step } from '../src/protocol/scenario';
import { library, randomSchedule } from './library-schedules';

/** Hinted steps whose page list grew (a page came past the end of the list). */
let grown = 0;

/** Steps `steps` on a session, asking for each snapshot as the worker does; how many steps had a hint. */
function checkSteps(scenario: Scenario, steps: readonly Step[]): number {
  const session = new Session(setupOf(scenario));
  let shown = session.snapshot();
  let hinted = 0;
  for (const step of steps) {
    if (session.apply(step) !== null) continue;
    const now = session.snapshot();
    const hint = listHint(shown, now);
    if (hint) {
      hinted++;
      if (now.pages.length > shown.pages.length) grown++;
      expect(diffSnapshots(shown, now, null, hint)).toEqual(diffSnapshots(shown, now));
      expect(changesBetween(shown, now, hint)).toEqual(changesBetween(shown, now));
    }
    // The session's own change set (against the snapshot shown before the step) is the whole compare's.
    expect(session.changes()).toEqual(changesBetween(shown, now));
    shown = now;
  }
  return hinted;
}

describe('list hints', () => {
  const scenarios = library();

  it('give the same deltas and change sets as the whole compare, on every library step', () => {
    let hinted = 0;
    let steps = 0;
    for (const scenario of scenarios) {
      hinted += checkSteps(scenario, scenario.steps);
      steps += scenario.steps.length;
    }
    // Most steps spawn nothing and move no page in or out: they are hinted (else this test checks nothing).
    expect(hinted).toBeGreaterThan(steps / 2);
    // Some bring a page past the end of the list, and are hinted too.
    expect(grown).toBeGreaterThan(10);
  });

  it('give the same on random schedules of both pagers', () => {
    let hinted = 0;
    for (const [i, scenario] of scenarios.entries()) {
      if (i % 3 !== 0) continue;
      hinted += checkSteps(scenario, randomSchedule(scenario, i + 1));
    }
    expect(hinted).toBeGreaterThan(100);
  });

  it('are only given from the snapshot a step was made from', () => {
    const scenario = scenarios.find((s) => s.steps.length > 4)!;
    const session = new Session(setupOf(scenario));
    const first = session.snapshot();
    session.apply(scenario.steps[0]!);
    const second = session.snapshot();
    session.apply(scenario.steps[1]!);
    const third = session.snapshot();
    expect(listHint(first, third)).toBeNull();
    expect(listHint(null, third)).toBeNull();
    expect(listHint(third, second)).toBeNull();
  });
});
