/**
 * The setup (step -1): format, pager, title, machine, mounts, vnodes: every key missing, of the wrong
 * type, out of range, unknown, and the setup limits.
 */
import { doc, FORMAT, VN1, type HostileCase } from './build';

/** A setup error: exit 2, nothing printed, `step -1: …`. */
const bad = (name: string, input: string | (() => string), stderr: string): HostileCase => ({
  name,
  input,
  code: 2,
  stderr: `step -1: ${stderr}`,
  digests: 0,
});

const V = (over: Record<string, unknown>) => doc([], over);
const without = (key: string) => {
  const o: Record<string, unknown> = { format: FORMAT, pager: 'openbsd', vnodes: [VN1], steps: [] };
  delete o[key];
  return JSON.stringify(o);
};
const vnode = (over: Record<string, unknown>) => V({ vnodes: [{ ...VN1, ...over }] });
const vnodeWithout = (key: 'name' | 'size') => {
  const v: Record<string, unknown> = { ...VN1 };
  delete v[key];
  return V({ vnodes: [v] });
};
const machine = (m: unknown) => V({ machine: m });
const physPages = (raw: string) => V({ machine: { physPages: 1 } }).replace('"physPages":1', `"physPages":${raw}`);
const sizeRaw = (raw: string) => V({}).replace('"size":16384', `"size":${raw}`);

const NAME_RULE = 'must match [A-Za-z0-9_.-]{1,64}';

