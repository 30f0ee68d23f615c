/**
 * The access log the explorer's reduction rests on (src/engine/explore/access.ts), checked against the
 * kernel it watches, on library scenarios and on random schedules (chaotic and disciplined callers):
 *
 * - the tracked engine behaves exactly as a plain one: the same digest after every step;
 * - every field a step changed, as a walk of the whole kernel state before and after shows, is in the
 *   step's logged writes (or in what its thread created, which counts as written wholesale);
 * - two steps the log calls independent commute: applied in either order from the same state, they
 *   leave the same kernel state.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PagerEngine } from '../src/engine/engine';
import { conflicts, UNTRACKED_KERNEL_FIELDS, type AccessTracker, type Footprint } from '../src/engine/explore/access';
import { prng, randomSteps } from '../src/engine/explore/random';
import { enabledStepsOf, stepLabel } from '../src/engine/explore/steps';
import { TrackedEngine } from '../src/engine/explore/tracked';
import type { Scenario, Setup, SpawnStep, Step } from '../src/protocol/scenario';
import { setupOf } from '../src/protocol/scenario';
import { parseScenario } from '../src/scenario/schema';

const library: Scenario[] = readdirSync('scenarios')
  .filter((f) => f.endsWith('.json'))
  .sort()
  .map((f) => {
    const parsed = parseScenario(readFileSync(join('scenarios', f), 'utf8'));
    if (!parsed.ok) throw new Error(`${f}: ${JSON.stringify(parsed.error)}`);
    return parsed.scenario;
  });

/** Every object of the kernel with its own fields (object values by identity), proxies seen through. */
function snapshot(tracker: AccessTracker): Map<object, Map<string, unknown>> {
  const out = new Map<object, Map<string, unknown>>();
  const queue: unknown[] = [tracker.raw];
  while (queue.length > 0) {
    const o = tracker.unwrap(queue.pop());
    if (typeof o !== 'object' || o === null || out.has(o)) continue;
    const fields = new Map<string, unknown>();
    out.set(o, fields);
    const entries: [string, unknown][] =
      o instanceof Map ? [...o].map(([k, v]) => [`#map:${String(k)}`, v]) : Object.entries(o);
    for (const [p, v0] of entries) {
      if (o === tracker.raw && UNTRACKED_KERNEL_FIELDS.has(p)) continue;
      const v = tracker.unwrap(v0);
      fields.set(p, v);
      if (typeof v === 'object' && v !== null) queue.push(v);
    }
  }
  return out;
}

/** The changed fields of objects present before and after that the footprint does not cover. */
function uncovered(
  tracker: AccessTracker,
  before: Map<object, Map<string, unknown>>,
  after: Map<object, Map<string, unknown>>,
  fp: Footprint,
): string[] {
  const missing: string[] = [];
  for (const [o, was] of before) {
    const now = after.get(o);
    if (!now) continue;
    const key = tracker.keyOf(o);
    const owners = key === null || !key.includes('#') ? [] : key.slice(0, key.indexOf('#')).split('+');
    const wholesale = owners.some((a) => fp.sticky.has(a));
    for (const p of new Set([...was.keys(), ...now.keys()])) {
      if (was.get(p) === now.get(p) && was.has(p) === now.has(p)) continue;
      if (wholesale) continue;
      const field = o instanceof Map ? `${key}.#all` : `${key}.${p}`;
      const keysChanged = was.has(p) !== now.has(p);
      if (!fp.writes.has(field) || (keysChanged && !(o instanceof Map) && !fp.writes.has(`${key}.#keys`)))
        missing.push(
          `${field} (${JSON.stringify(was.get(p)) ?? 'absent'} -> ${JSON.stringify(now.get(p)) ?? 'absent'})`,
        );
    }
  }
  return missing;
}

