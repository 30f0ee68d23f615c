/**
 * The store's step list (what a saved session, an export and the "last acted" thread read) after Step
 * presses at the end of the history, which the store appends in place, and after acting on a past step
 * (a fork), which makes a new list: the lists are right either way, a list someone kept from before a
 * fork does not change, and a saved session follows every step.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SimClient } from '../src/client/sim-client';
import type { Command } from '../src/protocol/messages';
import type { Scenario } from '../src/protocol/scenario';
import { OTHER_TAB_NOTE, readSaved, startSaving } from '../src/app/persistence';
import { createLabStore, currentScenario, type LabStore } from '../src/store/store';
import { SimHost } from '../src/worker/sim-host';

/** Attach a 64 MiB file and start an msync of all of it: t2 can be stepped for a long time. */
const flush = (): Scenario => ({
  format: 'pager-scenario/1',
  pager: 'openbsd',
  machine: { physPages: 16 },
  vnodes: [{ name: 'vn1', size: 64 * 1024 * 1024 }],
  steps: [
    { spawn: 't1', call: 'uvn_attach', args: { vnode: 'vn1', prot: 'rw' } },
    { run: 't1' },
    { spawn: 't2', call: 'uvn_flush', args: { vnode: 'vn1', flags: ['PGO_CLEANIT', 'PGO_SYNCIO', 'PGO_ALLPAGES'] } },
  ],
});

/** The page's storage and window events, faked in Node: what `startSaving` saves to and listens on. */
function fakePage() {
  const saved = new Map<string, string>();
  const handlers = new Map<string, (e: unknown) => void>();
  const page = globalThis as Record<string, unknown>;
  const had = {
    localStorage: page.localStorage,
    addEventListener: page.addEventListener,
    removeEventListener: page.removeEventListener,
  };
  page.localStorage = {
    getItem: (k: string) => saved.get(k) ?? null,
    setItem: (k: string, v: string) => void saved.set(k, v),
    removeItem: (k: string) => void saved.delete(k),
  };
  page.addEventListener = (type: string, f: (e: unknown) => void) => handlers.set(type, f);
  page.removeEventListener = (type: string) => handlers.delete(type);
  const restore = () => {
    for (const [key, value] of Object.entries(had))
      if (value === undefined) delete page[key];
      else page[key] = value;
  };
  return { saved, handlers, restore };
}

class InlineWorker {
  onmessage: ((e: MessageEvent) => void) | null = null;
  onerror: ((e: ErrorEvent) => void) | null = null;
  readonly host = new SimHost((event) => this.onmessage?.({ data: event } as MessageEvent));
  postMessage(cmd: Command) {
    void this.host.handle(cmd);
  }
  terminate() {}
}

