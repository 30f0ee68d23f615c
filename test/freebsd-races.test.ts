/**
 * A value the C reads once and uses statements later, or tests just before it sleeps, with another thread
 * scheduled into the gap: vgonel's `active`, bwait's B_DONE, vm_waitpfault's test of free memory. Each pinned
 * by the digest values a person can check against the C.
 */
import { describe, expect, it } from 'vitest';
import { freebsdInvariants } from '../src/engine/freebsd/invariants';
import type { BsdKernel } from '../src/engine/freebsd/state';
import type { FreeBsdDigest } from '../src/engine/freebsd/views';
import { create, dirtyPage0, engineAfter, play, run, sp } from './freebsd-play';

describe('vgone reads whether the vnode is active when it dooms it (vgonel: active = vp->v_usecount)', () => {
  // vn1's only open is closed (r) after vgone (g) has set VI_DOOMED but before it asks `if (active)`: vgonel
  // read v_usecount (1) under the interlock with VI_DOOMED, so it runs vinactive, whose delayed write cleans
  // the page a writable mapping dirtied; vinvalbuf then frees it and the object is destroyed without I/O.
  const steps = [
    ...dirtyPage0(4096),
    sp('t4', 'munmap', { mapping: 't2' }),
    run('t4'),
    sp('g', 'vgone', { vnode: 'vn1' }),
    sp('r', 'vrele', { vnode: 'vn1' }),
    { step: 'g' },
    { step: 'g' },
    { step: 'g' },
  ];

  it('runs vinactive when a use reference went after VI_DOOMED was set', () => {
    const { refused, digests, last } = play({ vnodes: [{ name: 'vn1', size: 4096 }] }, [
      ...steps,
      run('r'),
      run('g'),
      run('r'),
    ]);
    expect(refused).toBeNull();
    // g has doomed vn1 while it was open; then r's close dropped the use count to 0 and waited for g's lock.
    const doomed = digests.at(-4) as FreeBsdDigest;
    expect(doomed.vnodes[0]).toMatchObject({ usecount: 1, state: 'doomed' });
    const closing = digests.at(-3) as FreeBsdDigest;
    expect(closing.vnodes[0]).toMatchObject({ usecount: 0, state: 'doomed' });
    expect(closing.threads.find((t) => t.id === 'r')).toMatchObject({ status: 'lock', wait: 'vnlock:vn1' });
    expect(last.threads.find((t) => t.id === 'g')).toMatchObject({ status: 'done', ret: null });
    // r then finds vn1 doomed (vn_lock without LK_RETRY: ENOENT) and runs no vinactive of its own.
    expect(last.threads.find((t) => t.id === 'r')).toMatchObject({ status: 'done', ret: null });
    expect(last.io).toEqual([]);
    expect(last.objects).toEqual([]);
    expect(last.freePages).toBe(64);
  });

  it('does not run vinactive for a vnode that was free when doomed, even if it is opened before the check', () => {
    // p holds the vnode lock (stopped after its vn_lock); c closes the only open and waits for that lock with
    // the use count 0; g waits too. Once p lets go, g dooms vn1 while it is free, then o opens it (vref spawned
    // earlier, so allowed).
    const { refused, digests, last } = play({ vnodes: [{ name: 'vn1', size: 4096 }] }, [
      ...dirtyPage0(4096),
      sp('t4', 'munmap', { mapping: 't2' }),
      run('t4'),
      sp('p', 'pageout', { vnode: 'vn1', pindex: 5 }),
      { step: 'p' },
      sp('c', 'vrele', { vnode: 'vn1' }),
      run('c'),
      sp('o', 'vref', { vnode: 'vn1' }),
      sp('g', 'vgone', { vnode: 'vn1' }),
      run('g'),
      run('p'),
      { step: 'g' },
      { step: 'g' },
      { step: 'g' },
      run('o'),
      run('g'),
    ]);
    expect(refused).toBeNull();
    const doomed = digests.at(-3) as FreeBsdDigest;
    expect(doomed.vnodes[0]).toMatchObject({ usecount: 0, state: 'doomed' });
    expect(last.vnodes[0]).toMatchObject({ usecount: 1, state: 'doomed' });
    // No vinactive: the dirty page survives vinvalbuf, and vm_object_terminate writes it synchronously.
    expect(last.threads.find((t) => t.id === 'g')).toMatchObject({ status: 'io', wait: 'io:2' });
    expect(last.io).toEqual([
      { id: 2, thread: 'g', vnode: 'vn1', rw: 'write', offset: 0, length: 4096, blkno: null, async: false },
    ]);
  });
});

