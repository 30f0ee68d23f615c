/**
 * What the lecture view needs from the engine: the trail of seed lines each
 * step ran, the hung flag and the wait-for graph, all in the snapshot (so the
 * lab, the grader and the explorer share one definition).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { TRAIL_MAX } from '../src/engine/engine';
import { Session } from '../src/engine/session';
import { setupOf, type Scenario, type Step } from '../src/protocol/scenario';
import { parseScenario } from '../src/scenario/schema';

function library(name: string): Scenario {
  const parsed = parseScenario(readFileSync(`scenarios/${name}.json`, 'utf8'));
  if (!parsed.ok) throw new Error(`${name} must parse`);
  return parsed.scenario;
}

/** A session with the first `upTo` steps of `scenario` applied. */
function sessionAt(scenario: Scenario, upTo = scenario.steps.length): Session {
  const session = new Session(setupOf(scenario));
  for (const step of scenario.steps.slice(0, upTo)) expect(session.apply(step)).toBeNull();
  return session;
}

const seed = readFileSync('public/seeds/uvm_vnode.c', 'utf8').split('\n');
const line = (n: number) => seed[n - 1]!.trim();

describe('the trail: seed lines a step ran', () => {
  const walk = library('lecture-walkthrough');

  it('a run lists every line it passed, in order, from the function entry to the return', () => {
    const s = sessionAt(walk, 2); // spawn t1 (uvn_attach), run t1
    const { lines, omitted } = s.snapshot().trail;
    expect(omitted).toBe(0);
    // uvn_attach's first statement, its return, and the ALOCK it sets on the way.
    expect(line(lines[0]!)).toBe('struct uvm_vnode *uvn = vp->v_uvm;');
    expect(line(lines.at(-1)!)).toBe('return &uvn->u_obj;');
    expect(lines.map(line)).toContain('uvn->u_flags = UVM_VNODE_ALOCK;');
    // Consecutive repeats are folded.
    for (let i = 1; i < lines.length; i++) expect(lines[i]).not.toBe(lines[i - 1]);
  });

  it('a run that blocks ends on the line it blocks at; the next run starts there', () => {
    const s = sessionAt(walk, 4); // ... spawn t2 (write fault), run t2: waits for its read
    const first = s.snapshot().trail.lines;
    expect(line(first.at(-1)!)).toMatch(/^result = VOP_READ\(/);
    expect(s.apply({ complete: 1, result: 'ok' })).toBeNull();
    // An OpenBSD completion wakes the thread: no seed line runs.
    expect(s.snapshot().trail.lines).toEqual([]);
    expect(s.apply({ run: 't2' })).toBeNull();
    expect(s.snapshot().trail.lines[0]).toBe(first.at(-1));
  });

  it('a single step runs the line it stands on and arrives at the next', () => {
    const s = sessionAt(walk, 1);
    expect(s.apply({ step: 't1' })).toBeNull();
    const [at] = s.snapshot().trail.lines;
    expect(s.snapshot().trail.lines).toHaveLength(1);
    expect(s.apply({ step: 't1' })).toBeNull();
    expect(s.snapshot().trail.lines).toEqual([at, s.snapshot().threads[0]!.line]);
  });

  it('a spawn runs nothing, and a refused step leaves the last trail in place', () => {
    const s = sessionAt(walk, 2);
    const trail = s.snapshot().trail;
    expect(s.apply({ run: 't1' })).toMatch(/done/);
    expect(s.snapshot().trail).toBe(trail);
    expect(s.apply(walk.steps[2]!)).toBeNull();
    expect(s.snapshot().trail.lines).toEqual([]);
  });

  it('seeking shows each step its own trail, and a fork by replay gives the same trail', () => {
    const s = sessionAt(walk);
    const trails = Array.from({ length: walk.steps.length + 1 }, (_, i) => s.seek(i).trail.lines);
    expect(trails[0]).toEqual([]);
    s.seek(3);
    expect(s.apply({ run: 't2' })).toBeNull(); // forks: replays 3 steps, then runs
    expect(s.snapshot().trail.lines).toEqual(trails[4]);
  });

  it('a very long run keeps its first TRAIL_MAX lines and counts the rest', () => {
    const steps: Step[] = [{ spawn: 'a', call: 'uvn_attach', args: { vnode: 'big', prot: 'rw' } }, { run: 'a' }];
    for (let i = 0; i < 256; i++) {
      steps.push({ spawn: `f${i}`, call: 'fault', args: { vnode: 'big', offset: i * 4096, access: 'write' } });
      steps.push({ run: `f${i}` }, { complete: i + 1, result: 'ok' }, { run: `f${i}` });
    }
    steps.push({ spawn: 'm', call: 'uvn_flush', args: { vnode: 'big', flags: ['PGO_DEACTIVATE', 'PGO_ALLPAGES'] } });
    steps.push({ run: 'm' });
    const s = sessionAt({
      format: 'pager-scenario/1',
      pager: 'openbsd',
      machine: { physPages: 300 },
      vnodes: [{ name: 'big', size: 256 * 4096 }],
      steps,
    });
    const { lines, omitted } = s.snapshot().trail;
    expect(lines).toHaveLength(TRAIL_MAX);
    expect(omitted).toBeGreaterThan(0);
  });
});

describe('hung: no thread can run and nothing is in flight', () => {
  it('terminate asleep on u_nio with no I/O left is hung, and the graph says nobody can wake it', () => {
    const scenario = library('recycle-terminate-hangs-when-late-fault-page-survives');
    const s = sessionAt(scenario);
    const snap = s.snapshot();
    expect(snap.hung).toBe(true);
    expect(snap.waits).toEqual([
      {
        thread: 't6',
        kind: 'channel',
        on: 'channel:u_nio:vn1',
        label: 'uvn_term on u_nio:vn1',
        wakers: [],
        requests: [],
      },
    ]);
    // Two steps earlier the late read was still in flight: not hung, and its completion is a way out.
    const before = s.seek(scenario.steps.length - 3);
    expect(before.hung).toBe(false);
    expect(before.waits.find((w) => w.thread === 't6')).toMatchObject({ wakers: ['t7'], requests: [4] });
  });

  it('a thread asleep on a busy page waits on the page, woken by its owner or the read that owns it', () => {
    const s = sessionAt(library('two-threads-fault-same-page'), 6);
    const snap = s.snapshot();
    expect(snap.hung).toBe(false);
    expect(snap.waits).toEqual([
      { thread: 't2', kind: 'io', on: 'io:1', label: 'disk request 1', wakers: [], requests: [1] },
      { thread: 't3', kind: 'page', on: 'page:1', label: 'vn1 page 0x0', wakers: ['t2'], requests: [1] },
    ]);
  });

  it('a thread blocked on a lock is woken by its holder', () => {
    // setsize-shrink-waits-on-busy-page: t2's fault holds vn1's lock over its read; t3's setsize waits for it.
    const s = sessionAt(library('setsize-shrink-waits-on-busy-page'));
    const blocked = [];
    for (let i = 0; i <= s.length; i++) {
      const snap = s.seek(i);
      for (const w of snap.waits.filter((x) => x.kind === 'lock')) {
        blocked.push(i);
        expect(w).toEqual({
          thread: 't3',
          kind: 'lock',
          on: 'lock:vnlock:vn1',
          label: 'vnlock:vn1',
          wakers: ['t2'],
          requests: [],
        });
        expect(snap.threads.find((t) => t.id === 't2')!.locksHeld).toContain('vnlock:vn1');
      }
    }
    expect(blocked).toEqual([6, 7, 8, 9]);
  });

  it('the setup, a ready thread, a request in flight and a panic are never hung', () => {
    const s = sessionAt(library('attach-waits-on-alock'));
    let checked = 0;
    for (let i = 0; i <= s.length; i++) {
      const snap = s.seek(i);
      if (snap.threads.some((t) => t.status === 'ready') || snap.io.length > 0) {
        expect(snap.hung).toBe(false);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(5);
    expect(s.seek(0).hung).toBe(false);
    const panicked = sessionAt(library('msync-nowait-syncio-again-panics')).snapshot();
    expect(panicked.panic).not.toBeNull();
    expect(panicked.hung).toBe(false);
  });

  it('FreeBSD too: a fault asleep on a page another fault has busy', () => {
    const scenario = library('freebsd-two-faults-same-page-vmpfw');
    const s = sessionAt(scenario);
    let sawPageWait = false;
    for (let i = 0; i <= s.length; i++) {
      const snap = s.seek(i);
      for (const w of snap.waits) {
        if (w.kind !== 'page') continue;
        sawPageWait = true;
        expect(w.label).toMatch(/^obj\d+\[\d+\]$/);
        expect(w.wakers.length + w.requests.length).toBeGreaterThan(0);
      }
      expect(snap.hung).toBe(false);
    }
    expect(sawPageWait).toBe(true);
  });
});
