/**
 * The browser half of issue 11, without a browser: the worker host runs long work in slices (progress,
 * pings answered in between, Cancel), the client restarts a worker that dies without a word and sends
 * again what it had not answered, Step presses are coalesced, and a saved session is read as strictly as
 * an import (persistence.ts) with a fallback when the worker refuses it.
 */
import LZString from 'lz-string';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SimClient } from '../src/client/sim-client';
import type { Command, SimEvent } from '../src/protocol/messages';
import { readSaved } from '../src/app/persistence';
import { createLabStore, type LabStore } from '../src/store/store';
import { SimHost } from '../src/worker/sim-host';
import { bigFlush, slicedHost, walkthrough } from './sliced-host';

describe('long work in the worker goes in slices', () => {
  it('a load reports progress, answers pings between slices, and a Cancel keeps the session before it', async () => {
    const { host, events, slices, waiting } = slicedHost();
    const first = host.handle({ type: 'sim.load', id: 1, scenario: walkthrough() });
    while (waiting.length > 0) await slices(1);
    await first;
    const loaded = host.handle({ type: 'sim.load', id: 2, scenario: bigFlush(40) });
    expect(loaded).toBeInstanceOf(Promise);
    expect(host.busy).toBe(true);
    await slices(5);
    const progress = events.filter((e) => e.type === 'sim.progress');
    expect(progress.at(-1)).toMatchObject({ id: 2, what: 'Loading', total: 43 });
    expect((progress.at(-1) as { done: number }).done).toBeGreaterThan(1);
    host.handle({ type: 'sim.ping', id: 3 });
    expect(events.at(-1)).toEqual({ type: 'sim.pong', version: 4, id: 3 });
    host.handle({ type: 'sim.cancel', id: 4 });
    await slices(2);
    await loaded;
    expect(host.busy).toBe(false);
    const last = events.at(-1)!;
    expect(last).toMatchObject({ type: 'sim.error', id: 2 });
    expect((last as { message: string }).message).toMatch(
      /^loading cancelled after \d+ of 43 steps; the session before it is still open$/,
    );
    // Still the walk-through, 12 steps.
    host.handle({ type: 'sim.seek', id: 5, to: 3 });
    expect(events.at(-1)).toMatchObject({ type: 'sim.snapshot', length: 12, cursor: 3 });
  });

  it('a load left to finish ends as it would at once', async () => {
    const { host, events, slices, waiting } = slicedHost();
    const loaded = host.handle({ type: 'sim.load', id: 1, scenario: bigFlush(30) });
    while (waiting.length > 0) await slices(1);
    await loaded;
    expect(events.at(-1)).toMatchObject({ type: 'sim.snapshot', id: 1, length: 33, cursor: 33 });
  });

  it('a batch of steps applies each one, and Cancel keeps those made so far', async () => {
    const { host, events, slices, waiting } = slicedHost();
    const first = host.handle({ type: 'sim.load', id: 1, scenario: bigFlush(0) });
    while (waiting.length > 0) await slices(1);
    await first;
    const batch = host.handle({ type: 'sim.step', id: 2, thread: 't2', count: 500 });
    await slices(7);
    host.handle({ type: 'sim.cancel', id: 3 });
    await slices(2);
    await batch;
    const last = events.at(-1)!;
    if (last.type !== 'sim.snapshot') throw new Error(`expected a snapshot, got ${last.type}`);
    expect(last.stop).toMatchObject({ thread: 't2', reason: 'cancelled' });
    expect(last.stop!.steps).toBe(last.applied.length);
    expect(last.applied.length).toBeGreaterThan(3);
    expect(last.applied.length).toBeLessThan(500);
    expect(last.applied.every((s) => 'step' in s && s.step === 't2')).toBe(true);
    expect(last.cursor).toBe(3 + last.applied.length);
  });

  it('a batch of steps past the thread’s end applies what it can and says why the rest were not', () => {
    const events: SimEvent[] = [];
    const h = new SimHost((e) => events.push(e));
    h.handle({ type: 'sim.load', id: 1, scenario: { ...walkthrough(), steps: walkthrough().steps.slice(0, 1) } });
    h.handle({ type: 'sim.step', id: 2, thread: 't1', count: 1000 });
    const [snapshot, error] = events.slice(-2);
    expect(snapshot).toMatchObject({ type: 'sim.snapshot', id: 2, stop: { reason: 'done' } });
    expect(error).toMatchObject({ type: 'sim.error', id: 2, message: 'thread t1 is done' });
    h.handle({ type: 'sim.step', id: 3, thread: 't1', count: 0 });
    expect(events.at(-1)).toMatchObject({ type: 'sim.error', message: 'count: expected a positive integer, got 0' });
  });

  it('refuses a cursor that is not a step number, changing nothing', () => {
    const events: SimEvent[] = [];
    const h = new SimHost((e) => events.push(e));
    h.handle({ type: 'sim.load', id: 1, scenario: walkthrough(), cursor: 1.5 });
    expect(events.at(-1)).toMatchObject({
      type: 'sim.error',
      message: 'cursor: expected a step number (a non-negative integer), got 1.5',
    });
    h.handle({ type: 'sim.load', id: 2, scenario: walkthrough(), cursor: 13 });
    expect(events.at(-1)).toMatchObject({ message: 'cursor: step 13 is past the last step (12)' });
  });

  it('refuses a completion whose result a scenario file could not hold, changing nothing', () => {
    const events: SimEvent[] = [];
    const h = new SimHost((e) => events.push(e));
    // t2's fault has its read (request 1) in flight after the first four steps.
    h.handle({ type: 'sim.load', id: 1, scenario: { ...walkthrough(), steps: walkthrough().steps.slice(0, 4) } });
    const refusals = ['short:1.5', 'short:1e3', 'short:9007199254740992', 'short:-1', 'done'].map((result, i) => {
      h.handle({ type: 'sim.complete', id: 2 + i, request: 1, result });
      return (events.at(-1) as { message?: string }).message;
    });
    expect(refusals).toEqual([
      'result: must be "ok", "eio" or "short:B", got the string "short:1.5"',
      'result: must be "ok", "eio" or "short:B", got the string "short:1e3"',
      'result: B in short:B must be at most 2^53 - 1, got 9007199254740992',
      'result: must be "ok", "eio" or "short:B", got the string "short:-1"',
      'result: must be "ok", "eio" or "short:B", got the string "done"',
    ]);
    h.handle({ type: 'sim.complete', id: 9, request: 1, result: 'short:512' });
    expect(events.at(-1)).toMatchObject({ type: 'sim.snapshot', length: 5 });
  });

  it("names a link's step `at`, as the link does, when it is past the last step", () => {
    const events: SimEvent[] = [];
    const h = new SimHost((e) => events.push(e));
    const hash = `#scenario=${LZString.compressToEncodedURIComponent(JSON.stringify(walkthrough()))}&at=999`;
    h.handle({ type: 'sim.open', id: 1, source: { kind: 'link', hash }, origin: 'Shared link', cursor: 999 });
    expect(events.at(-1)).toMatchObject({
      type: 'sim.error',
      message: 'Shared link: at: step 999 is past the last step (12)',
    });
  });

  it('an open refused with a fallback opens the fallback, then says why', () => {
    const events: SimEvent[] = [];
    const h = new SimHost((e) => events.push(e));
    const bad = { ...walkthrough(), steps: [...walkthrough().steps.slice(0, 4), { complete: 9, result: 'ok' }] };
    h.handle({
      type: 'sim.open',
      id: 1,
      source: { kind: 'text', text: JSON.stringify(bad) },
      origin: 'The saved session could not be restored',
      cursor: 2,
      fallback: {
        source: { kind: 'text', text: JSON.stringify({ ...walkthrough(), steps: [] }) },
        origin: 'Library',
        note: "the library's first scenario is open.",
      },
    });
    expect(events.map((e) => e.type)).toEqual(['sim.error', 'sim.snapshot']);
    expect(events[1]).toMatchObject({ length: 0, loaded: { steps: [] } });
    expect(events[0]).toMatchObject({
      message:
        "The saved session could not be restored: step 5: request 9 is not in flight; the library's first scenario is open.",
    });
  });
});

