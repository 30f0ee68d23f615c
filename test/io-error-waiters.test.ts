/**
 * A request that fails (EIO) or comes back short while another thread sleeps on one of its busy pages: what the
 * failing path frees or keeps, whom it wakes, and what the woken thread finds. Each expectation names the seed
 * lines it was checked against.
 */
import { describe, expect, it } from 'vitest';
import type { FreeBsdDigest } from '../src/engine/freebsd/views';
import type { OpenBsdDigest } from '../src/engine/openbsd/views';
import { create, play as playBsd } from './freebsd-play';
import { digestsOf, run, sp, type Json } from './play';

const playObsd = (setup: Json, steps: Json[]) => digestsOf('openbsd', setup, steps) as OpenBsdDigest[];

const th = (d: { threads: { id: string }[] }, id: string) => d.threads.find((t) => t.id === id);
const obsdPages = (d: OpenBsdDigest) => d.vnodes[0]!.uvn.pages.map((p) => ({ offset: p.offset, flags: p.flags }));

describe('OpenBSD: uvn_get read fails under a fault sleeping on its page', () => {
  const setup = { machine: { physPages: 8 }, vnodes: [{ name: 'vn1', size: 14000 }] };
  const until = (result: string) => [
    sp('t1', 'uvn_attach', { vnode: 'vn1', prot: 'rw' }),
    run('t1'),
    sp('f0', 'fault', { vnode: 'vn1', offset: 0, access: 'read' }),
    run('f0'),
    sp('f1', 'fault', { vnode: 'vn1', offset: 0, access: 'write' }),
    run('f1'),
    { complete: 1, result },
    run('f0'),
  ];

  for (const result of ['eio', 'short:0']) {
    it(`${result}: the reader wakes the sleeper, frees the page, and the sleeper reads again into a new one`, () => {
      const d = playObsd(setup, [...until(result), run('f1')]);
      // f1 waited in uvm_pagewait (1057), which set PG_WANTED on f0's new page.
      const waiting = d.at(-3)!;
      expect(th(waiting, 'f1')).toMatchObject({ status: 'sleep', wait: 'uvn_get' });
      expect(obsdPages(waiting)).toEqual([{ offset: 0, flags: ['PG_BUSY', 'PG_WANTED', 'PG_CLEAN', 'PG_FAKE'] }]);
      // EIO, or 0 bytes of 4096 (wanted && got == 0, 1264-1265): VM_PAGER_ERROR (1294); 1093-1094 wake f1,
      // 1100 frees the page.
      const failed = d.at(-2)!;
      expect(th(failed, 'f0')).toMatchObject({ status: 'done', ret: 'VM_PAGER_ERROR' });
      expect(th(failed, 'f1')).toMatchObject({ status: 'ready', wait: null });
      expect(failed.vnodes[0]!.uvn.pages).toEqual([]);
      expect(failed.vnodes[0]!.uvn.nio).toBe(0);
      expect(failed.freePages).toBe(8);
      // f1 finds no page at 1033-1036, allocates one and starts its own read.
      const again = d.at(-1)!;
      expect(th(again, 'f1')).toMatchObject({ status: 'io', wait: 'io:2' });
      expect(again.io).toEqual([{ id: 2, thread: 'f1', vnode: 'vn1', rw: 'read', offset: 0, length: 4096 }]);
    });
  }

  it('short:100: 100 bytes are not 0, the tail is zero-filled and both faults map the page', () => {
    const d = playObsd(setup, [...until('short:100'), run('f1')]);
    expect(th(d.at(-1)!, 'f0')).toMatchObject({ ret: 'VM_PAGER_OK' });
    expect(th(d.at(-1)!, 'f1')).toMatchObject({ ret: 'VM_PAGER_OK' });
    expect(d.at(-1)!.vnodes[0]!.uvn.pages).toMatchObject([{ offset: 0, flags: ['PG_CLEAN'], modified: true }]);
  });
});

describe('OpenBSD: a clustered uvn_flush write fails under a fault sleeping on the second page', () => {
  const steps = (result: string) => [
    sp('t1', 'uvn_attach', { vnode: 'vn1', prot: 'rw' }),
    run('t1'),
    sp('w0', 'fault', { vnode: 'vn1', offset: 0, access: 'write' }),
    run('w0'),
    { complete: 1, result: 'ok' },
    run('w0'),
    sp('w1', 'fault', { vnode: 'vn1', offset: 4096, access: 'write' }),
    run('w1'),
    { complete: 2, result: 'ok' },
    run('w1'),
    sp('m', 'uvn_flush', { vnode: 'vn1', flags: ['PGO_CLEANIT', 'PGO_FREE', 'PGO_ALLPAGES'] }),
    run('m'),
    sp('f', 'fault', { vnode: 'vn1', offset: 4096, access: 'read' }),
    run('f'),
    { complete: 3, result },
    run('m'),
  ];

  for (const [result, ret] of [
    ['eio', false],
    ['short:0', false],
    ['short:5000', true],
  ] as const) {
    it(`${result}: both pages are freed, the sleeper woken, and uvn_flush returns ${ret}`, () => {
      const d = playObsd({ machine: { physPages: 8 }, vnodes: [{ name: 'vn1', size: 14000 }] }, steps(result));
      // One write of both pages (the cluster, 8192 bytes), both PG_RELEASED (717-718) while f sleeps on page 1.
      const writing = d.at(-3)!;
      expect(writing.io).toMatchObject([{ id: 3, rw: 'write', offset: 0, length: 8192 }]);
      expect(th(writing, 'f')).toMatchObject({ status: 'sleep', wait: 'uvn_get' });
      expect(obsdPages(writing)[1]!.flags).toEqual(['PG_BUSY', 'PG_WANTED', 'PG_CLEANCHK', 'PG_RELEASED']);
      // Error: uvm_pager_put drops the cluster (waking f), then 793-833 mark every page of it clean and free
      // it with retval FALSE (829). A short write of 5000 > 0 bytes is OK (1261-1283): freed, TRUE.
      const after = d.at(-1)!;
      expect(th(after, 'm')).toMatchObject({ status: 'done', ret });
      expect(th(after, 'f')).toMatchObject({ status: 'ready', wait: null });
      expect(after.vnodes[0]!.uvn.pages).toEqual([]);
      expect(after.freePages).toBe(8);
    });
  }
});

