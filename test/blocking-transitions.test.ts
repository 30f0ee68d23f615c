/**
 * Blocking-state transitions of both pagers, read from the digest: the status and wait of the thread that
 * blocks, of its waker and of every other waiter, on the step that blocks, the step that releases, and the step
 * where a woken thread next runs. The contract's rules (scenario-format.md, "Locks, sleeping, I/O, memory",
 * "Vnodes and locks", "Threads, sleeping, I/O"): no hand-off, every waiter runnable on release, a woken thread
 * retries when next run and may block again; running a blocked thread is refused and changes nothing.
 */
import { describe, expect, it } from 'vitest';
import { PagerEngine } from '../src/engine/engine';
import type { OpenBsdDigest } from '../src/engine/openbsd/views';
import { run, scenarioIn, sp, step, type Json } from './play';

/** A scenario played step by step, with `until` to stop a thread where a case needs it. */
class Desk {
  readonly e: PagerEngine;

  constructor(pager: 'openbsd' | 'freebsd', setup: Json) {
    this.e = new PagerEngine(scenarioIn(pager, setup, []));
  }

  do(...steps: Json[]): this {
    for (const s of steps) expect(this.e.apply(s as never), JSON.stringify(s)).toBeNull();
    return this;
  }

  /** Step `t` until it stands before seed line `at` (a number) or caller statement `at` (a string). */
  until(t: string, at: number | string): this {
    const th = this.e.k.thread(t)!;
    for (let n = 0; (typeof at === 'number' ? th.line : th.callerStmt) !== at; n++) {
      expect(n < 200 && th.status === 'ready', `${t} never reached ${at}`).toBe(true);
      this.do(step(t));
    }
    return this;
  }

  /** The digest's threads (both pagers' have the same shape). */
  get threads(): OpenBsdDigest['threads'] {
    return (this.e.digest() as OpenBsdDigest).threads;
  }

  /** Each thread's digest status, with its wait when it has one: `lock vmobjlock:vn1`, `ready`, `done`. */
  get who(): Record<string, string> {
    return Object.fromEntries(this.threads.map((t) => [t.id, t.wait === null ? t.status : `${t.status} ${t.wait}`]));
  }

  /** `s` is refused and the digest stays as it was. */
  refuses(s: Json, reason: RegExp): this {
    const before = JSON.stringify(this.e.digest());
    expect(this.e.apply(s as never)).toMatch(reason);
    expect(JSON.stringify(this.e.digest())).toBe(before);
    return this;
  }
}

const obsd = (vnodes: Json[], physPages = 8) => new Desk('openbsd', { machine: { physPages }, vnodes });
const attach = (t: string, vnode: string, prot = 'rw') => [sp(t, 'uvn_attach', { vnode, prot }), run(t)];
const flush = (t: string, vnode: string, flags: string[], more: Json = {}) =>
  sp(t, 'uvn_flush', { vnode, flags, ...more });
const ofault = (t: string, vnode: string, offset: number, access = 'read') => sp(t, 'fault', { vnode, offset, access });

