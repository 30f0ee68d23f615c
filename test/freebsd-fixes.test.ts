/**
 * Differences between the FreeBSD model and vnode_pager.c or the contract found in review, each pinned by
 * the digest values a person can check against the C (the seed line or contract sentence is named).
 */
import { describe, expect, it } from 'vitest';
import { PagerEngine } from '../src/engine/engine';
import { FREEBSD } from '../src/engine/freebsd/model';
import type { BsdKernel } from '../src/engine/freebsd/state';
import { vm_object_allocate } from '../src/engine/freebsd/vm_object';
import { vm_page_alloc, vm_page_readahead_finish } from '../src/engine/freebsd/vm_page';
import { newThread } from '../src/engine/kernel/types';
import { create, dirtyPage0, engineAfter, play, run, sp, type Json } from './freebsd-play';
import { formatScenarioError, parseScenario } from '../src/scenario/schema';

describe('spawn-time preconditions', () => {
  it('vrele of the only open is possible: the count is of the vreles spawned before this one', () => {
    // Contract: "initial usecount plus the vnode's vref threads that are done, minus the vreles spawned before".
    const { refused, last } = play({ vnodes: [{ name: 'vn1', size: 4096 }] }, [
      sp('t1', 'vrele', { vnode: 'vn1' }),
      run('t1'),
    ]);
    expect(refused).toBeNull();
    expect(last.vnodes[0]).toMatchObject({ usecount: 0, state: 'free' });
    expect(last.threads[0]).toMatchObject({ status: 'done', ret: null });
    const second = play({ vnodes: [{ name: 'vn1', size: 4096 }] }, [
      sp('t1', 'vrele', { vnode: 'vn1' }),
      sp('t2', 'vrele', { vnode: 'vn1' }),
    ]);
    expect(second.refused).toEqual({
      step: 1,
      reason: 'vrele: every open of vn1 that is done has already been released',
    });
  });

  it("writes a fault's offset and the mapping's length in hex, as the fault form and the Threads card do", () => {
    // The fault form and the Threads card write offset and length in hex (HEX_ARGS): a refusal beside them
    // in decimal would name 12288 for the 0x3000 the learner typed.
    const { refused } = play({ vnodes: [{ name: 'vn1', size: 16384 }] }, [
      ...create,
      sp('t2', 'mmap', { vnode: 'vn1', prot: 'r', shared: true, length: 8192 }),
      run('t2'),
      sp('t3', 'fault', { mapping: 't2', offset: 12288, access: 'read' }),
    ]);
    expect(refused).toEqual({ step: 4, reason: "fault offset 0x3000 is not below the mapping's length 0x2000" });
  });
});

describe('step granularity: every statement of the seed is one step', () => {
  /** The seed lines `thread` stands at after each `step`, while it is inside `fn`. */
  function linesStepped(setup: Json, steps: Json[], thread: string, fn: string): number[] {
    const { e } = engineAfter(setup, steps);
    const th = e.k.thread(thread)!;
    const lines: number[] = [];
    while (th.status === 'ready') {
      expect(e.apply({ step: thread })).toBeNull();
      if (th.stack.at(-1) === fn && th.line !== null) lines.push(th.line);
    }
    return lines;
  }

  it('ASSERT_VOP_ELOCKED and CTR3 are statements of vnode_pager_dealloc (lines 295, 299)', () => {
    const lines = linesStepped(
      { vnodes: [{ name: 'vn1', size: 4096 }] },
      [
        ...create,
        sp('t2', 'mmap', { vnode: 'vn1', prot: 'rw', shared: true, length: 4096 }),
        run('t2'),
        sp('t3', 'vgone', { vnode: 'vn1' }),
      ],
      't3',
      'vnode_pager_dealloc',
    );
    // The object has one reference (the mapping's) and a writable mapping: 296-299 run, then one vunref.
    expect(lines).toEqual([
      281, 282, 285, 286, 287, 289, 290, 291, 295, 296, 297, 298, 299, 302, 303, 304, 305, 306, 305, 307,
    ]);
  });

  it('ASSERT_VOP_ELOCKED and CTR3 are statements of vnode_pager_update_writecount (lines 1361, 1363)', () => {
    const lines = linesStepped(
      { vnodes: [{ name: 'vn1', size: 4096 }] },
      [...create, sp('t2', 'mmap', { vnode: 'vn1', prot: 'rw', shared: true, length: 4096 })],
      't2',
      'vnode_pager_update_writecount',
    );
    expect(lines).toEqual([1352, 1353, 1357, 1358, 1359, 1360, 1361, 1362, 1363, 1371]);
  });

  it('ASSERT_VOP_ELOCKED is a statement of vnode_destroy_vobject (line 165)', () => {
    const lines = linesStepped(
      { vnodes: [{ name: 'vn1', size: 4096 }] },
      [...create, sp('t2', 'vgone', { vnode: 'vn1' })],
      't2',
      'vnode_destroy_vobject',
    );
    // ref_count 0: vm_object_terminate (line 173) frees the object; then the KASSERT at 194.
    expect(lines).toEqual([162, 163, 165, 166, 167, 168, 172, 173, 194]);
  });
});

