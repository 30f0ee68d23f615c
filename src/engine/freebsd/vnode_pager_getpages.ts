/**
 * Reading pages in: vnode_pager_getpages(_async), vnode_pager_local_getpages(_async),
 * vnode_pager_generic_getpages and its two done functions: seeds/vnode_pager.c lines 681-1138.
 * `yield N` marks seed line N. A buffer (struct buf, a pbuf) is plain data: it travels with an
 * asynchronous request to its completion, which runs inside the `complete` step.
 */
import { EIO, EOPNOTSUPP } from '../kernel/constants';
import { awaitRequest, startRequest } from '../kernel/disk';
import { add64, shown64, type Int64 } from '../kernel/int64';
import { locals, traced } from '../kernel/sched';
import type { KThread, Proc } from '../kernel/types';
import { B_PAGES, DEV_BSIZE, VM_PAGE_BITS_ALL, VM_PAGER_BAD, VM_PAGER_ERROR, VM_PAGER_OK } from './flags';
import { BOGUS_PAGE, pname, type BsdKernel, type BsdVnode, type FPage, type VmObject } from './state';
import { getpbuf, KASSERT, relpbuf, VM_OBJECT_WLOCK, VM_OBJECT_WOWNED, VM_OBJECT_WUNLOCK } from './sync';
import { pgiodone } from './sendfile';
import { VOP_BMAP } from './vfs';
import {
  memqNeighbour,
  pmap_page_is_mapped,
  vm_page_alloc,
  vm_page_bits,
  vm_page_readahead_finish,
  vm_page_set_valid_range,
} from './vm_page';
import { vnode_pager_input_old, vnode_pager_input_smlfs } from './vnode_pager_input';
import type { IntPtr } from './vnode_pager_size';

/** libkern's min(): its arguments are u_int, so a page index of 2^32 or more counts by its low 32 bits. */
const min = (a: number, b: number): number => Math.min(a >>> 0, b >>> 0);

/** A pbuf set up for a read: what bufdone and the done functions read back. */
export interface PagerBuf {
  vnode: string;
  /** b_pages: page ids, BOGUS_PAGE (0) for bogus_page. */
  pages: number[];
  npages: number;
  pgbefore: number;
  pgafter: number;
  bcount: number;
  /** daddr_t: a block address near 2^53 plus the offset into the block goes past a double (line 852). */
  blkno: Int64;
  /** b_pgiodone, by name (null for a synchronous read). */
  pgiodone: string | null;
  caller1: unknown;
  /** BIO_ERROR in b_ioflags. */
  ioerror: boolean;
}

/** VOP_GETPAGES(_ASYNC): every file system's is vnode_pager_local_getpages(_async); deadfs fails. */
function* VOP_GETPAGES(
  k: BsdKernel,
  th: KThread,
  vp: BsdVnode,
  m: FPage[],
  rbehind: IntPtr | null,
  rahead: IntPtr | null,
  iodone: string | null,
  arg: unknown,
): Proc<number> {
  if (vp.deadfs) return VM_PAGER_ERROR;
  if (iodone === null) return yield* vnode_pager_local_getpages(k, th, vp, m, rbehind, rahead);
  return yield* vnode_pager_local_getpages_async(k, th, vp, m, rbehind, rahead, iodone, arg);
}

export const vnode_pager_getpages = traced(
  'vnode_pager_getpages',
  function* (
    k: BsdKernel,
    th: KThread,
    object: VmObject,
    m: FPage[],
    rbehind: IntPtr | null,
    rahead: IntPtr | null,
  ): Proc<number> {
    let rtval = 0;
    // The frame's locals are shown from the step that enters it; vp is what line 688 assigns.
    let shown: BsdVnode | null = null;
    locals(th, () => ({ object: `obj${object.id}`, vp: shown?.name ?? null, count: m.length, rtval }));
    yield 688;
    const vp = (shown = k.vnode(object.handle!));
    yield 689;
    yield* VM_OBJECT_WUNLOCK(k, th, object);
    yield 690;
    rtval = yield* VOP_GETPAGES(k, th, vp, m, rbehind, rahead, null, null);
    yield 691;
    yield* KASSERT(k, th, rtval !== EOPNOTSUPP, () => 'vnode_pager: FS getpages not implemented\n');
    yield 693;
    yield* VM_OBJECT_WLOCK(k, th, object);
    yield 694;
    return rtval;
  },
);

