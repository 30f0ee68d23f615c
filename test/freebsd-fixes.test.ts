/**
 * Differences between the FreeBSD model and vnode_pager.c or the contract found in review, each pinned by
 * the digest values a person can check against the C (the seed line or contract sentence is named).
 */
import { describe, expect, it } from 'vitest';
import type { FreeBsdDigest } from '../src/engine/freebsd/views';
import { scenarioDigests } from '../src/engine/run-scenario';
import { formatScenarioError, parseScenario } from '../src/scenario/schema';

type Json = Record<string, unknown>;
const sp = (t: string, call: string, args: Json) => ({ spawn: t, call, args });
const run = (t: string) => ({ run: t });

function play(setup: Json, steps: Json[]) {
  const parsed = parseScenario({ format: 'pager-scenario/1', pager: 'freebsd', ...setup, steps });
  if (!parsed.ok) throw new Error(formatScenarioError(parsed.error));
  const r = scenarioDigests(parsed.scenario);
  return { ...r, last: r.digests.at(-1) as FreeBsdDigest };
}

describe('spawn-time preconditions', () => {
  it('vrele of the only open is possible: the count is of the vreles spawned before this one', () => {
    // Contract: "initial usecount plus the vnode's vref threads that are done, minus the vreles spawned before".
    const { refused, last } = play({ vnodes: [{ name: 'vn1', size: 4096 }] }, [
      sp('t1', 'vrele', { vnode: 'vn1' }),
      run('t1'),
    ]);
    expect(refused).toBeNull();
    expect(last.vnodes[0]).toMatchObject({ usecount: 0, state: 'free' });
    expect(last.threads[0]).toMatchObject({ status: 'done', ret: null });
    const second = play({ vnodes: [{ name: 'vn1', size: 4096 }] }, [
      sp('t1', 'vrele', { vnode: 'vn1' }),
      sp('t2', 'vrele', { vnode: 'vn1' }),
    ]);
    expect(second.refused).toEqual({
      step: 1,
      reason: 'vrele: every open of vn1 that is done has already been released',
    });
  });
});
