/**
 * The UI's side of one lab's worker: numbers and posts commands, hands events
 * to the lab's store, and if the worker dies, says so and starts a new one
 * from the store's setup and steps, losing nothing. The worker echoes what
 * it applied, so nothing is kept per command.
 */
import { PROTOCOL_VERSION, type Command, type SimEvent } from '../protocol/messages';
import { createLabStore, currentScenario, type CommandBody, type LabStore } from '../store/store';

export class SimClient {
  private worker: Worker | null = null;
  private nextId = 1;
  private store: LabStore | null = null;

  constructor(private readonly makeWorker: () => Worker) {}

  /** Start the worker, delivering its events to `store`. */
  start(store: LabStore): void {
    this.store = store;
    const worker = this.makeWorker();
    worker.onmessage = (e: MessageEvent<SimEvent>) => this.receive(e.data);
    worker.onerror = (e) => {
      e.preventDefault();
      this.restart(`The simulation worker stopped (${e.message || 'error'}); restarted it from the step list.`);
    };
    this.worker = worker;
  }

  /** Kill and restart the worker, replaying the store's scenario to the cursor. */
  restart(reason: string): void {
    const store = this.store;
    if (!store) return;
    this.worker?.terminate();
    const state = store.getState();
    state.setWorkerState('restarting');
    state.notify({ kind: 'error', text: reason });
    this.start(store);
    const scenario = currentScenario(state);
    if (scenario) this.send({ type: 'sim.load', scenario, cursor: state.cursor });
  }

  send(body: CommandBody): void {
    this.worker?.postMessage({ ...body, id: this.nextId++ } as Command);
  }

  dispose(): void {
    this.worker?.terminate();
    this.worker = null;
  }

  private receive(event: SimEvent): void {
    if (event.version !== PROTOCOL_VERSION) {
      this.store?.getState().notify({
        kind: 'error',
        text: `The simulation worker speaks protocol ${String(event.version)}, this page ${PROTOCOL_VERSION}: reload the page.`,
      });
      return;
    }
    this.store?.getState().receive(event);
  }
}

/** A lab: its store and the client of its own worker. */
export interface Lab {
  readonly store: LabStore;
  readonly client: SimClient;
}

export function createLab(makeWorker: () => Worker): Lab {
  const client = new SimClient(makeWorker);
  const store = createLabStore((command) => client.send(command));
  client.start(store);
  return { store, client };
}

export const simWorker = (): Worker =>
  new Worker(new URL('../worker/sim.worker.ts', import.meta.url), { type: 'module', name: 'pager-engine' });
