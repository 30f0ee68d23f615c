/**
 * Debugger stepping on a session (step over, step out, run to line,
 * breakpoints), the branches a session keeps, and the worker host behind
 * them: every macro step is recorded as the primitive steps it made, so a
 * fresh engine replaying the history reaches the same digest.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { digestDiff } from '../src/engine/digest-diff';
import { PagerEngine } from '../src/engine/engine';
import { Session } from '../src/engine/session';
import { debugStep, type DebugResult } from '../src/engine/stepping';
import { applyDelta } from '../src/protocol/delta';
import type { SimEvent } from '../src/protocol/messages';
import { setupOf, type Scenario } from '../src/protocol/scenario';
import type { ThreadView, ViewSnapshot } from '../src/protocol/snapshot';
import { parseScenario } from '../src/scenario/schema';
import { SimHost } from '../src/worker/sim-host';

function library(name: string): Scenario {
  const parsed = parseScenario(readFileSync(`scenarios/${name}.json`, 'utf8'));
  if (!parsed.ok) throw new Error(`${name} must parse`);
  return parsed.scenario;
}

/** A session with the first `n` steps of a library scenario applied. */
function sessionAt(name: string, n: number): Session {
  const scenario = library(name);
  const session = new Session(setupOf(scenario));
  for (const step of scenario.steps.slice(0, n)) expect(session.apply(step)).toBeNull();
  return session;
}

const thread = (s: Session, id: string): ThreadView => s.snapshot().threads.find((t) => t.id === id)!;

function ok(r: DebugResult | string): DebugResult {
  if (typeof r === 'string') throw new Error(r);
  return r;
}

/** The digest a fresh engine reaches by replaying `steps`. */
function replayDigest(s: Session): unknown {
  const engine = new PagerEngine(s.setup);
  for (const step of s.history) expect(engine.apply(step)).toBeNull();
  return engine.digest();
}

// attach-reference-detach-persist: step 23 spawns t7, the last detach of a persisting uvn, which flushes at 330.
const DETACH = 'attach-reference-detach-persist';

