/**
 * Writing pages out and counting writable mappings: vnode_pager_putpages, vnode_pager_generic_putpages,
 * vnode_pager_putpages_ioflags, vnode_pager_undirty_pages, vnode_pager_update_writecount,
 * vnode_pager_release_writecount: seeds/vnode_pager.c lines 1149-1422. `yield N` marks seed line N.
 */
import { EOPNOTSUPP } from '../kernel/constants';
import { locals, traced } from '../kernel/sched';
import type { KThread, Proc } from '../kernel/types';
import {
  IO_ASYNC,
  IO_INVAL,
  IO_NOREUSE,
  IO_SEQMAX,
  IO_SEQSHIFT,
  IO_SYNC,
  IO_VMIO,
  LK_EXCLUSIVE,
  LK_RETRY,
  PAGE_MASK,
  VM_PAGER_AGAIN,
  VM_PAGER_BAD,
  VM_PAGER_CLUSTER_OK,
  VM_PAGER_ERROR,
  VM_PAGER_OK,
  VM_PAGER_PUT_INVAL,
  VM_PAGER_PUT_NOREUSE,
  VM_PAGER_PUT_SYNC,
} from './flags';
import { pname, type BsdKernel, type BsdVnode, type FPage, type VmObject } from './state';
import { KASSERT, VM_OBJECT_WLOCK, VM_OBJECT_WUNLOCK } from './sync';
import { vn_lock, VOP_ADD_WRITECOUNT, VOP_PUTPAGES, VOP_UNLOCK, VOP_WRITE } from './vfs';
import { pmap_page_is_write_mapped, vm_page_clear_dirty, vm_page_undirty } from './vm_page';

export const vnode_pager_putpages = traced(
  'vnode_pager_putpages',
  function* (k: BsdKernel, th: KThread, object: VmObject, m: FPage[], flags: number, rtvals: number[]): Proc {
    let rtval = 0;
    const count = m.length;
    let bytes = 0;
    locals(th, () => ({ object: `obj${object.id}`, count, flags, bytes, rtval }));
    yield 1154;
    bytes = count * 4096;

    yield 1168;
    if (k.s.freePages < k.bsd.pageoutFreeMin) {
      yield 1169;
      flags |= VM_PAGER_PUT_SYNC;
    }
    yield 1174;
    const vp = k.vnode(object.handle!);
    yield 1175;
    yield* VM_OBJECT_WUNLOCK(k, th, object);
    yield 1176;
    rtval = yield* VOP_PUTPAGES(k, th, vp, m, bytes, flags, rtvals);
    yield 1177;
    yield* KASSERT(k, th, rtval !== EOPNOTSUPP, () => 'vnode_pager: stale FS putpages\n');
    yield 1179;
    yield* VM_OBJECT_WLOCK(k, th, object);
  },
);

/** ppsratecheck(&lastfail, &curfail, 1) with the clock standing still: only the first call passes. */
function ppsratecheck(k: BsdKernel): boolean {
  const st = k.bsd.statics;
  const now = 1;
  if (st.lastfail === 0 || now - st.lastfail >= 1000) {
    st.lastfail = now;
    st.curfail = 1;
    return true;
  }
  st.curfail++;
  return st.curfail <= 1;
}

