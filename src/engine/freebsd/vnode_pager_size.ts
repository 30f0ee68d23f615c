/**
 * vnode_pager_haspage, vnode_pager_setsize, vnode_pager_addr: seeds/vnode_pager.c lines 310-511.
 * `yield N` marks seed line N.
 */
import { locals, traced } from '../kernel/sched';
import type { KThread, Proc } from '../kernel/types';
import { DEV_BSIZE, PAGE_MASK } from './flags';
import type { BsdKernel, BsdVnode, FPage, VmObject } from './state';
import { KASSERT, VM_OBJECT_WLOCK, VM_OBJECT_WUNLOCK } from './sync';
import { VOP_BMAP } from './vfs';
import { vm_object_page_remove } from './vm_object';
import { vm_page_clear_dirty, vm_page_set_valid_range } from './vm_page';
import { VM_OBJECT_ASSERT_WLOCKED } from './vnode_pager_object';

/** An `int *` argument: a box, or null for NULL. */
export interface IntPtr {
  v: number;
}

const roundup2 = (x: number, y: number) => Math.ceil(x / y) * y;

export const vnode_pager_haspage = traced(
  'vnode_pager_haspage',
  function* (
    k: BsdKernel,
    th: KThread,
    object: VmObject,
    pindex: number,
    before: IntPtr | null,
    after: IntPtr | null,
  ): Proc<boolean> {
    // The frame's locals are shown from the step that enters it; vp is what line 314 assigns.
    let shown: BsdVnode | null = null;
    let bn = 0;
    let err = 0;
    let reqblock = 0;
    let poff = 0;
    let bsize = 0;
    let pagesperblock = 0;
    let blocksperpage = 0;
    locals(th, () => ({
      vp: shown?.name ?? null,
      pindex,
      bn,
      err,
      reqblock,
      poff,
      bsize,
      pagesperblock,
      blocksperpage,
      before: before?.v ?? null,
      after: after?.v ?? null,
    }));
    yield 314;
    const vp = (shown = object.handle === null ? null : k.vnode(object.handle));

    yield 322;
    yield* VM_OBJECT_ASSERT_WLOCKED(k, th, object, 322);
    yield 327;
    if (vp === null || vp.doomed) {
      yield 328;
      return false;
    }
    yield 333;
    if (pindex * 4096 >= object.vnp_size) {
      yield 334;
      return false;
    }

    yield 336;
    bsize = k.mount(vp).iosize;
    yield 337;
    pagesperblock = Math.floor(bsize / 4096);
    yield 338;
    blocksperpage = 0;
    yield 339;
    if (pagesperblock > 0) {
      yield 340;
      reqblock = Math.floor(pindex / pagesperblock);
    } else {
      yield 342;
      blocksperpage = 4096 / bsize;
      yield 343;
      reqblock = pindex * blocksperpage;
    }
    yield 345;
    yield* VM_OBJECT_WUNLOCK(k, th, object);
    yield 346;
    const r = VOP_BMAP(k, vp, reqblock, { bnp: true, runp: after !== null, runb: before !== null });
    err = r.error;
    if (r.bn !== undefined) bn = r.bn;
    if (after && r.run !== undefined) after.v = r.run;
    if (before && r.runb !== undefined) before.v = r.runb;
    yield 347;
    yield* VM_OBJECT_WLOCK(k, th, object);
    yield 348;
    if (err) {
      yield 349;
      return true;
    }
    yield 350;
    if (bn === -1) {
      yield 351;
      return false;
    }
    yield 352;
    if (pagesperblock > 0) {
      yield 353;
      poff = pindex - reqblock * pagesperblock;
      yield 354;
      if (before) {
        yield 355;
        before.v *= pagesperblock;
        yield 356;
        before.v += poff;
      }
      yield 358;
      if (after) {
        yield 365;
        const a = after.v;
        yield* KASSERT(
          k,
          th,
          (reqblock + a) * pagesperblock < roundup2(object.size, pagesperblock),
          () => `vnode_pager_haspage: reqblock ${reqblock} after ${a} size ${object.size}`,
        );
        yield 370;
        after.v *= pagesperblock;
        yield 371;
        after.v += pagesperblock - (poff + 1);
        yield 372;
        if (pindex + after.v >= object.size) {
          yield 373;
          after.v = object.size - 1 - pindex;
        }
      }
    } else {
      yield 376;
      if (before) {
        yield 377;
        before.v = Math.trunc(before.v / blocksperpage);
      }
      yield 380;
      if (after) {
        yield 381;
        after.v = Math.trunc(after.v / blocksperpage);
      }
    }
    yield 384;
    return true;
  },
);

