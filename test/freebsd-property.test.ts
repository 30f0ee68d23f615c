/**
 * Property tests of the FreeBSD model (generators in tools/freebsd-property-gen.ts, checks and driver in
 * freebsd-property-lib.ts): thousands of random setups and schedules of every call, disciplined and
 * chaotic callers. After every step nothing throws, the digest is exactly the contract's "FreeBSD
 * digest", a refused step changes nothing, the incremental view snapshot equals a fresh one and, until a
 * panic, the kernel invariants of src/engine/freebsd/invariants.ts hold; the accepted steps replay to the
 * same digests through the scenario reader and the runner, and a second drive of the same choices gives
 * the same digests.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { scenarioDigests } from '../src/engine/run-scenario';
import { parseScenario } from '../src/scenario/schema';
import { CALL_WEIGHTS, choiceArb, setupArb } from '../tools/freebsd-property-gen';
import { drive, note, panics, scenarioOf, stats } from './freebsd-property-lib';

/**
 * About 20 s of CPU; the limit is wall time, generous because the machine these tests share may be busy.
 * Speed is not what these tests check.
 */
const LOADED_MACHINE = 600_000;

const breathe = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('FreeBSD model properties', () => {
  it(
    'random schedules: no throw, well-formed digests, invariants, refusals change nothing, replay is exact',
    async () => {
      await fc.assert(
        fc.asyncProperty(
          setupArb,
          fc.array(choiceArb, { minLength: 1, maxLength: 50, size: 'max' }),
          fc.boolean(),
          async (setup, choices, disciplined) => {
            await breathe();
            const run = drive(setup, choices, disciplined);
            note(run, disciplined);
            const parsed = parseScenario(JSON.stringify(scenarioOf(setup, run.steps)));
            expect(parsed.ok ? null : parsed.error).toBeNull();
            if (!parsed.ok) return;
            const replay = scenarioDigests(parsed.scenario);
            expect(replay.refused).toBeNull();
            expect(replay.digests.map((d) => JSON.stringify(d))).toEqual(run.digests);
          },
        ),
        { numRuns: 2000 },
      );
    },
    LOADED_MACHINE,
  );

  it(
    'long disciplined schedules reach deep states and replay identically',
    async () => {
      let longest = 0;
      await fc.assert(
        fc.asyncProperty(
          setupArb,
          fc.array(choiceArb, { minLength: 120, maxLength: 200, size: 'max' }),
          async (setup, choices) => {
            await breathe();
            const run = drive(setup, choices, true);
            longest = Math.max(longest, run.steps.length);
            note(run, true);
            expect(drive(setup, choices, true).digests).toEqual(run.digests);
          },
        ),
        { numRuns: 60, endOnFailure: !!process.env.PROPERTY_NO_PANIC },
      );
      // Deep: some schedule ran at least 100 accepted steps before ending or panicking.
      expect(longest).toBeGreaterThanOrEqual(100);
    },
    LOADED_MACHINE,
  );

  it('covered enough', () => {
    // Not a property: a guard that the generators keep reaching the interesting states.
    expect(stats.runs).toBeGreaterThanOrEqual(2060);
    expect(stats.refused).toBeGreaterThan(0);
    expect(stats.io).toBeGreaterThan(0);
    for (const [call] of CALL_WEIGHTS) expect(stats.calls.get(call) ?? 0, call).toBeGreaterThan(20);
    const lines = [...panics.entries()].sort((a, b) => b[1] - a[1]).map(([m, n]) => `  ${n} × ${m}`);
    console.log(
      `FreeBSD property runs: ${stats.runs}; ${stats.steps} steps accepted, ${stats.refused} refused; ` +
        `${stats.panics} runs ended in a panic:\n${lines.join('\n')}`,
    );
  });
});
