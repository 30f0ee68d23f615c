/**
 * An open answers first (link-open3): the engine alone replays the steps (engine/quick-replay.ts), the lab is
 * answered with the state at the target step and the timeline, and the history is built behind the answer.
 * What the answer says must be what the Session, built the old way, says: every label, every trail, the
 * snapshot at the target and the change set against the step before, on every library scenario of both
 * pagers and on random schedules; and a command right after the open (back, jump, an act on a past step)
 * is answered from the complete history.
 */
import { describe, expect, it } from 'vitest';
import { quickReplay, type QuickReplay } from '../src/engine/quick-replay';
import { Session } from '../src/engine/session';
import { applyDelta } from '../src/protocol/delta';
import type { SimEvent } from '../src/protocol/messages';
import { setupOf, type Scenario, type Step } from '../src/protocol/scenario';
import type { ViewSnapshot } from '../src/protocol/snapshot';
import { unpackTimeline } from '../src/protocol/timeline';
import { library, randomSchedule } from './library-schedules';
import { SimHost } from '../src/worker/sim-host';
import { msyncScenario } from '../tools/workloads';

function replay(scenario: Scenario, steps: readonly Step[], target: number): QuickReplay {
  const run = quickReplay(setupOf(scenario), steps, target);
  let next = run.next();
  while (!next.done) next = run.next();
  if ('refusal' in next.value) throw new Error(`step ${next.value.at + 1}: ${next.value.refusal}`);
  return next.value;
}

/** The quick replay of `steps` says what a Session that applied them says, at the end and at `targets`. */
function check(scenario: Scenario, steps: readonly Step[], targets: readonly number[]): void {
  const session = new Session(setupOf(scenario));
  for (const step of steps) expect(session.apply(step, { loading: true })).toBeNull();
  for (const target of targets) {
    const quick = replay(scenario, steps, target);
    expect(quick.labels).toEqual(session.labels);
    expect(steps.map((_, i) => quick.trail(i))).toEqual(steps.map((_, i) => session.trailAt(i + 1)));
    session.seek(target);
    expect(quick.snapshot).toEqual(session.snapshot());
    expect(quick.before).toEqual(target === 0 ? null : session.snapshot(target - 1));
    expect(quick.profile).toBe(session.profile);
  }
}

describe('an open answered from the engine alone', () => {
  const scenarios = library();

  it('labels, trails, the snapshot and the one before it are the Session’s, on every library scenario', () => {
    for (const scenario of scenarios) {
      const n = scenario.steps.length;
      check(scenario, scenario.steps, [...new Set([n, Math.floor(n / 2), 0])]);
    }
  });

  it('the same on random schedules of both pagers', () => {
    for (const [i, scenario] of scenarios.entries()) {
      if (i % 2 !== 0) continue;
      const steps = randomSchedule(scenario, i + 7);
      check(scenario, steps, [steps.length, Math.floor(steps.length / 3)]);
    }
  });

  it('with `due`, yields only after a step when the host’s slice is over, and answers the same', () => {
    const scenario = msyncScenario(30);
    const n = scenario.steps.length;
    const every = replay(scenario, scenario.steps, n);
    let calls = 0;
    const run = quickReplay(setupOf(scenario), scenario.steps, n, () => ++calls % 25 === 0);
    const yielded: number[] = [];
    let next = run.next();
    for (; !next.done; next = run.next()) yielded.push(next.value);
    expect(calls).toBe(n);
    expect(yielded).toEqual(scenario.steps.map((_, i) => i + 1).filter((i) => i % 25 === 0));
    expect(next.value).toEqual(every);
    const never = quickReplay(setupOf(scenario), scenario.steps, n, () => false).next();
    expect(never.done).toBe(true);
    expect(never.value).toEqual(every);
  });

  it('refuses the first impossible step, as a Session would', () => {
    const scenario = scenarios.find((s) => s.pager === 'openbsd' && s.steps.length > 3)!;
    const steps: Step[] = [...scenario.steps.slice(0, 2), { run: 'nobody' }, ...scenario.steps.slice(2)];
    const run = quickReplay(setupOf(scenario), steps, steps.length);
    let next = run.next();
    while (!next.done) next = run.next();
    const session = new Session(setupOf(scenario));
    session.apply(steps[0]!);
    session.apply(steps[1]!);
    expect(next.value).toEqual({ at: 2, refusal: session.apply(steps[2]!) });
  });
});

