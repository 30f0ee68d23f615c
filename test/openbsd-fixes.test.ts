/**
 * Differences between the OpenBSD model and the kernel around uvm_vnode.c found in review, each pinned by the
 * digest values a person can check against the C (the seed line, or the collaborator in OpenBSD's vfs_subr.c).
 */
import { describe, expect, it } from 'vitest';
import { PagerEngine } from '../src/engine/engine';
import type { OpenBsdDigest } from '../src/engine/openbsd/views';
import { runScenario } from '../src/engine/run-scenario';
import { SnapshotBuilder } from '../src/engine/view';
import { stringifyDigest } from '../src/protocol/digest-json';
import { digestsOf, run, scenarioIn, sp, step, type Json } from './play';

const parse = (setup: Json, steps: Json[]) => scenarioIn('openbsd', setup, steps);
const play = (setup: Json, steps: Json[]) => digestsOf('openbsd', setup, steps) as OpenBsdDigest[];

const thread = (d: OpenBsdDigest, id: string) => d.threads.find((t) => t.id === id)!;
const vnode = (d: OpenBsdDigest, name: string) => d.vnodes.find((v) => v.name === name)!;

/** vn1 attached read-write, then (when `faulted`) vn2 too with its page 0 resident: the frame's one page. */
const attachBoth = [
  sp('t1', 'uvn_attach', { vnode: 'vn1', prot: 'rw' }),
  run('t1'),
  sp('t2', 'uvn_attach', { vnode: 'vn2', prot: 'rw' }),
  run('t2'),
  sp('f2', 'fault', { vnode: 'vn2', offset: 0, access: 'read' }),
  run('f2'),
  { complete: 1, result: 'ok' },
  run('f2'),
];
const twoVnodes = {
  machine: { physPages: 1 },
  vnodes: [
    { name: 'vn1', size: 4096 },
    { name: 'vn2', size: 4096 },
  ],
};

describe('vrele', () => {
  it('panics on a usecount of 0 before it decrements, as OpenBSD checks it (line 387)', () => {
    // The persisting uvn is referenced without a vref, so the second detach's vrele finds usecount 0.
    const digests = play({ vnodes: [{ name: 'vn1', size: 8192 }] }, [
      sp('t1', 'uvn_attach', { vnode: 'vn1', prot: 'r' }),
      run('t1'),
      sp('t2', 'vrele', { vnode: 'vn1' }),
      run('t2'),
      sp('t3', 'uvn_detach', { vnode: 'vn1' }),
      run('t3'),
      sp('t4', 'uvn_reference', { vnode: 'vn1' }),
      run('t4'),
      sp('t5', 'uvn_detach', { vnode: 'vn1' }),
      run('t5'),
    ]);
    const last = digests.at(-1)!;
    expect(last.panic).toBe('vrele: ref cnt');
    expect(vnode(last, 'vn1')).toMatchObject({ usecount: 0, state: 'free' });
    expect(thread(last, 't5').status).toBe('ready');
  });
});

