/**
 * The UI's side of the explorer's worker (one per lab, started on the first search): starts and cancels a
 * search and hands the current search's events to `onEvent`, dropping those of a search it replaced. If the
 * worker dies, the search is over: the listener hears an error and the next search starts a new worker.
 */
import {
  EXPLORE_PROTOCOL_VERSION,
  type ExploreChoice,
  type ExploreCommand,
  type ExploreEvent,
} from '../protocol/explore';
import type { Scenario } from '../protocol/scenario';

export class ExploreClient {
  private worker: Worker | null = null;
  private run = 0;

  constructor(
    private readonly makeWorker: () => Worker,
    private readonly onEvent: (event: ExploreEvent) => void,
  ) {}

  /** Search `scenario`'s setup and spawns; a search still running is replaced. Returns its run number. */
  start(scenario: Scenario, choice: ExploreChoice): number {
    this.run++;
    this.send({ type: 'explore.start', run: this.run, scenario, choice });
    return this.run;
  }

  /** Stop the current search: it ends with what it found. */
  cancel(): void {
    this.send({ type: 'explore.cancel', run: this.run });
  }

  dispose(): void {
    this.worker?.terminate();
    this.worker = null;
  }

  private send(cmd: ExploreCommand): void {
    if (!this.worker) {
      const worker = this.makeWorker();
      worker.onmessage = (e: MessageEvent<ExploreEvent>) => this.receive(e.data);
      worker.onerror = (e) => {
        e.preventDefault();
        this.dispose();
        this.onEvent({
          type: 'explore.error',
          version: EXPLORE_PROTOCOL_VERSION,
          run: this.run,
          message: `The explorer's worker stopped (${e.message || 'error'}).`,
        });
      };
      this.worker = worker;
    }
    this.worker.postMessage(cmd);
  }

  private receive(event: ExploreEvent): void {
    if (event.run !== this.run) return;
    if (event.version !== EXPLORE_PROTOCOL_VERSION) {
      this.onEvent({
        type: 'explore.error',
        version: EXPLORE_PROTOCOL_VERSION,
        run: this.run,
        message: `The explorer's worker speaks protocol ${String(event.version)}, this page ${EXPLORE_PROTOCOL_VERSION}: reload the page.`,
      });
      return;
    }
    this.onEvent(event);
  }
}

export const exploreWorker = (): Worker =>
  new Worker(new URL('../worker/explore.worker.ts', import.meta.url), { type: 'module', name: 'pager-explorer' });
