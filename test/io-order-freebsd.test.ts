/**
 * FreeBSD: several disk requests in flight at once, completed in every order. A synchronous read's `complete`
 * only readies the thread in bwait; an asynchronous read's runs vnode_pager_generic_getpages_done_async inside
 * the step (pages valid and unbusied, the async pbuf back); an asynchronous write's only leaves io[]. Each
 * expectation names the seed lines or the contract section it was checked against.
 */
import { describe, expect, it } from 'vitest';
import type { FreeBsdDigest } from '../src/engine/freebsd/views';
import { play, run, sp } from './freebsd-play';
import type { Json } from './play';

const th = (d: FreeBsdDigest, id: string) => d.threads.find((t) => t.id === id)!;
const status = (d: FreeBsdDigest, id: string) => `${th(d, id).status}:${th(d, id).wait ?? th(d, id).ret}`;
/** Page pindex: valid, dirty, busy, queue in short ("255/0 x inactive"). */
const pages = (d: FreeBsdDigest, obj = 0) =>
  Object.fromEntries(
    d.objects[obj]!.pages.map((p) => [
      p.pindex,
      `${p.valid}/${p.dirty}${p.xbusy ? ' x' : ''}${p.sbusy ? ` s${p.sbusy}` : ''}${p.waiters ? ' w' : ''} ${p.queue}`,
    ]),
  );
const create = (vnode = 'vn1', t = 't1') => [sp(t, 'vnode_create_vobject', { vnode }), run(t)];
const steps = (base: Json[], tail: Json[]) => [...base, ...tail];

describe('sendfile: four one-page asynchronous reads, two async pbufs, a fault on page 1', () => {
  // Blocks far apart: vm_pager_has_page gives no run, so each page is its own vm_pager_get_pages_async. With
  // two async pbufs the third getpbuf sleeps "wswbuf0" (790); F faults page 1 and sleeps "vmpfw".
  const setup = {
    machine: { physPages: 32, asyncPbufs: 2 },
    mounts: [{ name: 'm1', iosize: 4096 }],
    vnodes: [{ name: 'vn1', size: 16384, blocks: [8, 100, 200, 300] }],
  };
  const base = [
    ...create(),
    sp('m', 'mmap', { vnode: 'vn1', prot: 'r', shared: true, length: 16384 }),
    run('m'),
    sp('S', 'sendfile', { vnode: 'vn1', offset: 0, length: 0 }),
    run('S'),
    sp('F', 'fault', { mapping: 'm', offset: 4096, access: 'read' }),
    run('F'),
  ];

  for (const [first, second] of [
    [1, 2],
    [2, 1],
  ] as const)
    it(`completes ${first} then ${second}: each completion finishes its own page at once`, () => {
      const { refused, digests } = play(
        setup,
        steps(base, [
          { complete: first, result: 'eio' },
          { complete: second, result: 'ok' },
        ]),
      );
      expect(refused).toBeNull();
      const [waiting, one, both] = digests.slice(-3) as FreeBsdDigest[];
      expect(waiting!.asyncPbufs).toBe(0);
      expect(status(waiting!, 'S')).toBe('sleep:wswbuf0');
      expect(pages(waiting!)).toMatchObject({ 0: '0/0 x none', 1: '0/0 x w none' });
      // done (1099-1113) makes the page valid even after EIO; sendfile_iodone unbusies and deactivates it;
      // relpbuf (1071) takes the counter 0 -> 1 and wakes S.
      const done = first - 1;
      const other = second - 1;
      expect(one!.io.map((r) => r.id)).toEqual([second]);
      expect(one!.asyncPbufs).toBe(1);
      expect(status(one!, 'S')).toBe('ready:null');
      expect(pages(one!)[done]).toBe('255/0 inactive');
      expect(pages(one!)[other]).toMatch(/^0\/0 x/);
      // F sleeps on page 1: only request 2's completion unbusies it.
      expect(status(one!, 'F')).toBe(first === 2 ? 'ready:null' : 'sleep:vmpfw');
      expect(both!.io).toEqual([]);
      expect(both!.asyncPbufs).toBe(2);
      expect(status(both!, 'F')).toBe('ready:null');
      expect(pages(both!)).toMatchObject({ 0: '255/0 inactive', 1: '255/0 inactive' });
    });

  it('the woken sendfile starts the last two reads and returns; they complete without it', () => {
    const { digests, last } = play(
      setup,
      steps(base, [
        { complete: 2, result: 'ok' },
        { complete: 1, result: 'ok' },
        run('S'),
        { complete: 4, result: 'short:5' },
        { complete: 3, result: 'ok' },
        run('F'),
      ]),
    );
    const issued = digests.at(-4) as FreeBsdDigest;
    expect(status(issued, 'S')).toBe('done:0');
    expect(issued.io.map((r) => [r.id, r.thread, r.offset, r.blkno, r.async])).toEqual([
      [3, 'S', 8192, 200, true],
      [4, 'S', 12288, 300, true],
    ]);
    expect(issued.asyncPbufs).toBe(0);
    // A short read looks like ok (b_resid is never read); page 3 completes before page 2.
    const afterFour = digests.at(-3) as FreeBsdDigest;
    expect(pages(afterFour)).toMatchObject({ 2: '0/0 x none', 3: '255/0 inactive' });
    expect(last.asyncPbufs).toBe(2);
    expect(status(last, 'F')).toBe('done:KERN_SUCCESS');
    expect(Object.values(pages(last)).every((p) => !p.includes(' x'))).toBe(true);
  });
});