export const vnode_pager_getpages_async = traced(
  'vnode_pager_getpages_async',
  function* (
    k: BsdKernel,
    th: KThread,
    object: VmObject,
    m: FPage[],
    rbehind: IntPtr | null,
    rahead: IntPtr | null,
    iodone: string,
    arg: unknown,
  ): Proc<number> {
    let rtval = 0;
    let shown: BsdVnode | null = null;
    locals(th, () => ({ object: `obj${object.id}`, vp: shown?.name ?? null, count: m.length, rtval }));
    yield 704;
    const vp = (shown = k.vnode(object.handle!));
    yield 705;
    yield* VM_OBJECT_WUNLOCK(k, th, object);
    yield 706;
    rtval = yield* VOP_GETPAGES(k, th, vp, m, rbehind, rahead, iodone, arg);
    yield 707;
    yield* KASSERT(k, th, rtval !== EOPNOTSUPP, () => 'vnode_pager: FS getpages_async not implemented\n');
    yield 709;
    yield* VM_OBJECT_WLOCK(k, th, object);
    yield 710;
    return rtval;
  },
);

export const vnode_pager_local_getpages = traced(
  'vnode_pager_local_getpages',
  function* (
    k: BsdKernel,
    th: KThread,
    vp: BsdVnode,
    m: FPage[],
    rbehind: IntPtr | null,
    rahead: IntPtr | null,
  ): Proc<number> {
    yield 722;
    return yield* vnode_pager_generic_getpages(k, th, vp, m, rbehind, rahead, null, null);
  },
);

export const vnode_pager_local_getpages_async = traced(
  'vnode_pager_local_getpages_async',
  function* (
    k: BsdKernel,
    th: KThread,
    vp: BsdVnode,
    m: FPage[],
    rbehind: IntPtr | null,
    rahead: IntPtr | null,
    iodone: string,
    arg: unknown,
  ): Proc<number> {
    yield 730;
    return yield* vnode_pager_generic_getpages(k, th, vp, m, rbehind, rahead, iodone, arg);
  },
);

const roundup = (x: number, y: number) => Math.ceil(x / y) * y;

