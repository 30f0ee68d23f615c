/**
 * OpenBSD: several disk requests in flight at once, completed in every order. A `complete` only readies the
 * thread that waits for the request and takes the request out of io[]; everything uvn_io does after its
 * VOP_READ/VOP_WRITE (u_nio, the u_nio wakeup, the pages) happens when that thread next runs. Each
 * expectation names the seed lines it was checked against.
 */
import { describe, expect, it } from 'vitest';
import type { OpenBsdDigest } from '../src/engine/openbsd/views';
import { digestsOf, run, sp, type Json } from './play';

const play = (setup: Json, steps: Json[]) => digestsOf('openbsd', setup, steps) as OpenBsdDigest[];
const th = (d: OpenBsdDigest, id: string) => d.threads.find((t) => t.id === id)!;
const uvn = (d: OpenBsdDigest, name: string) => d.vnodes.find((v) => v.name === name)!.uvn;
const pageFlags = (d: OpenBsdDigest, name: string) =>
  Object.fromEntries(uvn(d, name).pages.map((p) => [p.offset / 4096, p.flags.join('|')]));

/** `after` is `before` with request `id` gone from io[] and its waiting thread ready: nothing else moved. */
function expectOnlyReadied(before: OpenBsdDigest, after: OpenBsdDigest, id: number) {
  const req = before.io.find((r) => r.id === id)!;
  const expected = structuredClone(before);
  expected.step = after.step;
  expected.io = before.io.filter((r) => r.id !== id);
  Object.assign(th(expected, req.thread), { status: 'ready', wait: null });
  expect(after).toEqual(expected);
}

const orders = [
  [1, 2, 3],
  [1, 3, 2],
  [2, 1, 3],
  [2, 3, 1],
  [3, 1, 2],
  [3, 2, 1],
];

describe('three faults on three vnodes, their reads completed in every order', () => {
  const setup = { machine: { physPages: 16 }, vnodes: ['vn1', 'vn2', 'vn3'].map((name) => ({ name, size: 12000 })) };
  const start: Json[] = [];
  for (const i of [1, 2, 3]) start.push(sp(`a${i}`, 'uvn_attach', { vnode: `vn${i}`, prot: 'rw' }), run(`a${i}`));
  for (const i of [1, 2, 3])
    start.push(sp(`f${i}`, 'fault', { vnode: `vn${i}`, offset: 4096 * (i - 1), access: 'read' }));
  for (const i of [1, 2, 3]) start.push(run(`f${i}`));
  // Request i is f<i>'s; the results are given in completion order.
  const results = ['eio', 'short:100', 'short:0'];

  for (const order of orders)
    it(`completes ${order.join(', ')}: each step readies only its reader, each run finishes only its own fault`, () => {
      const steps = [...start, ...order.map((n, i) => ({ complete: n, result: results[i] }))];
      for (const n of order) steps.push(run(`f${n}`));
      const d = play(setup, steps);
      const inFlight = d[start.length]!;
      // Three uvn_io's between 1188 (u_nio++) and their VOP_READ: one request each, the last one cut at EOF.
      expect(inFlight.io.map((r) => [r.id, r.thread, r.length])).toEqual([
        [1, 'f1', 4096],
        [2, 'f2', 4096],
        [3, 'f3', 12000 - 8192],
      ]);
      for (const name of ['vn1', 'vn2', 'vn3']) expect(uvn(inFlight, name).nio).toBe(1);
      order.forEach((n, i) => expectOnlyReadied(d[start.length + i]!, d[start.length + i + 1]!, n));
      const last = d.at(-1)!;
      order.forEach((n, i) => {
        // EIO, and 0 of 4096 bytes (1264-1265), are VM_PAGER_ERROR (1294): uvn_get frees the page (1100).
        // 100 bytes are a success: the rest is zero-filled (1266-1267), the page mapped.
        const ok = results[i] === 'short:100';
        expect(th(last, `f${n}`)).toMatchObject({ status: 'done', ret: ok ? 'VM_PAGER_OK' : 'VM_PAGER_ERROR' });
        expect(uvn(last, `vn${n}`).nio).toBe(0);
        expect(pageFlags(last, `vn${n}`)).toEqual(ok ? { [n - 1]: 'PG_CLEAN' } : {});
      });
      expect(last.freePages).toBe(15);
    });
});

