/**
 * Steps that cannot be read: the wrong shape, a kind mixed with another, thread names, every OpenBSD
 * call's arguments (missing, unknown, of the wrong type, out of range), run/step naming a thread not
 * spawned before, complete ids and results.
 */
import { afterAttach, ATTACH, doc, OPENBSD_CALLS_MESSAGE, PGO_MESSAGE, type HostileCase } from './build';

/** A step error in step `n`: exit 2, nothing printed. */
const bad = (name: string, input: string, n: number, stderr: string): HostileCase => ({
  name,
  input,
  code: 2,
  stderr: `step ${n}: ${stderr}`,
  digests: 0,
});

const spawn = (call: string, args: unknown, id = 't2') => ({ spawn: id, call, args });
/** Step 2 is `spawn t2 call(args)`, after an attach and its run. */
const call2 = (call: string, args: unknown) => afterAttach(spawn(call, args));
const flush = (args: Record<string, unknown>) => call2('uvn_flush', { vnode: 'vn1', flags: ['PGO_CLEANIT'], ...args });
const fault = (args: Record<string, unknown>) => call2('fault', { vnode: 'vn1', offset: 0, access: 'read', ...args });
const complete = (c: unknown) => afterAttach(c);
const raw = (text: string, from: string, to: string) => text.replace(from, to);

const STEP_SHAPE = 'expected a step (an object with one of spawn, run, step or complete)';
const NAME_RULE = 'must match [A-Za-z0-9_.-]{1,64}';
const RESULT_RULE = 'must be "ok", "eio" or "short:B"';