export const vnode_pager_setsize = traced(
  'vnode_pager_setsize',
  function* (k: BsdKernel, th: KThread, vp: BsdVnode, nsize: number): Proc {
    let object: VmObject | null = null;
    let m: FPage | null = null;
    let nobjsize = 0;
    let base = 0;
    let size = 0;
    locals(th, () => ({
      object: object ? `obj${object.id}` : null,
      m: m ? `obj${m.object}[${m.pindex}]` : null,
      nobjsize,
      nsize,
      base,
      size,
    }));

    yield 402;
    object = vp.v_object === null ? null : k.object(vp.v_object);
    if (object === null) {
      yield 403;
      return;
    }
    yield 405;
    yield* VM_OBJECT_WLOCK(k, th, object);
    yield 406;
    if (object.type === 'OBJT_DEAD') {
      yield 407;
      yield* VM_OBJECT_WUNLOCK(k, th, object);
      yield 408;
      return;
    }
    yield 410;
    yield 412;
    if (nsize === object.vnp_size) {
      yield 416;
      yield* VM_OBJECT_WUNLOCK(k, th, object);
      yield 417;
      return;
    }
    yield 419;
    nobjsize = Math.floor((nsize + PAGE_MASK) / 4096);
    yield 420;
    if (nsize < object.vnp_size) {
      yield 424;
      if (nobjsize < object.size) {
        yield 425;
        yield* vm_object_page_remove(k, th, object, nobjsize, object.size, 0);
      }
      yield 435;
      if (nsize & PAGE_MASK && (m = k.lookup(object, Math.floor(nsize / 4096))) !== null && m.valid !== 0) {
        yield 438;
        base = nsize & PAGE_MASK;
        yield 439;
        size = 4096 - base;
        // Page contents are not modelled: the zeroing changes nothing visible.
        yield 445;
        yield 452;
        yield* vm_page_set_valid_range(k, th, m, base, size);
        yield 459;
        base = roundup2(base, DEV_BSIZE);
        yield 468;
        vm_page_clear_dirty(k, m, base, 4096 - base);
      }
    }
    yield 471;
    object.vnp_size = nsize;
    yield 472;
    object.size = nobjsize;
    yield 473;
    yield* VM_OBJECT_WUNLOCK(k, th, object);
  },
);

export const vnode_pager_addr = traced(
  'vnode_pager_addr',
  function* (
    k: BsdKernel,
    th: KThread,
    vp: BsdVnode,
    address: number,
    rtaddress: IntPtr,
    run: IntPtr | null,
  ): Proc<number> {
    let bsize = 0;
    let err = 0;
    let vblock = 0;
    let voffset = 0;
    locals(th, () => ({ address, bsize, err, vblock, voffset, rtaddress: rtaddress.v }));
    yield 489;
    if (address < 0) {
      yield 490;
      return -1;
    }
    yield 492;
    if (vp.doomed) {
      yield 493;
      return -1;
    }
    yield 495;
    bsize = k.mount(vp).iosize;
    yield 496;
    vblock = Math.floor(address / bsize);
    yield 497;
    voffset = address % bsize;
    yield 499;
    const r = VOP_BMAP(k, vp, vblock, { bnp: true, runp: run !== null, runb: false });
    err = r.error;
    if (r.bn !== undefined) rtaddress.v = r.bn;
    if (run && r.run !== undefined) run.v = r.run;
    yield 500;
    if (err === 0) {
      yield 501;
      if (rtaddress.v !== -1) {
        yield 502;
        rtaddress.v += Math.floor(voffset / DEV_BSIZE);
      }
      yield 503;
      if (run) {
        yield 504;
        run.v += 1;
        yield 505;
        run.v *= Math.floor(bsize / 4096);
        yield 506;
        run.v -= Math.floor(voffset / 4096);
      }
    }
    yield 510;
    return err;
  },
);
