/**
 * Memory short across several objects: a thread that sleeps for a free page (OpenBSD's uvm_wait "uvn_getpage",
 * FreeBSD's "pfault" and "vmwait") or for a pbuf ("wswbuf0") on one vnode, and the operation on another vnode
 * that frees one. What the digest shows at each step is what the C does: when `freePages` moves, who becomes
 * ready, and what the sleeper does next. Each expectation names the seed lines or contract rule it follows.
 */
import { describe, expect, it } from 'vitest';
import { PagerEngine } from '../src/engine/engine';
import type { FreeBsdDigest } from '../src/engine/freebsd/views';
import type { OpenBsdDigest } from '../src/engine/openbsd/views';
import { play as playBsd } from './freebsd-play';
import { digestsOf, run, scenarioIn, sp, type Json } from './play';

const th = (d: { threads: { id: string; status: string; wait: string | null }[] }, id: string) =>
  d.threads.find((t) => t.id === id);

describe('OpenBSD: a fault on vnode b sleeps in uvm_wait until a page of vnode a is freed', () => {
  // One physical page: f1 takes it for a's page 0 and reads; f2's uvn_get on b finds none (1041) and sleeps
  // in uvm_wait (1042) holding b's object lock.
  const setup = {
    machine: { physPages: 1 },
    vnodes: [
      { name: 'a', size: 8192 },
      { name: 'b', size: 8192, mount: 'm2', type: 'VBLK' },
    ],
  };
  const prelude = [
    sp('t1', 'uvn_attach', { vnode: 'a', prot: 'rw' }),
    run('t1'),
    sp('t2', 'uvn_attach', { vnode: 'b', prot: 'r' }),
    run('t2'),
    sp('f1', 'fault', { vnode: 'a', offset: 0, access: 'read' }),
    run('f1'),
  ];
  const sleeper = [sp('f2', 'fault', { vnode: 'b', offset: 4096, access: 'read' }), run('f2')];
  const play = (steps: Json[]) => digestsOf('openbsd', setup, steps) as OpenBsdDigest[];

  it("a's failed read frees its page (1100) and so wakes b's fault, which takes the page", () => {
    const d = play([...prelude, ...sleeper, { complete: 1, result: 'eio' }, run('f1'), run('f2')]);
    expect(th(d.at(-4)!, 'f2')).toMatchObject({ status: 'sleep', wait: 'uvn_getpage' });
    expect(d.at(-4)!.freePages).toBe(0);
    const freed = d.at(-2)!;
    expect(th(freed, 'f1')).toMatchObject({ status: 'done', ret: 'VM_PAGER_ERROR' });
    expect(freed.freePages).toBe(1);
    expect(th(freed, 'f2')).toMatchObject({ status: 'ready', wait: null });
    const again = d.at(-1)!;
    expect(again.freePages).toBe(0);
    expect(th(again, 'f2')).toMatchObject({ status: 'io', wait: 'io:2' });
    expect(again.vnodes[1]!.uvn.pages).toMatchObject([{ offset: 4096, flags: ['PG_BUSY', 'PG_CLEAN', 'PG_FAKE'] }]);
  });

  it("uvn_flush(PGO_FREE) on a: the page leaves a's object at 698 but is free only at uvm_pglistfree (855)", () => {
    const steps = [
      ...prelude,
      { complete: 1, result: 'ok' },
      run('f1'),
      ...sleeper,
      sp('m', 'uvn_flush', { vnode: 'a', flags: ['PGO_FREE'], start: 0, stop: 8192 }),
    ];
    const scenario = scenarioIn('openbsd', setup, steps);
    const e = new PagerEngine(scenario);
    for (const s of scenario.steps) expect(e.apply(s)).toBeNull();
    const m = e.k.thread('m')!;
    while (m.line !== 855) expect(e.apply({ step: 'm' })).toBeNull();
    const dead = e.digest() as OpenBsdDigest;
    expect(dead.vnodes[0]!.uvn).toMatchObject({ npages: 0, pages: [] });
    expect(dead.freePages).toBe(0);
    expect(th(dead, 'f2')).toMatchObject({ status: 'sleep', wait: 'uvn_getpage' });
    expect(e.apply({ step: 'm' })).toBeNull();
    const freed = e.digest() as OpenBsdDigest;
    expect(freed.freePages).toBe(1);
    expect(th(freed, 'f2')).toMatchObject({ status: 'ready', wait: null });
  });

  it('a flush of a that frees nothing still wakes the sleeper (855 on an empty list), which sleeps again', () => {
    const d = play([
      ...prelude,
      { complete: 1, result: 'ok' },
      run('f1'),
      ...sleeper,
      sp('m', 'uvn_flush', { vnode: 'a', flags: ['PGO_DEACTIVATE'], start: 0, stop: 8192 }),
      run('m'),
      run('f2'),
    ]);
    const flushed = d.at(-2)!;
    expect(flushed.freePages).toBe(0);
    expect(flushed.vnodes[0]!.uvn.pages).toMatchObject([{ offset: 0, queue: 'inactive', mapped: false }]);
    expect(th(flushed, 'f2')).toMatchObject({ status: 'ready', wait: null });
    expect(th(d.at(-1)!, 'f2')).toMatchObject({ status: 'sleep', wait: 'uvn_getpage' });
  });
});