export const STEP_CASES: HostileCase[] = [
  // The list and the shape of a step.
  bad('steps-object', doc([]).replace('"steps":[]', '"steps":{}'), -1, 'steps: expected an array, got an empty object'),
  bad('steps-null', doc([]).replace('"steps":[]', '"steps":null'), -1, 'steps: expected an array, got null'),
  bad(
    'steps-string',
    doc([]).replace('"steps":[]', '"steps":"run t1"'),
    -1,
    'steps: expected an array, got the string "run t1"',
  ),
  bad('step-number', doc([ATTACH, 42]), 1, `${STEP_SHAPE}, got 42`),
  bad('step-array', doc([[]]), 0, `${STEP_SHAPE}, got an empty array`),
  bad('step-null', doc([ATTACH, { run: 't1' }, null]), 2, `${STEP_SHAPE}, got null`),
  bad('step-string', doc(['run t1']), 0, `${STEP_SHAPE}, got the string "run t1"`),
  bad('step-true', doc([true]), 0, `${STEP_SHAPE}, got true`),
  bad('step-empty-object', doc([{}]), 0, `${STEP_SHAPE}, got an empty object`),
  bad('step-unknown-kind', doc([{ go: 't1' }]), 0, 'go: unknown key (a step has one of spawn, run, step or complete)'),
  bad(
    'step-kind-capitalised',
    doc([{ Run: 't1' }]),
    0,
    'Run: unknown key (a step has one of spawn, run, step or complete)',
  ),
  bad('spawn-and-run', doc([{ ...ATTACH, run: 't1' }]), 0, 'run: unknown key'),
  bad('run-and-step', afterAttach({ run: 't1', step: 't1' }), 2, 'step: unknown key'),
  bad('run-and-complete', afterAttach({ run: 't1', complete: 1 }), 2, 'complete: unknown key'),
  bad('complete-and-step', afterAttach({ step: 't1', complete: 1, result: 'ok' }), 2, 'complete: unknown key'),
  // spawn.
  bad('spawn-name-space', doc([{ ...ATTACH, spawn: 't 1' }]), 0, `spawn: ${NAME_RULE}, got the string "t 1"`),
  bad('spawn-name-empty', doc([{ ...ATTACH, spawn: '' }]), 0, `spawn: ${NAME_RULE}, got the string ""`),
  bad('spawn-name-number', doc([{ ...ATTACH, spawn: 1 }]), 0, 'spawn: expected a string, got 1'),
  bad(
    'spawn-name-65',
    doc([{ ...ATTACH, spawn: 't'.repeat(65) }]),
    0,
    'spawn: 65 characters, more than the limit of 64',
  ),
  bad('spawn-name-reused', afterAttach(ATTACH), 2, 'spawn: thread name t1 already used'),
  bad(
    'spawn-name-missing',
    doc([{ call: 'uvn_attach', args: { vnode: 'vn1', prot: 'r' } }]),
    0,
    'spawn: required key missing',
  ),
  bad('spawn-call-missing', doc([{ spawn: 't1', args: {} }]), 0, 'call: required key missing'),
  bad('spawn-args-missing', doc([{ spawn: 't1', call: 'uvm_vnp_sync' }]), 0, 'args: required key missing'),
  bad('spawn-extra-key', doc([{ ...ATTACH, at: 0 }]), 0, 'at: unknown key'),
  bad(
    'call-unknown',
    doc([spawn('uvn_destroy', {}, 't1')]),
    0,
    `call: ${OPENBSD_CALLS_MESSAGE}, got the string "uvn_destroy"`,
  ),
  bad(
    'call-capitalised',
    doc([spawn('UVN_ATTACH', {}, 't1')]),
    0,
    `call: ${OPENBSD_CALLS_MESSAGE}, got the string "UVN_ATTACH"`,
  ),
  bad(
    'call-freebsd-only',
    doc([spawn('vgone', { vnode: 'vn1' }, 't1')]),
    0,
    `call: ${OPENBSD_CALLS_MESSAGE}, got the string "vgone"`,
  ),
  bad('call-number', doc([spawn(5 as unknown as string, {}, 't1')]), 0, `call: ${OPENBSD_CALLS_MESSAGE}, got 5`),
  bad('args-array', doc([spawn('uvm_vnp_sync', [], 't1')]), 0, 'args: expected an object, got an empty array'),
  bad('args-null', doc([spawn('uvm_vnp_sync', null, 't1')]), 0, 'args: expected an object, got null'),
  bad('args-string', doc([spawn('uvn_attach', 'vn1', 't1')]), 0, 'args: expected an object, got the string "vn1"'),
  // uvn_attach and mmap.
  bad('attach-vnode-missing', doc([spawn('uvn_attach', { prot: 'rw' }, 't1')]), 0, 'args.vnode: required key missing'),
  bad('attach-prot-missing', doc([spawn('uvn_attach', { vnode: 'vn1' }, 't1')]), 0, 'args.prot: required key missing'),
  bad(
    'attach-prot-w',
    doc([spawn('uvn_attach', { vnode: 'vn1', prot: 'w' }, 't1')]),
    0,
    'args.prot: must be "r" or "rw", got the string "w"',
  ),
  bad(
    'attach-prot-list',
    doc([spawn('uvn_attach', { vnode: 'vn1', prot: ['r'] }, 't1')]),
    0,
    'args.prot: must be "r" or "rw", got an array',
  ),
  bad(
    'attach-vnode-unknown',
    doc([spawn('uvn_attach', { vnode: 'vn9', prot: 'r' }, 't1')]),
    0,
    'args.vnode: unknown vnode vn9',
  ),
  bad(
    'attach-vnode-number',
    doc([spawn('uvn_attach', { vnode: 1, prot: 'r' }, 't1')]),
    0,
    'args.vnode: expected a string, got 1',
  ),
  bad(
    'attach-vnode-empty',
    doc([spawn('uvn_attach', { vnode: '', prot: 'r' }, 't1')]),
    0,
    `args.vnode: ${NAME_RULE}, got the string ""`,
  ),
  bad(
    'attach-unknown-arg',
    doc([spawn('uvn_attach', { vnode: 'vn1', prot: 'r', shared: true }, 't1')]),
    0,
    'args.shared: unknown key',
  ),
  bad(
    'mmap-shared-string',
    call2('mmap', { vnode: 'vn1', prot: 'rw', shared: 'yes' }),
    2,
    'args.shared: expected true or false, got the string "yes"',
  ),
  bad('mmap-shared-missing', call2('mmap', { vnode: 'vn1', prot: 'rw' }), 2, 'args.shared: required key missing'),
  bad(
    'mmap-shared-number',
    call2('mmap', { vnode: 'vn1', prot: 'r', shared: 0 }),
    2,
    'args.shared: expected true or false, got 0',
  ),
  bad(
    'mmap-length-is-freebsd',
    call2('mmap', { vnode: 'vn1', prot: 'r', shared: true, length: 4096 }),
    2,
    'args.length: unknown key',
  ),
  // The calls that take only a vnode.
  bad('reference-extra-prot', call2('uvn_reference', { vnode: 'vn1', prot: 'r' }), 2, 'args.prot: unknown key'),
  bad('detach-vnode-missing', call2('uvn_detach', {}), 2, 'args.vnode: required key missing'),
  bad(
    'terminate-vnode-array',
    call2('uvm_vnp_terminate', { vnode: ['vn1'] }),
    2,
    'args.vnode: expected a string, got an array',
  ),
  bad('uncache-vnode-number', call2('uvm_vnp_uncache', { vnode: 0 }), 2, 'args.vnode: expected a string, got 0'),
  bad('vref-extra-arg', call2('vref', { vnode: 'vn1', count: 2 }), 2, 'args.count: unknown key'),
  bad('vrele-vnode-unknown', call2('vrele', { vnode: 'vn2' }), 2, 'args.vnode: unknown vnode vn2'),
  bad('recycle-vnode-missing', call2('recycle', {}), 2, 'args.vnode: required key missing'),
  bad('revoke-vnode-null', call2('revoke', { vnode: null }), 2, 'args.vnode: expected a string, got null'),
  // uvn_flush.
  bad('flush-flags-missing', call2('uvn_flush', { vnode: 'vn1' }), 2, 'args.flags: required key missing'),
  bad(
    'flush-flags-string',
    flush({ flags: 'PGO_CLEANIT' }),
    2,
    'args.flags: expected an array, got the string "PGO_CLEANIT"',
  ),
  bad(
    'flush-flags-unknown',
    flush({ flags: ['PGO_CLEANIT', 'PGO_BOGUS'] }),
    2,
    `args.flags[1]: ${PGO_MESSAGE}, got the string "PGO_BOGUS"`,
  ),
  bad('flush-flags-number', flush({ flags: [1] }), 2, `args.flags[0]: ${PGO_MESSAGE}, got 1`),
  bad(
    'flush-flags-lowercase',
    flush({ flags: ['pgo_cleanit'] }),
    2,
    `args.flags[0]: ${PGO_MESSAGE}, got the string "pgo_cleanit"`,
  ),
  bad(
    'flush-flags-twice',
    flush({ flags: ['PGO_CLEANIT', 'PGO_CLEANIT'] }),
    2,
    'args.flags[1]: PGO_CLEANIT is listed twice: flags must be distinct',
  ),
  bad(
    'flush-flags-eleven',
    flush({ flags: Array(11).fill('PGO_FREE') }),
    2,
    'args.flags: 11 entries, more than the limit of 10',
  ),
  bad('flush-flags-bitmask', flush({ flags: 0x15 }), 2, 'args.flags: expected an array, got 21'),
  bad('flush-start-false', flush({ start: false }), 2, 'args.start: expected a non-negative integer, got false'),
  bad('flush-start-negative', flush({ start: -4096 }), 2, 'args.start: expected a non-negative integer, got -4096'),
  bad(
    'flush-start-string',
    flush({ start: '0' }),
    2,
    'args.start: expected a non-negative integer, got the string "0"',
  ),
  bad('flush-stop-fraction', flush({ stop: 0.5 }), 2, 'args.stop: expected a non-negative integer, got 0.5'),
  bad('flush-stop-null', flush({ stop: null }), 2, 'args.stop: expected a non-negative integer, got null'),
  bad(
    'flush-stop-huge-exponent',
    raw(flush({ stop: 1 }), '"stop":1', '"stop":1e400'),
    2,
    'args.stop: must be at most 2^53 - 1, got 1e400',
  ),
  bad(
    'flush-stop-2-pow-53',
    raw(flush({ stop: 1 }), '"stop":1', '"stop":9007199254740992'),
    2,
    'args.stop: must be at most 2^53 - 1, got 9007199254740992',
  ),
  bad('flush-vnode-unknown', flush({ vnode: 'vn0' }), 2, 'args.vnode: unknown vnode vn0'),
  // fault.
  bad('fault-offset-unaligned', fault({ offset: 100 }), 2, 'args.offset: must be page-aligned (a multiple of 4096)'),
  bad('fault-offset-negative', fault({ offset: -4096 }), 2, 'args.offset: expected a non-negative integer, got -4096'),
  bad(
    'fault-offset-2-pow-53',
    raw(fault({}), '"offset":0', '"offset":9007199254740992'),
    2,
    'args.offset: must be at most 2^53 - 1, got 9007199254740992',
  ),
  bad('fault-offset-missing', call2('fault', { vnode: 'vn1', access: 'read' }), 2, 'args.offset: required key missing'),
  bad(
    'fault-offset-string',
    fault({ offset: '0x1000' }),
    2,
    'args.offset: expected a non-negative integer, got the string "0x1000"',
  ),
  bad(
    'fault-access-exec',
    fault({ access: 'exec' }),
    2,
    'args.access: must be "read" or "write", got the string "exec"',
  ),
  bad('fault-access-missing', call2('fault', { vnode: 'vn1', offset: 0 }), 2, 'args.access: required key missing'),
  bad('fault-access-boolean', fault({ access: true }), 2, 'args.access: must be "read" or "write", got true'),
  bad('fault-freebsd-mapping-arg', fault({ mapping: 't1' }), 2, 'args.mapping: unknown key'),
  // uvm_vnp_setsize and uvm_vnp_sync.
  bad('setsize-size-missing', call2('uvm_vnp_setsize', { vnode: 'vn1' }), 2, 'args.size: required key missing'),
  bad(
    'setsize-size-negative',
    call2('uvm_vnp_setsize', { vnode: 'vn1', size: -1 }),
    2,
    'args.size: expected a non-negative integer, got -1',
  ),
  bad(
    'setsize-size-string',
    call2('uvm_vnp_setsize', { vnode: 'vn1', size: '0' }),
    2,
    'args.size: expected a non-negative integer, got the string "0"',
  ),
  bad('sync-mount-unknown', call2('uvm_vnp_sync', { mount: 'm9' }), 2, 'args.mount: unknown mount m9'),
  bad('sync-mount-number', call2('uvm_vnp_sync', { mount: 1 }), 2, 'args.mount: expected a string, got 1'),
  bad('sync-vnode-arg', call2('uvm_vnp_sync', { vnode: 'vn1' }), 2, 'args.vnode: unknown key'),
  // run and step name a thread spawned before them.
  bad('run-unknown-thread', afterAttach({ run: 't9' }), 2, 'run: unknown thread t9 (not spawned before this step)'),
  bad('run-before-spawn', doc([{ run: 't1' }, ATTACH]), 0, 'run: unknown thread t1 (not spawned before this step)'),
  bad('step-before-spawn', doc([{ step: 't1' }, ATTACH]), 0, 'step: unknown thread t1 (not spawned before this step)'),
  bad('run-number', afterAttach({ run: 1 }), 2, 'run: expected a string, got 1'),
  bad('run-empty-name', afterAttach({ run: '' }), 2, `run: ${NAME_RULE}, got the string ""`),
  bad('run-list', afterAttach({ run: ['t1'] }), 2, 'run: expected a string, got an array'),
  bad('step-null-name', afterAttach({ step: null }), 2, 'step: expected a string, got null'),
  bad('run-extra-key', afterAttach({ run: 't1', until: 'io' }), 2, 'until: unknown key'),
  bad('run-names-a-vnode', afterAttach({ run: 'vn1' }), 2, 'run: unknown thread vn1 (not spawned before this step)'),
  // complete.
  bad('complete-zero', complete({ complete: 0, result: 'ok' }), 2, 'complete: request ids start at 1'),
  bad(
    'complete-negative',
    complete({ complete: -1, result: 'ok' }),
    2,
    'complete: expected a non-negative integer, got -1',
  ),
  bad(
    'complete-string',
    complete({ complete: '1', result: 'ok' }),
    2,
    'complete: expected a non-negative integer, got the string "1"',
  ),
  bad(
    'complete-point-zero',
    raw(complete({ complete: 1, result: 'ok' }), '"complete":1', '"complete":1.0'),
    2,
    'complete: expected a non-negative integer written in plain digits (no fraction or exponent), got 1.0',
  ),
  bad(
    'complete-2-pow-31',
    complete({ complete: 2 ** 31, result: 'ok' }),
    2,
    'complete: must be at most 2^31 - 1, got 2147483648',
  ),
  bad('complete-result-missing', complete({ complete: 1 }), 2, 'result: required key missing'),
  bad('complete-id-missing', complete({ result: 'ok' }), 2, 'complete: required key missing'),
  bad('result-uppercase', complete({ complete: 1, result: 'OK' }), 2, `result: ${RESULT_RULE}, got the string "OK"`),
  bad(
    'result-eagain',
    complete({ complete: 1, result: 'eagain' }),
    2,
    `result: ${RESULT_RULE}, got the string "eagain"`,
  ),
  bad(
    'result-short-empty',
    complete({ complete: 1, result: 'short:' }),
    2,
    `result: ${RESULT_RULE}, got the string "short:"`,
  ),
  bad(
    'result-short-negative',
    complete({ complete: 1, result: 'short:-1' }),
    2,
    `result: ${RESULT_RULE}, got the string "short:-1"`,
  ),
  bad(
    'result-short-leading-zero',
    complete({ complete: 1, result: 'short:01' }),
    2,
    `result: ${RESULT_RULE}, got the string "short:01"`,
  ),
  bad(
    'result-short-fraction',
    complete({ complete: 1, result: 'short:1.5' }),
    2,
    `result: ${RESULT_RULE}, got the string "short:1.5"`,
  ),
  bad(
    'result-short-space',
    complete({ complete: 1, result: 'short: 1' }),
    2,
    `result: ${RESULT_RULE}, got the string "short: 1"`,
  ),
  bad(
    'result-short-overflow',
    complete({ complete: 1, result: 'short:99999999999999999999999' }),
    2,
    'result: B in short:B must be at most 2^53 - 1, got 99999999999999999999999',
  ),
  bad(
    'result-short-2-pow-53',
    complete({ complete: 1, result: 'short:9007199254740992' }),
    2,
    'result: B in short:B must be at most 2^53 - 1, got 9007199254740992',
  ),
  bad('result-number', complete({ complete: 1, result: 1 }), 2, 'result: expected a string, got 1'),
  bad(
    'result-65-characters',
    complete({ complete: 1, result: `short:${'1'.repeat(59)}` }),
    2,
    'result: 65 characters, more than the limit of 64',
  ),
  bad('result-object', complete({ complete: 1, result: { short: 1 } }), 2, 'result: expected a string, got an object'),
  bad('complete-extra-key', complete({ complete: 1, result: 'ok', thread: 't1' }), 2, 'thread: unknown key'),
  // The first bad step is the one named, even deep in a long list.
  bad(
    'bad-step-after-many-good-ones',
    doc([ATTACH, ...Array.from({ length: 5000 }, () => ({ step: 't1' })), { run: 't2' }]),
    5001,
    'run: unknown thread t2 (not spawned before this step)',
  ),
];
