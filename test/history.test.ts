/**
 * A session's history as keyframes plus per-step records, and forks that
 * start from a checkpoint: every stored snapshot equals the one a fresh
 * engine builds after replaying the same steps, and an engine rebuilt from a
 * checkpoint reaches the digests of a replay from the start.
 */
import { describe, expect, it } from 'vitest';
import { PagerEngine } from '../src/engine/engine';
import { KEY } from '../src/engine/history';
import { Session } from '../src/engine/session';
import { SnapshotBuilder } from '../src/engine/view';
import type { Setup, Step } from '../src/protocol/scenario';
import { sessionSteps, SESSION_SETUP } from '../tools/workloads';

/** The snapshot a fresh engine and builder give after `steps`, as JSON (the trail aside: a builder has none). */
function freshSnapshot(setup: Setup, steps: readonly Step[]): string {
  const engine = new PagerEngine(setup);
  for (const step of steps) engine.apply(step);
  const { trail: _, ...rest } = new SnapshotBuilder(engine.k, engine.model).build(steps.length);
  return JSON.stringify(rest);
}

const withoutTrail = (s: object) => {
  const { trail: _, ...rest } = s as { trail: unknown };
  return JSON.stringify(rest);
};

describe('history: keyframes and records', () => {
  const steps = sessionSteps(2 * KEY + 17, 11);

  it('gives back every step as a fresh replay builds it, going back and jumping about', () => {
    const session = new Session(SESSION_SETUP);
    for (const step of steps) expect(session.apply(step)).toBeNull();
    // What a new builder makes of a fresh engine at each step looked at (one engine, stepped forward once).
    const looked = new Set([KEY, KEY - 1, 2 * KEY + 1, 5, steps.length]);
    for (let at = steps.length; at >= 0; at -= 7) looked.add(at);
    const fresh = new Map<number, string>();
    const engine = new PagerEngine(SESSION_SETUP);
    for (let at = 0; at <= steps.length; at++) {
      if (looked.has(at)) fresh.set(at, withoutTrail(new SnapshotBuilder(engine.k, engine.model).build(at)));
      if (at < steps.length) engine.apply(steps[at]!);
    }
    // Backwards seven at a time, then a few jumps across keyframes.
    for (let at = steps.length; at >= 0; at -= 7) expect(withoutTrail(session.seek(at))).toBe(fresh.get(at));
    for (const at of [KEY, KEY - 1, 2 * KEY + 1, 5, steps.length])
      expect(withoutTrail(session.seek(at))).toBe(fresh.get(at));
  });

  it('keeps each step’s trail and label across keyframes', () => {
    const session = new Session(SESSION_SETUP);
    const trails = [];
    for (const step of steps) {
      expect(session.apply(step)).toBeNull();
      trails.push(session.snapshot().trail);
    }
    for (let at = 1; at <= steps.length; at++) expect(session.trailAt(at)).toEqual(trails[at - 1]);
    session.seek(KEY + 3);
    expect(session.snapshot().trail).toEqual(trails[KEY + 2]);
  });
});

describe('forks from checkpoints', () => {
  const steps = sessionSteps(900, 5);

  it('takes checkpoints where no thread is inside a call, and forks from them exactly', () => {
    const session = new Session(SESSION_SETUP);
    for (const step of steps) expect(session.apply(step)).toBeNull();
    const checkpoints = session.checkpoints;
    expect(checkpoints.length).toBeGreaterThanOrEqual(3);
    // A fork just after a checkpoint, just before one, and between two.
    for (const at of [checkpoints[0]!, checkpoints[1]! - 1, checkpoints[1]! + 5, steps.length - 3]) {
      session.switchBranch(1);
      session.seek(at);
      const step: Step = { spawn: `x${at}`, call: 'uvm_vnp_sync', args: {} };
      expect(session.apply(step)).toBeNull();
      const replayed = new PagerEngine(SESSION_SETUP);
      for (const s of [...steps.slice(0, at), step]) replayed.apply(s);
      expect(session.digest()).toEqual(replayed.digest());
      expect(withoutTrail(session.snapshot())).toBe(freshSnapshot(SESSION_SETUP, [...steps.slice(0, at), step]));
      // The old future is kept as branch 1.
      expect(session.branches.find((b) => b.id === 1)!.length).toBe(steps.length);
    }
  });

  it('restores a checkpoint whose threads were spawned but not yet run', () => {
    const session = new Session(SESSION_SETUP);
    for (const step of steps.slice(0, 6)) expect(session.apply(step)).toBeNull();
    // Spawn two threads and leave them unstarted over a long stretch: the kernel stays quiet.
    expect(
      session.apply({ spawn: 'late1', call: 'fault', args: { vnode: 'vn1', offset: 0, access: 'read' } }),
    ).toBeNull();
    expect(session.apply({ spawn: 'late2', call: 'uvm_vnp_sync', args: {} })).toBeNull();
    const tail = steps.slice(6, 400);
    for (const step of tail) expect(session.apply(step)).toBeNull();
    const first = session.checkpoints[0]!;
    expect(first).toBeGreaterThan(8);
    session.seek(first + 1);
    expect(session.apply({ run: 'late1' })).toBeNull();
    const replayed = new PagerEngine(SESSION_SETUP);
    const all: Step[] = [
      ...steps.slice(0, 6),
      { spawn: 'late1', call: 'fault', args: { vnode: 'vn1', offset: 0, access: 'read' } },
      { spawn: 'late2', call: 'uvm_vnp_sync', args: {} },
      ...tail,
    ].slice(0, first + 1);
    for (const s of [...all, { run: 'late1' }]) replayed.apply(s);
    expect(session.digest()).toEqual(replayed.digest());
  });
});
