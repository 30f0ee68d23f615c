/**
 * Differences between the OpenBSD model and the kernel around uvm_vnode.c found in review, each pinned by the
 * digest values a person can check against the C (the seed line, or the collaborator in OpenBSD's vfs_subr.c).
 */
import { describe, expect, it } from 'vitest';
import { PagerEngine } from '../src/engine/engine';
import type { OpenBsdDigest } from '../src/engine/openbsd/views';
import { scenarioDigests } from '../src/engine/run-scenario';
import { formatScenarioError, parseScenario } from '../src/scenario/schema';

type Json = Record<string, unknown>;
const sp = (t: string, call: string, args: Json = {}) => ({ spawn: t, call, args });
const run = (t: string) => ({ run: t });
const step = (t: string) => ({ step: t });

function parse(setup: Json, steps: Json[]) {
  const parsed = parseScenario({ format: 'pager-scenario/1', pager: 'openbsd', ...setup, steps });
  if (!parsed.ok) throw new Error(formatScenarioError(parsed.error));
  return parsed.scenario;
}

function play(setup: Json, steps: Json[]) {
  const r = scenarioDigests(parse(setup, steps));
  if (r.refused) throw new Error(`refused at step ${r.refused.step}: ${r.refused.reason}`);
  return r.digests as OpenBsdDigest[];
}

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
