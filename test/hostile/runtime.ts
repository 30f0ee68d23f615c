/**
 * Steps that read well but are impossible when they come (the digests before them are printed), the
 * limits checked before any work, and valid scenarios at the edges that must run.
 */
import { afterAttach, ATTACH, doc, FORMAT, type HostileCase } from './build';

/** An impossible step `n`: exit 2 after the digests of the setup and of the `n` steps before it. */
const impossible = (name: string, input: string, n: number, reason: string): HostileCase => ({
  name,
  input,
  code: 2,
  stderr: `step ${n}: ${reason}`,
  digests: n + 1,
});

const readFault = { spawn: 't2', call: 'fault', args: { vnode: 'vn1', offset: 0, access: 'read' } };
const free = (steps: unknown[]) => doc(steps, { vnodes: [{ name: 'vn1', size: 16384, usecount: 0 }] });
const KASSERT_235 =
  'kernel diagnostic assertion "uvn->u_obj.uo_refs == 0" failed: file "sys/uvm/uvm_vnode.c", line 235';
/** uvn_detach without a reference, then an attach: the attach panics (a library scenario). */
const panicking = [
  { spawn: 't1', call: 'uvn_detach', args: { vnode: 'vn1' } },
  { run: 't1' },
  { spawn: 't2', call: 'uvn_attach', args: { vnode: 'vn1', prot: 'r' } },
  { run: 't2' },
];

/** Faults on `n` pages of a 1 GiB file with `physPages` free pages: 2 + 2n steps, n pages it may bring in. */
function manyFaults(n: number, physPages: number): string {
  const steps: unknown[] = [ATTACH, { run: 't1' }];
  for (let i = 0; i < n; i++)
    steps.push(
      { spawn: `f${i}`, call: 'fault', args: { vnode: 'vn1', offset: i * 4096, access: 'read' } },
      { run: `f${i}` },
    );
  return doc(steps, { machine: { physPages }, vnodes: [{ name: 'vn1', size: 2 ** 30 }] });
}

