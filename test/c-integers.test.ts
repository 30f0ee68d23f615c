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

describe('the pbuf counters are ints and v_pageout_free_min a u_int, as the scenario sets them', () => {
  // Seed lines 106-107 declare vnode_pbuf_freecnt and vnode_async_pbuf_freecnt `int`; struct vmmeter's
  // v_pageout_free_min is a u_int. A machine value the reader accepts (up to 2^53 - 1) lands in them modulo
  // 2^32: 2^32 + 1 pbufs is 1, 2^32 + 2 is 2, a free minimum of 2^32 is 0.
  const machine = { pbufs: 2 ** 32 + 1, asyncPbufs: 2 ** 32 + 2, pageoutFreeMin: 2 ** 32 };
  const setup = { machine, vnodes: [{ name: 'vn1', size: 8192 }] };
  const dirty = [
    ...create,
    sp('t2', 'mmap', { vnode: 'vn1', prot: 'rw', shared: true, length: 8192 }),
    run('t2'),
    sp('t3', 'fault', { mapping: 't2', offset: 0, access: 'write' }),
    run('t3'),
  ];

  it('boots with 1 and 2 free pbufs', () => {
    const boot = lines('freebsd', setup, []).at(0)!;
    expect(boot).toContain('"pbufs":1,"asyncPbufs":2,');
  });

  it('a second synchronous read sleeps "wswbuf0" while the first holds the one pbuf', () => {
    const last = lines('freebsd', setup, [
      ...dirty,
      sp('t4', 'fault', { mapping: 't2', offset: 4096, access: 'read' }),
      run('t4'),
    ]).at(-1)!;
    expect(field(last, 'pbufs')).toBe('0');
    expect(last).toContain('{"id":"t4","call":"fault","status":"sleep","wait":"wswbuf0","ret":null}');
  });

  it('does not force a synchronous pageout: no free page count is below a free minimum of 0', () => {
    const last = lines('freebsd', setup, [
      ...dirty,
      { complete: 1, result: 'ok' },
      run('t3'),
      sp('p', 'pageout', { vnode: 'vn1', pindex: 0 }),
      run('p'),
    ]).at(-1)!;
    expect(last).toContain('{"id":"p","call":"pageout","status":"done","wait":null,"ret":1}');
    expect(last).toContain('"rw":"write","offset":0,"length":4096,"blkno":null,"async":true}');
  });
});
