/**
 * Vnodes as the OpenBSD pager meets them (reference/openbsd-uvm-facts.md §5):
 * vref/vget/vrele, vn_lock and VOP_UNLOCK on the vnode's recursive lock,
 * VOP_GETATTR, and VOP_READ/VOP_WRITE that start a disk request and block
 * until the user completes it. A dead or reclaimed vnode behaves as deadfs.
 */
import { EBADF, EBUSY, EDEADLK, EIO } from '../kernel/constants';
import { awaitRequest, startRequest } from '../kernel/disk';
import { vnLockName } from '../kernel/kernel';
import { lockmgrAcquire, lockmgrRelease } from '../kernel/locks';
import { panic } from '../kernel/sched';
import { BLOCK, type IoOutcome, type KThread, type Proc } from '../kernel/types';
import { LK_NOWAIT, LK_RECURSEFAIL } from './flags';
import type { UvmKernel, UvmVnode } from './state';

export function isDeadfs(vp: UvmVnode): boolean {
  return vp.state === 'dead' || vp.state === 'reclaimed';
}

/**
 * v_mount: vgonel takes a revoked or recycled vnode off its mount (`insmntque(vp, NULL)` after vclean), in the
 * statement that makes it dead, so a `uvm_vnp_sync(mp)` no longer finds it on `mp`.
 */
export function v_mount(vp: UvmVnode): string | null {
  return isDeadfs(vp) ? null : vp.mount;
}

/** The DIAGNOSTIC vref the seed calls: a free vnode needs vget. */
export function* vref(k: UvmKernel, th: KThread, vp: UvmVnode): Proc {
  if (vp.usecount === 0) yield* panic(k, th, 'vref used where vget required');
  vp.usecount++;
}

/** vget semantics (open(2)): a free vnode becomes active. */
export function vget(vp: UvmVnode): void {
  vp.usecount++;
  if (vp.state === 'free') vp.state = 'active';
}

/** vrele: at zero, lock the vnode, VOP_INACTIVE (which unlocks), onto the free list. */
export function* vrele(k: UvmKernel, th: KThread, vp: UvmVnode): Proc {
  // DIAGNOSTIC, before the decrement as in OpenBSD's vfs_subr.c: the panicking kernel shows usecount 0, not -1.
  // OpenBSD's message (NetBSD's adds "vp %p").
  if (vp.usecount === 0) yield* panic(k, th, 'vrele: ref cnt');
  vp.usecount--;
  if (vp.usecount > 0) return;
  const error = yield* vn_lock(k, th, vp, 0);
  if (error !== 0) return;
  yield* VOP_UNLOCK(k, th, vp);
  if (vp.usecount === 0 && vp.state === 'active') vp.state = 'free';
}

/**
 * vn_lock on the vnode's recursive lock (rrw_enter): recursion is allowed for
 * the owner unless LK_RECURSEFAIL (EDEADLK); LK_NOWAIT fails with EBUSY.
 * deadfs takes no lock, also for a thread that blocked before the vnode died.
 */
export function* vn_lock(k: UvmKernel, th: KThread, vp: UvmVnode, flags: number): Proc<number> {
  const name = vnLockName(vp.name);
  for (;;) {
    if (isDeadfs(vp)) {
      th.status = 'ready';
      th.wait = null;
      return 0;
    }
    const recurse = flags & LK_RECURSEFAIL ? 'fail' : 'allow';
    const got = yield* lockmgrAcquire(k, th, name, { shared: false, nowait: true, recurse });
    if (got === 'ok') return 0;
    if (got === 'recursed') return EDEADLK;
    if (flags & LK_NOWAIT) return EBUSY;
    th.status = 'lock';
    th.wait = name;
    yield BLOCK;
  }
}

/**
 * VOP_UNLOCK: one level of the owner's hold. Under DIAGNOSTIC an unlock by a
 * thread that does not hold it panics as rw_exit does, the lock named `inode`
 * as FFS names it; deadfs's unlock does nothing.
 */
export function* VOP_UNLOCK(k: UvmKernel, th: KThread, vp: UvmVnode): Proc {
  if (isDeadfs(vp)) return;
  const released = lockmgrRelease(k, th, vnLockName(vp.name));
  if (released === 'unheld') yield* panic(k, th, 'inode: lock not shared');
  if (released === 'other') yield* panic(k, th, 'inode: lock not held by this process');
}

/** Size as VOP_GETATTR (or DIOCGPART for a disk) reports it. */
export function VOP_GETATTR(vp: UvmVnode): { error: number; size: number } {
  if (isDeadfs(vp)) return { error: EBADF, size: 0 };
  return { error: 0, size: vp.size };
}

/**
 * VOP_READ / VOP_WRITE through the buffer cache: start request N and block
 * until the user completes it. Returns the errno and the bytes transferred.
 */
export function* VOP_RDWR(
  k: UvmKernel,
  th: KThread,
  vp: UvmVnode,
  rw: 'read' | 'write',
  offset: number,
  length: number,
  pages: number[],
  exactLength?: bigint,
): Proc<IoOutcome> {
  if (isDeadfs(vp)) return { error: EIO, done: 0 };
  const req = startRequest(k, th, { vnode: vp.name, rw, offset, length, pages, exactLength });
  return yield* awaitRequest(k, th, req);
}