describe('vrele and VI_OWEINACT (vfs_subr.c vputx, vinactive)', () => {
  it('a vrele whose VI_OWEINACT an earlier vinactive cleared does not run vinactive again', () => {
    // The undirty mount's failed write leaves the page dirty and OBJ_MIGHTBEDIRTY set, so a second
    // vinactive would write again. a and b both drop the last use reference while ts holds the vnode
    // lock (a vref in between); a's vinactive clears VI_OWEINACT, so b only locks and unlocks.
    const { last, refused } = play(
      {
        machine: { pageoutFreeMin: 100 },
        mounts: [{ name: 'm1', putpages: 'undirty' }],
        vnodes: [{ name: 'vn1', size: 4096 }],
      },
      [
        ...dirtyPage0(4096),
        sp('t4', 'munmap', { mapping: 't2' }),
        run('t4'),
        sp('ts', 'vnode_pager_setsize', { vnode: 'vn1', size: 4096 }),
        { step: 'ts' },
        sp('a', 'vrele', { vnode: 'vn1' }),
        run('a'),
        sp('v', 'vref', { vnode: 'vn1' }),
        run('v'),
        sp('b', 'vrele', { vnode: 'vn1' }),
        run('b'),
        run('ts'),
        run('a'),
        { complete: 2, result: 'eio' },
        run('a'),
        run('b'),
      ],
    );
    expect(refused).toBeNull();
    expect(last.threads.find((t) => t.id === 'b')).toMatchObject({ status: 'done', wait: null });
    expect(last.io).toEqual([]);
    expect(last.objects[0]).toMatchObject({ flags: ['OBJ_MIGHTBEDIRTY', 'OBJ_COLORED'] });
    expect(last.objects[0]!.pages[0]).toMatchObject({ dirty: 255, queue: 'active' });
    expect(last.vnodes[0]).toMatchObject({ usecount: 0, state: 'free' });
  });
});

describe('VOP_BMAP as the contract defines it ("File system and disk")', () => {
  it('counts *runb backwards "the same way": blocks[j] == blocks[j+1] - iosize/512, a -1 entry included', () => {
    // Block 1 is at 7 and block 0 is a hole (-1 = 7 - 4096/512): contiguous by the contract's test, as
    // UFS's is_sequential() counts a hole (address 0) before a block at address fs_frag.
    const { last } = play({ vnodes: [{ name: 'vn1', size: 12288, blocks: [-1, 7, 15] }] }, [
      ...create,
      sp('t2', 'haspage', { vnode: 'vn1', pindex: 1 }),
      run('t2'),
    ]);
    expect(last.threads[1]!.ret).toEqual({ has: true, before: 1, after: 1 });
  });
});