export const vnode_pager_generic_getpages = traced(
  'vnode_pager_generic_getpages',
  function* (
    k: BsdKernel,
    th: KThread,
    vp: BsdVnode,
    m: FPage[],
    a_rbehind: IntPtr | null,
    a_rahead: IntPtr | null,
    iodone: string | null,
    arg: unknown,
  ): Proc<number> {
    let count = m.length;
    let foff = 0;
    let blkno0: Int64 = 0;
    let bsize = 0;
    let pagesperblock = 0;
    let error = 0;
    let before = 0;
    let after = 0;
    let rbehind = 0;
    let rahead = 0;
    let poff = 0;
    let i = 0;
    let bytecount = 0;
    let secmask = 0;
    let object: VmObject | null = null;
    let bp: PagerBuf | null = null;
    const async = iodone !== null;
    locals(th, () => ({
      object: object ? `obj${object.id}` : null,
      count,
      foff,
      blkno0: shown64(blkno0),
      bsize,
      pagesperblock,
      freecnt: async ? 'vnode_async_pbuf_freecnt' : 'vnode_pbuf_freecnt',
      error,
      before,
      after,
      rbehind,
      rahead,
      poff,
      i,
      bytecount,
      secmask,
      'bp->b_blkno': bp ? shown64(bp.blkno) : null,
      'bp->b_npages': bp?.npages ?? null,
    }));
    th.focusPage = m[0]!.id;

    yield 753;
    yield 756;
    if (vp.doomed) {
      yield 757;
      return VM_PAGER_BAD;
    }

    yield 759;
    object = k.object(vp.v_object!);
    yield 760;
    foff = m[0]!.pindex * 4096;
    yield 761;
    bsize = k.mount(vp).iosize;
    yield 762;
    pagesperblock = Math.floor(bsize / 4096);

    yield 764;
    yield* KASSERT(
      k,
      th,
      foff < object.vnp_size,
      () => `vnode_pager_generic_getpages: page ${pname.page(m[0]!)} offset beyond vp ${vp.name} size`,
    );
    yield 766;

    yield 774;
    if (m[count - 1]!.valid !== 0 && --count === 0) {
      yield 775;
      if (iodone !== null) {
        yield 776;
        pgiodone(k, iodone, arg, m.slice(0, 1), 0);
      }
      yield 777;
      return VM_PAGER_OK;
    }

    yield 788;
    yield 790;
    yield* getpbuf(k, th, async);
    bp = {
      vnode: vp.name,
      pages: [],
      npages: 0,
      pgbefore: 0,
      pgafter: 0,
      bcount: 0,
      blkno: 0,
      pgiodone: null,
      caller1: null,
      ioerror: false,
    };

    yield 797;
    const map = VOP_BMAP(k, vp, Math.floor(foff / bsize), { bnp: true, runp: true, runb: true });
    error = map.error;
    if (map.bn !== undefined) bp.blkno = map.bn;
    if (map.run !== undefined) after = map.run;
    if (map.runb !== undefined) before = map.runb;
    yield 798;
    if (error === EOPNOTSUPP) {
      yield 799;
      relpbuf(k, async);
      yield 800;
      yield* VM_OBJECT_WLOCK(k, th, object);
      // A for's initialisation runs with its condition's first evaluation, its increment with each later one.
      for (let again = false; ; again = true) {
        yield 801;
        i = again ? i + 1 : 0;
        if (!(i < count)) break;
        yield 802;
        yield 803;
        yield 804;
        error = yield* vnode_pager_input_old(k, th, object, m[i]!);
        yield 805;
        if (error) {
          yield 806;
          break;
        }
      }
      yield 808;
      yield* VM_OBJECT_WUNLOCK(k, th, object);
      yield 809;
      return error;
    } else {
      yield 810;
      if (error !== 0) {
        yield 811;
        relpbuf(k, async);
        yield 812;
        return VM_PAGER_ERROR;
      }
    }

    yield 819;
    if (pagesperblock === 0) {
      yield 820;
      relpbuf(k, async);
      for (let again = false; ; again = true) {
        yield 821;
        i = again ? i + 1 : 0;
        if (!(i < count)) break;
        yield 822;
        yield 823;
        yield 824;
        error = yield* vnode_pager_input_smlfs(k, th, object, m[i]!);
        yield 825;
        if (error) {
          yield 826;
          break;
        }
      }
      yield 828;
      return error;
    }

    yield 835;
    if (bp.blkno === -1) {
      yield 836;
      yield* KASSERT(
        k,
        th,
        count === 1,
        () => `vnode_pager_generic_getpages: array[${count}] request to a sparse file ${vp.name}`,
      );
      yield 839;
      relpbuf(k, async);
      // Page contents are not modelled: pmap_zero_page changes nothing visible.
      yield 840;
      yield 841;
      yield* KASSERT(
        k,
        th,
        m[0]!.dirty === 0,
        () => `vnode_pager_generic_getpages: page ${pname.page(m[0]!)} is dirty`,
      );
      yield 843;
      yield* VM_OBJECT_WLOCK(k, th, object);
      yield 844;
      k.touch(m[0]!).valid = VM_PAGE_BITS_ALL;
      yield 845;
      yield* VM_OBJECT_WUNLOCK(k, th, object);
      yield 846;
      return VM_PAGER_OK;
    }

    yield 850;
    blkno0 = bp.blkno;
    yield 852;
    bp.blkno = add64(bp.blkno, Math.floor((foff % bsize) / DEV_BSIZE));

    yield 855;
    poff = Math.floor((foff % bsize) / 4096);
    yield 856;
    before *= pagesperblock;
    yield 857;
    before += poff;
    yield 858;
    after *= pagesperblock;
    yield 859;
    after += pagesperblock - (poff + 1);
    yield 860;
    if (m[0]!.pindex + after >= object.size) {
      yield 861;
      after = object.size - 1 - m[0]!.pindex;
    }
    yield 862;
    yield* KASSERT(
      k,
      th,
      count <= after + 1,
      () => `vnode_pager_generic_getpages: ${count} pages asked, can do only ${after + 1}`,
    );
    yield 864;
    after -= count - 1;

    yield 867;
    rbehind = a_rbehind ? a_rbehind.v : 0;
    yield 868;
    rahead = a_rahead ? a_rahead.v : 0;
    yield 869;
    rbehind = min(rbehind, before);
    yield 870;
    rbehind = min(rbehind, m[0]!.pindex);
    yield 871;
    rahead = min(rahead, after);
    yield 872;
    rahead = min(rahead, object.size - m[count - 1]!.pindex);
    yield 877;
    if (rbehind + rahead + count > B_PAGES) {
      yield 880;
      const trim = rbehind + rahead + count - B_PAGES + 1;
      yield 881;
      const sum = rbehind + rahead;
      yield 882;
      if (rbehind === before) {
        yield 884;
        rbehind -= roundup(Math.floor((trim * rbehind) / sum), pagesperblock);
        yield 885;
        if (rbehind < 0) {
          yield 886;
          rbehind = 0;
        }
      } else {
        yield 888;
        rbehind -= Math.floor((trim * rbehind) / sum);
      }
      yield 889;
      rahead -= Math.floor((trim * rahead) / sum);
    }
    yield 891;
    yield* KASSERT(
      k,
      th,
      rbehind + rahead + count <= B_PAGES,
      () => `vnode_pager_generic_getpages: behind ${rbehind} ahead ${rahead} count ${count}`,
    );

    yield 902;
    i = bp.npages = 0;
    const pages = bp.pages;
    yield 903;
    if (rbehind) {
      yield 907;
      yield* VM_OBJECT_WLOCK(k, th, object);
      yield 908;
      let startpindex = m[0]!.pindex - rbehind;
      yield 909;
      const prev = memqNeighbour(k, object, m[0]!, -1);
      if (prev !== null && prev.pindex >= startpindex) {
        yield 911;
        startpindex = prev.pindex + 1;
      }
      let tpindex = m[0]!.pindex - 1;
      for (let again = false; ; again = true) {
        yield 914;
        if (again) {
          tpindex--;
          i++;
        }
        if (!(tpindex >= startpindex && tpindex < m[0]!.pindex)) break;
        yield 917;
        const p = vm_page_alloc(k, th, object, tpindex);
        yield 918;
        if (p === null) {
          for (let j = 0; ; j++) {
            yield 920;
            if (!(j < i)) break;
            yield 921;
            pages[j] = pages[j + tpindex + 1 - startpindex]!;
          }
          yield 923;
          break;
        }
        yield 925;
        pages[tpindex - startpindex] = p.id;
      }
      pages.length = i;
      yield 928;
      bp.pgbefore = i;
      yield 929;
      bp.npages += i;
      yield 930;
      bp.blkno = add64(bp.blkno, -((i * 4096) / DEV_BSIZE));
    } else {
      yield 932;
      bp.pgbefore = 0;
    }

    for (let j = 0, again = false; ; again = true) {
      yield 935;
      if (again) {
        j++;
        i++;
      }
      if (!(j < count)) break;
      yield 936;
      pages[i] = m[j]!.id;
    }
    yield 937;
    bp.npages += count;

    yield 939;
    if (rahead) {
      yield 943;
      if (!VM_OBJECT_WOWNED(k, th, object)) {
        yield 944;
        yield* VM_OBJECT_WLOCK(k, th, object);
      }
      yield 945;
      let endpindex = m[count - 1]!.pindex + rahead + 1;
      yield 946;
      const next = memqNeighbour(k, object, m[count - 1]!, 1);
      if (next !== null && next.pindex < endpindex) {
        yield 948;
        endpindex = next.pindex;
      }
      yield 949;
      if (endpindex > object.size) {
        yield 950;
        endpindex = object.size;
      }
      let tpindex = m[count - 1]!.pindex + 1;
      for (let again = false; ; again = true) {
        yield 952;
        if (again) {
          i++;
          tpindex++;
        }
        if (!(tpindex < endpindex)) break;
        yield 954;
        const p = vm_page_alloc(k, th, object, tpindex);
        yield 955;
        if (p === null) {
          yield 956;
          break;
        }
        yield 957;
        pages[i] = p.id;
      }
      yield 960;
      bp.pgafter = i - bp.npages;
      yield 961;
      bp.npages = i;
    } else {
      yield 963;
      bp.pgafter = 0;
    }

    yield 965;
    if (VM_OBJECT_WOWNED(k, th, object)) {
      yield 966;
      yield* VM_OBJECT_WUNLOCK(k, th, object);
    }
    yield 969;
    if (a_rbehind) {
      yield 970;
      a_rbehind.v = bp.pgbefore;
    }
    yield 971;
    if (a_rahead) {
      yield 972;
      a_rahead.v = bp.pgafter;
    }

    yield 975;
    yield* KASSERT(k, th, bp.npages <= B_PAGES, () => 'vnode_pager_generic_getpages: buf buf overflowed');
    for (let j = 1, prev = 0; ; j++) {
      yield 977;
      if (!(j < bp.npages)) break;
      yield 978;
      if (pages[j] === BOGUS_PAGE) {
        yield 979;
        continue;
      }
      yield 980;
      yield* KASSERT(
        k,
        th,
        k.page(pages[j]!).pindex - k.page(pages[prev]!).pindex === j - prev,
        () => 'vnode_pager_generic_getpages: pages array not consecutive, bp buf',
      );
      yield 983;
      prev = j;
    }

    yield 992;
    foff = k.page(pages[0]!).pindex * 4096;
    yield 993;
    bytecount = bp.npages * 4096;
    yield 994;
    if (foff + bytecount > object.vnp_size) {
      yield 995;
      bytecount = object.vnp_size - foff;
    }
    yield 996;
    secmask = k.mount(vp).sectorSize - 1;
    yield 997;
    yield* KASSERT(
      k,
      th,
      secmask < 4096 && secmask > 0,
      () => `vnode_pager_generic_getpages: sector size ${secmask + 1} too large`,
    );
    yield 999;
    bytecount = (bytecount + secmask) & ~secmask;

    // UFS mounts with MNTK_UNMAPPED_BUFS and amd64 allows unmapped buffers: the pages are not mapped.
    yield 1005;
    yield 1007;
    yield 1008;
    for (const line of [1015, 1016, 1017, 1018, 1019, 1020, 1021, 1022, 1023]) yield line;
    bp.bcount = bytecount;
    yield 1024;
    {
      const m0 = m[0]!.pindex;
      const p0 = k.page(pages[0]!).pindex;
      const b = bp.blkno;
      // In int64, as the C computes it: the block addresses can be past 2^53.
      yield* KASSERT(
        k,
        th,
        BigInt((m0 - p0) * 4096) === (BigInt(blkno0) - BigInt(b)) * BigInt(DEV_BSIZE) + BigInt((m0 * 4096) % bsize),
        () => `wrong offsets bsize ${bsize} m[0] ${m0} b_pages[0] ${p0} blkno0 ${blkno0} b_blkno ${b}`,
      );
    }
    yield 1032;
    yield 1033;
    yield 1034;

    const buf = bp;
    const strategy = () =>
      startRequest(k, th, {
        vnode: vp.name,
        rw: 'read',
        offset: foff,
        length: buf.bcount,
        pages: buf.pages.filter((id) => id !== BOGUS_PAGE),
        iodone: async ? 'vnode_pager_generic_getpages_done_async' : null,
        ctx: async ? buf : null,
        // A request's fields are what the panels show: a blkno past 2^53 - 1 as its digits (views.ts).
        fields: { blkno: shown64(buf.blkno), async },
      });
    yield 1036;
    if (iodone !== null) {
      yield 1037;
      bp.pgiodone = iodone;
      yield 1038;
      bp.caller1 = arg;
      for (const line of [1039, 1040, 1041]) yield line;
      yield 1042;
      strategy();
      yield 1043;
      return VM_PAGER_OK;
    } else {
      yield 1045;
      yield 1046;
      const req = strategy();
      yield 1047;
      const io = yield* awaitRequest(k, th, req);
      bp.ioerror = io.error !== 0;
      yield 1048;
      error = yield* vnode_pager_generic_getpages_done(k, th, bp);
      for (let again = false; ; again = true) {
        yield 1049;
        i = again ? i + 1 : 0;
        if (!(i < bp.npages)) break;
        yield 1050;
      }
      yield 1051;
      yield 1052;
      yield 1053;
      relpbuf(k, false);
      yield 1054;
      return error !== 0 ? VM_PAGER_ERROR : VM_PAGER_OK;
    }
  },
);