describe('sendfile with a valid page mid-run and read-ahead, two faults waiting, a second sendfile', () => {
  // Page 2 is valid (f0 read it): in S's run of pages 0-3 it becomes bogus_page and is unbusied; rahead 2 adds
  // pages 4-5 (945-961). F waits on read-ahead page 5, G on page 0. S2 reads pages 6-7 (request 3).
  const setup = {
    machine: { physPages: 64 },
    mounts: [{ name: 'm1', iosize: 4096 }],
    vnodes: [{ name: 'vn1', size: 32768 }],
  };
  const base = [
    ...create(),
    sp('m', 'mmap', { vnode: 'vn1', prot: 'r', shared: true, length: 32768 }),
    run('m'),
    sp('f0', 'fault', { mapping: 'm', offset: 8192, access: 'read' }),
    run('f0'),
    { complete: 1, result: 'ok' },
    run('f0'),
    sp('S', 'sendfile', { vnode: 'vn1', offset: 0, length: 16384, rahead: 2 }),
    run('S'),
    sp('F', 'fault', { mapping: 'm', offset: 20480, access: 'read' }),
    run('F'),
    sp('G', 'fault', { mapping: 'm', offset: 0, access: 'read' }),
    run('G'),
    sp('S2', 'sendfile', { vnode: 'vn1', offset: 24576, length: 0 }),
    run('S2'),
  ];

  for (const [first, second] of [
    [2, 3],
    [3, 2],
  ] as const)
    it(`completes ${first} then ${second}: read-ahead pages settle by their waiters, requested ones by sendfile_iodone`, () => {
      const { digests, last } = play(
        setup,
        steps(base, [
          { complete: first, result: 'ok' },
          { complete: second, result: 'eio' },
        ]),
      );
      const inFlight = digests.at(-3) as FreeBsdDigest;
      expect(inFlight.io.map((r) => [r.id, r.thread, r.offset, r.length])).toEqual([
        [2, 'S', 0, 24576],
        [3, 'S2', 24576, 8192],
      ]);
      expect(pages(inFlight)[2]).toBe('255/0 inactive');
      const afterS = (first === 2 ? digests.at(-2) : last) as FreeBsdDigest;
      // vm_page_readahead_finish (1130-1131): page 5 has a waiter, so it is activated; page 4 deactivated.
      // The requested pages 0, 1, 3 go through sendfile_iodone (unbusy, deactivate); page 2 is skipped there.
      expect(pages(afterS)).toMatchObject({
        0: '255/0 inactive',
        1: '255/0 inactive',
        2: '255/0 inactive',
        3: '255/0 inactive',
        4: '255/0 inactive',
        5: '255/0 active',
      });
      expect(status(afterS, 'F')).toBe('ready:null');
      expect(status(afterS, 'G')).toBe('ready:null');
      const afterS2 = (first === 3 ? digests.at(-2) : last) as FreeBsdDigest;
      expect(pages(afterS2)).toMatchObject({ 6: '255/0 inactive', 7: '255/0 inactive' });
      if (first === 3) expect(status(afterS2, 'F')).toBe('sleep:vmpfw');
      expect(last.asyncPbufs).toBe(128);
    });
});