describe('OpenBSD', () => {
  it('an object lock release readies all three waiters; one run after a third thread retook it blocks again', () => {
    const d = obsd([{ name: 'vn1', size: 16384 }]).do(...attach('a', 'vn1'));
    d.do(flush('t2', 'vn1', ['PGO_CLEANIT', 'PGO_SYNCIO']), step('t2')); // msync's rw_enter done
    d.do(ofault('t3', 'vn1', 0), run('t3'), ofault('t4', 'vn1', 0, 'write'), step('t4'));
    d.do(flush('t5', 'vn1', ['PGO_FREE']), run('t5'));
    // `step` of a statement that blocks stops there, blocked: stepping it again is refused like a run.
    expect(d.who).toMatchObject({ t2: 'ready', t3: 'lock vmobjlock:vn1', t4: 'lock vmobjlock:vn1' });
    expect(d.who.t5).toBe('lock vmobjlock:vn1');
    d.refuses(step('t4'), /blocked \(lock vmobjlock:vn1\)/).refuses(run('t5'), /blocked/);
    d.do(run('t2'));
    expect(d.who).toMatchObject({ t2: 'done', t3: 'ready', t4: 'ready', t5: 'ready' });
    // t4 takes the lock and leaves it for its read (uvn_io's rw_exit); t3 retakes it by a step and keeps it.
    d.do(run('t4'), step('t3'));
    expect(d.who).toMatchObject({ t3: 'ready', t4: 'io io:1', t5: 'ready' });
    d.do(run('t5'));
    expect(d.who.t5).toBe('lock vmobjlock:vn1');
    d.do({ complete: 1, result: 'ok' }, step('t3'), run('t4'));
    // t4's uvn_io relocks after its read (1275): held by t3, so "lock" again, not "io" or "ready".
    expect(d.who).toMatchObject({ t3: 'ready', t4: 'lock vmobjlock:vn1', t5: 'lock vmobjlock:vn1' });
    // t3's uvm_pagewait (1057) drops the lock as it sleeps: both waiters are ready at once.
    d.do(run('t3'));
    expect(d.who).toMatchObject({ t3: 'sleep uvn_get', t4: 'ready', t5: 'ready' });
  });

  it("a woken rwsleep (847) or uvm_pagewait caller (691) that finds the lock taken shows 'lock', then goes on", () => {
    const d = obsd([{ name: 'vn1', size: 16384 }]).do(...attach('a', 'vn1'), ofault('t4', 'vn1', 8192), run('t4'));
    d.do(flush('t3', 'vn1', ['PGO_CLEANIT', 'PGO_SYNCIO', 'PGO_ALLPAGES']), run('t3'));
    d.do(flush('t7', 'vn1', ['PGO_FREE', 'PGO_ALLPAGES']), run('t7'));
    d.do(flush('t8', 'vn1', ['PGO_FREE', 'PGO_ALLPAGES']), run('t8'));
    expect(d.who).toMatchObject({ t3: 'sleep uvn_flush', t7: 'sleep uvn_flsh', t8: 'sleep uvn_flsh' });
    d.do({ complete: 1, result: 'ok' });
    expect(d.who).toMatchObject({ t4: 'ready', t3: 'sleep uvn_flush', t7: 'sleep uvn_flsh' });
    // The fault's wakeups (uvn_io's &u_nio at 1279, PG_WANTED in the fault) ready every sleeper.
    d.do(run('t4'));
    expect(d.who).toMatchObject({ t4: 'done', t3: 'ready', t7: 'ready', t8: 'ready' });
    d.do(flush('t5', 'vn1', ['PGO_FREE'], { start: 4096, stop: 8192 }), step('t5'), run('t3'), run('t7'), step('t8'));
    expect(d.who).toMatchObject({ t3: 'lock vmobjlock:vn1', t7: 'lock vmobjlock:vn1', t8: 'ready' });
    expect(d.e.k.thread('t8')!.line).toBe(691);
    d.do(run('t5'));
    expect(d.who).toMatchObject({ t5: 'done', t3: 'ready', t7: 'ready', t8: 'ready' });
    d.do(run('t8'), run('t3'), run('t7'));
    expect(Object.values(d.who)).toEqual(Array(d.e.k.s.threads.length).fill('done'));
  });

  it('vnode lock: woken waiters retry in any order, and one woken before the revoke ends takes no lock', () => {
    const d = obsd([{ name: 'vn1', size: 16384 }]).do(...attach('a', 'vn1', 'r'));
    d.do(sp('s', 'uvm_vnp_setsize', { vnode: 'vn1', size: 8192 })).until('s', 'KERNEL_LOCK()');
    d.do(sp('rv', 'revoke', { vnode: 'vn1' }), run('rv'), sp('u', 'uvm_vnp_uncache', { vnode: 'vn1' }), run('u'));
    expect(d.who).toMatchObject({ s: 'ready', rv: 'lock vnlock:vn1', u: 'lock vnlock:vn1' });
    d.do(run('s'), step('u'), run('rv'));
    expect(d.who).toMatchObject({ s: 'done', u: 'ready', rv: 'lock vnlock:vn1' });
    d.do(run('u'), sp('w', 'uvm_vnp_uncache', { vnode: 'vn1' }));
    expect(d.who).toMatchObject({ u: 'done', rv: 'ready', w: 'ready' });
    d.do(step('rv'), run('w'));
    expect(d.who.w).toBe('lock vnlock:vn1');
    // vclean's VOP_UNLOCK readies w; the vnode turns dead before w runs: deadfs vn_lock takes no lock.
    d.until('rv', 'vp->v_op = dead_vops');
    expect(d.who).toMatchObject({ rv: 'ready', w: 'ready' });
    d.do(step('rv'));
    expect(d.who).toMatchObject({ rv: 'done', w: 'ready' });
    d.do(run('w'));
    expect(d.who.w).toBe('done');
    expect(d.e.k.s.locks['vnlock:vn1']?.owner ?? null).toBeNull();
  });

  it("uvm_vnp_uncache's relock at 1390 blocks behind a truncate that took the vnode lock during uvn_detach", () => {
    const d = obsd([{ name: 'vn1', size: 16384 }]).do(
      ...attach('a', 'vn1', 'r'),
      sp('d', 'uvn_detach', { vnode: 'vn1' }),
    );
    d.do(run('d'), sp('u', 'uvm_vnp_uncache', { vnode: 'vn1' })).until('u', 1389);
    d.do(sp('s', 'uvm_vnp_setsize', { vnode: 'vn1', size: 8192 })).until('s', 'KERNEL_LOCK()');
    d.do(sp('s2', 'uvm_vnp_setsize', { vnode: 'vn1', size: 4096 }), run('s2'), run('u'));
    expect(d.who).toMatchObject({ u: 'lock vnlock:vn1', s: 'ready', s2: 'lock vnlock:vn1' });
    d.do(run('s'));
    expect(d.who).toMatchObject({ u: 'ready', s: 'done', s2: 'ready' });
    d.do(step('s2'), run('u'));
    expect(d.who).toMatchObject({ u: 'lock vnlock:vn1', s2: 'ready' });
    d.do(run('s2'), step('u'));
    expect(d.who).toMatchObject({ u: 'ready', s2: 'done' });
    expect(d.e.k.thread('u')!.line).toBe(1392);
  });

  it('the page-queue lock and uvn_sync_lock block and release like the object lock', () => {
    const d = obsd([
      { name: 'vn1', size: 16384 },
      { name: 'vn2', size: 8192 },
    ]).do(...attach('a', 'vn1'), ...attach('b', 'vn2'), ofault('t2', 'vn1', 0, 'write'), run('t2'));
    d.do({ complete: 1, result: 'ok' }, run('t2'), flush('t3', 'vn1', ['PGO_DEACTIVATE', 'PGO_ALLPAGES']));
    d.until('t3', 681); // inside uvn_flush's page loop, holding the page-queue lock
    d.do(
      ofault('t4', 'vn2', 0),
      run('t4'),
      { complete: 2, result: 'ok' },
      run('t4'),
      ofault('t5', 'vn2', 4096),
      run('t5'),
    );
    expect(d.who).toMatchObject({ t3: 'ready', t4: 'lock pageq', t5: 'lock vmobjlock:vn2' });
    d.do(run('t3'));
    expect(d.who).toMatchObject({ t3: 'done', t4: 'ready', t5: 'lock vmobjlock:vn2' });
    d.do(run('t4'));
    expect(d.who).toMatchObject({ t4: 'done', t5: 'ready' });

    d.do(sp('s1', 'uvm_vnp_sync')).until('s1', 1468);
    d.do(sp('s2', 'uvm_vnp_sync', { mount: 'm1' }), run('s2'), sp('s3', 'uvm_vnp_sync'), run('s3'));
    expect(d.who).toMatchObject({ s1: 'ready', s2: 'lock uvn_sync_lock', s3: 'lock uvn_sync_lock' });
    // s1 writes vn1's dirty page holding uvn_sync_lock: its waiters stay blocked through the I/O.
    d.do(run('s1'), { complete: 3, result: 'ok' });
    expect(d.who).toMatchObject({ s1: 'ready', s2: 'lock uvn_sync_lock', s3: 'lock uvn_sync_lock' });
    d.do(run('s1'));
    expect(d.who).toMatchObject({ s1: 'done', s2: 'ready', s3: 'ready' });
    d.do(step('s3'), step('s2'));
    expect(d.who).toMatchObject({ s2: 'lock uvn_sync_lock', s3: 'ready' });
    d.do(run('s3'));
    expect(d.who.s2).toBe('ready');
  });

  it('uvm_wait sleepers: a free readies both, the loser sleeps again; an empty flush still wakes it', () => {
    const d = obsd(
      [
        { name: 'vn1', size: 4096 },
        { name: 'vn2', size: 4096 },
        { name: 'vn3', size: 8192 },
      ],
      1,
    ).do(...attach('a', 'vn1', 'r'), ...attach('b', 'vn2', 'r'), ...attach('c', 'vn3', 'r'));
    d.do(ofault('t3', 'vn1', 0), run('t3'), { complete: 1, result: 'ok' }, run('t3'));
    d.do(
      ofault('t4', 'vn2', 0),
      run('t4'),
      ofault('t5', 'vn2', 0, 'write'),
      run('t5'),
      ofault('t7', 'vn3', 0),
      run('t7'),
    );
    expect(d.who).toMatchObject({ t4: 'sleep uvn_getpage', t5: 'lock vmobjlock:vn2', t7: 'sleep uvn_getpage' });
    d.do(flush('t6', 'vn1', ['PGO_FREE', 'PGO_ALLPAGES']), run('t6'));
    expect(d.who).toMatchObject({ t4: 'ready', t5: 'lock vmobjlock:vn2', t7: 'ready' });
    d.do(run('t4'), run('t7'));
    expect(d.who).toMatchObject({ t4: 'io io:2', t7: 'sleep uvn_getpage' });
    d.do(flush('t8', 'vn1', ['PGO_FREE']), run('t8'));
    expect(d.who).toMatchObject({ t8: 'done', t7: 'ready' });
    d.do(step('t7'), run('t7'));
    expect(d.who.t7).toBe('sleep uvn_getpage');
  });

  it('a panic leaves every other thread blocked as it was, and no later step applies', () => {
    const d = obsd([
      { name: 'vn1', size: 4096, usecount: 1 },
      { name: 'vn2', size: 8192 },
    ]).do(...attach('t1', 'vn1'), sp('t2', 'uvn_detach', { vnode: 'vn1' }), run('t2'));
    d.do(sp('t3', 'uvn_detach', { vnode: 'vn1' }), run('t3'), sp('t4', 'uvm_vnp_uncache', { vnode: 'vn1' }));
    d.do(step('t4'), step('t4'), sp('t6', 'uvm_vnp_setsize', { vnode: 'vn1', size: 0 }), run('t6'));
    d.do(...attach('b', 'vn2', 'r'), ofault('t8', 'vn2', 0), run('t8'), ofault('t9', 'vn2', 0), run('t9'));
    d.do(sp('t10', 'uvm_vnp_uncache', { vnode: 'vn2' }), run('t10'));
    const blocked = { t6: 'lock vnlock:vn1', t8: 'io io:1', t9: 'sleep uvn_get', t10: 'lock vnlock:vn2' };
    expect(d.who).toMatchObject(blocked);
    d.do(sp('t5', 'mmap', { vnode: 'vn1', prot: 'rw', shared: true }), run('t5'));
    expect(d.e.k.s.panic?.message).toBe('inode: lock not held by this process');
    expect(d.who).toMatchObject({ ...blocked, t4: 'ready', t5: 'ready' });
    d.refuses({ complete: 1, result: 'ok' }, /panicked/);
  });
});

