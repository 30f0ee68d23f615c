/**
 * Findings a caller bug leads to are named as such: a `uvn_detach` or `uvn_reference` started when the calls
 * before it hold no reference (the contract runs it as written; the explorer searches it like any order).
 */
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { callerBugIn } from '../src/engine/explore/caller-bug';
import { DEFAULT_CHOICE } from '../src/protocol/explore';
import { setupOf } from '../src/protocol/scenario';
import { exploreHarness, library } from './host-harness';

describe('caller bugs', () => {
  it('are the library scenarios written as one, and no other', () => {
    const bugs = readdirSync('scenarios')
      .filter((f) => f.endsWith('.json'))
      .map((f) => [f, library(f.replace(/\.json$/, ''))] as const)
      .map(([f, sc]) => [f, callerBugIn(setupOf(sc), sc.steps)] as const)
      .filter(([, bug]) => bug !== null);
    expect(bugs).toEqual([
      ['detach-without-reference-then-attach-kassert.json', 't1 starts uvn_detach(vn1) with no reference to give back'],
      [
        'mmap-uncache-unlocks-vnode-lock-another-thread-holds-panics.json',
        't3 starts uvn_detach(vn1) with no reference to give back',
      ],
      [
        'mmap-uncache-unlocks-vnode-lock-nobody-holds-panics.json',
        't3 starts uvn_detach(vn1) with no reference to give back',
      ],
      [
        'persisting-uvn-stray-references-vrele-panics-ref-cnt.json',
        't3 starts uvn_reference(vn1) with no reference to share',
      ],
    ]);
  });

  it("name the explorer's findings of an order where munmap comes before mmap returned; the kernel's own do not", () => {
    const { host, events, drain } = exploreHarness();
    const scenario = library('cluster-offset-out-of-range-panic');
    host.handle({ type: 'explore.start', run: 1, scenario, choice: { ...DEFAULT_CHOICE, maxSchedules: 3000 } });
    drain();
    const done = events.find((e) => e.type === 'explore.done');
    if (done?.type !== 'explore.done') throw new Error('the search did not end');
    const kassert = done.findings.find((f) => f.message.includes('"uvn->u_obj.uo_refs == 0" failed'));
    expect(kassert?.callerBug).toBe('t2 starts uvn_detach(vn1) with no reference to give back');
    // Each finding is either the kernel's or a caller bug's, never unsaid.
    for (const f of done.findings) expect(f.callerBug === null || /^t\d+ starts uvn_/.test(f.callerBug)).toBe(true);
  });
});
