/**
 * The FreeBSD setup keys (machine counters, mounts, block maps), read by the same reader. Every case
 * fails before the model would boot, so it needs only a "freebsd" pager registered, whichever model
 * that is (hostile.test.ts registers a validator-only stand-in when the real model is absent).
 */
import { freebsdDoc, type HostileCase } from './build';

const bad = (name: string, input: string | (() => string), stderr: string): HostileCase => ({
  name,
  input,
  code: 2,
  stderr: `step -1: ${stderr}`,
  digests: 0,
  freebsd: true,
});

const mount = (over: Record<string, unknown>) => freebsdDoc({ mounts: [{ name: 'm1', ...over }] });
const blocks = (list: unknown) => freebsdDoc({ vnodes: [{ name: 'vn1', size: 40000, blocks: list }] });
const machine = (m: Record<string, unknown>) => freebsdDoc({ machine: m });
const IOSIZES = 'must be one of 512, 1024, 2048, 4096, 8192, 16384, 32768, 65536';

export const FREEBSD_CASES: HostileCase[] = [
  bad('fb-mounts-object', freebsdDoc({ mounts: {} }), 'mounts: expected an array, got an empty object'),
  bad(
    'fb-mounts-65',
    freebsdDoc({ mounts: Array.from({ length: 65 }, (_, i) => ({ name: `m${i}` })) }),
    'mounts: 65 entries, more than the limit of 64',
  ),
  bad('fb-mount-string', freebsdDoc({ mounts: ['m1'] }), 'mounts[0]: expected an object, got the string "m1"'),
  bad('fb-mount-name-missing', freebsdDoc({ mounts: [{ iosize: 4096 }] }), 'mounts[0].name: required key missing'),
  bad(
    'fb-mount-name-slash',
    mount({ name: 'm/1' }),
    'mounts[0].name: must match [A-Za-z0-9_.-]{1,64}, got the string "m/1"',
  ),
  bad(
    'fb-mount-listed-twice',
    freebsdDoc({ mounts: [{ name: 'm1' }, { name: 'm1', iosize: 512 }] }),
    'mounts[1].name: mount m1 is listed twice',
  ),
  bad('fb-mount-unknown-key', mount({ type: 'ufs' }), 'mounts[0].type: unknown key'),
  bad(
    'fb-mount-proto',
    freebsdDoc({ mounts: [{ name: 'm1' }] }).replace('{"name":"m1"}', '{"name":"m1","__proto__":{"iosize":512}}'),
    'mounts[0].__proto__: unknown key',
  ),
  bad('fb-iosize-1000', mount({ iosize: 1000 }), `mounts[0].iosize: ${IOSIZES}, got 1000`),
  bad('fb-iosize-zero', mount({ iosize: 0 }), `mounts[0].iosize: ${IOSIZES}, got 0`),
  bad(
    'fb-iosize-string',
    mount({ iosize: '4096' }),
    'mounts[0].iosize: expected a non-negative integer, got the string "4096"',
  ),
  bad(
    'fb-iosize-point-zero',
    mount({}).replace('{"name":"m1"}', '{"name":"m1","iosize":4096.0}'),
    'mounts[0].iosize: expected a non-negative integer written in plain digits (no fraction or exponent), got 4096.0',
  ),
  bad('fb-iosize-negative', mount({ iosize: -4096 }), 'mounts[0].iosize: expected a non-negative integer, got -4096'),
  bad(
    'fb-sector-size-8192',
    mount({ sectorSize: 8192 }),
    'mounts[0].sectorSize: must be one of 512, 1024, 2048, 4096, got 8192',
  ),
  bad('fb-bmap-string', mount({ bmap: 'no' }), 'mounts[0].bmap: expected true or false, got the string "no"'),
  bad(
    'fb-putpages-nfs',
    mount({ putpages: 'nfs' }),
    'mounts[0].putpages: must be "generic" or "undirty", got the string "nfs"',
  ),
  bad('fb-blocks-number', blocks(64), 'vnodes[0].blocks: expected an array, got 64'),
  bad('fb-blocks-below-hole', blocks([64, -2]), 'vnodes[0].blocks[1]: expected an integer of at least -1, got -2'),
  bad('fb-blocks-fraction', blocks([64, 1.5]), 'vnodes[0].blocks[1]: expected an integer of at least -1, got 1.5'),
  bad(
    'fb-blocks-string',
    blocks(['64']),
    'vnodes[0].blocks[0]: expected an integer of at least -1, got the string "64"',
  ),
  bad('fb-blocks-null-hole', blocks([64, null]), 'vnodes[0].blocks[1]: expected an integer of at least -1, got null'),
  bad(
    'fb-blocks-huge-negative',
    blocks([0]).replace('[0]', '[-99999999999999999999]'),
    'vnodes[0].blocks[0]: expected an integer of at least -1, got -99999999999999999999',
  ),
  bad(
    'fb-blocks-2-pow-53',
    blocks([0]).replace('[0]', '[9007199254740992]'),
    'vnodes[0].blocks[0]: must be at most 2^53 - 1, got 9007199254740992',
  ),
  bad(
    'fb-blocks-over-2-pow-18',
    () => blocks([0]).replace('[0]', `[${'-1,'.repeat(2 ** 18)}-1]`),
    'vnodes[0].blocks: 262,145 entries, more than the limit of 262,144',
  ),
  bad(
    'fb-pageout-free-min-negative',
    machine({ pageoutFreeMin: -1 }),
    'machine.pageoutFreeMin: expected a non-negative integer, got -1',
  ),
  bad('fb-pbufs-string', machine({ pbufs: 'x' }), 'machine.pbufs: expected a non-negative integer, got the string "x"'),
  bad(
    'fb-async-pbufs-2-pow-53',
    machine({ asyncPbufs: 2 ** 53 }),
    'machine.asyncPbufs: must be at most 2^53 - 1, got 9007199254740992',
  ),
  // Only physPages is bounded by 2^31 - 1: the pbuf counters and pageoutFreeMin go to 2^53 - 1.
  {
    name: 'fb-valid-counters-past-2-pow-31',
    input: machine({ pbufs: 2 ** 31, asyncPbufs: 2 ** 53 - 1, pageoutFreeMin: 2 ** 31 }),
    code: 0,
    stderr: '',
    digests: 1,
    freebsd: true,
  },
  // A sendfile reads only its file's pages: a million free pages and 303 steps are not refused as work.
  {
    name: 'fb-valid-sendfile-with-a-million-pages',
    input: freebsdDoc({
      machine: { physPages: 1_000_000 },
      steps: [
        { spawn: 'open', call: 'vnode_create_vobject', args: { vnode: 'vn1' } },
        { run: 'open' },
        ...Array.from({ length: 150 }, (_, i) => [
          { spawn: `m${i}`, call: 'mmap', args: { vnode: 'vn1', prot: 'r', shared: true, length: 4096 } },
          { run: `m${i}` },
        ]).flat(),
        { spawn: 'send', call: 'sendfile', args: { vnode: 'vn1', offset: 0, length: 0 } },
      ],
    }),
    code: 0,
    stderr: '',
    digests: 304,
    freebsd: true,
  },
  bad('fb-machine-lowercase-key', machine({ physpages: 64 }), 'machine.physpages: unknown key'),
  bad(
    'fb-vnode-vtext-string',
    freebsdDoc({ vnodes: [{ name: 'vn1', size: 1, vtext: 'VV_TEXT' }] }),
    'vnodes[0].vtext: expected true or false, got the string "VV_TEXT"',
  ),
  bad(
    'fb-vnode-mount-number',
    freebsdDoc({ vnodes: [{ name: 'vn1', size: 1, mount: 1 }] }),
    'vnodes[0].mount: expected a string, got 1',
  ),
];