describe("uvm_vnp_terminate's flush write and a fault's read in flight on one vnode (VNISLOCKED)", () => {
  // vn1 has two dirty pages. T (vclean) holds the vnode lock and sets VNISLOCKED (470); its flush writes
  // pages 0-1 as one cluster, request 3, with PG_RELEASED (717-718: FREE without SYNCIO). F faults page 2:
  // uvn_io skips vn_lock (1234), so its read, request 4, is in flight beside T's (u_nio 2). G sleeps on
  // page 0 ("uvn_get"), M (msync CLEANIT|SYNCIO) finds busy pages and sleeps "uvn_flush" with IOSYNC
  // (845-847), and H's read meets IOSYNC and sleeps "uvn_iosync" with IOSYNCWANTED (1160-1165).
  const setup = { machine: { physPages: 16 }, vnodes: [{ name: 'vn1', size: 16384 }] };
  const start = [
    sp('a', 'uvn_attach', { vnode: 'vn1', prot: 'rw' }),
    run('a'),
    sp('w0', 'fault', { vnode: 'vn1', offset: 0, access: 'write' }),
    run('w0'),
    { complete: 1, result: 'ok' },
    run('w0'),
    sp('w1', 'fault', { vnode: 'vn1', offset: 4096, access: 'write' }),
    run('w1'),
    { complete: 2, result: 'ok' },
    run('w1'),
    sp('T', 'uvm_vnp_terminate', { vnode: 'vn1' }),
    run('T'),
    sp('F', 'fault', { vnode: 'vn1', offset: 8192, access: 'read' }),
    run('F'),
    sp('G', 'fault', { vnode: 'vn1', offset: 0, access: 'read' }),
    run('G'),
    sp('M', 'uvn_flush', { vnode: 'vn1', flags: ['PGO_CLEANIT', 'PGO_SYNCIO', 'PGO_ALLPAGES'] }),
    run('M'),
    sp('H', 'fault', { vnode: 'vn1', offset: 12288, access: 'read' }),
    run('H'),
  ];
  const statuses = (d: OpenBsdDigest) => d.threads.slice(3).map((t) => `${t.id}:${t.status}:${t.wait ?? t.ret}`);

  it('sets the stage: two requests in flight, u_nio 2, three sleepers', () => {
    const d = play(setup, start).at(-1)!;
    expect(d.io.map((r) => [r.id, r.thread, r.rw, r.offset, r.length])).toEqual([
      [3, 'T', 'write', 0, 8192],
      [4, 'F', 'read', 8192, 4096],
    ]);
    expect(uvn(d, 'vn1')).toMatchObject({ nio: 2 });
    expect(uvn(d, 'vn1').flags).toEqual(expect.arrayContaining(['UVM_VNODE_IOSYNC', 'UVM_VNODE_IOSYNCWANTED']));
    expect(statuses(d)).toEqual([
      'T:io:io:3',
      'F:io:io:4',
      'G:sleep:uvn_get',
      'M:sleep:uvn_flush',
      'H:sleep:uvn_iosync',
    ]);
  });

  it('write first: T brings u_nio to 1 and wakes only G (page 0); F, finishing last, wakes M and T; M wakes H', () => {
    const d = play(setup, [
      ...start,
      { complete: 3, result: 'ok' },
      run('T'),
      { complete: 4, result: 'ok' },
      run('F'),
      run('M'),
    ]);
    const [, afterT, , afterF, afterM] = d.slice(-5) as OpenBsdDigest[];
    // 1277-1279: u_nio 2 -> 1, no wakeup. The flush frees the written pages (794-798 wake G on page 0,
    // 831-833 clean them) and waits on F's busy page 2 ("uvn_flsh", 687-690).
    expect(uvn(afterT!, 'vn1').nio).toBe(1);
    expect(statuses(afterT!)).toEqual([
      'T:sleep:uvn_flsh',
      'F:io:io:4',
      'G:ready:null',
      'M:sleep:uvn_flush',
      'H:sleep:uvn_iosync',
    ]);
    expect(pageFlags(afterT!, 'vn1')).toEqual({
      2: 'PG_BUSY|PG_WANTED|PG_CLEAN|PG_FAKE',
      3: 'PG_BUSY|PG_CLEAN|PG_FAKE',
    });
    // F: u_nio 1 -> 0 with IOSYNC set wakes M on &u_nio (1279); its fault then wakes T on page 2.
    expect(uvn(afterF!, 'vn1').nio).toBe(0);
    expect(th(afterF!, 'M').status).toBe('ready');
    expect(th(afterF!, 'T').status).toBe('ready');
    // M: IOSYNCWANTED wakes &u_flags (850-851), H's channel; both bits cleared (852).
    expect(th(afterM!, 'M')).toMatchObject({ status: 'done', ret: true });
    expect(th(afterM!, 'H').status).toBe('ready');
    expect(uvn(afterM!, 'vn1').flags).not.toContain('UVM_VNODE_IOSYNC');
    expect(uvn(afterM!, 'vn1').flags).not.toContain('UVM_VNODE_IOSYNCWANTED');
  });

  it('read first: F brings u_nio to 1 and wakes no one; T, finishing last, wakes M on u_nio and G on page 0', () => {
    const d = play(setup, [...start, { complete: 4, result: 'ok' }, run('F'), { complete: 3, result: 'ok' }, run('T')]);
    const [, afterF, , afterT] = d.slice(-4) as OpenBsdDigest[];
    expect(uvn(afterF!, 'vn1').nio).toBe(1);
    expect(th(afterF!, 'F')).toMatchObject({ status: 'done', ret: 'VM_PAGER_OK' });
    expect(th(afterF!, 'M').status).toBe('sleep');
    expect(uvn(afterT!, 'vn1').nio).toBe(0);
    // T frees pages 0-1 and the now idle page 2, then waits for H's page 3.
    expect(statuses(afterT!)).toEqual([
      'T:sleep:uvn_flsh',
      'F:done:VM_PAGER_OK',
      'G:ready:null',
      'M:ready:null',
      'H:sleep:uvn_iosync',
    ]);
    expect(pageFlags(afterT!, 'vn1')).toEqual({ 3: 'PG_BUSY|PG_WANTED|PG_CLEAN|PG_FAKE' });
  });
});