describe('uvm_vnp_sync', () => {
  it('reads the next uvn on uvn_wlist at line 1469, after the body, so one unlisted meanwhile is not synced', () => {
    const toHead = [
      ...attachBoth.slice(0, 4),
      // vn1 persists (refs 0, still WRITEABLE, on the list behind vn2).
      sp('t3', 'uvn_detach', { vnode: 'vn1' }),
      run('t3'),
      ...attachBoth.slice(4),
      sp('s', 'uvm_vnp_sync'),
      // Through vn2's body to line 1493 and back to the loop's head, 1469.
      ...Array.from({ length: 10 }, () => step('s')),
    ];
    const engine = new PagerEngine(parse(twoVnodes, toHead));
    for (const s of parse(twoVnodes, toHead).steps) expect(engine.apply(s)).toBeNull();
    expect(engine.k.thread('s')?.line).toBe(1469);
    const digests = play(twoVnodes, [
      ...toHead,
      // Terminating the persisting vn1 frees it: LIST_REMOVE (521), flags 0.
      sp('t4', 'uvm_vnp_terminate', { vnode: 'vn1' }),
      run('t4'),
      sp('f1', 'fault', { vnode: 'vn1', offset: 0, access: 'read' }),
      run('f1'),
      run('s'),
    ]);
    const last = digests.at(-1)!;
    // LIST_NEXT(vn2) is NULL once vn1 is off the list: only vn2 is synced, and its flush's free wakes f1.
    expect(thread(last, 's').status).toBe('done');
    expect(thread(last, 'f1').status).toBe('ready');
    expect(vnode(last, 'vn1')).toMatchObject({ usecount: 1, uvn: { refs: 0, flags: [] } });
  });

  it('skips a revoked vnode for a mount: vgonel took it off its mount (insmntque(vp, NULL)), line 1471', () => {
    const digests = play(twoVnodes, [
      sp('t1', 'uvn_attach', { vnode: 'vn1', prot: 'rw' }),
      run('t1'),
      // Revoked with refs 1: the uvn lives on, VALID|WRITEABLE, still on uvn_wlist.
      sp('r', 'revoke', { vnode: 'vn1' }),
      run('r'),
      // vn2 read-only: off the list, its page the frame's one page.
      sp('t2', 'uvn_attach', { vnode: 'vn2', prot: 'r' }),
      run('t2'),
      ...attachBoth.slice(4),
      sp('f1', 'fault', { vnode: 'vn1', offset: 0, access: 'read' }),
      run('f1'),
      sp('s', 'uvm_vnp_sync', { mount: 'm1' }),
      run('s'),
    ]);
    const last = digests.at(-1)!;
    expect(vnode(last, 'vn1')).toMatchObject({
      state: 'dead',
      uvn: { refs: 1, flags: ['UVM_VNODE_VALID', 'UVM_VNODE_WRITEABLE'] },
    });
    // Had it been synced, the sync would wait for vn1's object lock, which the sleeping fault holds.
    expect(thread(last, 's').status).toBe('done');
    expect(thread(last, 'f1').status).toBe('sleep');
  });
});

