/**
 * Focused checks of the FreeBSD model against values worked out by hand from vnode_pager.c and the
 * contract's "FreeBSD" section: request geometry of a read clipped by a hole, busy-page and pbuf sleeps,
 * vgone waiting for paging, putpages ioflags, setup rejections and spawn-time refusals.
 */
import { describe, expect, it } from 'vitest';
import { newThread } from '../src/engine/kernel/types';
import { VOP_BMAP } from '../src/engine/freebsd/vfs';
import { FREEBSD } from '../src/engine/freebsd/model';
import { vnode_pager_putpages_ioflags } from '../src/engine/freebsd/vnode_pager_putpages';
import { formatScenarioError, parseScenario } from '../src/scenario/schema';
import { create, play, run, sp } from './freebsd-play';

const complete = (n: number, result = 'ok') => ({ complete: n, result });

describe('vnode_pager_generic_getpages geometry', () => {
  it('clips read-ahead at a hole: pages 0-7, blkno 64, length 32768', () => {
    const { last, refused } = play(
      { mounts: [{ name: 'm1', iosize: 16384 }], vnodes: [{ name: 'vn1', size: 40000, blocks: [64, 96, -1] }] },
      [
        ...create,
        sp('t2', 'mmap', { vnode: 'vn1', prot: 'r', shared: true, length: 40960 }),
        run('t2'),
        sp('t3', 'fault', { mapping: 't2', offset: 20480, access: 'read', behind: 8, ahead: 8 }),
        run('t3'),
      ],
    );
    expect(refused).toBeNull();
    expect(last.io).toEqual([
      { id: 1, thread: 't3', vnode: 'vn1', rw: 'read', offset: 0, length: 32768, blkno: 64, async: false },
    ]);
    expect(last.objects[0]!.pages.map((p) => p.pindex)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(last.threads[2]).toMatchObject({ status: 'io', wait: 'io:1' });
  });

  it('rounds the transfer at end of file up to the sector size', () => {
    const { last } = play({ mounts: [{ name: 'm1', sectorSize: 2048 }], vnodes: [{ name: 'vn1', size: 5000 }] }, [
      ...create,
      sp('t2', 'mmap', { vnode: 'vn1', prot: 'r', shared: true, length: 8192 }),
      run('t2'),
      sp('t3', 'fault', { mapping: 't2', offset: 4096, access: 'read' }),
      run('t3'),
    ]);
    // 5000 - 4096 = 904 bytes, rounded up to 2048; blkno of block 1 is 8.
    expect(last.io[0]).toMatchObject({ offset: 4096, length: 2048, blkno: 8 });
  });
});

describe('sleeps', () => {
  it('a second fault on a busy page sleeps vmpfw with waiters set, holding its reference and pip', () => {
    const { last } = play({ vnodes: [{ name: 'vn1', size: 8192 }] }, [
      ...create,
      sp('t2', 'mmap', { vnode: 'vn1', prot: 'r', shared: true, length: 8192 }),
      run('t2'),
      sp('t3', 'fault', { mapping: 't2', offset: 0, access: 'read' }),
      run('t3'),
      sp('t4', 'fault', { mapping: 't2', offset: 0, access: 'read' }),
      run('t4'),
    ]);
    expect(last.threads[3]).toMatchObject({ status: 'sleep', wait: 'vmpfw' });
    expect(last.objects[0]).toMatchObject({ ref_count: 3, paging_in_progress: 2 });
    expect(last.objects[0]!.pages[0]).toMatchObject({ xbusy: true, waiters: true });
  });

  it('no synchronous pbuf: the fault sleeps wswbuf0 before any BMAP or request', () => {
    const { last } = play({ machine: { pbufs: 0 }, vnodes: [{ name: 'vn1', size: 4096 }] }, [
      ...create,
      sp('t2', 'mmap', { vnode: 'vn1', prot: 'r', shared: true, length: 4096 }),
      run('t2'),
      sp('t3', 'fault', { mapping: 't2', offset: 0, access: 'read' }),
      run('t3'),
    ]);
    expect(last.threads[2]).toMatchObject({ status: 'sleep', wait: 'wswbuf0' });
    expect(last.io).toEqual([]);
    expect(last.pbufs).toBe(0);
  });

  it('vgone while a fault holds paging_in_progress sleeps bovlbx with OBJ_PIPWNT', () => {
    const { last } = play({ vnodes: [{ name: 'vn1', size: 4096 }] }, [
      ...create,
      sp('t2', 'mmap', { vnode: 'vn1', prot: 'r', shared: true, length: 4096 }),
      run('t2'),
      sp('t3', 'sendfile', { vnode: 'vn1', offset: 0, length: 4096 }),
      run('t3'),
      sp('t4', 'fault', { mapping: 't2', offset: 0, access: 'read' }),
      run('t4'),
      sp('t5', 'vgone', { vnode: 'vn1' }),
      run('t5'),
    ]);
    expect(last.threads[4]).toMatchObject({ status: 'sleep', wait: 'bovlbx' });
    expect(last.vnodes[0]!.state).toBe('doomed');
    expect(last.objects[0]!.flags).toEqual(['OBJ_PIPWNT', 'OBJ_COLORED']);
    expect(last.io[0]).toMatchObject({ thread: 't3', async: true, blkno: 0 });
  });

  it('a panic in sendfile_swapin names the object and the first page of the run', () => {
    const { last } = play({ mounts: [{ name: 'm1', bmap: false }], vnodes: [{ name: 'vn1', size: 4096 }] }, [
      ...create,
      sp('t2', 'sendfile', { vnode: 'vn1', offset: 0, length: 4096 }),
      run('t2'),
      complete(1, 'eio'),
      run('t2'),
    ]);
    expect(last.panic).toBe('sendfile_swapin: pager fail obj obj1 page obj1[0]');
    expect(last.threads[1]!.status).toBe('ready');
  });
});

describe('collaborators', () => {
  it('vnode_pager_putpages_ioflags gives the values of the facts sheet', () => {
    const k = FREEBSD.boot({ pager: 'freebsd', vnodes: [] });
    const th = newThread('x', 'x', {});
    const flags = (pagerFlags: number) => {
      const gen = vnode_pager_putpages_ioflags(k, th, pagerFlags);
      for (;;) {
        const r = gen.next();
        if (r.done) return r.value;
      }
    };
    expect(flags(0)).toBe(0x7f0030);
    expect(flags(0x8)).toBe(0x7f0020);
    expect(flags(0x1)).toBe(0x7f00a0);
    expect(flags(0x2)).toBe(0x7f00e0);
    expect(flags(0x4)).toBe(0x7f0230);
  });

  it('VOP_BMAP counts contiguous blocks forward and back, capped at MAXPHYS / iosize - 1', () => {
    const k = FREEBSD.boot({
      pager: 'freebsd',
      mounts: [{ name: 'm1', iosize: 65536 }],
      vnodes: [{ name: 'vn1', size: 65536 * 6, blocks: [0, 128, 256, 384, -1, 1000] }],
    });
    const vp = k.vnode('vn1');
    const all = { bnp: true, runp: true, runb: true };
    // 131072 / 65536 - 1 = 1 block of run at most.
    expect(VOP_BMAP(k, vp, 1, all)).toEqual({ error: 0, bn: 128, run: 1, runb: 1 });
    expect(VOP_BMAP(k, vp, 4, all)).toEqual({ error: 0, bn: -1, run: 0, runb: 0 });
    expect(VOP_BMAP(k, vp, 5, all)).toEqual({ error: 0, bn: 1000, run: 0, runb: 0 });
    expect(VOP_BMAP(k, vp, 9, { bnp: true, runp: false, runb: false })).toEqual({ error: 0, bn: -1 });
  });
});

describe('the scenario reader and spawn-time refusals', () => {
  const base = { format: 'pager-scenario/1', pager: 'freebsd', steps: [] };

  it('rejects a block map longer than the file has blocks', () => {
    const r = parseScenario({ ...base, vnodes: [{ name: 'vn1', size: 4097, blocks: [0, 8, 16] }] });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(formatScenarioError(r.error)).toMatch(/^step -1: vnodes\[0\]\.blocks: 3 entries/);
  });

  it('rejects mounts in an OpenBSD scenario and a type other than VREG in a FreeBSD one', () => {
    const o = parseScenario({ ...base, pager: 'openbsd', mounts: [], vnodes: [{ name: 'vn1', size: 1 }] });
    expect(!o.ok && formatScenarioError(o.error)).toBe('step -1: mounts: an OpenBSD scenario has no mounts');
    const f = parseScenario({ ...base, vnodes: [{ name: 'vn1', size: 1, type: 'VBLK' }] });
    expect(!f.ok && formatScenarioError(f.error)).toBe(
      'step -1: vnodes[0].type: a FreeBSD vnode is "VREG" only, got "VBLK"',
    );
    // The contract: "`type` is only \"VREG\"": given, it is that.
    const vreg = parseScenario({ ...base, vnodes: [{ name: 'vn1', size: 1, type: 'VREG' }] });
    expect(vreg.ok).toBe(true);
  });

  it('refuses a vrele whose vref is not done, and a write fault on a private rw mapping', () => {
    const r1 = play({ vnodes: [{ name: 'vn1', size: 4096, usecount: 0 }] }, [
      sp('a', 'vref', { vnode: 'vn1' }),
      sp('b', 'vrele', { vnode: 'vn1' }),
    ]);
    expect(r1.refused).toEqual({ step: 1, reason: 'vrele: every open of vn1 that is done has already been released' });
    const r2 = play({ vnodes: [{ name: 'vn1', size: 4096 }] }, [
      ...create,
      sp('t2', 'mmap', { vnode: 'vn1', prot: 'rw', shared: false, length: 4096 }),
      run('t2'),
      sp('t3', 'fault', { mapping: 't2', offset: 0, access: 'write' }),
    ]);
    expect(r2.refused?.step).toBe(4);
    expect(r2.digests).toHaveLength(5);
  });

  it('lets close(2) release the last open, and refuses a second one: only the vreles spawned before count', () => {
    // Contract: initial usecount plus the vrefs that are done, minus the vreles spawned before this one.
    const r = play({ vnodes: [{ name: 'vn1', size: 4096 }] }, [
      ...create,
      sp('t2', 'vrele', { vnode: 'vn1' }),
      run('t2'),
      sp('t3', 'vrele', { vnode: 'vn1' }),
    ]);
    expect(r.refused).toEqual({ step: 4, reason: 'vrele: every open of vn1 that is done has already been released' });
    expect(r.last.vnodes[0]).toMatchObject({ usecount: 0, state: 'free', object: 1 });
    expect(r.last.threads[1]).toMatchObject({ id: 't2', status: 'done', ret: null });
  });
});