export const vnode_pager_generic_putpages = traced(
  'vnode_pager_generic_putpages',
  function* (
    k: BsdKernel,
    th: KThread,
    vp: BsdVnode,
    ma: FPage[],
    bytecount: number,
    flags: number,
    rtvals: number[],
  ): Proc<number> {
    let count = 0;
    let error = 0;
    let i = 0;
    let maxsize = 0;
    let ncount = 0;
    let ppscheck = false;
    let poffset = 0;
    let pgoff = 0;
    let resid = 0;
    locals(th, () => ({ count, error, i, maxsize, ncount, ppscheck, poffset, pgoff, 'auio.uio_resid': resid }));

    yield 1205;
    const object = k.object(vp.v_object!);
    yield 1206;
    count = Math.floor(bytecount / 4096);
    // A for's initialisation runs with its condition's first evaluation, its increment with each later one.
    for (let again = false; ; again = true) {
      yield 1208;
      i = again ? i + 1 : 0;
      if (!(i < count)) break;
      yield 1209;
      rtvals[i] = VM_PAGER_ERROR;
    }
    // A pindex is never negative: lines 1212-1215 are not reached.
    yield 1211;
    yield 1218;
    maxsize = count * 4096;
    yield 1219;
    ncount = count;
    yield 1221;
    poffset = ma[0]!.pindex * 4096;

    yield 1235;
    yield* VM_OBJECT_WLOCK(k, th, object);
    yield 1236;
    if (maxsize + poffset > object.vnp_size) {
      yield 1237;
      if (object.vnp_size > poffset) {
        yield 1240;
        maxsize = object.vnp_size - poffset;
        yield 1241;
        ncount = Math.ceil(maxsize / 4096);
        yield 1242;
        if ((pgoff = maxsize & PAGE_MASK) !== 0) {
          yield 1249;
          const m = ma[ncount - 1]!;
          yield 1250;
          yield* KASSERT(
            k,
            th,
            m.sbusy > 0,
            () => `vm_page_assert_sbusied: page ${pname.page(m)} not shared busy @ sys/vm/vnode_pager.c:1250`,
          );
          yield 1251;
          yield* KASSERT(
            k,
            th,
            !pmap_page_is_write_mapped(m),
            () => `vnode_pager_generic_putpages: page ${pname.page(m)} is not read-only`,
          );
          yield 1253;
          vm_page_clear_dirty(k, m, pgoff, 4096 - pgoff);
        }
      } else {
        yield 1257;
        maxsize = 0;
        yield 1258;
        ncount = 0;
      }
      yield 1260;
      if (ncount < count) {
        for (let again = false; ; again = true) {
          yield 1261;
          i = again ? i + 1 : ncount;
          if (!(i < count)) break;
          yield 1262;
          rtvals[i] = VM_PAGER_BAD;
        }
      }
    }
    yield 1266;
    yield* VM_OBJECT_WUNLOCK(k, th, object);

    for (const line of [1268, 1269, 1270, 1271, 1272, 1273, 1274]) yield line;
    yield 1275;
    resid = maxsize;
    yield 1276;
    yield 1277;
    const ioflags = yield* vnode_pager_putpages_ioflags(k, th, flags);
    const w = yield* VOP_WRITE(k, th, vp, poffset, maxsize, ioflags);
    error = w.error;
    resid = w.resid;
    yield 1279;
    yield 1280;

    yield 1282;
    ppscheck = false;
    yield 1283;
    if (error) {
      yield 1284;
      if ((ppscheck = ppsratecheck(k))) yield 1285;
    }
    yield 1287;
    if (resid) {
      yield 1288;
      if (ppscheck || ppsratecheck(k)) yield 1289;
    }
    for (let again = false; ; again = true) {
      yield 1292;
      i = again ? i + 1 : 0;
      if (!(i < ncount)) break;
      yield 1293;
      rtvals[i] = VM_PAGER_OK;
    }
    yield 1295;
    return rtvals[0]!;
  },
);

export const vnode_pager_putpages_ioflags = traced(
  'vnode_pager_putpages_ioflags',
  function* (_k: BsdKernel, th: KThread, pager_flags: number): Proc<number> {
    let ioflags = 0;
    locals(th, () => ({ pager_flags: `0x${pager_flags.toString(16)}`, ioflags: `0x${ioflags.toString(16)}` }));
    yield 1311;
    ioflags = IO_VMIO;
    yield 1312;
    if ((pager_flags & (VM_PAGER_PUT_SYNC | VM_PAGER_PUT_INVAL)) !== 0) {
      yield 1313;
      ioflags |= IO_SYNC;
    } else {
      yield 1314;
      if ((pager_flags & VM_PAGER_CLUSTER_OK) === 0) {
        yield 1315;
        ioflags |= IO_ASYNC;
      }
    }
    yield 1316;
    ioflags |= (pager_flags & VM_PAGER_PUT_INVAL) !== 0 ? IO_INVAL : 0;
    yield 1317;
    ioflags |= (pager_flags & VM_PAGER_PUT_NOREUSE) !== 0 ? IO_NOREUSE : 0;
    yield 1318;
    ioflags |= IO_SEQMAX << IO_SEQSHIFT;
    yield 1319;
    return ioflags;
  },
);

