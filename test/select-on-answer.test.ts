/**
 * A Step or Run pressed on another thread's card selects that thread with the step's answer, in the same store
 * update: the lab renders once for the press, not once for the selection (the Source jumping to the thread's old
 * line) and again for the step.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SimClient } from '../src/client/sim-client';
import type { Command } from '../src/protocol/messages';
import type { Scenario } from '../src/protocol/scenario';
import { createLabStore, type LabStore } from '../src/store/store';
import { SimHost } from '../src/worker/sim-host';

/** Two threads that can both be stepped: t2 flushing, t3 faulting. */
const twoReady = (): Scenario => ({
  format: 'pager-scenario/1',
  pager: 'openbsd',
  machine: { physPages: 16 },
  vnodes: [{ name: 'vn1', size: 1024 * 1024 }],
  steps: [
    { spawn: 't1', call: 'uvn_attach', args: { vnode: 'vn1', prot: 'rw' } },
    { run: 't1' },
    { spawn: 't2', call: 'uvn_flush', args: { vnode: 'vn1', flags: ['PGO_CLEANIT', 'PGO_SYNCIO', 'PGO_ALLPAGES'] } },
    { spawn: 't3', call: 'fault', args: { vnode: 'vn1', offset: 0, access: 'read' } },
  ],
});

/** A worker that answers in a later task, as a real one does. */
class LaterWorker {
  onmessage: ((e: MessageEvent) => void) | null = null;
  onerror: ((e: ErrorEvent) => void) | null = null;
  readonly host = new SimHost((event) => this.onmessage?.({ data: event } as MessageEvent));
  postMessage(cmd: Command) {
    setTimeout(() => void this.host.handle(cmd), 0);
  }
  terminate() {}
}

describe('a card’s Step selects its thread with the answer', () => {
  let store: LabStore;
  let client: SimClient;
  const settle = async () => {
    for (let i = 0; i < 5; i++) await new Promise((r) => setTimeout(r, 0));
  };

  beforeEach(async () => {
    client = new SimClient(() => new LaterWorker() as unknown as Worker, {
      heartbeatMs: 60_000,
      deadAfterMs: 120_000,
      nextFrame: (f) => f(),
      now: () => Date.now(),
    });
    store = createLabStore((command) => client.send(command));
    client.start(store);
    store.getState().dispatch({ type: 'load', scenario: twoReady() });
    await settle();
    store.getState().selectThread('t3');
  });
  afterEach(() => client.dispose());

  it('one store update shows the selection and the step together', async () => {
    const seen: { thread: string | null; cursor: number }[] = [];
    store.subscribe((s, before) => {
      if (s.selectedThread !== before.selectedThread || s.cursor !== before.cursor)
        seen.push({ thread: s.selectedThread, cursor: s.cursor });
    });
    const { dispatch, selectThreadOnAnswer } = store.getState();
    dispatch({ type: 'step', thread: 't2' });
    selectThreadOnAnswer('t2');
    expect(store.getState().selectedThread).toBe('t3');
    await settle();
    expect(seen).toEqual([{ thread: 't2', cursor: 5 }]);
  });

  it('a selection made before the answer wins', async () => {
    const { dispatch, selectThreadOnAnswer, selectThread } = store.getState();
    dispatch({ type: 'step', thread: 't2' });
    selectThreadOnAnswer('t2');
    selectThread('t1');
    await settle();
    expect(store.getState()).toMatchObject({ selectedThread: 't1', cursor: 5 });
  });

  it('a refused command still selects its thread, with the refusal', async () => {
    const { dispatch, selectThreadOnAnswer } = store.getState();
    dispatch({ type: 'step', thread: 't1' });
    selectThreadOnAnswer('t1');
    expect(store.getState().selectedThread).toBe('t3');
    await settle();
    expect(store.getState()).toMatchObject({ selectedThread: 't1', cursor: 4 });
    expect(store.getState().notice?.text).toMatch(/t1/);
  });

  it('selects at once in a read-only lab, which sends nothing', () => {
    store.getState().setReadOnly(true);
    store.getState().selectThreadOnAnswer('t2');
    expect(store.getState().selectedThread).toBe('t2');
  });
});