describe('debugger stepping', () => {
  it('runs to a line, then steps over the uvn_flush call at 330 to line 331', () => {
    const s = sessionAt(DETACH, 24);
    const to = ok(debugStep(s, 't7', { kind: 'runTo', line: 330 }));
    expect(to.stop).toMatchObject({ reason: 'line', line: 330 });
    expect(to.applied.every((x) => 'step' in x && x.step === 't7')).toBe(true);
    expect(thread(s, 't7').stack).toEqual(['uvn_detach']);

    const over = ok(debugStep(s, 't7', { kind: 'over' }));
    expect(over.stop).toMatchObject({ thread: 't7', reason: 'step', line: 331 });
    // uvn_flush ran statement by statement inside: far more than one step, all primitives.
    expect(over.applied.length).toBeGreaterThan(10);
    expect(over.applied).toEqual(over.applied.map(() => ({ step: 't7' })));
    expect(thread(s, 't7').stack).toEqual(['uvn_detach']);
    expect(s.digest()).toEqual(replayDigest(s));
  });

  it('steps into uvn_flush and steps out of it, back at line 331 of uvn_detach', () => {
    const s = sessionAt(DETACH, 24);
    ok(debugStep(s, 't7', { kind: 'runTo', line: 330 }));
    const into = ok(debugStep(s, 't7', { kind: 'step' }));
    expect(into.applied).toEqual([{ step: 't7' }]);
    expect(thread(s, 't7').stack).toEqual(['uvn_detach', 'uvn_flush']);
    const out = ok(debugStep(s, 't7', { kind: 'out' }));
    expect(out.stop).toMatchObject({ reason: 'returned', line: 331 });
    expect(thread(s, 't7').stack).toEqual(['uvn_detach']);
    expect(s.digest()).toEqual(replayDigest(s));
  });

  it('a breakpoint stops run where the thread arrives at it; recorded as the steps it made', () => {
    const s = sessionAt(DETACH, 24);
    const before = s.length;
    const r = ok(debugStep(s, 't7', { kind: 'run' }, new Set([322])));
    expect(r.stop).toMatchObject({ reason: 'breakpoint', line: 322 });
    expect(thread(s, 't7').line).toBe(322);
    expect(s.length).toBe(before + r.applied.length);
    expect(s.history.slice(before)).toEqual(r.applied.map(() => ({ step: 't7' })));
    // Run on from the breakpoint: it does not stop where it stands;
    const on = ok(debugStep(s, 't7', { kind: 'run' }, new Set([322, 855])));
    expect(on.stop).toMatchObject({ reason: 'breakpoint', line: 855 });
    expect(thread(s, 't7').stack).toEqual(['uvn_detach', 'uvn_flush']);
  });

  it('a run whose breakpoints are never reached is recorded as the one run it equals', () => {
    const plain = sessionAt(DETACH, 24);
    expect(plain.apply({ run: 't7' })).toBeNull();
    const s = sessionAt(DETACH, 24);
    const r = ok(debugStep(s, 't7', { kind: 'run' }, new Set([1201])));
    expect(r.applied).toEqual([{ run: 't7' }]);
    expect(r.stop.reason).toBe('done');
    expect(r.stop.steps).toBeGreaterThan(20);
    expect(s.history).toEqual(plain.history);
    expect(s.labels).toEqual(plain.labels);
    expect(s.digest()).toEqual(plain.digest());
    expect(s.snapshot()).toEqual(plain.snapshot());
  });

  it('a plain run stays a run, and stepping a blocked thread is refused with nothing changed', () => {
    const s = sessionAt('lecture-walkthrough', 3);
    const r = ok(debugStep(s, 't2', { kind: 'run' }));
    expect(r.applied).toEqual([{ run: 't2' }]);
    expect(r.stop).toMatchObject({ reason: 'blocked', line: 1239 });
    const length = s.length;
    expect(debugStep(s, 't2', { kind: 'over' })).toBe('thread t2 is blocked (io io:1)');
    expect(s.length).toBe(length);
  });

  it('step over from a caller statement of fault runs the whole uvn_get call', () => {
    const s = sessionAt('lecture-walkthrough', 3);
    ok(debugStep(s, 't2', { kind: 'step' }));
    expect(thread(s, 't2').callerStmt).toMatch(/^uvn_get\(.*PGO_LOCKED\)$/);
    const r = ok(debugStep(s, 't2', { kind: 'over' }));
    expect(r.stop.reason).toBe('step');
    expect(thread(s, 't2').stack).toEqual([]);
    expect(thread(s, 't2').callerStmt).toMatch(/PGO_SYNCIO\)$/);
  });

  it('stops a thread that would not block at the safety bound, leaving it ready', () => {
    const s = sessionAt(DETACH, 24);
    const r = ok(debugStep(s, 't7', { kind: 'run' }, new Set([1]), 5));
    expect(r.stop.reason).toBe('limit');
    expect(r.applied).toHaveLength(5);
    expect(thread(s, 't7').status).toBe('ready');
  });
});

