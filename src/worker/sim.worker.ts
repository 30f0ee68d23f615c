/// <reference lib="webworker" />
/** The engine's worker: a thin adapter from postMessage to SimHost. */
import { OUT_OF_BAND, PROTOCOL_VERSION, type Command } from '../protocol/messages';
import { SimHost } from './sim-host';

declare const self: DedicatedWorkerGlobalScope;

/** Long work runs this long between two looks at the message queue (a ping, a Cancel). */
const SLICE_MS = 25;

// The teaching layer is its own chunk, fetched when a lesson, challenge or exercise is first opened.
const host = new SimHost(
  (event) => self.postMessage(event),
  () => import('./tutor').then((m) => m.createTutor),
  { sliceMs: SLICE_MS },
);

/** A teaching command that failed is reported; a simulation command that threw is a bug: the page restarts us. */
const failed = (cmd: Command) => (e: unknown) => {
  if (cmd.type.startsWith('teach.'))
    self.postMessage({ type: 'teach.error', version: PROTOCOL_VERSION, message: `Teaching: ${String(e)}` });
  else
    setTimeout(() => {
      throw e;
    });
};

// Commands run in order: while one waits (a teaching chunk) or runs in slices, later commands queue
// behind it. A ping or a Cancel does not queue: it is seen between two slices.
let pending = 0;
let tail: Promise<void> = Promise.resolve();
self.onmessage = (e: MessageEvent<Command>) => {
  const cmd = e.data;
  if (OUT_OF_BAND.has(cmd.type)) {
    void host.handle(cmd);
    return;
  }
  if (pending === 0) {
    const waiting = host.handle(cmd);
    if (!waiting) return;
    pending++;
    tail = waiting.catch(failed(cmd)).finally(() => pending--);
    return;
  }
  pending++;
  tail = tail
    .then(() => host.handle(cmd))
    .catch(failed(cmd))
    .finally(() => pending--);
};