describe('two synchronous faults with read-around, two pbufs, a third fault in wswbuf0', () => {
  // f1 reads pages 0-2 (ahead 2), f2 waits on read-ahead page 1, f3 reads pages 3-4 (behind 1), f4 finds
  // no pbuf. The done function runs in the faulting thread after bwait, not in the complete step.
  const setup = {
    machine: { physPages: 32, pbufs: 2 },
    mounts: [{ name: 'm1', iosize: 4096 }],
    vnodes: [{ name: 'vn1', size: 32768 }],
  };
  const base = [
    ...create(),
    sp('m', 'mmap', { vnode: 'vn1', prot: 'rw', shared: true, length: 32768 }),
    run('m'),
    sp('f1', 'fault', { mapping: 'm', offset: 0, access: 'read', ahead: 2 }),
    run('f1'),
    sp('f2', 'fault', { mapping: 'm', offset: 4096, access: 'write' }),
    run('f2'),
    sp('f3', 'fault', { mapping: 'm', offset: 16384, access: 'read', behind: 1 }),
    run('f3'),
    sp('f4', 'fault', { mapping: 'm', offset: 24576, access: 'read' }),
    run('f4'),
  ];

  it('a completion changes nothing but its reader and io[]; the reader frees the pbuf and wakes f4', () => {
    const { digests } = play(
      setup,
      steps(base, [{ complete: 2, result: 'ok' }, run('f3'), { complete: 1, result: 'eio' }, run('f1')]),
    );
    const [before, completed, ran, failed, f1ran] = digests.slice(-5) as FreeBsdDigest[];
    expect(before!.io.map((r) => [r.id, r.thread, r.offset, r.length])).toEqual([
      [1, 'f1', 0, 12288],
      [2, 'f3', 12288, 8192],
    ]);
    expect(status(before!, 'f4')).toBe('sleep:wswbuf0');
    const expected = structuredClone(before!);
    expected.step = completed!.step;
    expected.io = [before!.io[0]!];
    Object.assign(th(expected, 'f3'), { status: 'ready', wait: null });
    expect(completed).toEqual(expected);
    // f3: read-behind page 3 deactivated, page 4 mapped; relpbuf 0 -> 1 (1053) wakes f4.
    expect(ran!.pbufs).toBe(1);
    expect(status(ran!, 'f4')).toBe('ready:null');
    expect(pages(ran!)).toMatchObject({ 3: '255/0 inactive', 4: '255/0 active' });
    expect(status(failed!, 'f1')).toBe('ready:null');
    expect(status(failed!, 'f2')).toBe('sleep:vmpfw');
    // EIO: done still marks the pages valid; read-ahead page 1 has f2 waiting (activate), page 2 not
    // (deactivate); the fault frees page 0 and returns KERN_FAILURE.
    expect(status(f1ran!, 'f1')).toBe('done:KERN_FAILURE');
    expect(status(f1ran!, 'f2')).toBe('ready:null');
    expect(pages(f1ran!)).toMatchObject({ 1: '255/0 active', 2: '255/0 inactive' });
    expect(pages(f1ran!)[0]).toBeUndefined();
    expect(f1ran!.pbufs).toBe(2);
  });
});

