/**
 * OpenBSD's locking and sleeping calls as the seed uses them: rw_enter and
 * rw_exit on an object's rwlock (with their DIAGNOSTIC panics), tsleep_nsec,
 * rwsleep_nsec, and KASSERT naming uvm_vnode.c unless told otherwise.
 */
import { holds, lockEnter, lockRelease, lockTakeFree } from '../kernel/locks';
import { KASSERT as kassert, panic, RETURNED, sleepOn, sleepReleasing } from '../kernel/sched';
import type { KThread, Proc } from '../kernel/types';
import type { UvmKernel } from './state';

export const SEED_FILE = 'sys/uvm/uvm_vnode.c';

/** KASSERT of a seed line: the message names sys/uvm/uvm_vnode.c. */
export function KASSERT(k: UvmKernel, th: KThread, cond: boolean, expr: string, line: number): Proc {
  return kassert(k, th, cond, expr, SEED_FILE, line);
}

/** rw_enter(rwl, RW_WRITE); `rwlName` is the name the lock was initialised with (the panic says it). */
// rw_enter and rw_exit return RETURNED on their common path (see RETURNED): every caller runs them at once
// with `yield*`.
export function rw_enter(k: UvmKernel, th: KThread, name: string, rwlName = 'uobjlk'): Proc {
  return lockTakeFree(k, th, name) ? RETURNED : rwEnterWaiting(k, th, name, rwlName);
}

function* rwEnterWaiting(k: UvmKernel, th: KThread, name: string, rwlName: string): Proc {
  if ((yield* lockEnter(k, th, name)) === 'self') yield* panic(k, th, `${rwlName} rwlock: locking against myself`);
}

export function rw_exit(k: UvmKernel, th: KThread, name: string): Proc {
  if (!holds(k, th, name)) return panic(k, th, `uobjlk: lock not held by this process`);
  lockRelease(k, name);
  return RETURNED;
}

/** tsleep_nsec(ident, PVM, wmesg, INFSLP): no lock involved. */
export function* tsleep_nsec(k: UvmKernel, th: KThread, channel: string, wmesg: string): Proc {
  yield* sleepOn(k, th, channel, wmesg);
}

/**
 * rwsleep_nsec(ident, rwl, prio, wmesg, INFSLP): drop `lock`, sleep, and take
 * the lock again when next run unless PNORELOCK.
 */
export function* rwsleep_nsec(
  k: UvmKernel,
  th: KThread,
  channel: string,
  lock: string,
  wmesg: string,
  relock: boolean,
): Proc {
  yield* sleepReleasing(k, th, channel, lock, wmesg);
  if (relock) yield* rw_enter(k, th, lock);
}
