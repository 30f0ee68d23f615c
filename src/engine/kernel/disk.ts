/**
 * The disk: requests numbered 1, 2, 3... in the order they start, each in
 * flight until the user completes it (ok, EIO, or a short transfer). A
 * request's completion either wakes the thread that waits for it or runs the
 * pager model's completion routine (see IoRequest.iodone).
 */
import type { Kernel } from './kernel';
import { EIO } from './constants';
import { BLOCK, type IoOutcome, type IoRequest, type KThread, type Proc } from './types';

export type NewRequest = Pick<IoRequest, 'vnode' | 'rw' | 'offset' | 'length' | 'pages'> &
  Partial<Pick<IoRequest, 'iodone' | 'ctx' | 'fields' | 'exactLength' | 'detached'>>;

export function startRequest(k: Kernel, th: KThread, r: NewRequest): IoRequest {
  const req: IoRequest = {
    id: k.s.nextIoId++,
    thread: th.id,
    vnode: r.vnode,
    rw: r.rw,
    offset: r.offset,
    length: r.length,
    pages: r.pages,
    iodone: r.iodone ?? null,
    ctx: r.ctx ?? null,
    fields: r.fields ?? {},
  };
  if (r.exactLength !== undefined) req.exactLength = r.exactLength;
  if (r.detached) req.detached = true;
  k.s.io.push(req);
  return req;
}

/**
 * Block until request `req` completes (status "io", wait "io:N"); its outcome. A request completed before
 * its thread got here does not block: bwait tests B_DONE before it sleeps.
 */
export function* awaitRequest(k: Kernel, th: KThread, req: IoRequest): Proc<IoOutcome> {
  if (th.io !== null && !k.s.io.some((r) => r.id === req.id)) {
    const done = th.io;
    th.io = null;
    return done;
  }
  th.status = 'io';
  th.wait = `io:${req.id}`;
  th.io = null;
  yield BLOCK;
  const outcome = th.io ?? { error: EIO, done: 0 };
  th.io = null;
  return outcome;
}

/** The outcome `result` ("ok", "eio", "short:B") gives `req`, or why it cannot (B not below the length). */
export function outcomeOf(req: IoRequest, result: string): IoOutcome | string {
  if (result === 'eio') return { error: EIO, done: 0 };
  if (result.startsWith('short:')) {
    const bytes = Number(result.slice(6));
    if (!(bytes < req.length)) return `short:${bytes} needs fewer bytes than the request's length ${req.length}`;
    return { error: 0, done: bytes };
  }
  return { error: 0, done: req.length };
}

/**
 * Take request `id` out of flight; the thread that started it is handed its outcome and, if it waits for it,
 * made ready. One that has not reached its wait yet (FreeBSD's bstrategy and bwait are two statements) keeps
 * the outcome for it, as bdone's B_DONE.
 */
export function finishRequest(k: Kernel, req: IoRequest, outcome: IoOutcome): void {
  k.s.io.splice(k.s.io.indexOf(req), 1);
  if (req.iodone !== null || req.detached) return;
  const th = k.thread(req.thread);
  if (!th || th.status === 'done') return;
  th.io = outcome;
  if (th.status === 'io' && th.wait === `io:${req.id}`) {
    th.status = 'ready';
    th.wait = null;
  }
}
