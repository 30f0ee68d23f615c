/**
 * The UI's side of the worker: sends commands, feeds events to the store, and
 * if the worker dies, says so and starts a new one from the store's setup and
 * steps, losing nothing.
 */
import type { Scenario, SpawnStep, Step } from '../engine/api';
import type { Command, SimEvent } from '../protocol/messages';
import { currentScenario, useStore } from '../store/store';

type CommandBody = Command extends infer C ? (C extends Command ? Omit<C, 'id'> : never) : never;

interface Pending {
  step: Step | null;
  loaded: Scenario | null;
  /** Where a loaded scenario came from ("Shared link", "Import of x.json"): it prefixes a refusal. */
  origin?: string;
}

export class SimClient {
  private worker: Worker | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();

  constructor(private readonly makeWorker: () => Worker) {}

  start(): void {
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
    this.worker?.terminate();
    this.pending.clear();
    const store = useStore.getState();
    store.setWorkerState('restarting');
    store.notify({ kind: 'error', text: reason });
    this.start();
    const scenario = currentScenario(store);
    if (scenario) this.send({ type: 'sim.load', scenario, cursor: store.cursor }, { step: null, loaded: scenario });
  }

  /** Load a scenario; if the worker refuses one of its steps, the session shown stays and `origin` leads the message. */
  load(scenario: Scenario, cursor?: number, origin?: string): void {
    const cmd =
      cursor === undefined ? { type: 'sim.load' as const, scenario } : { type: 'sim.load' as const, scenario, cursor };
    this.send(cmd, origin === undefined ? { step: null, loaded: scenario } : { step: null, loaded: scenario, origin });
  }
  reset(): void {
    const scenario = currentScenario(useStore.getState());
    if (scenario) this.load({ ...scenario, steps: [] });
  }
  spawn(step: SpawnStep): void {
    this.send({ type: 'sim.spawn', step }, { step, loaded: null });
  }
  run(thread: string): void {
    this.send({ type: 'sim.run', thread }, { step: { run: thread }, loaded: null });
  }
  step(thread: string): void {
    this.send({ type: 'sim.step', thread }, { step: { step: thread }, loaded: null });
  }
  complete(request: number, result: string): void {
    this.send({ type: 'sim.complete', request, result }, { step: { complete: request, result }, loaded: null });
  }
  seek(to: number): void {
    this.send({ type: 'sim.seek', to }, { step: null, loaded: null });
  }

  private send(body: CommandBody, pending: Pending): void {
    const id = this.nextId++;
    this.pending.set(id, pending);
    this.worker?.postMessage({ ...body, id } as Command);
  }

  private receive(event: SimEvent): void {
    const pending: Pending = this.pending.get(event.id) ?? { step: null, loaded: null };
    this.pending.delete(event.id);
    const said =
      event.type === 'sim.error' && pending.origin
        ? { ...event, message: `${pending.origin}: ${event.message}` }
        : event;
    useStore.getState().receive(said, pending.step, pending.loaded);
  }
}

export const sim = new SimClient(
  () => new Worker(new URL('./sim.worker.ts', import.meta.url), { type: 'module', name: 'pager-engine' }),
);
