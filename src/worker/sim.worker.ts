/// <reference lib="webworker" />
/** The engine's worker: a thin adapter from postMessage to SimHost. */
import { PROTOCOL_VERSION, type Command } from '../protocol/messages';
import { SimHost } from './sim-host';

declare const self: DedicatedWorkerGlobalScope;

// The teaching layer is its own chunk, fetched when a lesson, challenge or exercise is first opened.
const host = new SimHost(
  (event) => self.postMessage(event),
  () => import('./tutor').then((m) => m.createTutor),
);

const failed = (e: unknown) =>
  self.postMessage({ type: 'teach.error', version: PROTOCOL_VERSION, message: `Teaching: ${String(e)}` });

// Commands run in order: while a teaching command waits (for its chunk), later commands queue behind it.
let pending = 0;
let tail: Promise<void> = Promise.resolve();
self.onmessage = (e: MessageEvent<Command>) => {
  const cmd = e.data;
  if (pending === 0) {
    const waiting = host.handle(cmd);
    if (!waiting) return;
    pending++;
    tail = waiting.catch(failed).finally(() => pending--);
    return;
  }
  pending++;
  tail = tail
    .then(() => host.handle(cmd))
    .catch(failed)
    .finally(() => pending--);
};