describe('the store keeps the step list', () => {
  let store: LabStore;
  let client: SimClient;
  let frames: (() => void)[];
  const settle = async () => {
    for (let i = 0; i < 5; i++) {
      frames.splice(0).forEach((f) => f());
      await new Promise((r) => setTimeout(r, 0));
    }
  };

  beforeEach(() => {
    frames = [];
    client = new SimClient(() => new InlineWorker() as unknown as Worker, {
      heartbeatMs: 60_000,
      deadAfterMs: 120_000,
      nextFrame: (f) => frames.push(f),
      now: () => Date.now(),
    });
    store = createLabStore((command) => client.send(command));
    client.start(store);
  });
  afterEach(() => client.dispose());

  it('Step presses at the end add to it; a fork cuts it and leaves a list kept from before unchanged', async () => {
    const scenario = flush();
    const { dispatch } = store.getState();
    dispatch({ type: 'load', scenario });
    await settle();
    const n = scenario.steps.length;
    expect(store.getState()).toMatchObject({ cursor: n, length: n });
    const thread = 't2';
    for (let i = 0; i < 3; i++) {
      store.getState().dispatch({ type: 'step', thread });
      await settle();
    }
    const atEnd = store.getState();
    expect(atEnd.cursor).toBe(n + 3);
    expect(atEnd.steps).toEqual([...scenario.steps, { step: thread }, { step: thread }, { step: thread }]);
    const kept = [...atEnd.steps];
    const keptList = atEnd.steps;

    // The step the branch takes next, pressed on a past step: the branch is followed, its list kept whole.
    store.getState().dispatch({ type: 'seek', to: 4 });
    await settle();
    store.getState().dispatch({ type: 'step', thread });
    await settle();
    const followed = store.getState();
    expect([followed.cursor, followed.length, followed.branches.length]).toEqual([5, n + 3, 1]);
    expect(followed.steps).toBe(keptList);
    expect(followed.timeline.map((e) => e.index)).toEqual(kept.map((_, i) => i + 1));

    // Another step there: a new list, cut there; the one held from before is as it was.
    store.getState().dispatch({ type: 'seek', to: 4 });
    await settle();
    const t3 = { spawn: 't3', call: 'uvm_vnp_sync', args: {} } as const;
    store.getState().dispatch({ type: 'spawn', step: t3 });
    await settle();
    const forked = store.getState();
    expect([forked.cursor, forked.branches.length]).toEqual([5, 2]);
    expect(forked.steps).toEqual([...kept.slice(0, 4), t3]);
    expect(keptList).toEqual(kept);

    // And steps at the end of the fork add to the new list.
    store.getState().dispatch({ type: 'step', thread });
    await settle();
    expect(store.getState().steps).toEqual([...kept.slice(0, 4), t3, { step: thread }]);
  });

  it('a scenario taken from the store (an export, a share link) keeps its steps while Step presses add more', async () => {
    const scenario = flush();
    store.getState().dispatch({ type: 'load', scenario });
    await settle();
    const thread = 't2';
    store.getState().dispatch({ type: 'step', thread });
    await settle();
    const taken = currentScenario(store.getState())!;
    store.getState().dispatch({ type: 'step', thread });
    await settle();
    expect(store.getState().steps).toHaveLength(scenario.steps.length + 2);
    expect(taken.steps).toEqual([...scenario.steps, { step: thread }]);
  });

  it('a saved session keeps every branch and the thread selected, and reads them back', async () => {
    const page = fakePage();
    const stop = startSaving(store);
    try {
      const scenario = flush();
      store.getState().dispatch({ type: 'load', scenario });
      await settle();
      store.getState().dispatch({ type: 'step', thread: 't2' });
      await settle();
      store.getState().dispatch({ type: 'seek', to: 1 });
      await settle();
      // A step where the branch ran t1: a new branch (a run there would follow the old one).
      store.getState().dispatch({ type: 'step', thread: 't1' });
      await settle();
      store.getState().selectThread('t1');
      await settle();
      const raw = page.saved.get('pager-lab/session/v1')!;
      expect(JSON.parse(raw)).toMatchObject({
        cursor: 2,
        thread: 't1',
        branches: {
          lines: [
            { parent: null, forkAt: 0, steps: [...scenario.steps, { step: 't2' }] },
            { parent: 1, forkAt: 1, steps: null },
          ],
          current: 2,
        },
      });
      expect(readSaved(raw)).toMatchObject({
        ok: true,
        saved: { cursor: 2, thread: 't1', branches: { current: 2 } },
      });
      // A thread the saved scenario never starts is not selected.
      expect(readSaved(raw.replace('"thread":"t1"', '"thread":"t7"'))).not.toHaveProperty('saved.thread');
    } finally {
      stop();
      page.restore();
    }
  });

  it('says once when another tab saves its session over this one', async () => {
    const page = fakePage();
    const stop = startSaving(store);
    try {
      store.getState().dispatch({ type: 'load', scenario: flush() });
      await settle();
      page.handlers.get('storage')!({ key: 'pager-lab/prefs/v1', newValue: '{}' });
      expect(store.getState().notice).toBeNull();
      page.handlers.get('storage')!({ key: 'pager-lab/session/v1', newValue: '{}' });
      expect(store.getState().notice).toEqual({ kind: 'info', text: OTHER_TAB_NOTE });
      store.getState().notify(null);
      page.handlers.get('storage')!({ key: 'pager-lab/session/v1', newValue: '{"x":1}' });
      expect(store.getState().notice).toBeNull();
    } finally {
      stop();
      expect(page.handlers.has('storage')).toBe(false);
      page.restore();
    }
  });

  it('a saved session follows each Step press at the end of the history', async () => {
    const page = fakePage();
    const stop = startSaving(store);
    try {
      const scenario = flush();
      store.getState().dispatch({ type: 'load', scenario });
      await settle();
      const thread = 't2';
      for (let i = 1; i <= 2; i++) {
        store.getState().dispatch({ type: 'step', thread });
        await settle();
        const session = JSON.parse([...page.saved.values()][0]!) as { scenario: Scenario; cursor: number };
        expect(session.cursor).toBe(scenario.steps.length + i);
        expect(session.scenario.steps).toHaveLength(scenario.steps.length + i);
        expect(session.scenario.steps.at(-1)).toEqual({ step: thread });
      }
    } finally {
      stop();
      page.restore();
    }
  });
});