describe('uvn_io', () => {
  // A caller bug lets u_size drop below file_offset between the check at 1170 and line 1202: the fault reads
  // from a killed (invalid) uvn of the truncated file and, once it has dropped the object lock (1189), a fresh
  // attach sets u_size 100 (240). Line 1203 then computes the size_t `wanted = u_size - file_offset`, which
  // wraps: uio_resid, and so the request's length, is 2^64 - 3996.
  const wrappedSteps = (complete: Json[]) => [
    // A shared writable mmap uncaches the uvn, so the detach kills it (u_size stays 8192, flags 0).
    sp('t1', 'mmap', { vnode: 'vn1', prot: 'rw', shared: true }),
    run('t1'),
    sp('t2', 'uvn_detach', { vnode: 'vn1' }),
    run('t2'),
    // The file shrinks to 100 bytes; setsize skips the invalid uvn (1426).
    sp('t3', 'uvm_vnp_setsize', { vnode: 'vn1', size: 100 }),
    run('t3'),
    // Through uvn_get to uvn_io line 1190: 4096 < 8192 passed 1170, u_nio 1, the object lock dropped (1189).
    sp('t4', 'fault', { vnode: 'vn1', offset: 4096, access: 'read' }),
    ...Array.from({ length: 44 }, () => step('t4')),
    sp('t5', 'uvn_attach', { vnode: 'vn1', prot: 'r' }),
    run('t5'),
    run('t4'),
    ...complete,
  ];
  const wrapped = (complete: Json[]) =>
    play({ machine: { physPages: 8 }, vnodes: [{ name: 'vn1', size: 8192 }] }, wrappedSteps(complete));

  it('asks VOP_READ for the size_t uio_resid line 1203 wraps to (2^64 - 3996), every digit in the digest', () => {
    const digests = wrapped([]);
    expect(digests.at(-2)!.io).toEqual([]);
    expect(stringifyDigest(digests.at(-1)!.io)).toBe(
      '[{"id":1,"thread":"t4","vnode":"vn1","rw":"read","offset":4096,"length":18446744073709547620}]',
    );
    expect(stringifyDigest(digests.at(-1))).toBe(
      '{"step":53,"panic":null,"freePages":7,"threads":[' +
        '{"id":"t1","call":"mmap","status":"done","wait":null,"ret":"obj"},' +
        '{"id":"t2","call":"uvn_detach","status":"done","wait":null,"ret":null},' +
        '{"id":"t3","call":"uvm_vnp_setsize","status":"done","wait":null,"ret":null},' +
        '{"id":"t4","call":"fault","status":"io","wait":"io:1","ret":null},' +
        '{"id":"t5","call":"uvn_attach","status":"done","wait":null,"ret":"obj"}],' +
        '"vnodes":[{"name":"vn1","usecount":2,"vflag":[],"state":"active","size":100,"uvn":{' +
        '"flags":["UVM_VNODE_VALID","UVM_VNODE_CANPERSIST"],"refs":1,"size":100,"nio":0,"npages":1,"pages":[' +
        '{"offset":4096,"flags":["PG_BUSY","PG_CLEAN","PG_FAKE"],"queue":"none","wired":0,"mapped":false,"modified":false}]}}],' +
        '"io":[{"id":1,"thread":"t4","vnode":"vn1","rw":"read","offset":4096,"length":18446744073709547620}]}',
    );
  });

  it('takes a zero-byte short read of the wrapped request: got 0 -> EIO (1264-1265), the page freed (1092-1103)', () => {
    // short:0 is below the length 2^64 - 3996, so the completion is possible (it was refused against -3996).
    const last = wrapped([{ complete: 1, result: 'short:0' }, run('t4')]).at(-1)!;
    expect(stringifyDigest(last)).toBe(
      '{"step":55,"panic":null,"freePages":8,"threads":[' +
        '{"id":"t1","call":"mmap","status":"done","wait":null,"ret":"obj"},' +
        '{"id":"t2","call":"uvn_detach","status":"done","wait":null,"ret":null},' +
        '{"id":"t3","call":"uvm_vnp_setsize","status":"done","wait":null,"ret":null},' +
        '{"id":"t4","call":"fault","status":"done","wait":null,"ret":"VM_PAGER_ERROR"},' +
        '{"id":"t5","call":"uvn_attach","status":"done","wait":null,"ret":"obj"}],' +
        '"vnodes":[{"name":"vn1","usecount":2,"vflag":[],"state":"active","size":100,"uvn":{' +
        '"flags":["UVM_VNODE_VALID","UVM_VNODE_CANPERSIST"],"refs":1,"size":100,"nio":-1,"npages":0,"pages":[]}}],' +
        '"io":[]}',
    );
  });

  it("shows the lab the wrapped length with every digit (the I/O panel's length column)", () => {
    const { engine, refused } = runScenario(
      parse({ machine: { physPages: 8 }, vnodes: [{ name: 'vn1', size: 8192 }] }, wrappedSteps([])),
    );
    expect(refused).toBeNull();
    const io = new SnapshotBuilder(engine.k, engine.model).build(53).io;
    expect(io).toMatchObject([{ id: 1, length: 2 ** 64 - 3996, exactLength: '18446744073709547620' }]);
  });

  it('completes the wrapped request in full: got = wanted, no zero-fill, the fault maps the page', () => {
    const last = wrapped([{ complete: 1, result: 'ok' }, run('t4')]).at(-1)!;
    expect(thread(last, 't4')).toMatchObject({ status: 'done', ret: 'VM_PAGER_OK' });
    expect(vnode(last, 'vn1').uvn.pages).toEqual([
      { offset: 4096, flags: ['PG_CLEAN'], queue: 'active', wired: 0, mapped: true, modified: false },
    ]);
  });
});
