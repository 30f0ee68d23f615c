/**
 * OpenBSD's invariants (what holds until a panic: pages, queues, each uvn's
 * page tree, u_nio) and leaks (what a finished run should not leave behind),
 * the model's hooks for explore/invariants.ts and the explorer.
 */
import type { KThread } from '../kernel/types';
import type { InvariantMemo } from '../model';
import { PG_BUSY, UVM_VNODE_VALID } from './flags';
import type { UvmKernel } from './state';

/** A thread counts in u_nio from `u_nio++` (line 1188, so standing at 1189 or later) to `u_nio--` (line 1277). */
function insideUvnIo(t: KThread): boolean {
  return t.status !== 'done' && t.stack.includes('uvn_io') && t.line !== null && t.line >= 1189 && t.line <= 1277;
}

/**
 * Threads inside uvn_io, by the vnode they do I/O on: the request's vnode, else the page the thread works on
 * (uvn_get and uvn_flush set it before uvn_io, and it stays busy in the object), else the call's vnode.
 */
function insideByVnode(k: UvmKernel): { count: Map<string, number>; lost: string[] } {
  const count = new Map(k.s.vnodes.map((v) => [v.name, 0]));
  const lost: string[] = [];
  for (const t of k.s.threads) {
    if (!insideUvnIo(t)) continue;
    const req = k.s.io.find((r) => r.thread === t.id);
    const focus = t.focusPage === null ? null : (k.uvm.pages[t.focusPage]?.object ?? null);
    const vnode = req?.vnode ?? focus ?? (typeof t.args.vnode === 'string' ? t.args.vnode : null);
    if (vnode === null || !count.has(vnode)) lost.push(`${t.id} is inside uvn_io on no known vnode`);
    else count.set(vnode, count.get(vnode)! + 1);
  }
  return { count, lost };
}

/** What the OpenBSD checks remember between steps of one run. */
interface OpenBsdMemo {
  /** freePages + allocated pages, as first seen. */
  phys?: number;
  /** Per vnode: how far u_nio is below the threads inside uvn_io after an attach's `u_nio = 0` (line 239). */
  nioOffset?: Record<string, number>;
  /** Vnodes whose uo_refs a caller bug has taken below zero. */
  negRefs?: string[];
  /** Where each attaching thread stood at the last check, to see an attach pass line 239. */
  attachers?: Record<string, string>;
  /** How often the checks excused something, for the property test's report. */
  nioResets?: number;
  leakedVnlocks?: number;
}

/** Where a thread stands in its code, as a string that changes whenever it runs a statement. */
const position = (t: KThread) => `${t.status === 'done'}:${t.line}:${t.callerStmt}:${t.stack.join('>')}`;

