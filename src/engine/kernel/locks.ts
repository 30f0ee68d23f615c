/**
 * Locks: exclusive ones (rwlocks taken for writing, mutexes) and the
 * lockmgr-style vnode lock (shared or exclusive, recursion, no-wait). When a
 * lock is released every waiter becomes runnable and tries again when next
 * run: there is no hand-off. Which panics a misuse gives is the kernel's
 * business, so these report it and the pager models panic in their words.
 */
import type { Kernel } from './kernel';
import { BLOCK, type KThread, type Lock, type Proc } from './types';

function lockOf(k: Kernel, name: string): Lock {
  return (k.s.locks[name] ??= { owner: null, count: 0, shared: [] });
}

function block(th: KThread, name: string): void {
  th.status = 'lock';
  th.wait = name;
}

function granted(th: KThread): void {
  th.status = 'ready';
  th.wait = null;
}

export function holds(k: Kernel, th: KThread, name: string): boolean {
  return k.s.locks[name]?.owner === th.id;
}

/**
 * Blocking acquire of an exclusive, non-recursive lock. Returns 'self' (and
 * takes nothing) when the thread already holds it: the caller panics.
 */
export function* lockEnter(k: Kernel, th: KThread, name: string): Proc<'ok' | 'self'> {
  for (;;) {
    const lock = lockOf(k, name);
    if (lock.owner === th.id) return 'self';
    if (lock.owner === null && lock.shared.length === 0) {
      lock.owner = th.id;
      lock.count = 1;
      granted(th);
      return 'ok';
    }
    block(th, name);
    yield BLOCK;
  }
}

/**
 * lockEnter's first look, at once: take `name` if it is free and say so; otherwise change nothing (the
 * caller then runs lockEnter, which blocks, or finds the thread holds it already).
 */
export function lockTakeFree(k: Kernel, th: KThread, name: string): boolean {
  const lock = lockOf(k, name);
  if (lock.owner !== null || lock.shared.length > 0) return false;
  lock.owner = th.id;
  lock.count = 1;
  granted(th);
  return true;
}

/** Take an exclusive lock only if it is free (a completion routine cannot wait). */
export function lockTry(k: Kernel, th: KThread, name: string): boolean {
  const lock = lockOf(k, name);
  if (lock.owner !== null || lock.shared.length > 0) return false;
  lock.owner = th.id;
  lock.count = 1;
  return true;
}

/** Release: every waiter becomes runnable and retries when next run. */
export function lockRelease(k: Kernel, name: string): void {
  const lock = k.s.locks[name];
  if (!lock) return;
  lock.owner = null;
  lock.count = 0;
  wakeLockWaiters(k, name);
}

function wakeLockWaiters(k: Kernel, name: string): void {
  const observer = k.observer;
  observer?.scanBegin(`lock:${name}`);
  for (const t of k.liveThreads()) if (t.status === 'lock' && t.wait === name) granted(t);
  observer?.scanEnd();
}

export interface LockmgrRequest {
  shared: boolean;
  /** Fail with 'busy' instead of blocking. */
  nowait: boolean;
  /** What taking an exclusive lock the thread already holds exclusively does. */
  recurse: 'allow' | 'fail';
}

/**
 * lockmgr-style acquire: shared when no thread holds it exclusively,
 * exclusive when nobody holds it (no writer preference). The exclusive owner
 * recurses (or gets 'recursed' with `recurse: 'fail'`).
 */
export function* lockmgrAcquire(
  k: Kernel,
  th: KThread,
  name: string,
  req: LockmgrRequest,
): Proc<'ok' | 'busy' | 'recursed'> {
  for (;;) {
    const lock = lockOf(k, name);
    if (lock.owner === th.id) {
      if (!req.shared && req.recurse === 'fail') return 'recursed';
      lock.count++;
      return 'ok';
    }
    const free = req.shared ? lock.owner === null : lock.owner === null && lock.shared.length === 0;
    if (free) {
      if (req.shared) lock.shared.push(th.id);
      else {
        lock.owner = th.id;
        lock.count = 1;
      }
      granted(th);
      return 'ok';
    }
    if (req.nowait) return 'busy';
    block(th, name);
    yield BLOCK;
  }
}

/**
 * lockmgr-style release by `th`: one level of its exclusive hold, or its
 * shared hold. 'unheld' when nobody holds it, 'other' when only others do:
 * the caller decides what such a misuse does.
 */
export function lockmgrRelease(k: Kernel, th: KThread, name: string): 'ok' | 'unheld' | 'other' {
  const lock = lockOf(k, name);
  if (lock.owner === th.id) {
    if (--lock.count === 0) {
      lock.owner = null;
      wakeLockWaiters(k, name);
    }
    return 'ok';
  }
  const at = lock.shared.indexOf(th.id);
  if (at >= 0) {
    lock.shared.splice(at, 1);
    if (lock.shared.length === 0) wakeLockWaiters(k, name);
    return 'ok';
  }
  return lock.owner === null && lock.shared.length === 0 ? 'unheld' : 'other';
}

/** How `th` holds a lockmgr lock. */
export function lockmgrHeld(k: Kernel, th: KThread, name: string): 'exclusive' | 'shared' | null {
  const lock = k.s.locks[name];
  if (!lock) return null;
  if (lock.owner === th.id) return 'exclusive';
  return lock.shared.includes(th.id) ? 'shared' : null;
}