describe('collaborators as FreeBSD 12 writes them', () => {
  /** Run a collaborator's generator on a fresh kernel to its end (or its panic); the kernel after. */
  function drain(gen: Generator<unknown, unknown, void>, k: BsdKernel) {
    for (let r = gen.next(); !r.done && !k.s.panic; r = gen.next());
    return k;
  }

  it('vm_page_readahead_finish\'s KASSERT prints "%s: %p is invalid"', () => {
    const k = FREEBSD.boot({ pager: 'freebsd', vnodes: [{ name: 'vn1', size: 8192 }] });
    const obj = vm_object_allocate(k, 'vn1', 2);
    const th = newThread('x', 'x', {});
    const m = vm_page_alloc(k, th, obj, 1)!;
    drain(vm_page_readahead_finish(k, th, m), k);
    expect(k.s.panic?.message).toBe('vm_page_readahead_finish: obj1[1] is invalid');
  });
});

describe("libkern's u_int min() in vnode_pager_generic_getpages (lines 869-872)", () => {
  it('counts a page count of 2^32 by its low 32 bits: read-ahead to the end of a 16 TiB file is cut to 0', () => {
    // object->size - m[0]->pindex is 2^32 at line 872: as u_int it is 0, so the fault reads its page alone.
    const { last } = play({ vnodes: [{ name: 'vn1', size: 2 ** 44 }] }, [
      ...create,
      sp('t2', 'mmap', { vnode: 'vn1', prot: 'r', shared: true, length: 16384 }),
      run('t2'),
      sp('t3', 'fault', { mapping: 't2', offset: 0, access: 'read', ahead: 3 }),
      run('t3'),
    ]);
    expect(last.io).toHaveLength(1);
    expect(last.io[0]).toMatchObject({ offset: 0, length: 4096 });
    expect(last.freePages).toBe(63);
  });
});

describe('vm_fault when vm_page_alloc finds no free page', () => {
  it('lets everything go and waits "pfault", as for none free, when another fault took the last page', () => {
    const mmapBoth = ['vn1', 'vn2'].flatMap((vn, i) => [
      sp(`c${i}`, 'vnode_create_vobject', { vnode: vn }),
      run(`c${i}`),
      sp(`m${i}`, 'mmap', { vnode: vn, prot: 'r', shared: true, length: 4096 }),
      run(`m${i}`),
    ]);
    const { refused, last } = play(
      {
        machine: { physPages: 1 },
        vnodes: [
          { name: 'vn1', size: 4096 },
          { name: 'vn2', size: 4096 },
        ],
      },
      [
        ...mmapBoth,
        sp('f1', 'fault', { mapping: 'm0', offset: 0, access: 'read' }),
        // Past the free-page check (one free), to the vm_page_alloc statement.
        ...Array.from({ length: 9 }, () => ({ step: 'f1' })),
        // A fault on the other object takes the page meanwhile: it holds no lock f1 holds.
        sp('f2', 'fault', { mapping: 'm1', offset: 0, access: 'read' }),
        run('f2'),
        run('f1'),
      ],
    );
    expect(refused).toBeNull();
    expect(last.freePages).toBe(0);
    expect(last.threads.find((t) => t.id === 'f1')).toMatchObject({ status: 'sleep', wait: 'pfault' });
    expect(last.threads.find((t) => t.id === 'f2')).toMatchObject({ status: 'io', wait: 'io:1' });
    // unlock_and_deallocate gave back f1's object reference and paging count.
    expect(last.objects[0]).toMatchObject({ vnode: 'vn1', ref_count: 1, paging_in_progress: 0, pages: [] });
  });
});

describe('where a thread stands after a seed call returns inside its statement', () => {
  it('blocked in VOP_WRITE at line 1277, not at the return (1319) of the ioflags call it made first', () => {
    const parsed = parseScenario({
      format: 'pager-scenario/1',
      pager: 'freebsd',
      vnodes: [{ name: 'vn1', size: 8192 }],
      steps: [...dirtyPage0(8192), sp('t5', 'msync', { vnode: 'vn1', flags: ['OBJPC_SYNC'] }), run('t5')],
    });
    if (!parsed.ok) throw new Error(formatScenarioError(parsed.error));
    const e = new PagerEngine(parsed.scenario);
    for (const step of parsed.scenario.steps) expect(e.apply(step)).toBeNull();
    const t5 = e.k.thread('t5')!;
    expect(t5).toMatchObject({ status: 'io', wait: 'io:2', line: 1277 });
    expect(t5.stack.at(-1)).toBe('vnode_pager_generic_putpages');
  });
});
