/**
 * Panic, KASSERT, sleep and wakeup: the parts of the scheduler every pager
 * leans on. Nothing here picks who runs next; the user does. A blocked thread
 * yields BLOCK and, once made runnable, retries when it is next run (no
 * hand-off), as the scenario contract says.
 */
import type { Kernel } from './kernel';
import { lockRelease } from './locks';
import { BLOCK, PANIC, type KThread, type Proc } from './types';

/** Stop the whole kernel: every later step is refused. The thread stays "ready". */
export function* panic(k: Kernel, th: KThread, message: string): Proc<never> {
  k.s.panic = { message, thread: th.id, line: th.line };
  for (;;) yield PANIC;
}

/** A failed KASSERT's message, EXPR as written in the C with white space runs folded. */
export function kassertMessage(expr: string, file: string, line: number): string {
  return `kernel diagnostic assertion "${expr.replace(/\s+/g, ' ')}" failed: file "${file}", line ${line}`;
}

/**
 * OpenBSD's KASSERT under DIAGNOSTIC: the message names the expression, the
 * file (the caller's seed) and the line.
 */
export function* KASSERT(k: Kernel, th: KThread, cond: boolean, expr: string, file: string, line: number): Proc {
  if (cond) return;
  yield* panic(k, th, kassertMessage(expr, file, line));
}

/** Put the thread to sleep on `channel`; returns once it has been woken and run again. */
export function* sleepOn(_k: Kernel, th: KThread, channel: string, wmesg: string): Proc {
  th.status = 'sleep';
  th.wait = wmesg;
  th.chan = channel;
  yield BLOCK;
}

/** Release `lock` and sleep on `channel` in one move (msleep, rwsleep): no wakeup can fall between. */
export function* sleepReleasing(k: Kernel, th: KThread, channel: string, lock: string, wmesg: string): Proc {
  lockRelease(k, lock);
  yield* sleepOn(k, th, channel, wmesg);
}

/** Every sleeper on `channel` becomes runnable. */
export function wakeup(k: Kernel, channel: string): void {
  for (const t of k.s.threads) {
    if (t.status === 'sleep' && t.chan === channel) {
      t.status = 'ready';
      t.wait = null;
      t.chan = null;
    }
  }
}

/**
 * Wrap a modelled function so the thread's stack names it while it runs
 * (the source pane shows the stack). A panic leaves the stack as it was.
 */
export function traced<A extends unknown[], T, K extends Kernel = Kernel>(
  name: string,
  body: (k: K, th: KThread, ...args: A) => Proc<T>,
): (k: K, th: KThread, ...args: A) => Proc<T> {
  return function* (k, th, ...args) {
    th.stack.push(name);
    const result = yield* body(k, th, ...args);
    th.stack.pop();
    return result;
  };
}