describe('FreeBSD: sleepers for memory or a pbuf on one vnode, woken by work on another', () => {
  const mounts = [{ name: 'm2', iosize: 4096 }];
  const two = (aSize: number, bSize: number) => [
    { name: 'a', size: aSize },
    { name: 'b', size: bSize, mount: 'm2' },
  ];
  const objects = [
    sp('c1', 'vnode_create_vobject', { vnode: 'a' }),
    run('c1'),
    sp('c2', 'vnode_create_vobject', { vnode: 'b' }),
    run('c2'),
  ];

  it('a\'s truncation frees its page past EOF and wakes b\'s fault sleeping "pfault"', () => {
    const { refused, digests } = playBsd({ machine: { physPages: 2 }, mounts, vnodes: two(8192, 8192) }, [
      ...objects,
      sp('ma', 'mmap', { vnode: 'a', prot: 'rw', shared: true, length: 8192 }),
      run('ma'),
      sp('mb', 'mmap', { vnode: 'b', prot: 'r', shared: true, length: 8192 }),
      run('mb'),
      sp('fa', 'fault', { mapping: 'ma', offset: 0, access: 'write', ahead: 1 }),
      run('fa'),
      { complete: 1, result: 'ok' },
      run('fa'),
      sp('fb', 'fault', { mapping: 'mb', offset: 0, access: 'read' }),
      run('fb'),
      sp('tr', 'vnode_pager_setsize', { vnode: 'a', size: 100 }),
      run('tr'),
      run('fb'),
    ]);
    expect(refused).toBeNull();
    const d = digests as FreeBsdDigest[];
    // fa's read-ahead took the second page; fb finds none free (vm_fault step 4).
    expect(d.at(-4)!.freePages).toBe(0);
    expect(th(d.at(-4)!, 'fb')).toMatchObject({ status: 'sleep', wait: 'pfault' });
    // vm_object_page_remove (seed line 425) frees a's page 1; the free wakes every "pfault" sleeper.
    const cut = d.at(-2)!;
    expect(cut.freePages).toBe(1);
    expect(cut.objects[0]!.pages.map((p) => p.pindex)).toEqual([0]);
    expect(th(cut, 'fb')).toMatchObject({ status: 'ready', wait: null });
    expect(th(d.at(-1)!, 'fb')).toMatchObject({ status: 'io', wait: 'io:2' });
    expect(d.at(-1)!.freePages).toBe(0);
  });

  it('sendfile sleeping "vmwait" keeps the pages it grabbed, takes the one freed, and sleeps again if short', () => {
    const { refused, digests } = playBsd({ machine: { physPages: 2 }, mounts, vnodes: two(12288, 8192) }, [
      ...objects,
      sp('mb', 'mmap', { vnode: 'b', prot: 'r', shared: false, length: 8192 }),
      run('mb'),
      sp('fb', 'fault', { mapping: 'mb', offset: 0, access: 'read' }),
      run('fb'),
      { complete: 1, result: 'ok' },
      run('fb'),
      sp('s1', 'sendfile', { vnode: 'a', offset: 0, length: 0 }),
      run('s1'),
      sp('tr', 'vnode_pager_setsize', { vnode: 'b', size: 0 }),
      run('tr'),
      run('s1'),
    ]);
    expect(refused).toBeNull();
    const d = digests as FreeBsdDigest[];
    const short = d.at(-4)!;
    expect(th(short, 's1')).toMatchObject({ status: 'sleep', wait: 'vmwait' });
    expect(short.objects[0]!.pages).toMatchObject([{ pindex: 0, xbusy: true }]);
    expect(th(d.at(-2)!, 's1')).toMatchObject({ status: 'ready', wait: null });
    expect(d.at(-2)!.freePages).toBe(1);
    const again = d.at(-1)!;
    expect(again.freePages).toBe(0);
    expect(again.objects[0]!.pages).toMatchObject([
      { pindex: 0, xbusy: true },
      { pindex: 1, xbusy: true },
    ]);
    expect(th(again, 's1')).toMatchObject({ status: 'sleep', wait: 'vmwait' });
  });

  it('a fault takes its page before getpbuf (790) and sleeps "wswbuf0" holding it; no read-ahead page yet', () => {
    const { refused, digests } = playBsd(
      { machine: { physPages: 3, pbufs: 1, asyncPbufs: 0 }, mounts, vnodes: two(16384, 16384) },
      [
        ...objects,
        sp('ma', 'mmap', { vnode: 'a', prot: 'r', shared: true, length: 16384 }),
        run('ma'),
        sp('mb', 'mmap', { vnode: 'b', prot: 'r', shared: true, length: 16384 }),
        run('mb'),
        sp('fa', 'fault', { mapping: 'ma', offset: 0, access: 'read', ahead: 1 }),
        run('fa'),
        sp('fb', 'fault', { mapping: 'mb', offset: 4096, access: 'read', behind: 1, ahead: 2 }),
        run('fb'),
        { complete: 1, result: 'ok' },
        run('fa'),
      ],
    );
    expect(refused).toBeNull();
    const d = digests as FreeBsdDigest[];
    const waiting = d.at(-3)!;
    expect(th(waiting, 'fb')).toMatchObject({ status: 'sleep', wait: 'wswbuf0' });
    expect(waiting.pbufs).toBe(0);
    expect(waiting.freePages).toBe(0);
    expect(waiting.objects[1]!.pages).toMatchObject([{ pindex: 1, xbusy: true }]);
    // fa's relpbuf (1053) takes the counter from 0 to 1 and wakes fb.
    const back = d.at(-1)!;
    expect(th(back, 'fa')).toMatchObject({ status: 'done', ret: 'KERN_SUCCESS' });
    expect(back.pbufs).toBe(1);
    expect(th(back, 'fb')).toMatchObject({ status: 'ready', wait: null });
  });

  it("an asynchronous read's completion on a returns its pbuf inside the complete step and wakes b's sendfile", () => {
    const { refused, digests } = playBsd(
      { machine: { physPages: 4, pbufs: 0, asyncPbufs: 1 }, mounts, vnodes: two(8192, 8192) },
      [
        ...objects,
        sp('s1', 'sendfile', { vnode: 'a', offset: 0, length: 0 }),
        run('s1'),
        sp('s2', 'sendfile', { vnode: 'b', offset: 0, length: 0 }),
        run('s2'),
        { complete: 1, result: 'ok' },
      ],
    );
    expect(refused).toBeNull();
    const d = digests as FreeBsdDigest[];
    expect(th(d.at(-2)!, 's2')).toMatchObject({ status: 'sleep', wait: 'wswbuf0' });
    expect(d.at(-2)!.asyncPbufs).toBe(0);
    const done = d.at(-1)!;
    expect(done.asyncPbufs).toBe(1);
    expect(th(done, 's2')).toMatchObject({ status: 'ready', wait: null });
    expect(done.objects[0]!.pages).toMatchObject([
      { pindex: 0, xbusy: false, queue: 'inactive' },
      { pindex: 1, xbusy: false, queue: 'inactive' },
    ]);
  });
});