describe('branches', () => {
  it('acting on a past step keeps the old future as a branch; switching back restores it', () => {
    const s = sessionAt('lecture-walkthrough', 12);
    const full = [...s.history];
    s.seek(4);
    expect(s.apply({ complete: 1, result: 'eio' })).toBeNull();
    expect([s.length, s.cursor, s.branch]).toEqual([5, 5, 2]);
    expect(s.branches.map((b) => [b.id, b.length, b.parent, b.forkAt, b.firstLabel])).toEqual([
      [1, 12, null, 0, 'spawn t1: uvn_attach(vnode="vn1", prot="rw")'],
      [2, 5, 1, 4, 'request 1 completes eio: t2 can run'],
    ]);
    expect(s.switchBranch(1)).toBeNull();
    // The cursor was past the shared steps: it goes back to the last one both have.
    expect([s.length, s.cursor]).toEqual([12, 4]);
    expect(s.history).toEqual(full);
    s.seek(12);
    expect(s.snapshot().vnodes[0]!.state).toBe('dead');
    expect(s.digest()).toEqual(replayDigest(s));
    // Acting at the end of a branch extends it: no new branch.
    expect(s.switchBranch(2)).toBeNull();
    s.seek(5);
    expect(s.apply({ run: 't2' })).toBeNull();
    expect(s.branches).toHaveLength(2);
    expect(thread(s, 't2').ret).toBe('VM_PAGER_ERROR');
    expect(s.digest()).toEqual(replayDigest(s));
    expect(s.switchBranch(9)).toBe('there is no branch 9');
  });

  it('the step the branch takes next, made on a past step, follows the branch: no fork, the recorded states', () => {
    const s = sessionAt('lecture-walkthrough', 12);
    const recorded = Array.from({ length: 13 }, (_, i) => s.snapshot(i));
    const labels = s.labels;
    const full = [...s.history];
    s.seek(3);
    for (let at = 3; at < 8; at++) {
      // A fresh copy of the recorded step: followed for what it says, not for its identity.
      expect(s.apply(structuredClone(full[at]!))).toBeNull();
      expect([s.length, s.cursor, s.branch, s.branches.length]).toEqual([12, at + 1, 1, 1]);
      expect(s.snapshot()).toEqual(recorded[at + 1]);
      const engine = new PagerEngine(s.setup);
      for (const step of full.slice(0, at + 1)) engine.apply(step);
      expect(s.digest()).toEqual(engine.digest());
    }
    expect(s.labels).toEqual(labels);
    expect(s.history).toEqual(full);
    // The live engine is where the cursor is: the next step goes on from the followed state.
    s.seek(12);
    expect(s.snapshot()).toEqual(recorded[12]);
    // A step other than the recorded one forks, as before.
    s.seek(4);
    expect(full[4]).not.toEqual({ complete: 1, result: 'eio' });
    expect(s.apply({ complete: 1, result: 'eio' })).toBeNull();
    expect([s.length, s.cursor, s.branch]).toEqual([5, 5, 2]);
  });

  it('a run that stops on no breakpoint is one run at a new branch, even where its steps were recorded', () => {
    const s = sessionAt(DETACH, 24);
    const end = s.length;
    // t7 stepped one statement at a time until it blocks or returns: the primitive steps a run would make.
    while (ok(debugStep(s, 't7', { kind: 'step' })).stop.reason === 'step');
    const pressed = s.history.slice(end);
    expect(pressed.length).toBeGreaterThan(1);
    expect(pressed.every((step) => 'step' in step)).toBe(true);
    s.seek(end);
    const r = ok(debugStep(s, 't7', { kind: 'run' }, new Set([1])));
    expect(r.applied).toEqual([{ run: 't7' }]);
    expect([s.branch, s.length, s.cursor]).toEqual([2, end + 1, end + 1]);
    expect(s.digest()).toEqual(replayDigest(s));
    expect(s.switchBranch(1)).toBeNull();
    expect(s.history.slice(end)).toEqual(pressed);
  });

  it('compares two branches step by step by the digest fields that differ', () => {
    const s = sessionAt('lecture-walkthrough', 12);
    s.seek(4);
    expect(s.apply({ complete: 1, result: 'eio' })).toBeNull();
    expect(s.apply({ run: 't2' })).toBeNull();
    const c = s.compare(1, 2);
    if (typeof c === 'string') throw new Error(c);
    expect(c.shared).toBe(4);
    expect(c.rows.map((r) => r.index)).toEqual([5, 6, 7, 8, 9, 10, 11, 12]);
    expect(c.rows[0]).toEqual({
      index: 5,
      a: 'request 1 completes ok: t2 can run',
      b: 'request 1 completes eio: t2 can run',
      differ: [],
    });
    expect(c.rows[1]!.a).toBe('t2 runs: returns VM_PAGER_OK');
    expect(c.rows[1]!.b).toBe('t2 runs: returns VM_PAGER_ERROR');
    expect(c.rows[1]!.differ).toEqual(
      expect.arrayContaining([
        'freePages',
        'threads[t2].ret',
        'vnodes[vn1].uvn.npages',
        'vnodes[vn1].uvn.pages[0x1000]',
      ]),
    );
    expect(c.rows[2]!.b).toBeNull();
  });

  it('names the differing fields by identity, not position', () => {
    const a = {
      step: 1,
      threads: [
        { id: 't1', status: 'done' },
        { id: 't2', status: 'io' },
      ],
      flags: ['A'],
    };
    const b = { step: 9, threads: [{ id: 't2', status: 'ready' }], flags: ['A', 'B'] };
    expect(digestDiff(a, b)).toEqual(['threads[t1]', 'threads[t2].status', 'flags']);
    expect(digestDiff(a, { ...a, step: 4 })).toEqual([]);
  });
});