/** Apply `steps` on a tracked and a plain engine side by side, checking digests and write coverage. */
function audit(setup: Setup, steps: readonly Step[]): number {
  const te = new TrackedEngine(setup, []);
  const plain = new PagerEngine(setup);
  const tracker = te.tracker!;
  let checked = 0;
  for (const [i, step] of steps.entries()) {
    const before = snapshot(tracker);
    const fp = te.record(step);
    const refusal = plain.apply(step);
    const where = `step ${i} ${stepLabel(step)} of ${JSON.stringify({ ...setupOf(setup), steps: steps.slice(0, i + 1) })}`;
    expect(typeof fp === 'string' ? fp : null, where).toBe(refusal);
    if (typeof fp === 'string') continue;
    expect(JSON.stringify(te.engine.model.digest(te.k, i)), where).toBe(JSON.stringify(plain.model.digest(plain.k, i)));
    expect(uncovered(tracker, before, snapshot(tracker), fp), where).toEqual([]);
    // Neither model lists an object's properties in a step, so their order never matters (access.ts).
    expect(fp.enumerates, where).toBe(false);
    checked++;
  }
  return checked;
}

describe('access log', () => {
  it('sees every write of every library scenario, and changes nothing the engine does', () => {
    let checked = 0;
    for (const scenario of library) checked += audit(scenario, scenario.steps);
    expect(checked).toBeGreaterThan(400);
  });

  it('sees every write on random schedules of chaotic and disciplined callers', () => {
    let checked = 0;
    const openbsd = library.filter((s) => s.pager === 'openbsd');
    for (let seed = 1; seed <= 60; seed++) {
      const base = openbsd[seed % openbsd.length]!;
      const setup = setupOf(base);
      checked += audit(setup, randomSteps(setup, 60, seed, seed % 2 === 0));
    }
    expect(checked).toBeGreaterThan(2000);
  });

  it("sees every write on random schedules of every library scenario's spawns, either pager", () => {
    let checked = 0;
    for (const [n, scenario] of library.entries()) {
      const rand = prng(n + 1);
      const e = new PagerEngine(scenario);
      const steps: Step[] = [];
      for (const s of scenario.steps) if ('spawn' in s && e.apply(s) === null) steps.push(s);
      for (let i = 0; i < 60 && !e.k.s.panic; i++) {
        const options = enabledStepsOf(e.k, e.model, { results: ['ok', 'eio', 'short:100'] });
        if (options.length === 0) break;
        const step = options[Math.floor(rand() * options.length)]!;
        expect(e.apply(step)).toBeNull();
        steps.push(step);
      }
      checked += audit(scenario, steps);
    }
    expect(checked).toBeGreaterThan(900);
  });

  it('steps it calls independent commute', () => {
    let pairs = 0;
    let independent = 0;
    for (const scenario of library.filter((s) => s.steps.length <= 40)) {
      const spawns = scenario.steps.filter((s): s is SpawnStep => 'spawn' in s);
      // Walk one schedule (the scenario's own non-spawn steps), checking every pair at every state on it.
      const path: Step[] = [];
      for (const next of [...scenario.steps.filter((s) => !('spawn' in s)), null]) {
        const here = new TrackedEngine(scenario, spawns);
        for (const s of path) here.apply(s);
        const enabled = enabledStepsOf(here.k, here.engine.model).filter((s) => !('step' in s));
        const footprints = enabled.map((s) => {
          const e = new TrackedEngine(scenario, spawns);
          for (const p of path) e.apply(p);
          return e.record(s);
        });
        for (let i = 0; i < enabled.length; i++)
          for (let j = i + 1; j < enabled.length; j++) {
            const [fa, fb] = [footprints[i]!, footprints[j]!];
            if (typeof fa === 'string' || typeof fb === 'string') continue;
            pairs++;
            if (conflicts(fa, fb)) continue;
            independent++;
            const ends = [
              [enabled[i]!, enabled[j]!],
              [enabled[j]!, enabled[i]!],
            ].map(([a, b]) => {
              const e = new PagerEngine(scenario);
              const booted = spawns.filter((s) => !here.deferred.includes(s));
              for (const s of [...booted, ...path, a!, b!]) expect(e.apply(s)).toBeNull();
              return JSON.stringify(e.model.digest(e.k, 0));
            });
            expect(ends[0], `${stepLabel(enabled[i]!)} / ${stepLabel(enabled[j]!)} after ${path.map(stepLabel)}`).toBe(
              ends[1],
            );
          }
        if (next === null || here.apply(next) !== null) break;
        path.push(next);
      }
    }
    console.log(`access log: ${independent} of ${pairs} pairs of enabled steps independent, each checked to commute`);
    expect(pairs).toBeGreaterThan(50);
    expect(independent).toBeGreaterThan(5);
  });
});