describe('FreeBSD: a synchronous read with read-ahead fails under faults sleeping on its pages', () => {
  const steps = (result: string) => [
    ...create,
    sp('t2', 'mmap', { vnode: 'vn1', prot: 'r', shared: true, length: 16384 }),
    run('t2'),
    sp('f0', 'fault', { mapping: 't2', offset: 4096, access: 'read', behind: 1, ahead: 2 }),
    run('f0'),
    sp('f1', 'fault', { mapping: 't2', offset: 4096, access: 'read' }),
    run('f1'),
    sp('f2', 'fault', { mapping: 't2', offset: 12288, access: 'read' }),
    run('f2'),
    { complete: 1, result },
    run('f0'),
    run('f1'),
  ];

  it('eio: every page is still made valid, the requested one freed, the woken faults go on', () => {
    const { refused, digests } = playBsd({ vnodes: [{ name: 'vn1', size: 14000 }] }, steps('eio'));
    expect(refused).toBeNull();
    const d = digests as FreeBsdDigest[];
    // f0 reads pages 0-3 in one request, cut at the file size and rounded to 512 (994-999).
    expect(d.at(-4)!.io).toMatchObject([{ id: 1, rw: 'read', offset: 0, length: 14336, async: false }]);
    // getpages_done sets valid whatever the error (1106-1128): 0 and 2 whole, 3 up to 14000 (set_valid_range,
    // 15); the behind/ahead pages are finished by readahead_finish (1131): 3 had a waiter (f2) so it is
    // activated, 0 and 2 deactivated. The fault frees page 1 and returns KERN_FAILURE (1054).
    const failed = d.at(-2)!;
    expect(th(failed, 'f0')).toMatchObject({ status: 'done', ret: 'KERN_FAILURE' });
    expect(th(failed, 'f1')).toMatchObject({ status: 'ready' });
    expect(th(failed, 'f2')).toMatchObject({ status: 'ready' });
    expect(failed.objects[0]!.pages.map((p) => [p.pindex, p.valid, p.xbusy, p.queue])).toEqual([
      [0, 255, false, 'inactive'],
      [2, 255, false, 'inactive'],
      [3, 15, false, 'active'],
    ]);
    expect(failed.pbufs).toBe(129);
    // f1 allocates page 1 anew and reads it alone.
    const again = d.at(-1)!;
    expect(th(again, 'f1')).toMatchObject({ status: 'io', wait: 'io:2' });
    expect(again.io).toMatchObject([{ id: 2, rw: 'read', offset: 4096, length: 4096 }]);
  });

  for (const result of ['short:0', 'short:4096', 'short:5000']) {
    it(`${result}: b_resid is never read, so the read succeeds for every page`, () => {
      const { digests } = playBsd({ vnodes: [{ name: 'vn1', size: 14000 }] }, steps(result));
      const d = digests as FreeBsdDigest[];
      expect(th(d.at(-2)!, 'f0')).toMatchObject({ status: 'done', ret: 'KERN_SUCCESS' });
      expect(th(d.at(-1)!, 'f1')).toMatchObject({ status: 'done', ret: 'KERN_SUCCESS' });
      expect(d.at(-1)!.objects[0]!.pages.map((p) => p.valid)).toEqual([255, 255, 255, 15]);
    });
  }
});

describe('FreeBSD: an NFS-like short write inside the first page of a run', () => {
  it('marks it AGAIN, so page_clean steps one page on and writes the run again from page 0', () => {
    const { refused, digests } = playBsd(
      { mounts: [{ name: 'm1', putpages: 'undirty' }], vnodes: [{ name: 'vn1', size: 10000 }] },
      [
        ...create,
        sp('t2', 'mmap', { vnode: 'vn1', prot: 'rw', shared: true, length: 12288 }),
        run('t2'),
        sp('t3', 'fault', { mapping: 't2', offset: 0, access: 'write' }),
        run('t3'),
        { complete: 1, result: 'ok' },
        run('t3'),
        sp('t4', 'fault', { mapping: 't2', offset: 4096, access: 'write' }),
        run('t4'),
        { complete: 2, result: 'ok' },
        run('t4'),
        sp('t5', 'msync', { vnode: 'vn1', flags: ['OBJPC_SYNC'] }),
        run('t5'),
        { complete: 3, result: 'short:100' },
        run('t5'),
      ],
    );
    expect(refused).toBeNull();
    const last = digests.at(-1) as FreeBsdDigest;
    // undirty_pages(written 100): page 0 is partly written, AGAIN, and only its first 512-byte chunk is clean
    // (1336-1339); page 1 keeps VM_PAGER_ERROR (1209) but lies past the shortened run, so no eio. The run
    // length 0 becomes 1, page 1 is next, and its collection takes the still-dirty page 0 behind it.
    expect(last.objects[0]!.pages.map((p) => [p.pindex, p.dirty, p.sbusy])).toEqual([
      [0, 254, 1],
      [1, 255, 1],
    ]);
    expect(last.io).toMatchObject([{ id: 4, rw: 'write', offset: 0, length: 8192, async: false }]);
  });
});