export const vnode_pager_generic_getpages_done_async = traced(
  'vnode_pager_generic_getpages_done_async',
  function* (k: BsdKernel, th: KThread, bp: PagerBuf): Proc {
    let error = 0;
    locals(th, () => ({ error }));
    yield 1063;
    error = yield* vnode_pager_generic_getpages_done(k, th, bp);
    yield 1065;
    const run = bp.pages.slice(bp.pgbefore, bp.npages - bp.pgafter).map((id) => k.page(id));
    pgiodone(k, bp.pgiodone!, bp.caller1, run, error);
    for (let i = 0; ; i++) {
      yield 1067;
      if (!(i < bp.npages)) break;
      yield 1068;
    }
    yield 1069;
    yield 1070;
    yield 1071;
    relpbuf(k, true);
  },
);

export const vnode_pager_generic_getpages_done = traced(
  'vnode_pager_generic_getpages_done',
  function* (k: BsdKernel, th: KThread, bp: PagerBuf): Proc<number> {
    let error = 0;
    let i = 0;
    let tfoff = 0;
    let nextoff = 0;
    locals(th, () => ({ error, i, tfoff, nextoff, 'bp->b_bcount': bp.bcount, 'bp->b_npages': bp.npages }));
    yield 1081;
    error = bp.ioerror ? EIO : 0;
    yield 1082;
    const object = k.object(k.vnode(bp.vnode).v_object!);

    yield 1084;
    if (error === 0 && bp.bcount !== bp.npages * 4096) {
      // The buffer is unmapped (line 1005), so it is mapped here to zero its tail.
      yield 1085;
      yield 1086;
      yield 1087;
      yield 1090;
    }
    yield 1093;
    if (error === 0 && bp.bcount !== bp.npages * 4096) {
      yield 1094;
      yield 1095;
    }

    yield 1098;
    yield* VM_OBJECT_WLOCK(k, th, object);
    // The for's initialisation runs with line 1099's first evaluation, its increment with each later one.
    for (let again = false; ; again = true) {
      yield 1099;
      [i, tfoff] = again ? [i + 1, nextoff] : [0, k.page(bp.pages[0]!).pindex * 4096];
      if (!(i < bp.npages)) break;
      yield 1103;
      nextoff = tfoff + 4096;
      yield 1104;
      const mt = k.page(bp.pages[i]!);

      yield 1106;
      if (nextoff <= object.vnp_size) {
        yield 1110;
        k.touch(mt).valid = VM_PAGE_BITS_ALL;
        yield 1111;
        yield* KASSERT(
          k,
          th,
          mt.dirty === 0,
          () => `vnode_pager_generic_getpages_done: page ${pname.page(mt)} is dirty`,
        );
        yield 1113;
        yield* KASSERT(
          k,
          th,
          !pmap_page_is_mapped(mt),
          () => `vnode_pager_generic_getpages_done: page ${pname.page(mt)} is mapped`,
        );
      } else {
        yield 1123;
        yield* vm_page_set_valid_range(k, th, mt, 0, object.vnp_size - tfoff);
        yield 1125;
        const bits = yield* vm_page_bits(k, th, 0, object.vnp_size - tfoff);
        yield* KASSERT(
          k,
          th,
          (mt.dirty & bits) === 0,
          () => `vnode_pager_generic_getpages_done: page ${pname.page(mt)} is dirty`,
        );
      }
      yield 1130;
      if (i < bp.pgbefore || i >= bp.npages - bp.pgafter) {
        yield 1131;
        yield* vm_page_readahead_finish(k, th, mt);
      }
    }
    yield 1133;
    yield* VM_OBJECT_WUNLOCK(k, th, object);
    yield 1134;
    if (error !== 0) {
      // printf: nothing the digest shows.
      yield 1135;
    }
    yield 1137;
    return error;
  },
);