describe('the two pbuf counters: a sync relpbuf wakes only sync sleepers, an async completion only async ones', () => {
  const setup = {
    machine: { physPages: 64, pbufs: 1, asyncPbufs: 1 },
    mounts: [{ name: 'm1', iosize: 4096 }],
    vnodes: [
      { name: 'vn1', size: 16384, blocks: [8, 100, 200, 300] },
      { name: 'vn2', size: 8192 },
    ],
  };
  const base = [
    ...create('vn1', 'c1'),
    ...create('vn2', 'c2'),
    sp('m', 'mmap', { vnode: 'vn1', prot: 'r', shared: true, length: 16384 }),
    run('m'),
    sp('S1', 'sendfile', { vnode: 'vn1', offset: 0, length: 8192 }),
    run('S1'),
    sp('S2', 'sendfile', { vnode: 'vn2', offset: 0, length: 0 }),
    run('S2'),
    sp('F1', 'fault', { mapping: 'm', offset: 8192, access: 'read' }),
    run('F1'),
    sp('F2', 'fault', { mapping: 'm', offset: 12288, access: 'read' }),
    run('F2'),
  ];
  const sleepers = (d: FreeBsdDigest) => ['S1', 'S2', 'F2'].map((t) => `${t}:${status(d, t)}`);

  it('sync first', () => {
    const { digests } = play(
      setup,
      steps(base, [{ complete: 2, result: 'ok' }, run('F1'), { complete: 1, result: 'ok' }]),
    );
    const [start, , f1, async] = digests.slice(-4) as FreeBsdDigest[];
    expect(sleepers(start!)).toEqual(['S1:sleep:wswbuf0', 'S2:sleep:wswbuf0', 'F2:sleep:wswbuf0']);
    expect(sleepers(f1!)).toEqual(['S1:sleep:wswbuf0', 'S2:sleep:wswbuf0', 'F2:ready:null']);
    expect([f1!.pbufs, f1!.asyncPbufs]).toEqual([1, 0]);
    expect(sleepers(async!)).toEqual(['S1:ready:null', 'S2:ready:null', 'F2:ready:null']);
    expect([async!.pbufs, async!.asyncPbufs]).toEqual([1, 1]);
  });

  it('async first: both async sleepers wake, the first to run takes the pbuf, the other sleeps again', () => {
    const { digests } = play(setup, steps(base, [{ complete: 1, result: 'ok' }, run('S2'), run('S1')]));
    const [woke, s2, s1] = digests.slice(-3) as FreeBsdDigest[];
    expect(sleepers(woke!)).toEqual(['S1:ready:null', 'S2:ready:null', 'F2:sleep:wswbuf0']);
    expect(status(s2!, 'S2')).toBe('done:0');
    expect(s2!.asyncPbufs).toBe(0);
    expect(status(s1!, 'S1')).toBe('sleep:wswbuf0');
  });
});

describe("vgone meets sendfile's asynchronous read and a fault's synchronous one", () => {
  // S reads pages 0-1 asynchronously (request 1) and lets go of the vnode; F reads page 3 (request 2) holding
  // it shared, so vgone (V) waits for the vnode lock.
  const setup = {
    machine: { physPages: 64 },
    mounts: [{ name: 'm1', iosize: 4096 }],
    vnodes: [{ name: 'vn1', size: 16384, blocks: [8, 16, 100, 200] }],
  };
  const base = [
    ...create(),
    sp('m', 'mmap', { vnode: 'vn1', prot: 'r', shared: true, length: 16384 }),
    run('m'),
    sp('S', 'sendfile', { vnode: 'vn1', offset: 0, length: 8192 }),
    run('S'),
    sp('F', 'fault', { mapping: 'm', offset: 12288, access: 'read' }),
    run('F'),
    sp('V', 'vgone', { vnode: 'vn1' }),
    run('V'),
  ];

  it("fault's read first: vgone gets the vnode, sleeps on the busy page, and the async EIO wakes it", () => {
    const { digests, last } = play(
      setup,
      steps(base, [{ complete: 2, result: 'ok' }, run('F'), run('V'), { complete: 1, result: 'eio' }, run('V')]),
    );
    const [fdone, sleeping, completed] = digests.slice(-4, -1) as FreeBsdDigest[];
    expect(status(fdone!, 'V')).toBe('ready:null');
    // vm_object_page_remove (OBJPR_CLEANONLY) holds paging_in_progress while it waits on page 0.
    expect(status(sleeping!, 'V')).toBe('sleep:vmopar');
    expect(sleeping!.objects[0]!.paging_in_progress).toBe(1);
    expect(pages(sleeping!)[0]).toBe('0/0 x w none');
    expect(status(completed!, 'V')).toBe('ready:null');
    expect(completed!.asyncPbufs).toBe(128);
    expect(pages(completed!)).toMatchObject({ 0: '255/0 inactive', 1: '255/0 inactive' });
    expect(status(last, 'V')).toBe('done:null');
    expect(last.vnodes[0]!.state).toBe('doomed');
    expect(last.objects[0]!.pages).toEqual([]);
  });

  it('async read first: it completes under the waiting vgone, which then never sleeps on a page', () => {
    const { digests, last } = play(
      setup,
      steps(base, [{ complete: 1, result: 'ok' }, { complete: 2, result: 'ok' }, run('F'), run('V')]),
    );
    const completed = digests.at(-4) as FreeBsdDigest;
    expect(status(completed, 'V')).toBe('lock:vnlock:vn1');
    expect(pages(completed)).toMatchObject({ 0: '255/0 inactive', 1: '255/0 inactive', 3: '0/0 x none' });
    expect(status(last, 'V')).toBe('done:null');
    expect(last.objects[0]!.pages).toEqual([]);
  });
});