describe('uvm_vnp_sync over two vnodes while a fault reads one and an msync waits for it', () => {
  // vn1 has a dirty page, vn2 two. R reads vn2's page 2 (request 4, vn2 locked); M (CLEANIT|SYNCIO over
  // page 2 only) sleeps "uvn_flush" with IOSYNC. S syncs vn1 (request 5), then vn2.
  const setup = {
    machine: { physPages: 16 },
    vnodes: [
      { name: 'vn1', size: 8192 },
      { name: 'vn2', size: 12288 },
    ],
  };
  const start = [
    sp('a1', 'uvn_attach', { vnode: 'vn1', prot: 'rw' }),
    run('a1'),
    sp('w1', 'fault', { vnode: 'vn1', offset: 0, access: 'write' }),
    run('w1'),
    { complete: 1, result: 'ok' },
    run('w1'),
    sp('a2', 'uvn_attach', { vnode: 'vn2', prot: 'rw' }),
    run('a2'),
    sp('w2', 'fault', { vnode: 'vn2', offset: 0, access: 'write' }),
    run('w2'),
    { complete: 2, result: 'ok' },
    run('w2'),
    sp('w3', 'fault', { vnode: 'vn2', offset: 4096, access: 'write' }),
    run('w3'),
    { complete: 3, result: 'ok' },
    run('w3'),
    sp('R', 'fault', { vnode: 'vn2', offset: 8192, access: 'read' }),
    run('R'),
    sp('M', 'uvn_flush', { vnode: 'vn2', flags: ['PGO_CLEANIT', 'PGO_SYNCIO'], start: 8192, stop: 12288 }),
    run('M'),
    sp('S', 'uvm_vnp_sync', {}),
    run('S'),
  ];

  for (const [name, tail] of [
    ['vn1 write first', [{ complete: 5, result: 'ok' }, run('S'), { complete: 4, result: 'ok' }, run('R')]],
    ['vn2 read first', [{ complete: 4, result: 'ok' }, { complete: 5, result: 'ok' }, run('S'), run('R')]],
  ] as const)
    it(`${name}: S's unsynchronised write meets IOSYNC, retries with PGO_SYNCIO and waits; R wakes M, M wakes S`, () => {
      const steps = [...start, ...tail, run('M'), run('S')];
      const d = play(setup, steps);
      // The digest after the first run of `id` from the tail on.
      const after = (id: string) => d[steps.findIndex((s, i) => i >= start.length && 'run' in s && s.run === id) + 1];
      const [slept, afterR, afterM, again] = [after('S'), after('R'), after('M'), d.at(-1)];
      // uvn_io without SYNCIO returns AGAIN under IOSYNC (1161-1162); uvm_pager_put retries pg alone, then
      // uvn_flush adds PGO_SYNCIO (753-758) and the retry sleeps "uvn_iosync" with the cluster busy again.
      expect(th(slept!, 'S')).toMatchObject({ status: 'sleep', wait: 'uvn_iosync' });
      expect(pageFlags(slept!, 'vn2')[0]).toBe('PG_BUSY|PG_CLEANCHK');
      expect(pageFlags(slept!, 'vn2')[1]).toBe('PG_BUSY|PG_CLEANCHK');
      expect(uvn(slept!, 'vn1').nio).toBe(0);
      expect(th(afterR!, 'M').status).toBe('ready');
      expect(th(afterR!, 'S').status).toBe('sleep');
      expect(uvn(afterR!, 'vn2').nio).toBe(0);
      expect(th(afterM!, 'S').status).toBe('ready');
      // Pages 0-1 go out as one cluster, the first request after the wait.
      expect(again!.io).toEqual([{ id: 6, thread: 'S', vnode: 'vn2', rw: 'write', offset: 0, length: 8192 }]);
      expect(uvn(again!, 'vn2').nio).toBe(1);
    });
});
