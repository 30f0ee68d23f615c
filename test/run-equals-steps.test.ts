/**
 * `{"run": T}` is T stepped until it blocks, returns or panics: for random schedules of both pagers, the
 * state after the schedule as written equals the state after each `run` is replaced by single `step`s. A
 * `run` that took a shortcut a stepped thread does not (or the reverse) shows here as a different digest.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PagerEngine } from '../src/engine/engine';
import { chooseStep, prng, randomCaller, randomChoice } from '../src/engine/explore/random';
import type { Setup, Step, VnodeSpec } from '../src/protocol/scenario';
import { drive } from './freebsd-property-lib';
import { choiceArb, setupArb } from '../tools/freebsd-property-gen';

/** The final digest (without its step number) of `steps`, each `run` replaced by steps when `stepped`. */
function finalState(setup: Setup, steps: readonly Step[], stepped: boolean): string {
  const e = new PagerEngine(setup);
  for (const s of steps) {
    if (stepped && 'run' in s && e.k.thread(s.run)?.status === 'ready') {
      while (e.k.thread(s.run)?.status === 'ready' && !e.k.s.panic) expect(e.apply({ step: s.run })).toBeNull();
      continue;
    }
    expect(e.apply(s)).toBeNull();
  }
  const { step: _, ...rest } = e.digest() as { step: number };
  return JSON.stringify(rest);
}

function openbsdSchedule(seed: number, disciplined: boolean): { setup: Setup; steps: Step[] } {
  const rand = prng(seed);
  const sizes = [0, 1, 4096, 8192, 12288, 40000];
  const vnodes = Array.from({ length: 1 + Math.floor(rand() * 3) }, (_, i): VnodeSpec => ({
    name: `vn${i + 1}`,
    size: sizes[Math.floor(rand() * sizes.length)]!,
    type: rand() < 0.15 ? 'VBLK' : 'VREG',
    mount: rand() < 0.7 ? 'm1' : 'm2',
    usecount: Math.floor(rand() * 3),
  }));
  const setup: Setup = { pager: 'openbsd', machine: { physPages: 1 + Math.floor(rand() * 5) }, vnodes };
  const caller = randomCaller(setup, disciplined);
  const e = new PagerEngine(setup);
  const steps: Step[] = [];
  for (let i = 0; i < 80 && !e.k.s.panic; i++) {
    const step = chooseStep(e, caller, randomChoice(rand));
    if (e.apply(step) !== null) continue;
    caller.accepted(e, step);
    steps.push(step);
  }
  return { setup, steps };
}

describe('a run is its thread stepped until it blocks or returns', () => {
  it('OpenBSD, 400 random schedules', () => {
    let runs = 0;
    for (let seed = 1; seed <= 200; seed++)
      for (const disciplined of [true, false]) {
        const { setup, steps } = openbsdSchedule(seed, disciplined);
        runs += steps.filter((s) => 'run' in s).length;
        expect(finalState(setup, steps, true), JSON.stringify({ ...setup, steps })).toBe(
          finalState(setup, steps, false),
        );
      }
    expect(runs).toBeGreaterThan(1000);
  });

  it('FreeBSD, 240 random schedules', () => {
    const setups = fc.sample(setupArb, { seed: 7, numRuns: 120 });
    const schedules = fc.sample(fc.array(choiceArb, { minLength: 20, maxLength: 80 }), { seed: 11, numRuns: 120 });
    let runs = 0;
    setups.forEach((setup, i) => {
      for (const disciplined of [true, false]) {
        const { steps } = drive(setup, schedules[i]!, disciplined);
        runs += steps.filter((s) => 'run' in s).length;
        expect(finalState(setup, steps, true), JSON.stringify({ ...setup, steps })).toBe(
          finalState(setup, steps, false),
        );
      }
    });
    expect(runs).toBeGreaterThan(1000);
  });
});