export function openbsdInvariants(k: UvmKernel, memoIn: InvariantMemo): string[] {
  const memo = memoIn as OpenBsdMemo;
  const broken: string[] = [];
  const check = (cond: boolean, what: () => string) => {
    if (!cond) broken.push(what());
  };
  const pages = k.uvm.pages;
  const allocated = Object.keys(pages).length;
  memo.phys ??= k.s.freePages + allocated;
  check(
    k.s.freePages + allocated === memo.phys,
    () => `freePages ${k.s.freePages} + allocated ${allocated} != ${memo.phys}`,
  );

  // Queues: no duplicates, no page on both, each entry's page agrees.
  const active = new Set(k.uvm.activeQueue);
  const inactive = new Set(k.uvm.inactiveQueue);
  check(active.size === k.uvm.activeQueue.length, () => 'page twice on the active queue');
  check(inactive.size === k.uvm.inactiveQueue.length, () => 'page twice on the inactive queue');
  for (const id of active) check(!inactive.has(id), () => `page ${id} on both queues`);
  for (const [id, pg] of Object.entries(pages)) {
    const n = Number(id);
    check(pg.id === n, () => `page ${id} has id ${pg.id}`);
    const q = active.has(n) ? 'active' : inactive.has(n) ? 'inactive' : 'none';
    check(pg.queue === q, () => `page ${id} says ${pg.queue}, queues say ${q}`);
    if (pg.object === null) check(pg.queue === 'none', () => `dead-list page ${id} on a queue`);
    check(pg.wired === 0, () => `page ${id} is wired`);
  }
  for (const id of [...active, ...inactive]) check(pages[id] !== undefined, () => `queued page ${id} not allocated`);

  // Each object's page tree.
  for (const vp of k.s.vnodes) {
    const u = vp.uvn;
    const owned = Object.values(pages).filter((p) => p.object === vp.name);
    check(u.npages === u.offsets.length, () => `${vp.name}: npages ${u.npages} != tree size ${u.offsets.length}`);
    check(owned.length === u.npages, () => `${vp.name}: ${owned.length} pages name it, npages ${u.npages}`);
    for (let i = 1; i < u.offsets.length; i++)
      check(u.offsets[i - 1]! < u.offsets[i]!, () => `${vp.name}: page tree out of order`);
    check(Object.keys(u.pageAt).length === u.offsets.length, () => `${vp.name}: pageAt has the wrong size`);
    for (const off of u.offsets) {
      const pg = pages[u.pageAt[off]!];
      check(!!pg && pg.object === vp.name && pg.offset === off, () => `${vp.name}: tree entry ${off} is wrong`);
    }
  }
  // Every request is a synchronous VOP_READ or VOP_WRITE: its thread waits for it.
  for (const r of k.s.io) {
    const t = k.thread(r.thread);
    check(
      t?.status === 'io' && t.wait === `io:${r.id}`,
      () => `request ${r.id}: thread ${r.thread} is ${t?.status} ${t?.wait}, not waiting for it`,
    );
    check(
      r.pages.every((id) => pages[id]?.object === r.vnode),
      () => `request ${r.id} maps pages of another object`,
    );
  }

  // uo_refs a caller bug took below zero (remembered: it excuses a lock left held, below).
  const negRefs = (memo.negRefs ??= []);
  for (const vp of k.s.vnodes) if (vp.uvn.refs < 0 && !negRefs.includes(vp.name)) negRefs.push(vp.name);

  // u_nio: the threads between u_nio++ and u_nio--, less what an attach's `u_nio = 0` (line 239) wiped: if a
  // thread that faulted without a reference (a caller bug) is inside uvn_io then, its later u_nio-- takes the
  // count below the truth. An attach that moved since the last check may have done that.
  const { count: inside, lost } = insideByVnode(k);
  broken.push(...lost);
  const offsets = (memo.nioOffset ??= {});
  const attachers = (memo.attachers ??= {});
  for (const t of k.s.threads) {
    if (t.call !== 'uvn_attach' && t.call !== 'mmap') continue;
    const now = position(t);
    const moved = attachers[t.id] !== undefined && attachers[t.id] !== now;
    attachers[t.id] = now;
    if (!moved) continue;
    const name = t.args.vnode as string;
    const here = inside.get(name) ?? 0;
    if (k.vnode(name).uvn.nio === 0 && here + (offsets[name] ?? 0) !== 0) {
      offsets[name] = -here;
      memo.nioResets = (memo.nioResets ?? 0) + 1;
    }
  }
  for (const vp of k.s.vnodes) {
    const expected = inside.get(vp.name)! + (offsets[vp.name] ?? 0);
    check(
      vp.uvn.nio === expected,
      () =>
        `${vp.name}: nio ${vp.uvn.nio}, but ${inside.get(vp.name)} threads are between u_nio++ and u_nio--` +
        (offsets[vp.name] ? ` (offset ${offsets[vp.name]} from an attach's reset)` : ''),
    );
    if (!offsets[vp.name]) {
      const inFlight = k.s.io.filter((r) => r.vnode === vp.name).length;
      check(vp.uvn.nio >= inFlight, () => `${vp.name}: nio ${vp.uvn.nio} < ${inFlight} requests in flight`);
    }
  }
  return broken;
}

/**
 * After a caller bug took uo_refs below zero, an mmap's uvm_vnp_uncache (run without the vnode lock) reaches
 * VOP_UNLOCK + uvn_detach + vn_lock(LK_RETRY) (lines 1388-1390) and returns holding the vnode lock.
 */