/** A host plus the UI-side reconstruction of what it streamed. */
function harness() {
  const events: SimEvent[] = [];
  let shown: ViewSnapshot | null = null;
  const host = new SimHost((e) => {
    events.push(e);
    if (e.type === 'sim.snapshot') shown = applyDelta(e.epoch === epoch ? shown : null, e.delta);
    if (e.type === 'sim.snapshot' || e.type === 'sim.comparison') epoch = e.epoch;
  });
  let epoch = -1;
  const last = () => {
    const e = events.at(-1)!;
    if (e.type !== 'sim.snapshot') throw new Error(`expected a snapshot, got ${JSON.stringify(e)}`);
    return e;
  };
  return { host, events, last, shown: () => shown! };
}

describe('SimHost debugger commands', () => {
  it('a step over is one event echoing every primitive step, each with its timeline label', () => {
    const { host, last } = harness();
    const scenario = library(DETACH);
    host.handle({ type: 'sim.load', id: 1, scenario: { ...scenario, steps: scenario.steps.slice(0, 24) } });
    host.handle({ type: 'sim.runTo', id: 2, thread: 't7', line: 330 });
    expect(last().stop).toMatchObject({ reason: 'line', line: 330 });
    host.handle({ type: 'sim.stepOver', id: 3, thread: 't7' });
    const e = last();
    expect(e.id).toBe(3);
    expect(e.stop).toMatchObject({ thread: 't7', reason: 'step', line: 331 });
    expect(e.applied.length).toBe(e.stop!.steps);
    expect(e.cursor).toBe(e.length);
    expect(e.timelineFrom).toBe(e.cursor - e.applied.length);
    expect(e.timeline).toHaveLength(e.applied.length);
    expect(e.timeline.at(-1)).toEqual({
      index: e.cursor,
      label: 't7 steps: now at line 331 in uvn_detach',
      trail: { lines: [857, 331], omitted: 0 },
    });
  });

  it('a run with breakpoints stops at one; sim.step and sim.stepOut report why they stopped', () => {
    const { host, last, shown } = harness();
    const scenario = library(DETACH);
    host.handle({ type: 'sim.load', id: 1, scenario: { ...scenario, steps: scenario.steps.slice(0, 24) } });
    host.handle({ type: 'sim.run', id: 2, thread: 't7', breakpoints: [599] });
    expect(last().stop).toMatchObject({ reason: 'breakpoint', line: 599 });
    expect(shown().threads.find((t) => t.id === 't7')!.stack).toEqual(['uvn_detach', 'uvn_flush']);
    host.handle({ type: 'sim.stepOut', id: 3, thread: 't7', breakpoints: [599] });
    expect(last().stop).toMatchObject({ reason: 'returned', line: 331 });
    host.handle({ type: 'sim.step', id: 4, thread: 't7' });
    expect(last().applied).toEqual([{ step: 't7' }]);
    expect(last().stop).toMatchObject({ reason: 'step', line: 384, steps: 1 });
  });

  it('switches branches and compares them; the history in the event replaces the store’s from the fork', () => {
    const { host, last, events } = harness();
    host.handle({ type: 'sim.load', id: 1, scenario: library('lecture-walkthrough') });
    host.handle({ type: 'sim.seek', id: 2, to: 4 });
    host.handle({ type: 'sim.complete', id: 3, request: 1, result: 'eio' });
    expect(last().branches.map((b) => b.name)).toEqual(['Branch 1', 'Branch 2']);
    expect(last().branch).toBe(2);
    host.handle({ type: 'sim.branch', id: 4, branch: 1 });
    const e = last();
    expect([e.branch, e.cursor, e.length]).toEqual([1, 4, 12]);
    expect(e.history?.from).toBe(4);
    expect(e.history?.steps).toEqual(library('lecture-walkthrough').steps.slice(4));
    expect(e.timelineFrom).toBe(4);
    expect(e.timeline.map((t) => t.index)).toEqual([5, 6, 7, 8, 9, 10, 11, 12]);
    host.handle({ type: 'sim.compare', id: 5, a: 1, b: 2 });
    const c = events.at(-1)!;
    if (c.type !== 'sim.comparison') throw new Error('expected a comparison');
    expect(c.comparison.shared).toBe(4);
    host.handle({ type: 'sim.compare', id: 6, a: 1, b: 3 });
    expect(events.at(-1)).toMatchObject({ type: 'sim.error', message: 'there is no branch 3' });
  });

  it('sends no timeline when a step follows the branch; the state shown is the recorded one', () => {
    const { host, last, shown } = harness();
    const scenario = library('lecture-walkthrough');
    host.handle({ type: 'sim.load', id: 1, scenario });
    host.handle({ type: 'sim.seek', id: 2, to: 4 });
    const next = scenario.steps[4]!;
    if (!('complete' in next)) throw new Error(`expected step 5 to complete a request, got ${JSON.stringify(next)}`);
    host.handle({ type: 'sim.complete', id: 3, request: next.complete, result: next.result });
    expect(last()).toMatchObject({ cursor: 5, length: 12, branch: 1, timelineFrom: 12, timeline: [], applied: [next] });
    expect(last().branches).toHaveLength(1);
    host.handle({ type: 'sim.seek', id: 4, to: 0 });
    host.handle({ type: 'sim.load', id: 5, scenario, cursor: 5 });
    const at5 = shown();
    host.handle({ type: 'sim.seek', id: 6, to: 4 });
    host.handle({ type: 'sim.complete', id: 7, request: next.complete, result: next.result });
    expect(shown()).toEqual(at5);
  });

  it('reset starts from the setup and can be undone, branches and cursor included', () => {
    const { host, last, shown, events } = harness();
    host.handle({ type: 'sim.load', id: 1, scenario: library('lecture-walkthrough') });
    host.handle({ type: 'sim.seek', id: 2, to: 4 });
    host.handle({ type: 'sim.complete', id: 3, request: 1, result: 'eio' });
    host.handle({ type: 'sim.reset', id: 4 });
    expect(last()).toMatchObject({ undoable: true, length: 0, cursor: 0, branches: [{ id: 1, length: 0 }] });
    expect(last().loaded?.steps).toEqual([]);
    expect(shown().threads).toEqual([]);
    host.handle({ type: 'sim.undoReset', id: 5 });
    const e = last();
    expect([e.length, e.cursor, e.branch, e.undoable]).toEqual([5, 5, 2, false]);
    expect(e.branches).toHaveLength(2);
    expect(e.loaded?.steps.at(-1)).toEqual({ complete: 1, result: 'eio' });
    expect(shown().threads.map((t) => t.id)).toEqual(['t1', 't2']);
    host.handle({ type: 'sim.undoReset', id: 6 });
    expect(events.at(-1)).toMatchObject({ type: 'sim.error', message: 'there is no reset to undo' });
  });

  it('echoes the thread to select with a load at a chosen cursor', () => {
    const { host, last } = harness();
    host.handle({ type: 'sim.load', id: 1, scenario: library('lecture-walkthrough'), cursor: 4, select: 't2' });
    // t2 stands at 1239 there: the source follows it, no preview needed.
    expect(last()).toMatchObject({ cursor: 4, select: 't2', selectLine: null });
    // At step 0 t1 has not started: the line its call first reaches is sent, found on a scratch engine.
    host.handle({ type: 'sim.load', id: 3, scenario: library('lecture-walkthrough'), cursor: 0, select: 't1' });
    expect(last()).toMatchObject({ cursor: 0, length: 12, select: 't1', selectLine: 141 });
    host.handle({ type: 'sim.load', id: 4, scenario: library('two-threads-fault-same-page'), cursor: 2, select: 't2' });
    expect(last()).toMatchObject({ select: 't2', selectLine: 927 });
    host.handle({ type: 'sim.seek', id: 2, to: 5 });
    expect(last().select).toBeNull();
  });
});
