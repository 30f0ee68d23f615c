/// <reference lib="webworker" />
/** The engine's worker: a thin adapter from postMessage to SimHost. */
import { OUT_OF_BAND, PROTOCOL_VERSION, type Command } from '../protocol/messages';
import { loadPager } from '../engine/registry';
import { SimHost } from './sim-host';

declare const self: DedicatedWorkerGlobalScope;

/** Long work runs this long between two looks at the message queue (a ping, a Cancel). */
const SLICE_MS = 25;

/** An open's history waits this long at most for the page to say its answer is painted (`sim.shown`). */
const SHOWN_TIMEOUT_MS = 500;

/**
 * The browser bench (tools/bench-browser.ts) asks, on this channel, for each command's times in the worker:
 * when it arrived, when its answer was ready and when postMessage (which copies it) returned, as absolute
 * times (timeOrigin + now) the page can set against its own. Until asked, nothing is measured or sent.
 */
const perfChannel = typeof BroadcastChannel === 'function' ? new BroadcastChannel('pager-lab-perf') : null;
let perfOn = false;
const posted = { ready: 0, sent: 0 };
if (perfChannel) perfChannel.onmessage = (e: MessageEvent<unknown>) => void (perfOn = e.data === 'on');
const now = () => performance.timeOrigin + performance.now();

/**
 * Between two slices the host waits for one task of its own, posted on a MessageChannel: it queues behind
 * any message already here (a ping, a Cancel: both are posted-message tasks, run in order), but is not held
 * back as a setTimeout is (a chain of timers is clamped to 4 ms each: ~0.5 s over the 100-odd slices of the
 * 16,387-step link).
 */
const wake = new MessageChannel();
const waiting: (() => void)[] = [];
wake.port1.onmessage = () => waiting.shift()?.();
const yieldToQueue = () =>
  new Promise<void>((resolve) => {
    waiting.push(resolve);
    wake.port2.postMessage(null);
  });

// The teaching layer is its own chunk, fetched when a lesson, challenge or exercise is first opened.
const host = new SimHost(
  (event) => {
    if (!perfOn) return self.postMessage(event);
    const ready = now();
    self.postMessage(event);
    posted.ready = ready;
    posted.sent = now();
  },
  () => import('./tutor').then((m) => m.createTutor),
  { sliceMs: SLICE_MS, yieldToQueue, shownTimeoutMs: SHOWN_TIMEOUT_MS },
);

// The library's start is OpenBSD's, as are most links: its kernel's chunks (the model, then the chunk it
// imports) are fetched while the first command is read (a link's decode and check take ~50 ms of CPU), not
// after. A failed fetch is asked again by the open that needs it, and refuses it then.
void Promise.resolve(loadPager('openbsd')).catch(() => undefined);

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
    const arrived = perfOn ? now() : 0;
    posted.sent = 0;
    const waiting = host.handle(cmd);
    if (perfOn && posted.sent) perfChannel?.postMessage({ id: cmd.id, type: cmd.type, arrived, ...posted });
    if (!waiting) return;
    pending++;
    tail = waiting.catch(failed(cmd)).finally(() => pending--);
    return;
  }
  // It waits: an open reads its scenario now (a link's decode and check overlap the kernel fetch of the open
  // before it), and is answered from that when its turn comes.
  host.prepare(cmd);
  pending++;
  tail = tail
    .then(() => host.handle(cmd))
    .catch(failed(cmd))
    .finally(() => pending--);
};