export function openbsdMayOutliveOwner(_k: UvmKernel, lock: string, owner: KThread, memoIn: InvariantMemo): boolean {
  const memo = memoIn as OpenBsdMemo;
  const vnode = owner.args.vnode as string;
  const excused = owner.call === 'mmap' && lock === `vnlock:${vnode}` && (memo.negRefs ?? []).includes(vnode);
  if (excused) memo.leakedVnlocks = (memo.leakedVnlocks ?? 0) + 1;
  return excused;
}

const hex = (n: number) => `0x${n.toString(16)}`;

/**
 * What a finished run left that the calls should not have, per vnode: u_nio not back to 0, pages left
 * PG_BUSY, a uvn that is not VALID yet holds pages, uo_refs not what the calls leave (each attach or mmap
 * that returned the object and each uvn_reference adds one, each uvn_detach takes one), and a usecount
 * other than its opens (the setup's usecount, plus vrefs, less vreles) plus the one reference a valid uvn
 * with references holds. That holds for a revoked (dead) or recycled vnode too: uvm_vnp_terminate leaves a
 * uvn with references VALID, its vref kept for the last uvn_detach's vrele (387), and clears one without
 * (517-523), whose vref went when it began to persist. A detach that returns at 364-366 because terminate
 * cancelled its RELKILL skips that vrele: the C's own leak, on a dead vnode.
 */
export function openbsdLeaks(k: UvmKernel): string[] {
  const leaks: string[] = [];
  for (const vp of k.s.vnodes) {
    const u = vp.uvn;
    if (u.nio !== 0) leaks.push(`${vp.name}: u_nio is ${u.nio} with every thread done`);
    const busy = u.offsets.filter((off) => k.page(u.pageAt[off]!).flags & PG_BUSY);
    if (busy.length > 0) leaks.push(`${vp.name}: page ${busy.map(hex).join(', ')} left PG_BUSY`);
    if (!(u.flags & UVM_VNODE_VALID) && u.npages > 0)
      leaks.push(`${vp.name}: uvn is not VALID but holds ${u.npages} page${u.npages === 1 ? '' : 's'}`);
    let refs = 0;
    for (const t of k.s.threads) {
      if (t.args.vnode !== vp.name || t.status !== 'done') continue;
      if ((t.call === 'uvn_attach' || t.call === 'mmap') && t.ret === 'obj') refs++;
      if (t.call === 'uvn_reference') refs++;
      if (t.call === 'uvn_detach') refs--;
    }
    if (u.refs !== refs) leaks.push(`${vp.name}: uo_refs is ${u.refs}, the calls leave ${refs}`);
    const opens = k.uvm.opens[vp.name] ?? 0;
    const held = u.flags & UVM_VNODE_VALID && u.refs > 0 ? 1 : 0;
    if (vp.usecount !== opens + held)
      leaks.push(
        `${vp.name}: usecount is ${vp.usecount}, expected ${opens + held} (${opens} open${opens === 1 ? '' : 's'}` +
          `${held ? ' + the uvn reference' : ''})`,
      );
  }
  return leaks;
}

/**
 * A `uvn_detach` (munmap) or `uvn_reference` started when the calls before it hold no reference to the uvn:
 * attaches and mmaps that returned the object and finished `uvn_reference`s give one each, each `uvn_detach`
 * started gives one back. The seed does not check (a KASSERT or a wrong count follows); a caller never does it.
 */
export function openbsdCallerBug(k: UvmKernel, th: KThread): string | null {
  if (th.call !== 'uvn_detach' && th.call !== 'uvn_reference') return null;
  const vnode = th.args.vnode;
  let held = 0;
  for (const t of k.s.threads) {
    if (t === th || t.args.vnode !== vnode) continue;
    if (
      t.status === 'done' &&
      (t.call === 'uvn_reference' || ((t.call === 'uvn_attach' || t.call === 'mmap') && t.ret === 'obj'))
    )
      held++;
    const started = t.status !== 'ready' || t.line !== null || t.callerStmt !== null || t.stack.length > 0;
    if (t.call === 'uvn_detach' && started) held--;
  }
  if (held > 0) return null;
  const what = th.call === 'uvn_detach' ? 'to give back' : 'to share';
  return `${th.id} starts ${th.call}(${String(vnode)}) with no reference ${what}`;
}
