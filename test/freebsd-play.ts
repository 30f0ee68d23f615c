/**
 * Playing FreeBSD scenarios in tests: steps written short, a scenario's digests, and an engine stepped until a
 * thread stands where a test wants it.
 */
import { expect } from 'vitest';
import { PagerEngine } from '../src/engine/engine';
import type { FreeBsdDigest } from '../src/engine/freebsd/views';
import { scenarioDigests } from '../src/engine/run-scenario';
import { run, scenarioIn, sp, type Json } from './play';

export { run, sp, type Json };
export const create = [sp('t1', 'vnode_create_vobject', { vnode: 'vn1' }), run('t1')];
/** vn1's object, a shared rw mapping of `length` bytes (t2), and page 0 made dirty by a write fault (t3). */
export const dirtyPage0 = (length: number) => [
  ...create,
  sp('t2', 'mmap', { vnode: 'vn1', prot: 'rw', shared: true, length }),
  run('t2'),
  sp('t3', 'fault', { mapping: 't2', offset: 0, access: 'write' }),
  run('t3'),
  { complete: 1, result: 'ok' },
  run('t3'),
];

export function play(setup: Json, steps: Json[]) {
  const r = scenarioDigests(scenarioIn('freebsd', setup, steps));
  return { ...r, last: r.digests.at(-1) as FreeBsdDigest };
}

/** An engine after `steps`; then `until` steps `thread` one statement at a time until `at(thread)` holds. */
export function engineAfter(setup: Json, steps: Json[]) {
  const scenario = scenarioIn('freebsd', setup, steps);
  const e = new PagerEngine(scenario);
  for (const step of scenario.steps) expect(e.apply(step)).toBeNull();
  const until = (thread: string, at: (th: ReturnType<typeof e.k.thread> & object) => boolean) => {
    const th = e.k.thread(thread)!;
    while (!at(th)) expect(e.apply({ step: thread })).toBeNull();
    return th;
  };
  return { e, until, digest: () => e.digest() as FreeBsdDigest };
}