const fbsd = (size: number, machine: Json = {}) =>
  new Desk('freebsd', { machine: { physPages: 16, ...machine }, vnodes: [{ name: 'vn1', size }] }).do(
    sp('t1', 'vnode_create_vobject', { vnode: 'vn1' }),
    run('t1'),
  );
const mmap = (prot: string, length: number) => [
  sp('t2', 'mmap', { vnode: 'vn1', prot, shared: true, length }),
  run('t2'),
];
const ffault = (t: string, offset: number, access = 'read') => sp(t, 'fault', { mapping: 't2', offset, access });
const haspage = (t: string) => sp(t, 'haspage', { vnode: 'vn1', pindex: 0 });
const HAS = 'has = vm_pager_has_page(object, pindex, &before, &after)';
const VMPFW = 'vm_page_sleep_if_busy(fs.m, "vmpfw")';

describe('FreeBSD', () => {
  it('exclusive waiters behind two shared holders wake only when the last shared hold goes', () => {
    const d = fbsd(16384).do(...mmap('rw', 16384), ffault('f1', 0), run('f1'), ffault('f2', 4096), run('f2'));
    d.do(sp('g', 'vgone', { vnode: 'vn1' }), run('g'), sp('m', 'msync', { vnode: 'vn1', flags: ['OBJPC_SYNC'] }));
    d.do(run('m'), ffault('f3', 0), run('f3'));
    const waiting = { g: 'lock vnlock:vn1', m: 'lock vnlock:vn1' };
    expect(d.who).toMatchObject({ f1: 'io io:1', f2: 'io io:2', ...waiting, f3: 'sleep vmpfw' });
    d.do({ complete: 1, result: 'ok' }, run('f1'));
    expect(d.who).toMatchObject({ f1: 'done', f2: 'io io:2', ...waiting, f3: 'ready' });
    d.do({ complete: 2, result: 'ok' }, run('f3'), run('f2'));
    expect(d.who).toMatchObject({ f2: 'done', f3: 'done', g: 'ready', m: 'ready' });
  });

  it("vget's LK_NOWAIT failure falls back to a blocking vget; a woken vmpfw sleeper meets a held object lock", () => {
    const d = fbsd(16384).do(...mmap('rw', 16384), sp('m', 'msync', { vnode: 'vn1', flags: ['OBJPC_SYNC'] }));
    d.until('m', 'VM_OBJECT_WLOCK(object)'); // holds the vnode lock exclusively
    d.do(ffault('f1', 0), run('f1'), ffault('f2', 0), run('f2'));
    const vget = 'error = vget(vp, locked | LK_RETRY | LK_CANRECURSE, curthread)';
    expect(d.who).toMatchObject({ m: 'ready', f1: 'lock vnlock:vn1', f2: 'lock vnlock:vn1' });
    expect(d.e.k.thread('f1')!.callerStmt).toBe(vget);
    d.do(run('m'));
    expect(d.who).toMatchObject({ m: 'done', f1: 'ready', f2: 'ready' });
    d.do(run('f1'), run('f2'), { complete: 1, result: 'ok' }, haspage('hp')).until('hp', HAS);
    expect(d.who).toMatchObject({ f1: 'ready', f2: 'sleep vmpfw' });
    d.do(run('f1'));
    expect(d.who).toMatchObject({ f1: 'lock vmobjlock:obj1', f2: 'sleep vmpfw' }); // getpages' relock (1098)
    d.do(run('hp'), run('f1'), haspage('hq')).until('hq', HAS);
    expect(d.who).toMatchObject({ f1: 'done', f2: 'ready' });
    d.do(run('f2'));
    expect(d.who.f2).toBe('lock vmobjlock:obj1');
    expect(d.e.k.thread('f2')!.callerStmt).toBe(VMPFW);
    d.do(run('hq'), step('f2'));
    expect(d.who.f2).toBe('ready');
    expect(d.e.k.thread('f2')!.callerStmt).toBe('vm_object_pip_wakeup(fs.object)');
  });

  it('"wswbuf0": relpbuf readies both sleepers, the one that finds the counter at 0 again sleeps again', () => {
    const d = fbsd(32768, { pbufs: 1 }).do(...mmap('r', 32768), ffault('f1', 0), run('f1'));
    d.do(ffault('f2', 8192), run('f2'), ffault('f3', 16384), run('f3'));
    expect(d.who).toMatchObject({ f1: 'io io:1', f2: 'sleep wswbuf0', f3: 'sleep wswbuf0' });
    d.do({ complete: 1, result: 'ok' });
    expect(d.who).toMatchObject({ f1: 'ready', f2: 'sleep wswbuf0', f3: 'sleep wswbuf0' });
    d.do(run('f1'));
    expect(d.who).toMatchObject({ f1: 'done', f2: 'ready', f3: 'ready' });
    d.do(run('f3'), run('f2'));
    expect(d.who).toMatchObject({ f2: 'sleep wswbuf0', f3: 'io io:2' });
  });

  it('"bovlbx" waits for the last pip holder; its relock finds the object lock taken', () => {
    const d = fbsd(32768).do(...mmap('r', 32768), sp('sf', 'sendfile', { vnode: 'vn1', offset: 0, length: 4096 }));
    d.do(run('sf'), ffault('f', 0), run('f'), ffault('f2', 0), run('f2'), sp('g', 'vgone', { vnode: 'vn1' }), run('g'));
    expect(d.who).toMatchObject({ f: 'sleep vmpfw', f2: 'sleep vmpfw', g: 'sleep bovlbx' });
    d.do({ complete: 1, result: 'ok' });
    expect(d.who).toMatchObject({ f: 'ready', f2: 'ready', g: 'sleep bovlbx' });
    d.do(run('f'));
    expect(d.who).toMatchObject({ f: 'done', g: 'sleep bovlbx' }); // f2 still holds paging_in_progress
    d.do(run('f2'), haspage('hr')).until('hr', HAS);
    expect(d.who.g).toBe('ready');
    d.do(run('g'));
    expect(d.who.g).toBe('lock vmobjlock:obj1');
    d.do(run('hr'));
    expect(d.who.g).toBe('ready');
    d.do(run('g'));
    expect(d.who.g).toBe('done');
  });

  it('"vmopar" sleeps until the async read completes; the truncate then retakes the object lock', () => {
    const d = fbsd(32768).do(sp('sf', 'sendfile', { vnode: 'vn1', offset: 0, length: 8192 }), run('sf'));
    d.do(sp('s', 'vnode_pager_setsize', { vnode: 'vn1', size: 0 }), run('s'));
    d.do(sp('m', 'msync', { vnode: 'vn1', flags: [] }), run('m'));
    expect(d.who).toMatchObject({ s: 'sleep vmopar', m: 'lock vnlock:vn1' });
    d.do({ complete: 1, result: 'ok' }, haspage('hq')).until('hq', HAS);
    expect(d.who).toMatchObject({ s: 'ready', m: 'lock vnlock:vn1' });
    d.do(run('s'));
    expect(d.who).toMatchObject({ s: 'lock vmobjlock:obj1', m: 'lock vnlock:vn1' });
    d.do(run('hq'), run('s'));
    expect(d.who).toMatchObject({ s: 'done', m: 'ready' });
  });

  it('a read completed between bstrategy and bwait does not block; one not yet completed does', () => {
    const d = fbsd(32768)
      .do(...mmap('r', 32768), ffault('f', 0))
      .until('f', 1047);
    d.do({ complete: 1, result: 'ok' }, step('f'));
    expect(d.who.f).toBe('ready');
    expect(d.e.k.thread('f')!.line).toBe(1048);
    d.do(run('f'), ffault('g', 8192)).until('g', 1047).do(step('g'));
    expect(d.who.g).toBe('io io:2');
    d.refuses(step('g'), /blocked \(io io:2\)/).do({ complete: 2, result: 'ok' }, step('g'));
    expect(d.who.g).toBe('ready');
  });

  it('vn_lock waiters woken by vgone: without LK_RETRY ENOENT, a VBAD vnode makes sendfile EINVAL', () => {
    const d = fbsd(32768).do(sp('sf', 'sendfile', { vnode: 'vn1', offset: 0, length: 4096 }));
    d.until('sf', 'error = vn_lock(vp, LK_SHARED)');
    d.do(sp('g', 'vgone', { vnode: 'vn1' })).until('g', 'vinvalbuf(vp, V_SAVE, 0, 0)');
    d.do(run('sf'), sp('s2', 'sendfile', { vnode: 'vn1', offset: 0, length: 4096 }), run('s2'));
    expect(d.who).toMatchObject({ sf: 'lock vnlock:vn1', g: 'ready', s2: 'lock vnlock:vn1' });
    d.do(run('g'));
    expect(d.who).toMatchObject({ sf: 'ready', g: 'done', s2: 'ready' });
    d.do(run('s2'), run('sf'));
    expect(Object.fromEntries(d.threads.map((t) => [t.id, t.ret]))).toMatchObject({ sf: 'ENOENT', s2: 'EINVAL' });
  });
});
