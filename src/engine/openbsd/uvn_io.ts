/**
 * uvn_cluster, uvn_put, uvn_get, uvn_io: seeds/uvm_vnode.c lines 868-1296.
 * `yield N` marks seed line N.
 */
import { EBUSY, EIO, PAGE_SIZE, round_page } from '../kernel/constants';
import { holds } from '../kernel/locks';
import { locals, panic, traced, wakeup } from '../kernel/sched';
import type { IoOutcome, KThread, Proc } from '../kernel/types';
import {
  LK_EXCLUSIVE,
  LK_NOWAIT,
  LK_RECURSEFAIL,
  MAXBSIZE,
  PG_BUSY,
  PG_FAKE,
  PG_WANTED,
  PGO_ALLPAGES,
  PGO_LOCKED,
  PGO_NOWAIT,
  PGO_SYNCIO,
  UVM_VNODE_IOSYNC,
  UVM_VNODE_IOSYNCWANTED,
  UVM_VNODE_VNISLOCKED,
  VM_PAGER_AGAIN,
  VM_PAGER_BAD,
  VM_PAGER_ERROR,
  VM_PAGER_OK,
  VM_PAGER_UNLOCK,
} from './flags';
import { show, UNSET } from './locals';
import { chan, objLockName, type Page, type UvmKernel, type UvmVnode } from './state';
import { KASSERT, rw_enter, rw_exit, rwsleep_nsec } from './sync';
import {
  pmap_clear_modify,
  uvm_lock_pageq,
  uvm_pagealloc,
  uvm_pagefree,
  uvm_pagelookup,
  uvm_pagewait,
  uvm_unlock_pageq,
  uvm_wait,
} from './uvm_page';
import { vn_lock, VOP_RDWR, VOP_UNLOCK } from './vfs';

export const uvn_cluster = traced(
  'uvn_cluster',
  function* (
    k: UvmKernel,
    th: KThread,
    vp: UvmVnode,
    offset: number,
  ): Proc<{
    lo: number;
    hi: number;
  }> {
    const uvn = vp.uvn;
    // *loffset and *hoffset: the caller's variables, written through the pointers.
    let lo: number | null = null;
    let hi: number | null = null;
    locals(th, () => ({
      uobj: show.uvn(vp),
      offset: show.offset(offset),
      '*loffset': show.offset(lo),
      '*hoffset': show.offset(hi),
      uvn: show.uvn(vp),
    }));
    yield 872;
    yield 873;
    lo = offset;
    yield 875;
    if (lo >= uvn.size) {
      yield 876;
      yield* panic(k, th, 'uvn_cluster: offset out of range');
    }
    yield 881;
    hi = lo + MAXBSIZE;
    yield 882;
    if (hi > round_page(uvn.size)) {
      yield 883;
      hi = round_page(uvn.size);
    }
    yield 885;
    return { lo, hi };
  },
);

export const uvn_put = traced(
  'uvn_put',
  function* (k: UvmKernel, th: KThread, vp: UvmVnode, pps: Page[], flags: number): Proc<number> {
    let retval: number | null = null;
    locals(th, () => ({
      uobj: show.uvn(vp),
      npages: pps.length,
      flags: show.pgo(flags),
      retval: show.pager(retval),
    }));
    yield 902;
    yield* KASSERT(k, th, holds(k, th, objLockName(vp.name)), 'rw_write_held(uobj->vmobjlock)', 902);
    yield 904;
    retval = yield* uvn_io(k, th, vp, pps, flags, 'write');
    yield 906;
    return retval;
  },
);

/**
 * uvn_get. `pps` has one slot per page from `offset`; null is an empty slot.
 * Returns the pager result; `pps` and `npages` are updated as the C does.
 */
