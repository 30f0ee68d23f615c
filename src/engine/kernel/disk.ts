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
  Partial<Pick<IoRequest, 'iodone' | 'ctx' | 'fields' | 'exactLength'>>;

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
  k.s.io.push(req);
  return req;
}

/** Block until request `req` completes (status "io", wait "io:N"); its outcome. */
export function* awaitRequest(_k: Kernel, th: KThread, req: IoRequest): Proc<IoOutcome> {
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

/** Take request `id` out of flight; the waiting thread (if any) is handed its outcome and made ready. */
export function finishRequest(k: Kernel, req: IoRequest, outcome: IoOutcome): void {
  k.s.io.splice(k.s.io.indexOf(req), 1);
  if (req.iodone !== null) return;
  const th = k.thread(req.thread);
  if (th && th.status === 'io' && th.wait === `io:${req.id}`) {
    th.io = outcome;
    th.status = 'ready';
    th.wait = null;
  }
}