export const RUNTIME_CASES: HostileCase[] = [
  impossible('run-a-done-thread', afterAttach({ run: 't1' }), 2, 'thread t1 is done'),
  impossible('step-a-done-thread', afterAttach({ step: 't1' }), 2, 'thread t1 is done'),
  impossible(
    'run-a-thread-waiting-for-io',
    afterAttach(readFault, { run: 't2' }, { run: 't2' }),
    4,
    'thread t2 is blocked (io io:1)',
  ),
  impossible('complete-before-any-io', doc([{ complete: 1, result: 'ok' }]), 0, 'request 1 is not in flight'),
  impossible(
    'complete-a-later-request',
    afterAttach(readFault, { run: 't2' }, { complete: 2, result: 'ok' }),
    4,
    'request 2 is not in flight',
  ),
  impossible(
    'complete-twice',
    afterAttach(readFault, { run: 't2' }, { complete: 1, result: 'ok' }, { complete: 1, result: 'eio' }),
    5,
    'request 1 is not in flight',
  ),
  impossible(
    'short-of-the-whole-length',
    afterAttach(readFault, { run: 't2' }, { complete: 1, result: 'short:4096' }),
    4,
    "short:4096 needs fewer bytes than the request's length 4096",
  ),
  impossible(
    'short-beyond-the-length',
    afterAttach(readFault, { run: 't2' }, { complete: 1, result: 'short:9007199254740991' }),
    4,
    "short:9007199254740991 needs fewer bytes than the request's length 4096",
  ),
  impossible(
    'run-after-a-panic',
    doc([...panicking, { run: 't1' }], { vnodes: [{ name: 'vn1', size: 4096 }] }),
    4,
    `the kernel has panicked: ${KASSERT_235}`,
  ),
  impossible(
    'spawn-after-a-panic',
    doc([...panicking, { spawn: 't3', call: 'uvm_vnp_sync', args: {} }], { vnodes: [{ name: 'vn1', size: 4096 }] }),
    4,
    `the kernel has panicked: ${KASSERT_235}`,
  ),
  impossible(
    'complete-after-a-panic',
    doc([...panicking, { complete: 1, result: 'ok' }], { vnodes: [{ name: 'vn1', size: 4096 }] }),
    4,
    `the kernel has panicked: ${KASSERT_235}`,
  ),
  impossible(
    'vref-of-a-dead-vnode',
    doc([
      { spawn: 't1', call: 'revoke', args: { vnode: 'vn1' } },
      { run: 't1' },
      { spawn: 't2', call: 'vref', args: { vnode: 'vn1' } },
    ]),
    2,
    'vref of dead vnode vn1',
  ),
  impossible(
    'recycle-an-active-vnode',
    doc([{ spawn: 't1', call: 'recycle', args: { vnode: 'vn1' } }]),
    0,
    'recycle needs a free vnode; vn1 is active',
  ),
  impossible(
    'revoke-a-free-vnode',
    free([{ spawn: 't1', call: 'revoke', args: { vnode: 'vn1' } }]),
    0,
    'revoke needs an active vnode; vn1 is free',
  ),
  impossible(
    'vrele-once-too-often',
    doc([
      { spawn: 't1', call: 'vrele', args: { vnode: 'vn1' } },
      { spawn: 't2', call: 'vrele', args: { vnode: 'vn1' } },
    ]),
    1,
    'vrele: every open of vn1 has already been released',
  ),
  impossible(
    'vrele-of-a-free-vnode',
    free([{ spawn: 't1', call: 'vrele', args: { vnode: 'vn1' } }]),
    0,
    'vrele: every open of vn1 has already been released',
  ),
  impossible(
    'attach-a-recycled-vnode',
    free([{ spawn: 't1', call: 'recycle', args: { vnode: 'vn1' } }, { run: 't1' }, { ...ATTACH, spawn: 't2' }]),
    2,
    'vnode vn1 has been recycled',
  ),
  impossible(
    'fault-on-a-recycled-vnode',
    free([{ spawn: 't1', call: 'recycle', args: { vnode: 'vn1' } }, { run: 't1' }, readFault]),
    2,
    'vnode vn1 has been recycled',
  ),
  // Limits checked before any work starts.
  {
    name: 'file-over-16-mib',
    input: () => `${' '.repeat(17_000_000 - 2)}{}`,
    code: 2,
    stderr: 'step -1: the scenario file is 17,000,000 bytes, more than the limit of 16,777,216',
    digests: 0,
  },
  {
    name: 'steps-over-200000',
    input: () => doc([ATTACH, ...Array.from({ length: 200_000 }, () => ({ step: 't1' }))]),
    code: 2,
    stderr: 'step -1: steps: 200,001 entries, more than the limit of 200,000',
    digests: 0,
  },
  {
    name: 'a-million-and-one-empty-steps',
    input: () => doc([]).replace('"steps":[]', `"steps":[${'{},'.repeat(1_000_000)}{}]`),
    code: 2,
    stderr:
      'step -1: the scenario holds more than 1,000,000 JSON values (objects, lists, strings, numbers, true, false, null), the limit',
    digests: 0,
  },
  {
    name: 'five-million-numbers-in-a-title',
    input: () => doc([]).replace('"steps":[]', `"title":[${'0,'.repeat(5_000_000)}0],"steps":[]`),
    code: 2,
    stderr:
      'step -1: the scenario holds more than 1,000,000 JSON values (objects, lists, strings, numbers, true, false, null), the limit',
    digests: 0,
  },
  {
    name: 'sixteen-mib-of-empty-lists',
    input: () => `[${'[],'.repeat(5_592_000)}[]]`,
    code: 2,
    stderr:
      'step -1: the scenario holds more than 1,000,000 JSON values (objects, lists, strings, numbers, true, false, null), the limit',
    digests: 0,
  },
  {
    name: 'a-bad-last-step-after-199999',
    input: () => doc([ATTACH, ...Array.from({ length: 199_998 }, () => ({ step: 't1' })), { run: 't9' }]),
    code: 2,
    stderr: 'step 199999: run: unknown thread t9 (not spawned before this step)',
    digests: 0,
  },
  {
    name: 'page-steps-over-the-work-limit',
    input: () => manyFaults(20_000, 100_000),
    code: 2,
    stderr:
      'step -1: steps: 40,002 steps with up to 20,000 resident pages is 800,040,000 page-steps of work, more than the limit of 250,000,000',
    digests: 0,
  },
  // Valid at the edges: these run.
  { name: 'valid-many-faults-few-pages', input: () => manyFaults(500, 64), code: 0, stderr: '', digests: 1003 },
  {
    name: 'valid-panic-in-the-last-step',
    input: doc(panicking, { vnodes: [{ name: 'vn1', size: 4096 }] }),
    code: 0,
    stderr: '',
    digests: 5,
  },
  {
    name: 'valid-empty-flags',
    input: afterAttach({ spawn: 't2', call: 'uvn_flush', args: { vnode: 'vn1', flags: [] } }, { run: 't2' }),
    code: 0,
    stderr: '',
    digests: 5,
  },
  {
    name: 'valid-fault-at-the-last-page-of-2-pow-53',
    input: doc(
      [
        ATTACH,
        { run: 't1' },
        { ...readFault, args: { ...readFault.args, offset: 2 ** 53 - 4096 } },
        { run: 't2' },
        { complete: 1, result: 'short:4094' },
        { run: 't2' },
      ],
      {
        vnodes: [{ name: 'vn1', size: 2 ** 53 - 1 }],
      },
    ),
    code: 0,
    stderr: '',
    digests: 7,
  },
  {
    name: 'valid-flush-and-sync-of-2-pow-53-bytes',
    input: doc(
      [
        ATTACH,
        { run: 't1' },
        {
          spawn: 't2',
          call: 'uvn_flush',
          args: { vnode: 'vn1', flags: ['PGO_CLEANIT', 'PGO_SYNCIO', 'PGO_FREE', 'PGO_ALLPAGES'] },
        },
        { run: 't2' },
        { spawn: 't3', call: 'uvm_vnp_sync', args: {} },
        { run: 't3' },
        { spawn: 't4', call: 'uvm_vnp_setsize', args: { vnode: 'vn1', size: 0 } },
        { run: 't4' },
      ],
      { vnodes: [{ name: 'vn1', size: 2 ** 53 - 1 }] },
    ),
    code: 0,
    stderr: '',
    digests: 9,
  },
  {
    name: 'valid-every-format-key',
    input: JSON.stringify({
      format: FORMAT,
      pager: 'openbsd',
      title: 't',
      machine: { physPages: 0 },
      vnodes: [{ name: 'vn1', size: 0, type: 'VBLK', mount: 'm.2', usecount: 0, vtext: true }],
      steps: [],
    }),
    code: 0,
    stderr: '',
    digests: 1,
  },
];