export const uvn_get = traced(
  'uvn_get',
  function* (
    k: UvmKernel,
    th: KThread,
    vp: UvmVnode,
    offset: number,
    pps: (Page | null)[],
    npagesp: { value: number },
    centeridx: number,
    flags: number,
  ): Proc<number> {
    const lock = objLockName(vp.name);
    // The C's locals, declared at the top as it does; undefined: not assigned yet.
    let ptmp: Page | null | undefined;
    let current_offset: number | null = null;
    let lcv: number | null = null;
    let result: number | null = null;
    let gotpages: number | null = null;
    let done: boolean | null = null;
    locals(th, () => ({
      uobj: show.uvn(vp),
      offset: show.offset(offset),
      '*npagesp': npagesp.value,
      centeridx,
      flags: show.pgo(flags),
      current_offset: show.offset(current_offset),
      ptmp: ptmp === undefined ? UNSET : show.page(ptmp),
      lcv: show.int(lcv),
      'pps[lcv]': lcv !== null && lcv < pps.length ? show.page(pps[lcv]) : UNSET,
      result: show.pager(result),
      gotpages: show.int(gotpages),
      done: show.bool(done),
    }));
    yield 927;
    yield* KASSERT(
      k,
      th,
      ((flags & PGO_LOCKED) !== 0 && holds(k, th, lock)) || (flags & PGO_LOCKED) === 0,
      '((flags & PGO_LOCKED) != 0 && rw_lock_held(uobj->vmobjlock)) || (flags & PGO_LOCKED) == 0',
      927,
    );

    yield 931;
    if (flags & PGO_LOCKED) {
      yield 936;
      gotpages = 0;
      yield 943;
      done = true;
      // The for's initialisation runs with line 945's first evaluation, its increment with each later one.
      for (let again = false; ; again = true) {
        yield 945;
        [lcv, current_offset] = again ? [lcv! + 1, current_offset! + PAGE_SIZE] : [0, offset];
        if (!(lcv < npagesp.value)) break;
        // No caller here passes PGO_DONTCARE slots.
        yield 949;
        yield 953;
        ptmp = yield* uvm_pagelookup(k, th, vp.name, current_offset);
        if (ptmp) th.focusPage = ptmp.id;
        yield 956;
        if (ptmp === null || (ptmp.flags & PG_BUSY) !== 0) {
          yield 958;
          if (lcv === centeridx || (flags & PGO_ALLPAGES) !== 0) {
            yield 960;
            done = false;
          }
          yield 961;
          continue;
        }
        yield 968;
        k.setbits(ptmp, PG_BUSY);
        yield 969;
        k.touch(ptmp).owner = th.id;
        yield 970;
        pps[lcv] = ptmp;
        yield 971;
        gotpages++;
      }
      yield 992;
      npagesp.value = gotpages;
      yield 993;
      if (done) {
        yield 994;
        return VM_PAGER_OK;
      }
      yield 996;
      return VM_PAGER_UNLOCK;
    }

    for (let again = false; ; again = true) {
      yield 1007;
      [lcv, current_offset] = again ? [lcv! + 1, current_offset! + PAGE_SIZE] : [0, offset];
      if (!(lcv < npagesp.value)) break;
      yield 1012;
      if (pps[lcv] !== null || (lcv !== centeridx && (flags & PGO_ALLPAGES) === 0)) {
        yield 1014;
        continue;
      }

      // ptmp keeps what it held until line 1033 looks the page up: the C does not clear it.
      for (;;) {
        yield 1031;
        if (pps[lcv] !== null) break;
        yield 1033;
        ptmp = yield* uvm_pagelookup(k, th, vp.name, current_offset);
        if (ptmp) th.focusPage = ptmp.id;
        yield 1036;
        if (ptmp === null) {
          yield 1037;
          ptmp = uvm_pagealloc(k, th, vp.name, current_offset);
          yield 1041;
          if (ptmp === null) {
            yield 1042;
            yield* uvm_wait(k, th, 'uvn_getpage');
            yield 1045;
            continue;
          }
          th.focusPage = ptmp.id;
          yield 1052;
          break;
        }
        yield 1056;
        if ((ptmp.flags & PG_BUSY) !== 0) {
          yield 1057;
          yield* uvm_pagewait(k, th, ptmp, lock, 'uvn_get');
          yield 1058;
          yield* rw_enter(k, th, lock);
          yield 1059;
          continue;
        }
        yield 1068;
        k.setbits(ptmp, PG_BUSY);
        yield 1069;
        k.touch(ptmp).owner = th.id;
        yield 1070;
        pps[lcv] = ptmp;
      }

      yield 1078;
      if (pps[lcv] !== null) {
        yield 1079;
        continue;
      }
      const page = ptmp!;

      yield 1085;
      result = yield* uvn_io(k, th, vp, [page], PGO_SYNCIO | PGO_NOWAIT, 'read');
      yield 1092;
      if (result !== VM_PAGER_OK) {
        yield 1093;
        if (page.flags & PG_WANTED) {
          yield 1094;
          wakeup(k, chan.page(page.id));
        }
        yield 1096;
        k.clearbits(page, PG_WANTED | PG_BUSY);
        yield 1098;
        k.touch(page).owner = null;
        yield 1099;
        yield* uvm_lock_pageq(k, th);
        yield 1100;
        uvm_pagefree(k, page);
        yield 1101;
        uvm_unlock_pageq(k);
        yield 1102;
        yield* rw_exit(k, th, lock);
        yield 1103;
        return result;
      }

      yield 1118;
      k.clearbits(page, PG_FAKE);
      yield 1119;
      pmap_clear_modify(k, page);
      yield 1120;
      pps[lcv] = page;
    }

    yield 1125;
    yield* rw_exit(k, th, lock);
    yield 1126;
    return VM_PAGER_OK;
  },
);

