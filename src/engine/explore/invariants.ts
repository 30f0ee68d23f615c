/**
 * The kernel's invariants: what holds in every state until a panic, whatever
 * the schedule. The kernel-neutral ones are here (threads, locks, sleep
 * channels, requests); each pager adds its own through `PagerModel.invariants`
 * (its pages, queues and objects). A broken invariant is an engine bug, not a
 * finding about the kernel: the property test and the explorer's self-checks
 * fail on one.
 */
import type { PagerEngine } from '../engine';
import { vnLockName } from '../kernel/kernel';
import type { Kernel } from '../kernel/kernel';
import type { KThread } from '../kernel/types';
import type { InvariantMemo, PagerModel } from '../model';

const STATUSES = new Set(['ready', 'lock', 'sleep', 'io', 'done']);

/**
 * Every broken invariant of the engine's kernel, in words (empty: all hold). Pass the same `memo` after
 * every step of a run: some checks remember what earlier steps did.
 */
export function checkInvariants(engine: PagerEngine, memo: InvariantMemo = {}): string[] {
  return kernelInvariants(engine.k, engine.model, memo);
}

/** The same for a kernel and its model. Checks nothing once the kernel has panicked. */
export function kernelInvariants(k: Kernel, model: PagerModel, memo: InvariantMemo = {}): string[] {
  if (k.s.panic) return [];
  const broken: string[] = [];
  const check = (cond: boolean, what: () => string) => {
    if (!cond) broken.push(what());
  };
  const s = k.s;
  check(Number.isSafeInteger(s.freePages) && s.freePages >= 0, () => `freePages is ${s.freePages}`);

  const byId = new Map<string, KThread>();
  for (const t of s.threads) {
    check(!byId.has(t.id), () => `thread ${t.id} twice`);
    byId.set(t.id, t);
  }
  const isHeld = (name: string) => {
    const lock = s.locks[name];
    return lock !== undefined && (lock.owner !== null || lock.shared.length > 0);
  };

  // Threads: what each status implies.
  for (const t of s.threads) {
    const where = `${t.id} (${t.status} ${t.wait})`;
    check(STATUSES.has(t.status), () => `${where}: unknown status`);
    if (t.status === 'sleep') check(t.chan !== null && t.wait !== null, () => `${where} asleep on no channel`);
    else check(t.chan === null, () => `${where} has sleep channel ${t.chan}`);
    if (t.status === 'ready' || t.status === 'done') check(t.wait === null, () => `${where} waits while ${t.status}`);
    if (t.status === 'lock') {
      const lock = t.wait === null ? undefined : s.locks[t.wait];
      check(
        t.wait !== null && isHeld(t.wait) && !(lock!.owner === t.id && lock!.shared.length === 0),
        () => `${where} waits for a lock that is free or its own (owner ${lock?.owner ?? 'none'})`,
      );
    }
    if (t.status === 'io') {
      const m = /^io:(\d+)$/.exec(t.wait ?? '');
      const req = m ? s.io.find((r) => r.id === Number(m[1])) : undefined;
      check(req !== undefined && req.thread === t.id, () => `${where} waits for a request not in flight`);
    }
    if (t.status === 'done') {
      check(t.stack.length === 0, () => `${t.id} is done with stack ${t.stack.join(' > ')}`);
      check(t.io === null, () => `${t.id} is done with an I/O result pending`);
    }
  }

  // Locks: held by live threads of the scenario; only the vnode lock recurses.
  for (const [name, lock] of Object.entries(s.locks)) {
    if (lock.owner === null) {
      check(lock.count === 0, () => `${name} is free with count ${lock.count}`);
    } else {
      const owner = byId.get(lock.owner);
      check(owner !== undefined, () => `${name} is held by unknown thread ${lock.owner}`);
      if (owner && owner.status === 'done')
        check(
          model.mayOutliveOwner?.(k, name, owner, memo) ?? false,
          () => `${name} is held by ${owner.id}, which is done`,
        );
      check(
        lock.count >= 1 && (lock.count === 1 || name.startsWith(vnLockName(''))),
        () => `${name} held with count ${lock.count}`,
      );
      check(lock.shared.length === 0, () => `${name} is held exclusively and shared`);
    }
    for (const id of lock.shared) {
      const t = byId.get(id);
      check(t !== undefined && t.status !== 'done', () => `${name} is shared by ${id}, which is done or unknown`);
    }
  }

  // Requests: ascending ids below the next one, started by a thread of the scenario. (Whether that thread
  // waits for it is the pager's business: a FreeBSD async write has no waiter and no completion routine.)
  let last = 0;
  for (const r of s.io) {
    check(r.id > last && r.id < s.nextIoId, () => `request ${r.id} out of order (next ${s.nextIoId})`);
    last = r.id;
    check(byId.has(r.thread), () => `request ${r.id} started by unknown thread ${r.thread}`);
    check(r.length > 0, () => `request ${r.id} has length ${r.length}`);
  }

  if (model.invariants) broken.push(...model.invariants(k, memo));
  return broken;
}
