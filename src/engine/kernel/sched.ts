/**
 * Locks, sleep and wakeup, panic and KASSERT: the parts of kern_synch.c and
 * kern_rwlock.c the pagers lean on. Nothing here picks who runs next; the user
 * does. A blocked thread yields BLOCK and, once made runnable, retries when it
 * is next run (no hand-off), as the scenario contract says.
 */
import type { Kernel } from './kernel';
import { BLOCK, PANIC, type KThread, type Proc } from './types';

export function* panic(k: Kernel, th: KThread, message: string): Proc<never> {
  k.s.panic = { message, thread: th.id, line: th.line };
  for (;;) yield PANIC;
}

/** KASSERT under DIAGNOSTIC: the message names the expression and its line. */
export function* KASSERT(
  k: Kernel,
  th: KThread,
  cond: boolean,
  expr: string,
  line: number,
  file = 'sys/uvm/uvm_vnode.c',
): Proc {
  if (cond) return;
  const folded = expr.replace(/\s+/g, ' ');
  yield* panic(k, th, `kernel diagnostic assertion "${folded}" failed: file "${file}", line ${line}`);
}

/** Blocking acquire of a non-recursive lock (rwlock or mutex). */
export function* lockEnter(k: Kernel, th: KThread, name: string, selfPanic: string): Proc {
  for (;;) {
    const lock = (k.s.locks[name] ??= { owner: null, count: 0 });
    if (lock.owner === null) {
      lock.owner = th.id;
      lock.count = 1;
      th.status = 'ready';
      th.wait = null;
      return;
    }
    if (lock.owner === th.id) yield* panic(k, th, selfPanic);
    th.status = 'lock';
    th.wait = name;
    yield BLOCK;
  }
}

export function holds(k: Kernel, th: KThread, name: string): boolean {
  return k.s.locks[name]?.owner === th.id;
}

/** Release: every waiter becomes runnable and retries when next run. */
export function lockRelease(k: Kernel, name: string): void {
  const lock = k.s.locks[name];
  if (!lock) return;
  lock.owner = null;
  lock.count = 0;
  for (const t of k.s.threads) {
    if (t.status === 'lock' && t.wait === name) {
      t.status = 'ready';
      t.wait = null;
    }
  }
}

export function* rw_enter(k: Kernel, th: KThread, name: string): Proc {
  yield* lockEnter(k, th, name, `uobjlk rwlock: locking against myself`);
}

export function* rw_exit(k: Kernel, th: KThread, name: string): Proc {
  if (!holds(k, th, name)) yield* panic(k, th, `uobjlk: lock not held by this process`);
  lockRelease(k, name);
}

/** Put the thread to sleep on `chan`; returns once it has been woken and run again. */
export function* sleepOn(_k: Kernel, th: KThread, channel: string, wmesg: string): Proc {
  th.status = 'sleep';
  th.wait = wmesg;
  th.chan = channel;
  yield BLOCK;
}

export function wakeup(k: Kernel, channel: string): void {
  for (const t of k.s.threads) {
    if (t.status === 'sleep' && t.chan === channel) {
      t.status = 'ready';
      t.wait = null;
      t.chan = null;
    }
  }
}

/** tsleep_nsec(ident, PVM, wmesg, INFSLP): no lock involved. */
export function* tsleep_nsec(k: Kernel, th: KThread, channel: string, wmesg: string): Proc {
  yield* sleepOn(k, th, channel, wmesg);
}

/**
 * rwsleep_nsec(ident, rwl, prio, wmesg, INFSLP): drop `lock`, sleep, and take
 * the lock again when next run unless PNORELOCK.
 */
export function* rwsleep_nsec(
  k: Kernel,
  th: KThread,
  channel: string,
  lock: string,
  wmesg: string,
  relock: boolean,
): Proc {
  lockRelease(k, lock);
  yield* sleepOn(k, th, channel, wmesg);
  if (relock) yield* rw_enter(k, th, lock);
}

/**
 * Wrap a modelled function so the thread's stack names it while it runs
 * (the source pane shows the stack). A panic leaves the stack as it was.
 */
export function traced<A extends unknown[], T>(
  name: string,
  body: (k: Kernel, th: KThread, ...args: A) => Proc<T>,
): (k: Kernel, th: KThread, ...args: A) => Proc<T> {
  return function* (k, th, ...args) {
    th.stack.push(name);
    const result = yield* body(k, th, ...args);
    th.stack.pop();
    return result;
  };
}