/** A worker that can die without a word: it then takes commands and never answers. */
let bornDead = false;

class FakeWorker {
  onmessage: ((e: MessageEvent) => void) | null = null;
  onerror: ((e: ErrorEvent) => void) | null = null;
  readonly received: Command[] = [];
  dead = bornDead;
  terminated = false;
  readonly host = new SimHost(
    (event) => this.onmessage?.({ data: event } as MessageEvent),
    () => import('../src/worker/tutor').then((m) => m.createTutor),
  );
  postMessage(cmd: Command) {
    this.received.push(cmd);
    if (!this.dead && !this.terminated) void this.host.handle(cmd);
  }
  terminate() {
    this.terminated = true;
  }
}

describe('the client keeps the worker alive and the main thread free', () => {
  let workers: FakeWorker[];
  let store: LabStore;
  let client: SimClient;
  let frames: (() => void)[];

  beforeEach(() => {
    bornDead = false;
    vi.useFakeTimers();
    workers = [];
    frames = [];
    client = new SimClient(
      () => {
        const w = new FakeWorker();
        workers.push(w);
        return w as unknown as Worker;
      },
      { heartbeatMs: 1000, deadAfterMs: 3000, nextFrame: (f) => frames.push(f), now: () => Date.now() },
    );
    store = createLabStore((command) => client.send(command));
    client.start(store);
  });
  afterEach(() => {
    client.dispose();
    vi.useRealTimers();
    vi.unstubAllGlobals();
  });

  const frame = () => frames.splice(0).forEach((f) => f());

  it('1,000 Step presses: the first goes at once, the rest in batches of 100 a frame; all are applied', () => {
    store.getState().dispatch({ type: 'load', scenario: bigFlush(0) });
    // The fake worker answers at once: hold its answers back, as a real one would take its time.
    workers[0]!.dead = true;
    for (let i = 0; i < 1000; i++) store.getState().dispatch({ type: 'step', thread: 't2' });
    const steps = () => workers[0]!.received.filter((c) => c.type === 'sim.step');
    expect(steps()).toEqual([{ type: 'sim.step', thread: 't2', id: expect.any(Number) }]);
    frame();
    expect(steps()).toHaveLength(1); // the first is not answered yet
    workers[0]!.dead = false;
    // Sent again by hand to the live worker: as if its answer had only now come.
    void (workers[0] as unknown as { host: SimHost }).host.handle(steps()[0]!);
    for (let i = 0; i < 20; i++) frame();
    const sent = steps();
    expect(sent.map((c) => (c.type === 'sim.step' ? (c.count ?? 1) : 0))).toEqual([1, ...Array(9).fill(100), 99]);
    expect(store.getState()).toMatchObject({ length: 1003, cursor: 1003 });
    expect(store.getState().steps.slice(3)).toEqual(Array.from({ length: 1000 }, () => ({ step: 't2' })));
  });

  it('presses made while a batch is unanswered wait for its answer, then go as one', () => {
    store.getState().dispatch({ type: 'load', scenario: bigFlush(0) });
    workers[0]!.dead = true; // answers nothing for now
    store.getState().dispatch({ type: 'step', thread: 't2' });
    frame();
    for (let i = 0; i < 5; i++) store.getState().dispatch({ type: 'step', thread: 't2' });
    frame();
    const steps = () => workers[0]!.received.filter((c) => c.type === 'sim.step');
    expect(steps()).toHaveLength(1);
    // The first answer comes: the five presses go as one batch, and all six steps are applied.
    workers[0]!.dead = false;
    void (workers[0] as unknown as { host: SimHost }).host.handle(steps()[0]!);
    for (let i = 0; i < 5; i++) frame();
    expect(steps().map((c) => (c.type === 'sim.step' ? (c.count ?? 1) : 0))).toEqual([1, 5]);
    expect(store.getState()).toMatchObject({ length: 9, cursor: 9 });
  });

  it('a worker that stops answering is restarted, and the step it never answered is sent again: 0 lost', () => {
    const { dispatch } = store.getState();
    dispatch({ type: 'load', scenario: walkthrough() });
    dispatch({ type: 'seek', to: 6 });
    const before = store.getState();
    workers[0]!.dead = true;
    dispatch({ type: 'spawn', step: { spawn: 't9', call: 'uvn_attach', args: { vnode: 'vn1', prot: 'rw' } } });
    expect(store.getState().length).toBe(12);
    vi.advanceTimersByTime(1000); // ping
    vi.advanceTimersByTime(3000); // still nothing
    expect(workers).toHaveLength(1);
    vi.advanceTimersByTime(1000);
    expect(workers).toHaveLength(2);
    expect(workers[0]!.terminated).toBe(true);
    expect(workers[1]!.received.map((c) => c.type)).toEqual(['sim.load', 'sim.spawn']);
    const after = store.getState();
    expect(after.notice?.text).toBe(
      'The simulation worker stopped answering; restarted it from the step list and sent again the command it had not done.',
    );
    // The step made on step 6 forked a branch (as it would have), and nothing before it changed.
    expect(after.cursor).toBe(7);
    expect(after.steps.slice(0, 6)).toEqual(before.steps.slice(0, 6));
    expect(after.steps[6]).toEqual({ spawn: 't9', call: 'uvn_attach', args: { vnode: 'vn1', prot: 'rw' } });
    expect(after.workerState).toBe('ready');
  });

  it('a live worker is pinged and never restarted', () => {
    store.getState().dispatch({ type: 'load', scenario: walkthrough() });
    vi.advanceTimersByTime(30_000);
    expect(workers).toHaveLength(1);
    expect(workers[0]!.received.filter((c) => c.type === 'sim.ping').length).toBeGreaterThanOrEqual(29);
    expect(store.getState().notice).toBeNull();
  });

  it('gives up after three restarts in a row with no answer, saying so', () => {
    store.getState().dispatch({ type: 'load', scenario: walkthrough() });
    workers[0]!.dead = true;
    bornDead = true;
    vi.advanceTimersByTime(60_000);
    expect(workers).toHaveLength(4);
    expect(store.getState().notice?.text).toBe(
      'The simulation worker stopped 3 times in a row while replaying this session; reload the page.',
    );
    // The status row shows "Restarting the simulation worker…" instead of any message while a restart is under
    // way: none is now, so the message to reload must be what it shows.
    expect(store.getState().workerState).toBe('stopped');
  });

  it('a restart whose resent open is refused (nothing was loaded yet) ends the restart with the refusal', () => {
    workers[0]!.dead = true;
    const id = store.getState().dispatch({
      type: 'open',
      source: { kind: 'text', text: '{"format": "pager-scenario/1"' },
      origin: 'Import of x.json',
    });
    vi.advanceTimersByTime(5000);
    expect(workers).toHaveLength(2);
    const after = store.getState();
    // Sent again under a new id, answered under the one `dispatch` gave: whoever holds it (main.tsx sets a
    // refused save aside by it) sees its refusal.
    expect(workers[1]!.received.find((c) => c.type === 'sim.open')!.id).toBeGreaterThan(id!);
    expect(after.refused).toBe(id);
    expect(after.answered).toBe(id);
    expect(after.workerState).toBe('ready');
    expect(after.notice?.text).toMatch(/^The simulation worker stopped answering; .* Then: Import of x\.json: /);
  });
  it('a resent command after a replayed session answers under its own id, after the replay and not before', () => {
    const { dispatch } = store.getState();
    dispatch({ type: 'load', scenario: walkthrough() });
    workers[0]!.dead = true;
    const seek = dispatch({ type: 'seek', to: 3 })!;
    const open = dispatch({ type: 'open', source: { kind: 'text', text: '{' }, origin: 'Import of y.json' })!;
    const seen: { answered: number; refused: number }[] = [];
    store.subscribe((s) => seen.push({ answered: s.answered, refused: s.refused }));
    vi.advanceTimersByTime(5000);
    expect(workers[1]!.received.map((c) => c.type)).toEqual(['sim.load', 'sim.seek', 'sim.open']);
    // The replay's answer must not pass for the answer to the seek or the open (main.tsx waits on `answered`).
    expect(seen[0]!.answered).toBeLessThan(seek);
    expect([...new Set(seen.map((s) => s.answered))].filter((a) => a >= seek)).toEqual([seek, open]);
    expect(store.getState()).toMatchObject({ cursor: 3, refused: open, answered: open });
  });
  /** The address as the browser keeps it (this suite runs without a DOM), with `hash` in it. */
  const stubAddress = (hash: string) => {
    const address = { pathname: '/lab/', search: '', hash };
    vi.stubGlobal('location', address);
    vi.stubGlobal('history', {
      state: null,
      replaceState: (_: unknown, __: string, url: string) => {
        address.hash = url.includes('#') ? url.slice(url.indexOf('#')) : '';
      },
    });
    return address;
  };
  const closedNote =
    'The simulation worker stopped answering; restarted it from the step list. What the Learn pane had open or was opening is closed, and what was asked of it not done: open it again from its menu.';

  it('a restart with a teaching link in flight takes it out of the address and says it was not opened', () => {
    const address = stubAddress('#lesson=two-faults-one-page&scene=2');
    store.getState().dispatch({ type: 'load', scenario: walkthrough() });
    workers[0]!.dead = true;
    store.getState().dispatch({ type: 'teach', command: { type: 'teach.link', hash: address.hash } });
    vi.advanceTimersByTime(5000);
    expect(workers).toHaveLength(2);
    // The pane is at its menu: a reload must not open the lesson the learner was told nothing of.
    expect(store.getState().teach.mode).toBeNull();
    expect(address.hash).toBe('');
    expect(store.getState().notice?.text).toBe(closedNote);
  });

  it('a restart during a lesson closes it in the address as in the pane, and says so', async () => {
    const address = stubAddress('#lesson=two-faults-one-page&scene=2');
    store.getState().dispatch({ type: 'teach', command: { type: 'teach.link', hash: address.hash } });
    await vi.waitFor(() => expect(store.getState().teach.mode).not.toBeNull());
    workers[0]!.dead = true;
    store.getState().dispatch({ type: 'teach', command: { type: 'teach.scene', scene: 3 } });
    vi.advanceTimersByTime(5000);
    expect(workers).toHaveLength(2);
    expect(store.getState().teach.mode).toBeNull();
    expect(address.hash).toBe('');
    expect(store.getState().notice?.text).toBe(closedNote);
    // Not sent again: the new worker has no lesson to move to scene 3 in.
    expect(workers[1]!.received.filter((c) => c.type.startsWith('teach.'))).toEqual([]);
  });

  it('a restart while the Learn pane waits for its catalog asks the new worker for it (the pane asks once)', async () => {
    workers[0]!.dead = true;
    store.getState().dispatch({ type: 'teach', command: { type: 'teach.catalog' } });
    vi.advanceTimersByTime(5000);
    expect(workers[1]!.received.map((c) => c.type)).toEqual(['teach.catalog']);
    await vi.waitFor(() => expect(store.getState().teach.catalog).not.toBeNull());
    expect(store.getState().notice?.text).toBe(
      'The simulation worker stopped answering; restarted it from the step list.',
    );
  });
});

describe('a saved session is read as strictly as an import', () => {
  const save = (cursor: unknown) => JSON.stringify({ scenario: walkthrough(), cursor });
  it.each([
    [save(1.5), 'cursor: expected a step number (a non-negative integer), got 1.5'],
    [save('3'), 'cursor: expected a step number (a non-negative integer), got "3"'],
    [save(-1), 'cursor: expected a step number (a non-negative integer), got -1'],
    [save(null), 'cursor: expected a step number (a non-negative integer), got null'],
    ['{"cursor": 2', 'it is not JSON (12 characters)'],
    ['[1,2]', 'expected an object with a scenario and a cursor'],
    ['{"cursor": 2}', 'scenario: missing'],
  ])('%s: %s', (raw, reason) => {
    expect(readSaved(raw)).toEqual({ ok: false, reason });
  });
  it('a good one is handed on as text for the worker to read', () => {
    const read = readSaved(save(4));
    expect(read).toMatchObject({ ok: true, saved: { cursor: 4 } });
    expect(readSaved(null)).toBeNull();
  });
});