export const vnode_pager_undirty_pages = traced(
  'vnode_pager_undirty_pages',
  function* (k: BsdKernel, th: KThread, ma: FPage[], rtvals: number[], written: number): Proc {
    let i = 0;
    let pos = 0;
    locals(th, () => ({ written, i, pos }));
    yield 1328;
    if (written === 0) {
      yield 1329;
      return;
    }
    yield 1330;
    const obj = k.object(ma[0]!.object!);
    yield 1331;
    yield* VM_OBJECT_WLOCK(k, th, obj);
    // The for's initialisation runs with line 1332's first evaluation, its increment with each later one.
    for (let again = false; ; again = true) {
      yield 1332;
      [i, pos] = again ? [i + 1, pos + 4096] : [0, 0];
      if (!(pos < written)) break;
      yield 1333;
      if (pos < written - (written % 4096)) {
        yield 1334;
        rtvals[i] = VM_PAGER_OK;
        yield 1335;
        vm_page_undirty(k, ma[i]!);
      } else {
        yield 1338;
        rtvals[i] = VM_PAGER_AGAIN;
        yield 1339;
        vm_page_clear_dirty(k, ma[i]!, 0, written & PAGE_MASK);
      }
    }
    yield 1342;
    yield* VM_OBJECT_WUNLOCK(k, th, obj);
  },
);

export const vnode_pager_update_writecount = traced(
  'vnode_pager_update_writecount',
  function* (k: BsdKernel, th: KThread, object: VmObject, start: number, end: number): Proc {
    let old_wm = 0;
    let vp: BsdVnode | null = null;
    locals(th, () => ({ object: `obj${object.id}`, start, end, old_wm, vp: vp?.name ?? null }));
    yield 1352;
    yield* VM_OBJECT_WLOCK(k, th, object);
    yield 1353;
    if (object.type !== 'OBJT_VNODE') {
      yield 1354;
      yield* VM_OBJECT_WUNLOCK(k, th, object);
      yield 1355;
      return;
    }
    yield 1357;
    old_wm = object.writemappings;
    yield 1358;
    object.writemappings += end - start;
    yield 1359;
    vp = k.vnode(object.handle!);
    yield 1360;
    if (old_wm === 0 && object.writemappings !== 0) {
      // ASSERT_VOP_ELOCKED and CTR3 check and trace nothing (no DEBUG_VFS_LOCKS, no KTR): each a step.
      yield 1361;
      yield 1362;
      yield* VOP_ADD_WRITECOUNT(k, th, vp, 1);
      yield 1363;
    } else {
      yield 1365;
      if (old_wm !== 0 && object.writemappings === 0) {
        yield 1366;
        yield 1367;
        yield* VOP_ADD_WRITECOUNT(k, th, vp, -1);
        yield 1368;
      }
    }
    yield 1371;
    yield* VM_OBJECT_WUNLOCK(k, th, object);
  },
);

export const vnode_pager_release_writecount = traced(
  'vnode_pager_release_writecount',
  function* (k: BsdKernel, th: KThread, object: VmObject, start: number, end: number): Proc {
    let inc = 0;
    let vp: BsdVnode | null = null;
    let mp: string | null = null;
    locals(th, () => ({ object: `obj${object.id}`, start, end, inc, vp: vp?.name ?? null, mp }));
    yield 1382;
    yield* VM_OBJECT_WLOCK(k, th, object);
    yield 1388;
    if (object.type !== 'OBJT_VNODE') {
      yield 1389;
      yield* VM_OBJECT_WUNLOCK(k, th, object);
      yield 1390;
      return;
    }
    yield 1397;
    inc = end - start;
    yield 1398;
    if (object.writemappings !== inc) {
      yield 1399;
      object.writemappings -= inc;
      yield 1400;
      yield* VM_OBJECT_WUNLOCK(k, th, object);
      yield 1401;
      return;
    }
    yield 1404;
    vp = k.vnode(object.handle!);
    yield 1405;
    yield 1406;
    yield* VM_OBJECT_WUNLOCK(k, th, object);
    yield 1407;
    mp = null;
    yield 1408;
    // VOP_GETWRITEMOUNT: the vnode's mount; deadfs answers NULL. No suspension: never waits.
    mp = vp.deadfs ? null : vp.mount;
    yield 1409;
    yield* vn_lock(k, th, vp, LK_EXCLUSIVE | LK_RETRY);
    yield 1417;
    yield* vnode_pager_update_writecount(k, th, object, end, start);
    yield 1418;
    yield* VOP_UNLOCK(k, th, vp);
    yield 1419;
    yield 1420;
    if (mp !== null) yield 1421;
  },
);