/** 2^64: a size_t below zero wraps to this plus it. */
const SIZE_T_WRAP = 1n << 64n;

export const uvn_io = traced(
  'uvn_io',
  function* (k: UvmKernel, th: KThread, vp: UvmVnode, pps: Page[], flags: number, rw: 'read' | 'write'): Proc<number> {
    const uvn = vp.uvn;
    const lock = objLockName(vp.name);
    const npages = pps.length;
    // The C's locals, declared at the top as it does; null: not assigned yet.
    let vnAssigned = false;
    let file_offset: number | null = null;
    let nowait: boolean | null = null;
    let result: number | null = null;
    let mapinflags: string | null = null;
    // size_t in the C: a bigint once line 1203 has wrapped below zero (see SIZE_T_WRAP).
    let got: number | bigint | null = null;
    let wanted: number | bigint | null = null;
    let resid: number | bigint | null = null;
    let lkflags: number | null = null;
    locals(th, () => ({
      uvn: show.uvn(vp),
      npages,
      flags: show.pgo(flags),
      rw: rw === 'read' ? 'UIO_READ' : 'UIO_WRITE',
      uobj: show.uvn(vp),
      vn: vnAssigned ? show.vnode(vp) : UNSET,
      file_offset: show.offset(file_offset),
      waitf: nowait === null ? UNSET : nowait ? 'M_NOWAIT' : 'M_WAITOK',
      result: show.errno(result),
      mapinflags: mapinflags ?? UNSET,
      got: typeof got === 'bigint' ? got.toString() : show.int(got),
      wanted: typeof wanted === 'bigint' ? wanted.toString() : show.int(wanted),
      'uio.uio_resid': typeof resid === 'bigint' ? resid.toString() : show.int(resid),
      netunlocked: 0,
      lkflags: lkflags === null ? UNSET : lkflags ? 'LK_NOWAIT' : 0,
    }));
    yield 1141;
    yield 1149;
    yield 1150;
    lkflags = flags & PGO_NOWAIT ? LK_NOWAIT : 0;
    yield 1152;
    yield* KASSERT(k, th, holds(k, th, lock), 'rw_write_held(uobj->vmobjlock)', 1152);

    yield 1155;
    nowait = (flags & PGO_SYNCIO) === 0;
    yield 1156;
    vnAssigned = true;
    yield 1157;
    file_offset = pps[0]!.offset;

    for (;;) {
      yield 1160;
      if (!(uvn.flags & UVM_VNODE_IOSYNC)) break;
      yield 1161;
      if (nowait) {
        yield 1162;
        return VM_PAGER_AGAIN;
      }
      yield 1164;
      uvn.flags |= UVM_VNODE_IOSYNCWANTED;
      yield 1165;
      yield* rwsleep_nsec(k, th, chan.uflags(vp.name), lock, 'uvn_iosync', true);
    }

    yield 1170;
    if (file_offset >= uvn.size) {
      yield 1171;
      return VM_PAGER_BAD;
    }

    // uvm_pagermapin never fails here (single pages use the direct map).
    yield 1175;
    mapinflags = rw === 'read' ? 'UVMPAGER_MAPIN_READ' : 'UVMPAGER_MAPIN_WRITE';
    yield 1178;
    yield 1179;
    yield 1188;
    uvn.nio++;
    yield 1189;
    yield* rw_exit(k, th, lock);
    yield 1190;

    yield 1200;
    yield 1201;
    wanted = npages * PAGE_SIZE;
    yield 1202;
    if (file_offset + wanted > uvn.size) {
      yield 1203;
      // size_t = voff_t - off_t: u_size can be below file_offset here (an attach of an invalid uvn set it
      // meanwhile, line 240, after the check at 1170), and the difference then wraps modulo 2^64.
      const diff = uvn.size - file_offset;
      wanted = diff >= 0 ? diff : SIZE_T_WRAP + BigInt(diff);
    }
    for (const line of [1204, 1205, 1206, 1207, 1208, 1209, 1210]) yield line;
    resid = wanted;
    yield 1211;
    // The request's length is uio_resid: a wrapped one is kept exactly beside its nearest double.
    const length = Number(wanted);

    // No thread here holds NET_LOCK.
    yield 1217;

    yield 1232;
    result = 0;
    yield 1233;
    yield 1234;
    if ((uvn.flags & UVM_VNODE_VNISLOCKED) === 0) {
      yield 1235;
      result = yield* vn_lock(k, th, vp, LK_EXCLUSIVE | LK_RECURSEFAIL | lkflags);
    }
    yield 1236;
    if (result === 0) {
      const ids = pps.map((p) => p.id);
      const exact = typeof wanted === 'bigint' ? wanted : undefined;
      // uio_resid after the transfer: what was asked less what was done (a complete transfer leaves 0).
      const left = (io: IoOutcome): number | bigint =>
        typeof wanted === 'bigint' ? (io.done === length ? 0n : wanted - BigInt(io.done)) : wanted! - io.done;
      if (rw === 'read') {
        yield 1238;
        yield 1239;
        const io = yield* VOP_RDWR(k, th, vp, 'read', file_offset, length, ids, exact);
        result = io.error;
        resid = left(io);
      } else {
        yield 1238;
        yield 1241;
        const io = yield* VOP_RDWR(k, th, vp, 'write', file_offset, length, ids, exact);
        result = io.error;
        resid = left(io);
      }
      yield 1245;
      if ((uvn.flags & UVM_VNODE_VNISLOCKED) === 0) {
        yield 1246;
        yield* VOP_UNLOCK(k, th, vp);
      }
    }
    yield 1249;
    yield 1251;

    yield 1261;
    if (result === 0) {
      yield 1262;
      got = typeof wanted === 'bigint' ? wanted - BigInt(resid!) : wanted! - Number(resid);
      yield 1264;
      if (wanted && (got === 0 || got === 0n)) {
        yield 1265;
        result = EIO;
      } else {
        yield 1266;
        if (got < PAGE_SIZE * npages && rw === 'read') {
          // The zero-filled tail is not modelled: page contents are not shown.
          yield 1267;
        }
      }
    }

    yield 1273;
    yield 1276;
    yield* rw_enter(k, th, lock);
    yield 1277;
    uvn.nio--;
    yield 1278;
    if ((uvn.flags & UVM_VNODE_IOSYNC) !== 0 && uvn.nio === 0) {
      yield 1279;
      wakeup(k, chan.nio(vp.name));
    }

    yield 1282;
    if (result === 0) {
      yield 1283;
      return VM_PAGER_OK;
    }
    yield 1284;
    if (result === EBUSY) {
      yield 1285;
      yield* KASSERT(k, th, (flags & PGO_NOWAIT) !== 0, 'flags & PGO_NOWAIT', 1285);
      yield 1286;
      return VM_PAGER_AGAIN;
    }
    // rebooting is never set here.
    yield 1288;
    yield 1294;
    return VM_PAGER_ERROR;
  },
);
