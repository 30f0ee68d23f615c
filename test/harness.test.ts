/**
 * The ScenarioHarness (src/engine/explore/harness.ts), and a few library stories told through it: where the
 * library checks every digest against a golden file, these say in the test what a person watching would
 * check at each point, and that the harness's scenario is the library's (same final digest).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { harness, HarnessError, type ScenarioHarness } from '../src/engine/explore/harness';

const ONE_PAGE = { machine: { physPages: 8 }, vnodes: [{ name: 'vn1', size: 4096 }] };

/** The library's last digest of `name`, and the harness's, must be the same line. */
function sameAsLibrary(h: ScenarioHarness, name: string): void {
  const lines = readFileSync(`scenarios/${name}.digests.jsonl`, 'utf8').trim().split('\n');
  const library = JSON.parse(readFileSync(`scenarios/${name}.json`, 'utf8')) as { steps: unknown[] };
  expect(h.steps).toEqual(library.steps);
  expect(JSON.stringify(h.digest())).toBe(lines.at(-1));
}

const vn1 = (uvn: Record<string, unknown>) => ({ vnodes: [{ name: 'vn1', uvn }] });
const page0 = (flags: string[]) => vn1({ pages: [{ offset: 0, flags }] });

describe('ScenarioHarness', () => {
  it('drives the engine step by step and checks threads and the digest', () => {
    const h = harness(ONE_PAGE)
      .spawn('t1', 'uvn_attach', { vnode: 'vn1', prot: 'rw' })
      .expectThread('t1', { status: 'ready', ret: null })
      .run('t1')
      .expectThread('t1', { call: 'uvn_attach', status: 'done', ret: 'obj' })
      .expectDigest({
        step: 1,
        panic: null,
        ...vn1({ refs: 1, flags: ['UVM_VNODE_VALID', 'UVM_VNODE_CANPERSIST', 'UVM_VNODE_WRITEABLE'] }),
      });
    expect(h.steps).toEqual([{ spawn: 't1', call: 'uvn_attach', args: { vnode: 'vn1', prot: 'rw' } }, { run: 't1' }]);
    expect(h.scenario().pager).toBe('openbsd');
  });

  it('says which steps are refused, and why, without changing anything', () => {
    harness(ONE_PAGE)
      .spawn('t1', 'uvn_attach', { vnode: 'vn1', prot: 'r' })
      .run('t1')
      .expectRefused({ run: 't1' }, 'thread t1 is done')
      .expectRefused({ complete: 1, result: 'ok' }, /not in flight/)
      .expectRefused({ spawn: 't2', call: 'recycle', args: { vnode: 'vn1' } }, /needs a free vnode/)
      .expectDigest({ step: 1 });
  });

  it('fails with what differed and the scenario so far', () => {
    const h = harness(ONE_PAGE).spawn('t1', 'uvn_attach', { vnode: 'vn1', prot: 'r' }).run('t1');
    expect(() => h.expectThread('t1', { ret: 'NULL' })).toThrow(HarnessError);
    expect(() => h.expectThread('t1', { ret: 'NULL' })).toThrow(/thread t1\.ret is "obj", expected "NULL"/);
    expect(() => h.expectDigest(vn1({ refs: 2 }))).toThrow(/digest\.vnodes\[0\]\.uvn\.refs is 1, expected 2/);
    expect(() => h.expectDigest(vn1({ pages: [{}] }))).toThrow(/has 0 entries, expected 1/);
    expect(() => h.run('t1')).toThrow(/run t1 was refused: thread t1 is done/);
    expect(() => h.expectRefused({ spawn: 't2', call: 'vref', args: { vnode: 'vn1' } })).toThrow(/was accepted/);
    expect(() => h.expectPanic(/./)).toThrow(/panic is null/);
    expect(() => h.expectThread('t9', {})).toThrow(
      /no thread t9\n {2}after: spawn t1 uvn_attach, run t1, spawn t2 vref\n {2}scenario: \{"format":"pager-scenario\/1"/,
    );
  });
});

describe('library stories through the harness', () => {
  it('two threads fault the same page: the second sleeps on it until the first unbusies it', () => {
    const h = harness(ONE_PAGE)
      .spawn('t1', 'uvn_attach', { vnode: 'vn1', prot: 'rw' })
      .run('t1')
      .spawn('t2', 'fault', { vnode: 'vn1', offset: 0, access: 'read' })
      .run('t2')
      .expectThread('t2', { status: 'io', wait: 'io:1' })
      .expectDigest({
        io: [{ id: 1, thread: 't2', rw: 'read', offset: 0, length: 4096 }],
        ...page0(['PG_BUSY', 'PG_CLEAN', 'PG_FAKE']),
      })
      .spawn('t3', 'fault', { vnode: 'vn1', offset: 0, access: 'write' })
      .run('t3')
      .expectThread('t3', { status: 'sleep', wait: 'uvn_get' })
      .expectDigest(page0(['PG_BUSY', 'PG_WANTED', 'PG_CLEAN', 'PG_FAKE']))
      .complete(1, 'ok')
      .expectThread('t2', { status: 'ready' })
      .expectThread('t3', { status: 'sleep', wait: 'uvn_get' })
      .run('t2')
      .expectThread('t2', { status: 'done', ret: 'VM_PAGER_OK' })
      .expectThread('t3', { status: 'ready' })
      .step('t3', 3)
      .run('t3')
      .expectThread('t3', { status: 'done', ret: 'VM_PAGER_OK' })
      .expectDigest({
        io: [],
        ...vn1({ nio: 0, pages: [{ offset: 0, queue: 'active', mapped: true, modified: true }] }),
      });
    sameAsLibrary(h, 'two-threads-fault-same-page');
  });

  it('a second attach waits on ALOCK and takes the valid path once woken', () => {
    const h = harness(ONE_PAGE)
      .spawn('t1', 'uvn_attach', { vnode: 'vn1', prot: 'rw' })
      .step('t1', 8)
      .expectDigest(vn1({ flags: [] }))
      .step('t1')
      .expectDigest(vn1({ flags: ['UVM_VNODE_ALOCK'] }))
      .spawn('t2', 'uvn_attach', { vnode: 'vn1', prot: 'r' })
      .run('t2')
      .expectThread('t2', { status: 'sleep', wait: 'uvn_attach' })
      .expectDigest(vn1({ flags: ['UVM_VNODE_ALOCK', 'UVM_VNODE_WANTED'] }))
      .run('t1')
      .expectThread('t1', { status: 'done', ret: 'obj' })
      .expectThread('t2', { status: 'ready' })
      .run('t2')
      .expectThread('t2', { status: 'done', ret: 'obj' })
      .expectDigest({ vnodes: [{ usecount: 2, uvn: { refs: 2 } }] });
    sameAsLibrary(h, 'attach-waits-on-alock');
  });

  it('a detach without a reference, then an attach, fails the KASSERT at line 235', () => {
    const h = harness(ONE_PAGE)
      .spawn('t1', 'uvn_detach', { vnode: 'vn1' })
      .run('t1')
      .expectDigest(vn1({ refs: -1 }))
      .spawn('t2', 'uvn_attach', { vnode: 'vn1', prot: 'r' })
      .run('t2')
      .expectPanic('kernel diagnostic assertion "uvn->u_obj.uo_refs == 0" failed: file "sys/uvm/uvm_vnode.c", line 235')
      .expectThread('t2', { status: 'ready' })
      .expectRefused({ run: 't2' }, /the kernel has panicked/);
    sameAsLibrary(h, 'detach-without-reference-then-attach-kassert');
  });

  it('msync with SYNCIO|NOWAIT meets a locked vnode: AGAIN, then the SYNCIO panic', () => {
    const h = harness({ machine: { physPages: 8 }, vnodes: [{ name: 'vn1', size: 8192 }] })
      .spawn('t1', 'uvn_attach', { vnode: 'vn1', prot: 'rw' })
      .run('t1')
      .spawn('t2', 'fault', { vnode: 'vn1', offset: 0, access: 'write' })
      .run('t2')
      .complete(1)
      .run('t2')
      .spawn('t3', 'fault', { vnode: 'vn1', offset: 4096, access: 'read' })
      .run('t3')
      .expectThread('t3', { status: 'io', wait: 'io:2' })
      .spawn('t4', 'uvn_flush', {
        vnode: 'vn1',
        flags: ['PGO_CLEANIT', 'PGO_SYNCIO', 'PGO_NOWAIT'],
        start: 0,
        stop: 4096,
      })
      .run('t4')
      .expectPanic("uvn_flush: PGO_SYNCIO return 'try again' error (impossible)")
      .expectThread('t4', { status: 'ready' })
      .expectDigest({ io: [{ id: 2 }], ...vn1({ nio: 1 }) });
    sameAsLibrary(h, 'msync-nowait-syncio-again-panics');
  });
});