describe('bwait tests B_DONE before it sleeps: a read completed between bstrategy and bwait', () => {
  const readFault = [
    ...create,
    sp('t2', 'mmap', { vnode: 'vn1', prot: 'r', shared: true, length: 8192 }),
    run('t2'),
    sp('t3', 'fault', { mapping: 't2', offset: 0, access: 'read' }),
  ];

  it('a fault stopped at bwait (line 1047) after its read was completed goes on at once', () => {
    const { e, until, digest } = engineAfter({ vnodes: [{ name: 'vn1', size: 8192 }] }, readFault);
    until('t3', (th) => th.line === 1047);
    expect(digest().io).toMatchObject([{ id: 1, thread: 't3', rw: 'read', async: false }]);
    // A state the C reaches: the read in flight, its thread not yet asleep. The kernel's invariants allow it.
    expect(freebsdInvariants(e.k as BsdKernel, {})).toEqual([]);
    // bdone sets B_DONE while t3 is not yet asleep; bwait then finds it and does not sleep.
    expect(e.apply({ complete: 1, result: 'ok' })).toBeNull();
    expect(e.apply({ run: 't3' })).toBeNull();
    const last = digest();
    expect(last.threads.find((t) => t.id === 't3')).toMatchObject({ status: 'done', ret: 'KERN_SUCCESS' });
    expect(last.objects[0]!.pages).toMatchObject([{ pindex: 0, valid: 255, xbusy: false, mapped: true }]);
  });

  it('keeps the error of a small-block read that failed before its bwait (line 577)', () => {
    const { e, until, digest } = engineAfter(
      { mounts: [{ name: 'm1', iosize: 2048 }], vnodes: [{ name: 'vn1', size: 8192 }] },
      readFault,
    );
    until('t3', (th) => th.line === 577);
    expect(e.apply({ complete: 1, result: 'eio' })).toBeNull();
    expect(e.apply({ run: 't3' })).toBeNull();
    const last = digest();
    // BIO_ERROR: error = EIO (line 580), VM_PAGER_ERROR, and the fault frees the page: KERN_FAILURE.
    expect(last.threads.find((t) => t.id === 't3')).toMatchObject({ status: 'done', ret: 'KERN_FAILURE' });
    expect(last.objects[0]!.pages).toEqual([]);
    expect(last.io).toEqual([]);
  });
});

describe('vm_waitpfault sleeps only while free pages are still short', () => {
  it('a fault that found no free page does not sleep if one was freed before its vm_waitpfault', () => {
    // Two pages, both taken (vn1's page 0, vn2's page 0). t4 finds none for vn1's page 1 and lets everything
    // go; before its vm_waitpfault, a truncate of vn2 frees vn2's page. vm_waitpfault tests
    // vm_page_count_min_set again under vm_domainset_lock, so t4 does not sleep: it retries and reads page 1.
    const mapped = (v: string, m: string, f: string) => [
      sp(`c${v}`, 'vnode_create_vobject', { vnode: v }),
      run(`c${v}`),
      sp(m, 'mmap', { vnode: v, prot: 'r', shared: true, length: 8192 }),
      run(m),
      sp(f, 'fault', { mapping: m, offset: 0, access: 'read' }),
      run(f),
    ];
    const { e, until, digest } = engineAfter(
      {
        machine: { physPages: 2 },
        vnodes: [
          { name: 'vn1', size: 8192 },
          { name: 'vn2', size: 8192 },
        ],
      },
      [
        ...mapped('vn1', 'm1', 'f1'),
        { complete: 1, result: 'ok' },
        run('f1'),
        ...mapped('vn2', 'm2', 'f2'),
        { complete: 2, result: 'ok' },
        run('f2'),
        sp('t4', 'fault', { mapping: 'm1', offset: 4096, access: 'read' }),
        sp('t5', 'vnode_pager_setsize', { vnode: 'vn2', size: 0 }),
      ],
    );
    expect(digest().freePages).toBe(0);
    until('t4', (th) => th.callerStmt === 'vm_waitpfault()');
    expect(e.apply({ run: 't5' })).toBeNull();
    expect(digest().freePages).toBe(1);
    expect(e.apply({ run: 't4' })).toBeNull();
    const last = digest();
    expect(last.threads.find((t) => t.id === 't4')).toMatchObject({ status: 'io', wait: 'io:3' });
    expect(last.io).toMatchObject([{ id: 3, thread: 't4', vnode: 'vn1', rw: 'read', offset: 4096 }]);
    expect(last.freePages).toBe(0);
  });
});