/** A host whose slices are one unit long and whose next slice comes when the test says. */
function slicedHost() {
  const events: SimEvent[] = [];
  const waiting: (() => void)[] = [];
  let shown: ViewSnapshot | null = null;
  const host = new SimHost(
    (e) => {
      events.push(e);
      if (e.type === 'sim.snapshot') shown = applyDelta(shown, e.delta);
    },
    undefined,
    { sliceMs: 0, yieldToQueue: () => new Promise<void>((resolve) => waiting.push(resolve)) },
  );
  const slices = async (n: number) => {
    for (let i = 0; i < n && waiting.length > 0; i++) {
      waiting.shift()!();
      await Promise.resolve();
      await Promise.resolve();
    }
  };
  return { host, events, slices, waiting, shown: () => shown! };
}

describe('the history behind the answer', () => {
  const scenario = msyncScenario(40);
  const total = scenario.steps.length;
  const session = new Session(setupOf(scenario));
  for (const step of scenario.steps) session.apply(step, { loading: true });

  it('answers before the history is built, then a back, a jump and an act on a past step are right', async () => {
    const { host, events, slices, waiting, shown } = slicedHost();
    const open = host.handle({ type: 'sim.load', id: 1, scenario });
    // The engine's replay: one slice per step, with progress.
    while (!events.some((e) => e.type === 'sim.snapshot')) await slices(1);
    const answer = events.find((e) => e.type === 'sim.snapshot')!;
    expect(answer).toMatchObject({ id: 1, length: total, cursor: total, timelineFrom: 0 });
    if (answer.type !== 'sim.snapshot') return;
    expect(answer.timeline.map((t) => t.label)).toEqual(session.labels);
    expect(answer.changes).toEqual(session.changes(total));
    expect(shown()).toEqual(session.snapshot(total));
    // Still building the history: the job runs on, quietly (no progress, a Cancel changes nothing).
    expect(host.busy).toBe(true);
    const posted = events.length;
    host.handle({ type: 'sim.cancel', id: 2 });
    await slices(10);
    expect(host.busy).toBe(true);
    while (waiting.length > 0) await slices(1);
    await open;
    expect(host.busy).toBe(false);
    expect(events.length).toBe(posted);
    // The worker queues commands behind the job: what comes next sees the whole history.
    host.handle({ type: 'sim.seek', id: 3, to: total - 1 });
    expect(events.at(-1)).toMatchObject({ type: 'sim.snapshot', id: 3, cursor: total - 1 });
    expect(shown()).toEqual(session.snapshot(total - 1));
    host.handle({ type: 'sim.seek', id: 4, to: 7 });
    expect(shown()).toEqual(session.snapshot(7));
    host.handle({ type: 'sim.seek', id: 5, to: total });
    expect(shown()).toEqual(session.snapshot(total));
    host.handle({ type: 'sim.seek', id: 6, to: 9 });
    host.handle({
      type: 'sim.spawn',
      id: 7,
      step: { spawn: 'late', call: 'fault', args: { vnode: 'big', offset: 0, access: 'read' } },
    });
    const forked = events.at(-1)!;
    expect(forked).toMatchObject({ type: 'sim.snapshot', id: 7, cursor: 10, length: 10, branch: 2 });
    const fresh = new Session(setupOf(scenario));
    for (const step of scenario.steps.slice(0, 9)) fresh.apply(step);
    fresh.apply({ spawn: 'late', call: 'fault', args: { vnode: 'big', offset: 0, access: 'read' } });
    expect(shown()).toEqual(fresh.snapshot());
  });

  it('answers at the link’s step (`&at=N`), with the change set of that step, and a Cancel before the answer keeps the session before', async () => {
    const { host, events, slices, waiting, shown } = slicedHost();
    const open = host.handle({ type: 'sim.load', id: 1, scenario, cursor: 50 });
    while (waiting.length > 0) await slices(1);
    await open;
    expect(events.filter((e) => e.type === 'sim.snapshot')).toHaveLength(1);
    expect(events.at(-1)).toMatchObject({ type: 'sim.snapshot', cursor: 50, length: total });
    expect(shown()).toEqual(session.snapshot(50));
    const answer = events.at(-1)!;
    if (answer.type === 'sim.snapshot') expect(answer.changes).toEqual(session.changes(50));
    const again = host.handle({ type: 'sim.load', id: 2, scenario: msyncScenario(60) });
    await slices(20);
    host.handle({ type: 'sim.cancel', id: 3 });
    while (waiting.length > 0) await slices(1);
    await again;
    expect(events.at(-1)).toMatchObject({ type: 'sim.error', id: 2 });
    host.handle({ type: 'sim.seek', id: 4, to: total });
    expect(events.at(-1)).toMatchObject({ type: 'sim.snapshot', length: total, cursor: total });
    expect(shown()).toEqual(session.snapshot(total));
  });
});

