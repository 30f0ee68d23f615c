import { readFileSync } from 'node:fs';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Command } from '../src/protocol/messages';
import { parseScenario } from '../src/scenario/schema';
import { useStore } from '../src/store/store';
import { SimClient } from '../src/worker/client';
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

describe('SimClient', () => {
  let workers: FakeWorker[];
  let client: SimClient;
  const initial = useStore.getState();

  beforeEach(() => {
    useStore.setState(initial, true);
    workers = [];
    client = new SimClient(() => {
      const w = new FakeWorker();
      workers.push(w);
      return w as unknown as Worker;
    });
    client.start();
  });

  it('keeps the steps it applied in the store, which export and share read', () => {
    client.load({ ...walkthrough(), steps: [] });
    client.spawn({ spawn: 't1', call: 'uvn_attach', args: { vnode: 'vn1', prot: 'rw' } });
    client.run('t1');
    const state = useStore.getState();
    expect(state.steps).toEqual([
      { spawn: 't1', call: 'uvn_attach', args: { vnode: 'vn1', prot: 'rw' } },
      { run: 't1' },
    ]);
    expect(state.snapshot?.threads.map((t) => [t.id, t.status, t.ret])).toEqual([['t1', 'done', 'obj']]);
    expect(state.selectedThread).toBe('t1');
  });

  it('restarts a dead worker from the step list and the cursor, losing nothing', () => {
    client.load(walkthrough());
    client.seek(6);
    const before = useStore.getState().snapshot;
    workers[0]!.crash('out of memory');
    expect(workers[0]!.terminated).toBe(true);
    expect(workers).toHaveLength(2);
    expect(workers[1]!.received[0]).toMatchObject({ type: 'sim.load', cursor: 6 });
    const after = useStore.getState();
    expect(after.notice?.text).toBe('The simulation worker stopped (out of memory); restarted it from the step list.');
    expect(after.cursor).toBe(6);
    expect(after.length).toBe(12);
    expect(after.snapshot?.pages).toEqual(before?.pages);
    expect(after.snapshot?.threads).toEqual(before?.threads);
  });

  it('reports a refused step and leaves the state as it was', () => {
    client.load(walkthrough());
    const before = useStore.getState().snapshot;
    client.complete(7, 'ok');
    expect(useStore.getState().notice).toEqual({ kind: 'error', text: 'request 7 is not in flight' });
    expect(useStore.getState().snapshot).toBe(before);
  });
});
