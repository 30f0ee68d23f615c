/**
 * Where the C's integer types and a JavaScript number part ways on inputs the contract allows (any size or
 * offset up to 2^53 - 1): each case is the digest line the compiled C (amd64, LP64) prints, worked out by hand
 * from the seed's types, against the runner's.
 */
import { describe, expect, it } from 'vitest';
import { stringifyDigest } from '../src/protocol/digest-json';
import { digestsOf, run, sp, type Json } from './play';

const lines = (pager: 'openbsd' | 'freebsd', setup: Json, steps: Json[]) =>
  digestsOf(pager, setup, steps).map(stringifyDigest);
const create = [sp('t1', 'vnode_create_vobject', { vnode: 'vn1' }), run('t1')];
const field = (line: string, key: string) => new RegExp(`"${key}":(-?[0-9]+|null)`).exec(line)?.[1];

describe('writemappings is a vm_ooffset_t (int64): a sum of mappings above 2^53 stays exact', () => {
  // Three shared writable mappings of 2^53 - 4096 bytes: vnode_pager_update_writecount (line 1358) adds each
  // length; munmap of one takes it back (line 1399). In doubles 3 * (2^53 - 4096) prints as ...690.
  const big = 2 ** 53 - 4096;
  const map = (t: string) => [sp(t, 'mmap', { vnode: 'vn1', prot: 'rw', shared: true, length: big }), run(t)];
  const digests = lines('freebsd', { vnodes: [{ name: 'vn1', size: 4096 }] }, [
    ...create,
    ...map('m1'),
    ...map('m2'),
    ...map('m3'),
    sp('u1', 'munmap', { mapping: 'm1' }),
    run('u1'),
  ]);

  it('prints every digit of 3 * (2^53 - 4096), as C prints the int64', () => {
    expect(field(digests.at(-3)!, 'writemappings')).toBe('27021597764210688');
  });

  it('takes one mapping back exactly (2 * (2^53 - 4096)) and keeps v_writecount at 1', () => {
    const last = digests.at(-1)!;
    expect(field(last, 'writemappings')).toBe('18014398509473792');
    expect(field(last, 'writecount')).toBe('1');
  });
});

describe('b_blkno is a daddr_t (int64): a block near 2^53 plus the offset into it stays exact', () => {
  // One 16 KiB block at disk address 2^53 - 1; a fault on its third page: line 852 adds (8192 % 16384) / 512
  // = 16 to 2^53 - 1, which a double rounds to 2^53 + 16, and the KASSERT at line 1024 then fails.
  const setup = {
    mounts: [{ name: 'm1', iosize: 16384 }],
    vnodes: [{ name: 'vn1', size: 16384, blocks: [2 ** 53 - 1] }],
  };
  const fault = (behind: number) => [
    ...create,
    sp('t2', 'mmap', { vnode: 'vn1', prot: 'r', shared: true, length: 16384 }),
    run('t2'),
    sp('t3', 'fault', { mapping: 't2', offset: 8192, access: 'read', behind }),
    run('t3'),
  ];

  it('reads page 2 at blkno 2^53 + 15 without a panic', () => {
    const last = lines('freebsd', setup, fault(0)).at(-1)!;
    expect(field(last, 'panic')).toBe('null');
    expect(last).toContain('"offset":8192,"length":4096,"blkno":9007199254741007,"async":false}');
  });

  it('backs up two pages of read-behind to blkno 2^53 - 1 (line 930)', () => {
    const last = lines('freebsd', setup, fault(2)).at(-1)!;
    expect(field(last, 'panic')).toBe('null');
    expect(last).toContain('"offset":0,"length":12288,"blkno":9007199254740991,"async":false}');
  });
});