describe('a Cancel that arrives after the answer', () => {
  it('brings back the session before, as a Cancel before the answer keeps it', async () => {
    const { host, events, slices, waiting, shown } = slicedHost();
    const small = msyncScenario(3);
    const first = host.handle({ type: 'sim.load', id: 1, scenario: small, cursor: 5 });
    while (waiting.length > 0) await slices(1);
    await first;
    const before = new Session(setupOf(small));
    for (const step of small.steps) before.apply(step);
    const scenario = msyncScenario(40);
    const open = host.handle({ type: 'sim.load', id: 2, scenario });
    while (events.filter((e) => e.type === 'sim.snapshot').length < 2) await slices(1);
    expect(events.at(-1)).toMatchObject({ type: 'sim.snapshot', id: 2, length: scenario.steps.length });
    // The person pressed Cancel while the progress showed; it reaches the worker after the answer.
    host.handle({ type: 'sim.cancel', id: 3 });
    while (waiting.length > 0) await slices(1);
    await open;
    const [restored, error] = events.slice(-2);
    expect(restored).toMatchObject({ type: 'sim.snapshot', id: 2, length: small.steps.length, cursor: 5 });
    expect(restored).toMatchObject({ loaded: { ...small, steps: small.steps } });
    expect(error).toMatchObject({ type: 'sim.error', id: 2 });
    expect((error as { message: string }).message).toMatch(
      /^loading cancelled after \d+ of 163 steps; the session before it is still open$/,
    );
    expect(shown()).toEqual(before.snapshot(5));
    host.handle({ type: 'sim.seek', id: 4, to: small.steps.length });
    expect(shown()).toEqual(before.snapshot(small.steps.length));
  });
});

describe('a long timeline on the wire', () => {
  it('is packed, and the entries the client makes from it are the Session’s labels and trails', () => {
    const scenario = msyncScenario(150);
    const session = new Session(setupOf(scenario));
    for (const step of scenario.steps) session.apply(step, { loading: true });
    const events: SimEvent[] = [];
    const host = new SimHost((e) => events.push(e));
    host.handle({ type: 'sim.load', id: 1, scenario, cursor: 100 });
    const answer = events.at(-1)!;
    if (answer.type !== 'sim.snapshot') throw new Error(`expected a snapshot, got ${answer.type}`);
    expect(answer.timeline).toEqual([]);
    expect(answer.packed!.labels).toHaveLength(scenario.steps.length);
    const entries = unpackTimeline(answer.timelineFrom, answer.packed!);
    expect(entries.map((e) => e.index)).toEqual(scenario.steps.map((_, i) => i + 1));
    expect(entries.map((e) => e.label)).toEqual(session.labels);
    // Read twice: decoded once, then the same object.
    expect(entries.map((e) => e.trail)).toEqual(scenario.steps.map((_, i) => session.trailAt(i + 1)));
    expect(entries[5]!.trail).toBe(entries[5]!.trail);
    // A few entries (one step's) go as they are: f24 waits for request 25 at step 100 (the branch went on with
    // an 'ok': an error starts a new one).
    host.handle({ type: 'sim.complete', id: 2, request: 25, result: 'eio' });
    const step = events.at(-1)!;
    expect(step).toMatchObject({ type: 'sim.snapshot', timelineFrom: 100 });
    if (step.type === 'sim.snapshot') {
      expect(step.packed).toBeUndefined();
      expect(step.timeline).toHaveLength(1);
    }
  });
});
