/**
 * vnode_pager_input_smlfs (a file system whose blocks are smaller than a page: one read per block) and
 * vnode_pager_input_old (no VOP_BMAP: one VOP_READ per page): seeds/vnode_pager.c lines 516-667.
 * `yield N` marks seed line N.
 */
import { EINVAL, EIO } from '../kernel/constants';
import { awaitRequest, startRequest } from '../kernel/disk';
import { locals, traced } from '../kernel/sched';
import type { KThread, Proc } from '../kernel/types';
import { VM_PAGE_BITS_ALL, VM_PAGER_BAD, VM_PAGER_ERROR, VM_PAGER_OK } from './flags';
import { pname, type BsdKernel, type FPage, type VmObject } from './state';
import { getpbuf, KASSERT, relpbuf, VM_OBJECT_WLOCK, VM_OBJECT_WUNLOCK } from './sync';
import { VOP_BMAP, VOP_READ } from './vfs';
import { vm_page_bits } from './vm_page';
import { VM_OBJECT_ASSERT_WLOCKED } from './vnode_pager_object';
import { vnode_pager_addr, type IntPtr } from './vnode_pager_size';

export const vnode_pager_input_smlfs = traced(
  'vnode_pager_input_smlfs',
  function* (k: BsdKernel, th: KThread, object: VmObject, m: FPage): Proc<number> {
    let error = 0;
    let i = 0;
    let bits = 0;
    let bsize = 0;
    const fileaddr: IntPtr = { v: 0 };
    let address = 0;
    locals(th, () => ({ m: pname.page(m), error, i, bits, bsize, fileaddr: fileaddr.v, address }));
    th.focusPage = m.id;

    yield 528;
    error = 0;
    yield 529;
    const vp = k.vnode(object.handle!);
    yield 530;
    if (vp.doomed) {
      yield 531;
      return VM_PAGER_BAD;
    }
    yield 533;
    bsize = k.mount(vp).iosize;
    yield 535;
    VOP_BMAP(k, vp, 0, { bnp: false, runp: false, runb: false });
    yield 537;

    // A for's initialisation runs with its condition's first evaluation, its increment with each later one.
    for (let again = false; ; again = true) {
      yield 539;
      i = again ? i + 1 : 0;
      if (!(i < 4096 / bsize)) break;
      yield 542;
      bits = yield* vm_page_bits(k, th, i * bsize, bsize);
      yield 543;
      if (m.valid & bits) {
        yield 544;
        continue;
      }
      yield 546;
      address = m.pindex * 4096 + i * bsize;
      yield 547;
      if (address >= object.vnp_size) {
        yield 548;
        fileaddr.v = -1;
      } else {
        yield 550;
        error = yield* vnode_pager_addr(k, th, vp, address, fileaddr, null);
        yield 551;
        if (error) {
          yield 552;
          break;
        }
      }
      yield 554;
      if (fileaddr.v !== -1) {
        yield 555;
        yield* getpbuf(k, th, false);
        for (const line of [558, 559, 560, 561, 562, 563, 564, 565, 566, 567, 568, 569, 570, 571, 574]) yield line;
        yield 575;
        const req = startRequest(k, th, {
          vnode: vp.name,
          rw: 'read',
          offset: address,
          length: bsize,
          pages: [m.id],
          fields: { blkno: fileaddr.v, async: false },
        });
        yield 577;
        const io = yield* awaitRequest(k, th, req);
        yield 579;
        if (io.error) {
          yield 580;
          error = EIO;
        }
        yield 585;
        yield 586;
        yield 587;
        relpbuf(k, false);
        yield 588;
        if (error) {
          yield 589;
          break;
        }
      } else {
        // Page contents are not modelled: the zeroing changes nothing visible.
        yield 591;
      }
      yield 592;
      yield* KASSERT(k, th, (m.dirty & bits) === 0, () => `vnode_pager_input_smlfs: page ${pname.page(m)} is dirty`);
      yield 594;
      yield* VM_OBJECT_WLOCK(k, th, object);
      yield 595;
      k.touch(m).valid |= bits;
      yield 596;
      yield* VM_OBJECT_WUNLOCK(k, th, object);
    }
    yield 598;
    yield 599;
    if (error) {
      yield 600;
      return VM_PAGER_ERROR;
    }
    yield 602;
    return VM_PAGER_OK;
  },
);

export const vnode_pager_input_old = traced(
  'vnode_pager_input_old',
  function* (k: BsdKernel, th: KThread, object: VmObject, m: FPage): Proc<number> {
    let error = 0;
    let size = 0;
    let count = 0;
    locals(th, () => ({ m: pname.page(m), error, size, count }));
    th.focusPage = m.id;

    yield 618;
    yield* VM_OBJECT_ASSERT_WLOCKED(k, th, object, 618);
    yield 619;
    error = 0;
    yield 624;
    if (m.pindex * 4096 >= object.vnp_size) {
      yield 625;
      return VM_PAGER_BAD;
    } else {
      yield 627;
      size = 4096;
      yield 628;
      if (m.pindex * 4096 + size > object.vnp_size) {
        yield 629;
        size = object.vnp_size - m.pindex * 4096;
      }
      yield 630;
      const vp = k.vnode(object.handle!);
      yield 631;
      yield* VM_OBJECT_WUNLOCK(k, th, object);
      for (const line of [637, 639, 640, 641, 642, 643, 644, 645, 646, 647]) yield line;
      yield 649;
      const r = yield* VOP_READ(k, th, vp, m.pindex * 4096, size);
      error = r.error;
      yield 650;
      if (!error) {
        yield 651;
        count = size - r.resid;
        yield 653;
        if (count === 0) {
          yield 654;
          error = EINVAL;
        } else {
          yield 655;
          // The zeroed tail (line 656) is not visible: page contents are not modelled.
          if (count !== 4096) yield 656;
        }
      }
      yield 659;
      yield 661;
      yield* VM_OBJECT_WLOCK(k, th, object);
    }
    yield 663;
    yield* KASSERT(k, th, m.dirty === 0, () => `vnode_pager_input_old: page ${pname.page(m)} is dirty`);
    yield 664;
    if (!error) {
      yield 665;
      k.touch(m).valid = VM_PAGE_BITS_ALL;
    }
    yield 666;
    return error ? VM_PAGER_ERROR : VM_PAGER_OK;
  },
);
