/**
 * FreeBSD's locking and sleeping as the seed uses them: the object lock (VM_OBJECT_WLOCK, an exclusive
 * rwlock), VM_OBJECT_SLEEP with PDROP, wakeup, KASSERT and panic (FreeBSD prints only the formatted
 * message), and the pbuf budgets (getpbuf sleeps "wswbuf0" while its counter is 0).
 */
import { holds, lockEnter, lockRelease, lockTakeFree } from '../kernel/locks';
import { panic, RETURNED, sleepOn, sleepReleasing, wakeup } from '../kernel/sched';
import type { KThread, Proc } from '../kernel/types';
import { chan, objLockName, type BsdKernel, type VmObject } from './state';

/** KASSERT(exp, (fmt, ...)): a failure panics with the formatted message, nothing else. */
// KASSERT, VM_OBJECT_WLOCK and VM_OBJECT_WUNLOCK return RETURNED on their common path (see RETURNED):
// every caller runs them at once with `yield*`.
export function KASSERT(k: BsdKernel, th: KThread, cond: boolean, message: () => string): Proc {
  return cond ? RETURNED : panic(k, th, message());
}

export function VM_OBJECT_WLOCK(k: BsdKernel, th: KThread, obj: VmObject): Proc {
  return lockTakeFree(k, th, objLockName(obj.id)) ? RETURNED : wlockWaiting(k, th, obj);
}

function* wlockWaiting(k: BsdKernel, th: KThread, obj: VmObject): Proc {
  if ((yield* lockEnter(k, th, objLockName(obj.id))) === 'self')
    yield* panic(k, th, `_rw_wlock_hard: recursing on non-recursive rwlock vm object @ ${objLockName(obj.id)}`);
}

export function VM_OBJECT_WUNLOCK(k: BsdKernel, th: KThread, obj: VmObject): Proc {
  if (!holds(k, th, objLockName(obj.id)))
    return panic(k, th, `__rw_wunlock: wunlock of unlocked rwlock vm object @ ${objLockName(obj.id)}`);
  lockRelease(k, objLockName(obj.id));
  return RETURNED;
}

export function VM_OBJECT_WOWNED(k: BsdKernel, th: KThread, obj: VmObject): boolean {
  return holds(k, th, objLockName(obj.id));
}

/**
 * VM_OBJECT_SLEEP(obj, chan, PVM [| PDROP], msg): release the object lock and sleep; without PDROP take
 * the lock again when next run.
 */
export function* VM_OBJECT_SLEEP(
  k: BsdKernel,
  th: KThread,
  obj: VmObject,
  channel: string,
  msg: string,
  pdrop: boolean,
): Proc {
  yield* sleepReleasing(k, th, channel, objLockName(obj.id), msg);
  if (!pdrop) yield* VM_OBJECT_WLOCK(k, th, obj);
}

export { sleepOn, wakeup };

/** getpbuf(&freecnt): sleep "wswbuf0" on the counter while it is 0, then take one. */
export function* getpbuf(k: BsdKernel, th: KThread, async: boolean): Proc {
  const s = k.bsd;
  while ((async ? s.asyncPbufs : s.pbufs) === 0) yield* sleepOn(k, th, chan.pbuf(async), 'wswbuf0');
  if (async) s.asyncPbufs--;
  else s.pbufs--;
}

/** relpbuf(bp, &freecnt): give it back; going from 0 to 1 wakes the counter's sleepers. */
export function relpbuf(k: BsdKernel, async: boolean): void {
  const s = k.bsd;
  const now = async ? ++s.asyncPbufs : ++s.pbufs;
  if (now === 1) wakeup(k, chan.pbuf(async));
}
