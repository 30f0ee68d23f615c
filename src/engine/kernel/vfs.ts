/**
 * Vnodes and the disk: vref/vrele, vn_lock/VOP_UNLOCK, VOP_GETATTR and the
 * VOP_READ/VOP_WRITE that start a disk request and block until the user
 * completes it (reference/openbsd-uvm-facts.md §5). A dead or reclaimed vnode
 * behaves as deadfs.
 */
import { EBADF, EBUSY, EDEADLK, EIO, LK_NOWAIT, LK_RECURSEFAIL } from './constants';
import { vnLockName, type Kernel } from './kernel';
import { lockRelease, panic } from './sched';
import { BLOCK, type IoOutcome, type KThread, type Proc, type Vnode } from './types';

export function isDeadfs(vp: Vnode): boolean {
  return vp.state === 'dead' || vp.state === 'reclaimed';
}

/** The DIAGNOSTIC vref the seed calls: a free vnode needs vget. */
export function* vref(k: Kernel, th: KThread, vp: Vnode): Proc {
  if (vp.usecount === 0) yield* panic(k, th, 'vref used where vget required');
  vp.usecount++;
}

/** vget semantics (open(2)): a free vnode becomes active. */
export function vget(vp: Vnode): void {
  vp.usecount++;
  if (vp.state === 'free') vp.state = 'active';
}

/** vrele: at zero, lock the vnode, VOP_INACTIVE (which unlocks), onto the free list. */
export function* vrele(k: Kernel, th: KThread, vp: Vnode): Proc {
  vp.usecount--;
  if (vp.usecount > 0) return;
  if (vp.usecount < 0) yield* panic(k, th, `vrele: ref cnt vp ${vp.name}`);
  const error = yield* vn_lock(k, th, vp, 0);
  if (error !== 0) return;
  VOP_UNLOCK(k, th, vp);
  if (vp.usecount === 0 && vp.state === 'active') vp.state = 'free';
}

/**
 * vn_lock on the vnode's recursive lock (rrw_enter): recursion is allowed for
 * the owner unless LK_RECURSEFAIL (EDEADLK); LK_NOWAIT fails with EBUSY.
 * deadfs takes no lock.
 */
export function* vn_lock(k: Kernel, th: KThread, vp: Vnode, flags: number): Proc<number> {
  const name = vnLockName(vp.name);
  for (;;) {
    if (isDeadfs(vp)) {
      th.status = 'ready';
      th.wait = null;
      return 0;
    }
    const lock = (k.s.locks[name] ??= { owner: null, count: 0 });
    if (lock.owner === null) {
      lock.owner = th.id;
      lock.count = 1;
      th.status = 'ready';
      th.wait = null;
      return 0;
    }
    if (lock.owner === th.id) {
      if (flags & LK_RECURSEFAIL) return EDEADLK;
      lock.count++;
      return 0;
    }
    if (flags & LK_NOWAIT) return EBUSY;
    th.status = 'lock';
    th.wait = name;
    yield BLOCK;
  }
}

export function VOP_UNLOCK(k: Kernel, th: KThread, vp: Vnode): void {
  const name = vnLockName(vp.name);
  const lock = k.s.locks[name];
  if (!lock || lock.owner !== th.id) return;
  lock.count--;
  if (lock.count === 0) lockRelease(k, name);
}

/** Size as VOP_GETATTR (or DIOCGPART for a disk) reports it. */
export function VOP_GETATTR(vp: Vnode): { error: number; size: number } {
  if (isDeadfs(vp)) return { error: EBADF, size: 0 };
  return { error: 0, size: vp.size };
}

/**
 * VOP_READ / VOP_WRITE through the buffer cache: start request N and block
 * until the user completes it. Returns the errno and the bytes transferred.
 */
export function* VOP_RDWR(
  k: Kernel,
  th: KThread,
  vp: Vnode,
  rw: 'read' | 'write',
  offset: number,
  length: number,
  pages: number[],
): Proc<IoOutcome> {
  if (isDeadfs(vp)) return { error: EIO, done: 0 };
  const id = k.s.nextIoId++;
  k.s.io.push({ id, thread: th.id, vnode: vp.name, rw, offset, length, pages });
  th.status = 'io';
  th.wait = `io:${id}`;
  th.io = null;
  yield BLOCK;
  const outcome = th.io ?? { error: EIO, done: 0 };
  th.io = null;
  return outcome;
}