export const SETUP_CASES: HostileCase[] = [
  // format and pager.
  bad('format-missing', without('format'), 'format: required key missing'),
  bad(
    'format-version-2',
    V({ format: 'pager-scenario/2' }),
    'format: must be "pager-scenario/1", got the string "pager-scenario/2"',
  ),
  bad('format-number', V({ format: 1 }), 'format: must be "pager-scenario/1", got 1'),
  // Another format is named before its keys are read: they are another format's keys.
  bad(
    'format-of-a-challenge-solution',
    JSON.stringify({ format: 'pager-solution/1', challenge: 'wanted-sleeper', steps: [] }),
    'format: must be "pager-scenario/1", got the string "pager-solution/1" (a challenge solution: the grader reads it, npm run grade)',
  ),
  // A session saved by the lab (no format): said for what it is.
  bad(
    'a-saved-lab-session',
    JSON.stringify({ scenario: JSON.parse(V({})), cursor: 0 }),
    'scenario: unknown key (a saved lab session, not a scenario: its "scenario" field holds one)',
  ),
  bad('format-null', V({ format: null }), 'format: must be "pager-scenario/1", got null'),
  bad('format-object', V({ format: { version: 1 } }), 'format: must be "pager-scenario/1", got an object'),
  bad('pager-missing', without('pager'), 'pager: required key missing'),
  bad('pager-unknown', V({ pager: 'netbsd' }), 'pager: must be "openbsd" or "freebsd", got the string "netbsd"'),
  bad('pager-capitalised', V({ pager: 'OpenBSD' }), 'pager: must be "openbsd" or "freebsd", got the string "OpenBSD"'),
  bad('pager-number', V({ pager: 7 }), 'pager: must be "openbsd" or "freebsd", got 7'),
  bad('pager-list', V({ pager: ['openbsd'] }), 'pager: must be "openbsd" or "freebsd", got an array'),
  bad('vnodes-missing', without('vnodes'), 'vnodes: required key missing'),
  bad('steps-missing', without('steps'), 'steps: required key missing'),
  bad('unknown-top-level-key', V({ version: 1 }), 'version: unknown key'),
  bad(
    'unknown-key-before-missing-one',
    JSON.stringify({ format: FORMAT, pager: 'openbsd', vnodes: [], step: [] }),
    'step: unknown key',
  ),
  // title.
  bad('title-number', V({ title: 42 }), 'title: expected a string, got 42'),
  bad('title-null', V({ title: null }), 'title: expected a string, got null'),
  bad('title-4001-characters', V({ title: 't'.repeat(4001) }), 'title: 4,001 characters, more than the limit of 4,000'),
  bad(
    'title-ten-million-characters',
    () => V({ title: 't'.repeat(10_000_000) }),
    'title: 10,000,000 characters, more than the limit of 4,000',
  ),
  // machine.
  bad('machine-array', machine([]), 'machine: expected an object, got an empty array'),
  bad('machine-number', machine(64), 'machine: expected an object, got 64'),
  bad('machine-unknown-key', machine({ pages: 64 }), 'machine.pages: unknown key'),
  bad('machine-freebsd-key-in-openbsd', machine({ pbufs: 8 }), 'machine.pbufs: unknown key'),
  bad('physpages-negative', physPages('-1'), 'machine.physPages: expected a non-negative integer, got -1'),
  bad('physpages-fraction', physPages('1.5'), 'machine.physPages: expected a non-negative integer, got 1.5'),
  bad('physpages-string', physPages('"64"'), 'machine.physPages: expected a non-negative integer, got the string "64"'),
  bad('physpages-boolean', physPages('true'), 'machine.physPages: expected a non-negative integer, got true'),
  bad('physpages-null', physPages('null'), 'machine.physPages: expected a non-negative integer, got null'),
  bad('physpages-2-pow-31', physPages('2147483648'), 'machine.physPages: must be at most 2^31 - 1, got 2147483648'),
  bad(
    'physpages-exponent',
    physPages('1e3'),
    'machine.physPages: expected a non-negative integer written in plain digits (no fraction or exponent), got 1e3',
  ),
  bad(
    'physpages-point-zero',
    physPages('4096.0'),
    'machine.physPages: expected a non-negative integer written in plain digits (no fraction or exponent), got 4096.0',
  ),
  bad(
    'physpages-twenty-digits',
    physPages('99999999999999999999'),
    'machine.physPages: must be at most 2^31 - 1, got 99999999999999999999',
  ),
  bad(
    'physpages-minus-twenty-digits',
    physPages('-99999999999999999999'),
    'machine.physPages: expected a non-negative integer, got -99999999999999999999',
  ),
  bad('physpages-exponent-too-big', physPages('1e10'), 'machine.physPages: must be at most 2^31 - 1, got 1e10'),
  bad(
    'physpages-minus-zero-point',
    physPages('-0.0'),
    'machine.physPages: expected a non-negative integer written in plain digits (no fraction or exponent), got -0.0',
  ),
  bad(
    'physpages-negative-exponent',
    physPages('1e-400'),
    'machine.physPages: expected a non-negative integer, got 1e-400',
  ),
  bad('physpages-array', physPages('[64]'), 'machine.physPages: expected a non-negative integer, got an array'),
  // mounts belong to FreeBSD.
  bad('mounts-in-openbsd', V({ mounts: [{ name: 'm1' }] }), 'mounts: an OpenBSD scenario has no mounts'),
  bad('mounts-empty-in-openbsd', V({ mounts: [] }), 'mounts: an OpenBSD scenario has no mounts'),
  // vnodes.
  bad('vnodes-object', V({ vnodes: {} }), 'vnodes: expected an array, got an empty object'),
  bad('vnodes-string', V({ vnodes: 'vn1' }), 'vnodes: expected an array, got the string "vn1"'),
  bad(
    'vnodes-257',
    V({ vnodes: Array.from({ length: 257 }, (_, i) => ({ name: `v${i}`, size: 0 })) }),
    'vnodes: 257 entries, more than the limit of 256',
  ),
  bad('vnode-array', V({ vnodes: [[]] }), 'vnodes[0]: expected an object, got an empty array'),
  bad('vnode-null', V({ vnodes: [VN1, null] }), 'vnodes[1]: expected an object, got null'),
  bad('vnode-string', V({ vnodes: ['vn1'] }), 'vnodes[0]: expected an object, got the string "vn1"'),
  bad('vnode-name-missing', vnodeWithout('name'), 'vnodes[0].name: required key missing'),
  bad('vnode-size-missing', vnodeWithout('size'), 'vnodes[0].size: required key missing'),
  bad('vnode-unknown-key', vnode({ sizes: 1 }), 'vnodes[0].sizes: unknown key'),
  bad('vnode-blocks-in-openbsd', vnode({ blocks: [0] }), 'vnodes[0].blocks: unknown key'),
  bad('vnode-name-empty', vnode({ name: '' }), `vnodes[0].name: ${NAME_RULE}, got the string ""`),
  bad('vnode-name-space', vnode({ name: 'vn 1' }), `vnodes[0].name: ${NAME_RULE}, got the string "vn 1"`),
  bad('vnode-name-slash', vnode({ name: 'dev/sd0' }), `vnodes[0].name: ${NAME_RULE}, got the string "dev/sd0"`),
  bad('vnode-name-65', vnode({ name: 'v'.repeat(65) }), 'vnodes[0].name: 65 characters, more than the limit of 64'),
  bad('vnode-name-number', vnode({ name: 7 }), 'vnodes[0].name: expected a string, got 7'),
  bad('vnode-name-not-ascii', vnode({ name: 'v\u00f1' }), `vnodes[0].name: ${NAME_RULE}, got the string "v\\u00f1"`),
  bad('vnode-name-line-break', vnode({ name: 'a\nb' }), `vnodes[0].name: ${NAME_RULE}, got the string "a\\nb"`),
  bad(
    'vnode-name-duplicate',
    V({ vnodes: [VN1, { name: 'vn1', size: 0 }] }),
    'vnodes[1].name: duplicate vnode name vn1',
  ),
  bad('vnode-size-negative', vnode({ size: -1 }), 'vnodes[0].size: expected a non-negative integer, got -1'),
  bad(
    'vnode-size-2-pow-53',
    sizeRaw('9007199254740992'),
    'vnodes[0].size: must be at most 2^53 - 1, got 9007199254740992',
  ),
  bad('vnode-size-fraction', vnode({ size: 16384.5 }), 'vnodes[0].size: expected a non-negative integer, got 16384.5'),
  bad(
    'vnode-size-string',
    vnode({ size: '16384' }),
    'vnodes[0].size: expected a non-negative integer, got the string "16384"',
  ),
  bad('vnode-size-false', vnode({ size: false }), 'vnodes[0].size: expected a non-negative integer, got false'),
  bad('vnode-size-huge-exponent', sizeRaw('1e999999'), 'vnodes[0].size: must be at most 2^53 - 1, got 1e999999'),
  bad(
    'vnode-size-100000-digits',
    () => sizeRaw('1'.repeat(100000)),
    `vnodes[0].size: must be at most 2^53 - 1, got ${'1'.repeat(40)}… (100,000 characters)`,
  ),
  bad('vnode-type-vdir', vnode({ type: 'VDIR' }), 'vnodes[0].type: must be "VREG" or "VBLK", got the string "VDIR"'),
  bad(
    'vnode-type-lowercase',
    vnode({ type: 'vreg' }),
    'vnodes[0].type: must be "VREG" or "VBLK", got the string "vreg"',
  ),
  bad('vnode-type-number', vnode({ type: 1 }), 'vnodes[0].type: must be "VREG" or "VBLK", got 1'),
  bad('vnode-mount-space', vnode({ mount: 'm 1' }), `vnodes[0].mount: ${NAME_RULE}, got the string "m 1"`),
  bad('vnode-mount-number', vnode({ mount: 5 }), 'vnodes[0].mount: expected a string, got 5'),
  bad(
    'vnode-usecount-negative',
    vnode({ usecount: -1 }),
    'vnodes[0].usecount: expected a non-negative integer, got -1',
  ),
  bad(
    'vnode-usecount-2-pow-31',
    vnode({ usecount: 2 ** 31 }),
    'vnodes[0].usecount: must be at most 2^31 - 1, got 2147483648',
  ),
  bad(
    'vnode-usecount-string',
    vnode({ usecount: '1' }),
    'vnodes[0].usecount: expected a non-negative integer, got the string "1"',
  ),
  bad('vnode-vtext-string', vnode({ vtext: 'yes' }), 'vnodes[0].vtext: expected true or false, got the string "yes"'),
  bad('vnode-vtext-number', vnode({ vtext: 1 }), 'vnodes[0].vtext: expected true or false, got 1'),
  bad('vnode-vtext-null', vnode({ vtext: null }), 'vnodes[0].vtext: expected true or false, got null'),
  bad(
    'second-vnode-bad-size',
    V({ vnodes: [VN1, { name: 'vn2', size: [] }] }),
    'vnodes[1].size: expected a non-negative integer, got an empty array',
  ),
  // Valid edges: the reader must take these.
  {
    name: 'valid-largest-size-no-steps',
    input: V({ vnodes: [{ name: 'vn1', size: Number.MAX_SAFE_INTEGER }] }),
    code: 0,
    stderr: '',
    digests: 1,
  },
  { name: 'valid-title-4000-characters', input: V({ title: 't'.repeat(4000) }), code: 0, stderr: '', digests: 1 },
  { name: 'valid-no-vnodes', input: V({ vnodes: [] }), code: 0, stderr: '', digests: 1 },
  {
    name: 'valid-256-vnodes',
    input: V({ vnodes: Array.from({ length: 256 }, (_, i) => ({ name: `v${i}`, size: 0 })) }),
    code: 0,
    stderr: '',
    digests: 1,
  },
  { name: 'valid-largest-physpages', input: physPages('2147483647'), code: 0, stderr: '', digests: 1 },
  { name: 'valid-name-64', input: vnode({ name: 'v'.repeat(64) }), code: 0, stderr: '', digests: 1 },
];
