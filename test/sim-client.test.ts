import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Command } from '../src/protocol/messages';
import { SimClient } from '../src/client/sim-client';
import { Session } from '../src/engine/session';
import { setupOf } from '../src/protocol/scenario';
import { parseScenario } from '../src/scenario/schema';
import { createLabStore, type LabStore } from '../src/store/store';
import { SimHost } from '../src/worker/sim-host';

/** A stand-in for the module worker: the real SimHost, answering synchronously. */
class FakeWorker {
  onmessage: ((e: MessageEvent) => void) | null = null;
  onerror: ((e: ErrorEvent) => void) | null = null;
  readonly received: Command[] = [];
  terminated = false;
  private readonly host = new SimHost((event) => this.onmessage?.({ data: event } as MessageEvent));
  postMessage(cmd: Command) {
    this.received.push(cmd);
    this.host.handle(cmd);
  }
  terminate() {
    this.terminated = true;
  }
  crash(message: string) {
    this.onerror?.({ message, preventDefault() {} } as ErrorEvent);
  }
}

const walkthrough = () => {
  const parsed = parseScenario(readFileSync('scenarios/lecture-walkthrough.json', 'utf8'));
  if (!parsed.ok) throw new Error('library scenario must parse');
  return parsed.scenario;
};

describe('SimClient and the lab store', () => {
  let workers: FakeWorker[];
  let store: LabStore;

  beforeEach(() => {
    workers = [];
    const client = new SimClient(() => {
      const w = new FakeWorker();
      workers.push(w);
      return w as unknown as Worker;
    });
    store = createLabStore((command) => client.send(command));
    client.start(store);
  });

  it('keeps the steps it applied in the store, which export and share read', () => {
    const { dispatch } = store.getState();
    dispatch({ type: 'load', scenario: { ...walkthrough(), steps: [] } });
    dispatch({ type: 'spawn', step: { spawn: 't1', call: 'uvn_attach', args: { vnode: 'vn1', prot: 'rw' } } });
    dispatch({ type: 'run', thread: 't1' });
    const state = store.getState();
    expect(state.steps).toEqual([
      { spawn: 't1', call: 'uvn_attach', args: { vnode: 'vn1', prot: 'rw' } },
      { run: 't1' },
    ]);
    expect(state.snapshot?.threads.map((t) => [t.id, t.status, t.ret])).toEqual([['t1', 'done', 'obj']]);
    expect(state.selectedThread).toBe('t1');
  });

  it('says a stray message from the worker is not an event, and keeps the lab as it was', () => {
    const { dispatch } = store.getState();
    dispatch({ type: 'load', scenario: walkthrough() });
    const before = store.getState().snapshot;
    workers[0]!.onmessage?.({ data: null } as MessageEvent);
    expect(store.getState().notice?.text).toBe(
      'The simulation worker sent something that is not an event (null): reload the page.',
    );
    expect(store.getState().snapshot).toBe(before);
  });

  it('restarts a dead worker with every branch of the session, the one shown current', () => {
    const { dispatch } = store.getState();
    dispatch({ type: 'load', scenario: walkthrough() });
    dispatch({ type: 'seek', to: 2 });
    dispatch({ type: 'spawn', step: { spawn: 't9', call: 'uvn_attach', args: { vnode: 'vn1', prot: 'rw' } } });
    dispatch({ type: 'switchBranch', branch: 1 });
    dispatch({ type: 'seek', to: 4 });
    dispatch({ type: 'complete', request: 1, result: 'eio' });
    const before = store.getState();
    expect(before.branches.map((b) => [b.id, b.parent, b.forkAt, b.length])).toEqual([
      [1, null, 0, 12],
      [2, 1, 2, 3],
      [3, 1, 4, 5],
    ]);
    workers[0]!.crash('out of memory');
    const after = store.getState();
    expect(after.notice?.text).toBe('The simulation worker stopped (out of memory); restarted it from the step list.');
    expect(after.branches).toEqual(before.branches);
    expect([after.branch, after.cursor, after.steps]).toEqual([3, 5, before.steps]);
    expect(after.snapshot?.pages).toEqual(before.snapshot?.pages);
    // The branches it did not show are the same steps as before, and can be switched to.
    expect(after.otherBranches).toEqual(before.otherBranches);
    dispatch({ type: 'switchBranch', branch: 2 });
    expect(store.getState().steps.at(-1)).toEqual({
      spawn: 't9',
      call: 'uvn_attach',
      args: { vnode: 'vn1', prot: 'rw' },
    });
    expect(store.getState().length).toBe(3);
  });

  it('an undone reset brings back the thread selected before it', () => {
    const { dispatch, selectThread } = store.getState();
    dispatch({ type: 'load', scenario: walkthrough() });
    selectThread('t2');
    dispatch({ type: 'reset' });
    expect([store.getState().length, store.getState().selectedThread]).toEqual([0, null]);
    dispatch({ type: 'undoReset' });
    expect([store.getState().length, store.getState().selectedThread]).toEqual([12, 't2']);
  });

  it('restarts a dead worker from the step list and the cursor, losing nothing', () => {
    const { dispatch } = store.getState();
    dispatch({ type: 'load', scenario: walkthrough() });
    dispatch({ type: 'seek', to: 6 });
    const before = store.getState().snapshot;
    workers[0]!.crash('out of memory');
    expect(workers[0]!.terminated).toBe(true);
    expect(workers).toHaveLength(2);
    expect(workers[1]!.received[0]).toMatchObject({ type: 'sim.load', cursor: 6 });
    const after = store.getState();
    expect(after.notice?.text).toBe('The simulation worker stopped (out of memory); restarted it from the step list.');
    expect(after.cursor).toBe(6);
    expect(after.length).toBe(12);
    expect(after.snapshot?.pages).toEqual(before?.pages);
    expect(after.snapshot?.threads).toEqual(before?.threads);
  });

  it('reports a refused step and leaves the state as it was', () => {
    const { dispatch } = store.getState();
    dispatch({ type: 'load', scenario: walkthrough() });
    const before = store.getState().snapshot;
    dispatch({ type: 'complete', request: 7, result: 'ok' });
    expect(store.getState().notice).toEqual({ kind: 'error', text: 'request 7 is not in flight' });
    expect(store.getState().snapshot).toBe(before);
  });

  it('tells every action listener what was done, in order, before it reaches the worker', () => {
    const seen: string[] = [];
    const stop = store.getState().onAction((a) => seen.push(`${a.type}:${workers[0]!.received.length}`));
    const { dispatch } = store.getState();
    dispatch({ type: 'load', scenario: { ...walkthrough(), steps: [] } });
    dispatch({ type: 'spawn', step: { spawn: 't1', call: 'uvn_attach', args: { vnode: 'vn1', prot: 'rw' } } });
    stop();
    dispatch({ type: 'run', thread: 't1' });
    expect(seen).toEqual(['load:0', 'spawn:1']);
    expect(store.getState().steps).toHaveLength(2);
  });

  it('two labs side by side keep their own worker and state', () => {
    const other: FakeWorker[] = [];
    const client = new SimClient(() => {
      const w = new FakeWorker();
      other.push(w);
      return w as unknown as Worker;
    });
    const second = createLabStore((command) => client.send(command));
    client.start(second);
    store.getState().dispatch({ type: 'load', scenario: walkthrough() });
    second.getState().dispatch({ type: 'load', scenario: { ...walkthrough(), steps: [] } });
    expect(store.getState().length).toBe(12);
    expect(second.getState().length).toBe(0);
    expect(workers[0]!.received).toHaveLength(1);
    expect(other[0]!.received).toHaveLength(1);
  });

  it('refuses a spawn typed with bad arguments, as a file would be, naming the field', () => {
    const { dispatch } = store.getState();
    dispatch({ type: 'load', scenario: { ...walkthrough(), steps: [] } });
    dispatch({
      type: 'spawn',
      step: { spawn: 't1', call: 'fault', args: { vnode: 'vn1', offset: 100, access: 'read' } },
    });
    expect(store.getState().notice?.text).toBe('args.offset: must be page-aligned (a multiple of 4096)');
    expect(store.getState().steps).toEqual([]);
  });

  it('sends the breakpoints with run and records only primitive steps', () => {
    const { dispatch } = store.getState();
    dispatch({ type: 'load', scenario: { ...walkthrough(), steps: walkthrough().steps.slice(0, 1) } });
    dispatch({ type: 'toggleBreakpoint', line: 238 });
    dispatch({ type: 'toggleBreakpoint', line: 164 });
    dispatch({ type: 'toggleBreakpoint', line: 999 });
    dispatch({ type: 'toggleBreakpoint', line: 999 });
    expect(store.getState().breakpoints).toEqual([164, 238]);
    dispatch({ type: 'run', thread: 't1' });
    expect(workers[0]!.received.at(-1)).toMatchObject({ type: 'sim.run', thread: 't1', breakpoints: [164, 238] });
    const state = store.getState();
    expect(state.lastStop).toMatchObject({ reason: 'breakpoint', line: 164 });
    expect(state.steps.slice(1)).toEqual(Array.from({ length: state.lastStop!.steps }, () => ({ step: 't1' })));
    expect(state.timeline).toHaveLength(state.steps.length);
    // The count before the step over: the store appends a step at the end of its own list in place.
    const before = state.steps.length;
    dispatch({ type: 'stepOver', thread: 't1' });
    expect(store.getState().snapshot?.threads[0]!.line).toBe(165);
    expect(store.getState().steps).toHaveLength(before + 1);
  });

  it('keeps branches: switching one in replaces the steps from the fork; the comparison arrives', () => {
    const { dispatch } = store.getState();
    dispatch({ type: 'load', scenario: walkthrough() });
    dispatch({ type: 'seek', to: 4 });
    dispatch({ type: 'complete', request: 1, result: 'eio' });
    expect(store.getState()).toMatchObject({ branch: 2, length: 5 });
    expect(store.getState().notice).toEqual({
      kind: 'info',
      text: 'Acting on step 4 started Branch 2; Branch 1 keeps its 8 later steps (Timeline: Branch).',
    });
    expect(store.getState().steps).toHaveLength(5);
    dispatch({ type: 'switchBranch', branch: 1 });
    const state = store.getState();
    expect(state).toMatchObject({ branch: 1, length: 12, cursor: 4 });
    expect(state.steps).toEqual(walkthrough().steps);
    expect(state.timeline.map((t) => t.index)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    expect(state.timeline[4]!.label).toBe('request 1 completes ok: t2 can run');
    dispatch({ type: 'compare', a: 1, b: 2 });
    expect(store.getState().comparison).toMatchObject({ a: 1, b: 2, shared: 4 });
    dispatch({ type: 'closeComparison' });
    expect(store.getState().comparison).toBeNull();
  });

  it('reset offers an undo that brings every step back', () => {
    const { dispatch } = store.getState();
    dispatch({ type: 'load', scenario: walkthrough() });
    dispatch({ type: 'seek', to: 6 });
    dispatch({ type: 'reset' });
    expect(store.getState()).toMatchObject({ length: 0, steps: [] });
    const notice = store.getState().notice!;
    expect(notice.text).toBe('The lab was reset to its setup.');
    expect(notice.action).toEqual({ label: 'Undo reset', action: { type: 'undoReset' } });
    dispatch(notice.action!.action);
    expect(store.getState()).toMatchObject({ length: 12, cursor: 6, notice: null });
    expect(store.getState().steps).toEqual(walkthrough().steps);
  });

  it('keeps what a step did not change as the same objects, so panels that show only that are not rendered again', () => {
    const { dispatch } = store.getState();
    dispatch({ type: 'load', scenario: { ...walkthrough(), steps: [] } });
    dispatch({ type: 'spawn', step: { spawn: 't1', call: 'uvn_attach', args: { vnode: 'vn1', prot: 'rw' } } });
    dispatch({ type: 'step', thread: 't1' });
    const before = store.getState();
    dispatch({ type: 'step', thread: 't1' });
    const after = store.getState();
    // The step moved t1's line and nothing else the lab shows.
    expect(after.cursor).toBe(before.cursor + 1);
    expect(after.snapshot!.threads).not.toBe(before.snapshot!.threads);
    expect(after.snapshot!.io).toBe(before.snapshot!.io);
    expect(after.snapshot!.objects).toBe(before.snapshot!.objects);
    expect(after.snapshot!.vnodes).toBe(before.snapshot!.vnodes);
    expect(after.snapshot!.queues).toBe(before.snapshot!.queues);
    expect(after.changes!.step).not.toBe(before.changes!.step);
    expect(after.changes!.pages).toBe(before.changes!.pages);
    expect(after.changes!.ioStarted).toBe(before.changes!.ioStarted);
    expect(after.changes!.objects).toBe(before.changes!.objects);
    // ...and a step that does change them gives new ones, equal to the view of a session replayed apart.
    dispatch({ type: 'run', thread: 't1' });
    const done = store.getState();
    expect(done.snapshot!.objects).not.toBe(after.snapshot!.objects);
    const apart = new Session(setupOf(walkthrough()));
    for (const step of done.steps) expect(apart.apply(step)).toBeNull();
    expect(done.snapshot!.objects).toEqual(apart.snapshot().objects);
    expect(done.snapshot!.objects).not.toEqual(after.snapshot!.objects);
  });

  it('a setter given the value the store has notifies no one', () => {
    const { selectThread, setHelpOpen } = store.getState();
    selectThread('t9');
    let notified = 0;
    const unsubscribe = store.subscribe(() => notified++);
    selectThread('t9');
    setHelpOpen(store.getState().helpOpen);
    expect(notified).toBe(0);
    selectThread('t8');
    expect(notified).toBe(1);
    unsubscribe();
  });
});

describe('the client says when an answer that loaded a scenario is painted', () => {
  afterEach(() => vi.useRealTimers());

  it('sends sim.shown for it after the next frame, once painted; a step answered is not reported', () => {
    vi.useFakeTimers();
    const frames: (() => void)[] = [];
    let worker: FakeWorker | null = null;
    const client = new SimClient(() => (worker = new FakeWorker()) as unknown as Worker, {
      nextFrame: (f) => frames.push(f),
    });
    const store = createLabStore((command) => client.send(command));
    client.start(store);
    const shown = () => worker!.received.filter((c) => c.type === 'sim.shown');
    store.getState().dispatch({ type: 'load', scenario: walkthrough() });
    const load = worker!.received.find((c) => c.type === 'sim.load')!;
    // Not before the frame, nor in its callbacks (the frame is painted after them): in a task after it.
    expect(shown()).toEqual([]);
    frames.shift()!();
    expect(shown()).toEqual([]);
    vi.advanceTimersByTime(0);
    expect(shown()).toEqual([{ type: 'sim.shown', id: expect.any(Number) as number, answer: load.id }]);
    store.getState().dispatch({ type: 'seek', to: 3 });
    for (const f of frames.splice(0)) f();
    vi.advanceTimersByTime(0);
    expect(shown()).toHaveLength(1);
    client.dispose();
  });
});
