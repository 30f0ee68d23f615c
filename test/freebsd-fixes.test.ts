/**
 * Differences between the FreeBSD model and vnode_pager.c or the contract found in review, each pinned by
 * the digest values a person can check against the C (the seed line or contract sentence is named).
 */
import { describe, expect, it } from 'vitest';
import { PagerEngine } from '../src/engine/engine';
import { freebsdInvariants } from '../src/engine/freebsd/invariants';
import { FREEBSD } from '../src/engine/freebsd/model';
import type { BsdKernel } from '../src/engine/freebsd/state';
import { vm_object_allocate } from '../src/engine/freebsd/vm_object';
import { vm_page_alloc, vm_page_readahead_finish } from '../src/engine/freebsd/vm_page';
import { newThread } from '../src/engine/kernel/types';
import type { FreeBsdDigest } from '../src/engine/freebsd/views';
import { scenarioDigests } from '../src/engine/run-scenario';
import { formatScenarioError, parseScenario } from '../src/scenario/schema';

type Json = Record<string, unknown>;
const sp = (t: string, call: string, args: Json) => ({ spawn: t, call, args });
const run = (t: string) => ({ run: t });
const create = [sp('t1', 'vnode_create_vobject', { vnode: 'vn1' }), run('t1')];
/** vn1's object, a shared rw mapping of `length` bytes (t2), and page 0 made dirty by a write fault (t3). */
const dirtyPage0 = (length: number) => [
  ...create,
  sp('t2', 'mmap', { vnode: 'vn1', prot: 'rw', shared: true, length }),
  run('t2'),
  sp('t3', 'fault', { mapping: 't2', offset: 0, access: 'write' }),
  run('t3'),
  { complete: 1, result: 'ok' },
  run('t3'),
];

function play(setup: Json, steps: Json[]) {
  const parsed = parseScenario({ format: 'pager-scenario/1', pager: 'freebsd', ...setup, steps });
  if (!parsed.ok) throw new Error(formatScenarioError(parsed.error));
  const r = scenarioDigests(parsed.scenario);
  return { ...r, last: r.digests.at(-1) as FreeBsdDigest };
}

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
    const parsed = parseScenario({ format: 'pager-scenario/1', pager: 'freebsd', ...setup, steps });
    if (!parsed.ok) throw new Error(formatScenarioError(parsed.error));
    const e = new PagerEngine(parsed.scenario);
    for (const step of parsed.scenario.steps) expect(e.apply(step)).toBeNull();
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

/** An engine after `steps`; then `until` steps `thread` one statement at a time until `at(thread)` holds. */
function engineAfter(setup: Json, steps: Json[]) {
  const parsed = parseScenario({ format: 'pager-scenario/1', pager: 'freebsd', ...setup, steps });
  if (!parsed.ok) throw new Error(formatScenarioError(parsed.error));
  const e = new PagerEngine(parsed.scenario);
  for (const step of parsed.scenario.steps) expect(e.apply(step)).toBeNull();
  const until = (thread: string, at: (th: ReturnType<typeof e.k.thread> & object) => boolean) => {
    const th = e.k.thread(thread)!;
    while (!at(th)) expect(e.apply({ step: thread })).toBeNull();
    return th;
  };
  return { e, until, digest: () => e.digest() as FreeBsdDigest };
}

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
