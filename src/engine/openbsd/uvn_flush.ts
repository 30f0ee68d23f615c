/**
 * uvn_flush: seeds/uvm_vnode.c lines 596-858. `yield N` marks seed line N.
 */
import { PAGE_SIZE, PROT_READ, round_page, trunc_page } from '../kernel/constants';
import { holds } from '../kernel/locks';
import { isStepping, locals, panic, traced, wakeup } from '../kernel/sched';
import type { KThread, Proc } from '../kernel/types';
import {
  PG_BUSY,
  PG_CLEAN,
  PG_CLEANCHK,
  PG_RELEASED,
  PG_WANTED,
  PGO_ALLPAGES,
  PGO_CLEANIT,
  PGO_DEACTIVATE,
  PGO_DOACTCLUST,
  PGO_FREE,
  PGO_SYNCIO,
  UVM_VNODE_IOSYNC,
  UVM_VNODE_IOSYNCWANTED,
  VM_PAGER_AGAIN,
  VM_PAGER_OK,
  VM_PAGER_PEND,
} from './flags';
import { show, UNSET } from './locals';
import { chan, objLockName, type Page, type UvmKernel, type UvmVnode } from './state';
import { KASSERT, rw_enter, rwsleep_nsec } from './sync';
import {
  pmap_clear_modify,
  pmap_is_modified,
  pmap_page_protect,
  PROT_NONE,
  uvm_lock_pageq,
  uvm_pageclean,
  uvm_pagedeactivate,
  uvm_pagelookup,
  uvm_pagenfind,
  uvm_pagewait,
  uvm_pglistfree,
  uvm_unlock_pageq,
} from './uvm_page';
import { PPS_SLOTS, uvm_pager_put } from './uvm_pager';

/**
 * The walks at lines 633 and 643 go through every page offset from start to stop, as the C does, and a
 * `step` stops at each of their statements. In a `run` nobody sees those statements, so after a lookup
 * that finds nothing the walk moves at once to the next offset of its grid that holds a page (or to stop):
 * the offsets in between would each find nothing and change nothing. The digests and the lines reached
 * are the C's; the cost follows the resident pages, not the bytes (a 2^53-byte file is one move). The
 * for's increment runs with its condition's next evaluation, so a caller sets curoff a page before this.
 */
function nextOffsetToLook(k: UvmKernel, th: KThread, vnode: string, curoff: number, stop: number): number {
  const next = curoff + PAGE_SIZE;
  if (isStepping(th)) return next;
  const target = Math.min(uvm_pagenfind(k, vnode, next), stop);
  return target <= next ? next : curoff + Math.ceil((target - curoff) / PAGE_SIZE) * PAGE_SIZE;
}

/** The static `lasttime` of the ratecheck at line 819: no clock runs, so it fires once per boot. */
const RATECHECK_FIRED = 'uvn_flush.ratecheck';

export const uvn_flush = traced(
  'uvn_flush',
  function* (k: UvmKernel, th: KThread, vp: UvmVnode, start: number, stop: number, flags: number): Proc<boolean> {
    const uvn = vp.uvn;
    const lock = objLockName(vp.name);
    const dead: number[] = [];
    // The C's locals, declared at the top as it does; undefined: not assigned yet.
    let pp: Page | null | undefined;
    let ptmp: Page | undefined;
    let ppsp: readonly Page[] | undefined;
    let npages: number | null = null;
    let result: number | null = null;
    let lcv: number | null = null;
    let retval: boolean | null = null;
    let need_iosync: boolean | null = null;
    let needs_clean: boolean | null = null;
    let curoff: number | null = null;
    locals(th, () => ({
      uobj: show.uvn(vp),
      start: show.offset(start),
      stop: show.offset(stop),
      flags: show.pgo(flags),
      uvn: show.uvn(vp),
      pp: pp === undefined ? UNSET : show.page(pp),
      ptmp: ptmp === undefined ? UNSET : show.page(ptmp),
      'ppsp[lcv]': ppsp && lcv !== null && lcv < ppsp.length ? show.page(ppsp[lcv]) : UNSET,
      npages: show.int(npages),
      result: show.pager(result),
      lcv: show.int(lcv),
      retval: show.bool(retval),
      need_iosync: show.bool(need_iosync),
      needs_clean: show.bool(needs_clean),
      curoff: show.offset(curoff),
      dead: `${dead.length} page${dead.length === 1 ? '' : 's'}`,
    }));

    yield 599;
    yield 607;
    yield* KASSERT(k, th, holds(k, th, lock), 'rw_write_held(uobj->vmobjlock)', 607);
    yield 608;

    yield 611;
    need_iosync = false;
    yield 612;
    retval = true;
    yield 613;
    if (flags & PGO_ALLPAGES) {
      yield 614;
      start = 0;
      yield 615;
      stop = round_page(uvn.size);
    } else {
      yield 617;
      start = trunc_page(start);
      yield 618;
      stop = Math.min(round_page(stop), round_page(uvn.size));
    }

    yield 631;
    if ((flags & PGO_CLEANIT) !== 0) {
      yield 632;
      // The for's initialisation runs with line 633's first evaluation, its increment with each later one.
      for (let again = false; ; again = true) {
        yield 633;
        curoff = again ? curoff! + PAGE_SIZE : start;
        if (!(curoff < stop)) break;
        yield 634;
        if ((pp = yield* uvm_pagelookup(k, th, vp.name, curoff)) !== null) {
          yield 635;
          k.clearbits(pp, PG_CLEANCHK);
        } else curoff = nextOffsetToLook(k, th, vp.name, curoff, stop) - PAGE_SIZE;
      }
    }

    yield 640;
    yield 641;
    yield* uvm_lock_pageq(k, th);
    for (let again = false; ; again = true) {
      yield 643;
      curoff = again ? curoff! + PAGE_SIZE : start;
      if (!(curoff < stop)) break;
      yield 644;
      if ((pp = yield* uvm_pagelookup(k, th, vp.name, curoff)) === null) {
        yield 645;
        curoff = nextOffsetToLook(k, th, vp.name, curoff, stop) - PAGE_SIZE;
        continue;
      }
      th.focusPage = pp.id;
      yield 656;
      if ((flags & PGO_CLEANIT) === 0 || (pp.flags & PG_BUSY) !== 0) {
        yield 657;
        needs_clean = false;
        yield 658;
        if ((pp.flags & PG_BUSY) !== 0 && (flags & (PGO_CLEANIT | PGO_SYNCIO)) === (PGO_CLEANIT | PGO_SYNCIO)) {
          yield 661;
          need_iosync = true;
        }
      } else {
        yield 667;
        if ((pp.flags & PG_CLEAN) !== 0 && (flags & PGO_FREE) !== 0 && pp.queue === 'active') {
          yield 670;
          pmap_page_protect(k, pp, PROT_NONE);
        }
        yield 671;
        if ((pp.flags & PG_CLEAN) !== 0 && pmap_is_modified(pp)) {
          yield 673;
          k.clearbits(pp, PG_CLEAN);
        }
        yield 674;
        k.setbits(pp, PG_CLEANCHK);
        yield 676;
        needs_clean = (pp.flags & PG_CLEAN) === 0;
      }

      yield 680;
      if (!needs_clean) {
        yield 681;
        if (flags & PGO_DEACTIVATE) {
          yield 682;
          if (pp.wired === 0) {
            yield 683;
            pmap_page_protect(k, pp, PROT_NONE);
            yield 684;
            uvm_pagedeactivate(k, pp);
          }
        } else {
          yield 686;
          if (flags & PGO_FREE) {
            yield 687;
            if (pp.flags & PG_BUSY) {
              yield 688;
              uvm_unlock_pageq(k);
              yield 689;
              yield* uvm_pagewait(k, th, pp, lock, 'uvn_flsh');
              yield 691;
              yield* rw_enter(k, th, lock);
              yield 692;
              yield* uvm_lock_pageq(k, th);
              yield 693;
              curoff -= PAGE_SIZE;
              yield 694;
              continue;
            } else {
              yield 696;
              pmap_page_protect(k, pp, PROT_NONE);
              yield 698;
              uvm_pageclean(k, pp);
              yield 699;
              dead.unshift(pp.id);
            }
          }
        }
        yield 702;
        continue;
      }

      yield 713;
      k.setbits(pp, PG_BUSY);
      yield 714;
      k.touch(pp).owner = th.id;
      yield 715;
      pmap_page_protect(k, pp, PROT_READ);
      yield 717;
      if ((flags & (PGO_FREE | PGO_SYNCIO)) === PGO_FREE) {
        yield 718;
        k.setbits(pp, PG_RELEASED);
      }

      let put: { result: number; cluster: Page[] };
      for (;;) {
        // ReTry:
        yield 720;
        ppsp = [];
        yield 721;
        npages = PPS_SLOTS;
        yield 723;
        put = yield* uvm_pager_put(k, th, vp, pp, flags | PGO_DOACTCLUST, start, stop);
        // uvm_pager_put hands the cluster back in ppsp/npages.
        result = put.result;
        ppsp = put.cluster;
        npages = put.cluster.length;
        yield 733;
        yield* uvm_lock_pageq(k, th);

        yield 741;
        if (result !== VM_PAGER_AGAIN) break;
        yield 750;
        if (flags & PGO_SYNCIO) {
          yield 751;
          yield* panic(k, th, `uvn_flush: PGO_SYNCIO return 'try again' error (impossible)`);
        }
        yield 753;
        flags |= PGO_SYNCIO;
        yield 754;
        if (flags & PGO_FREE) {
          yield 755;
          k.clearbits(pp, PG_RELEASED);
        }
        yield 758;
      }

      yield 772;
      if (result === VM_PAGER_PEND && (flags & PGO_DEACTIVATE) === 0) {
        yield 773;
        continue;
      }

      for (let again = false; ; again = true) {
        yield 779;
        lcv = again ? lcv! + 1 : 0;
        if (!(lcv < npages)) break;
        yield 780;
        ptmp = put.cluster[lcv]!;
        yield 784;
        if (result === VM_PAGER_PEND && ptmp.object !== vp.name) {
          yield 785;
          continue;
        }

        yield 793;
        if (result !== VM_PAGER_PEND) {
          yield 794;
          if (ptmp.flags & PG_WANTED) {
            yield 795;
            wakeup(k, chan.page(ptmp.id));
          }
          yield 797;
          k.clearbits(ptmp, PG_WANTED | PG_BUSY);
          yield 799;
          k.touch(ptmp).owner = null;
          yield 800;
          k.setbits(ptmp, PG_CLEAN | PG_CLEANCHK);
          yield 802;
          if ((flags & PGO_FREE) === 0) {
            yield 803;
            pmap_clear_modify(k, ptmp);
          }
        }

        yield 807;
        if (flags & PGO_DEACTIVATE) {
          yield 808;
          if (ptmp.wired === 0) {
            yield 809;
            pmap_page_protect(k, ptmp, PROT_NONE);
            yield 810;
            uvm_pagedeactivate(k, ptmp);
          }
        } else {
          yield 812;
          if (flags & PGO_FREE && result !== VM_PAGER_PEND) {
            yield 814;
            if (result !== VM_PAGER_OK) {
              yield 819;
              if (!k.uvm.statics[RATECHECK_FIRED]) {
                k.uvm.statics[RATECHECK_FIRED] = 1;
                yield 820;
                yield 825;
              }
              yield 829;
              retval = false;
            }
            yield 831;
            pmap_page_protect(k, ptmp, PROT_NONE);
            yield 832;
            uvm_pageclean(k, ptmp);
            yield 833;
            dead.push(ptmp.id);
          }
        }
      }
    }
    th.focusPage = null;

    yield 841;
    uvm_unlock_pageq(k);

    yield 844;
    if (need_iosync) {
      for (;;) {
        yield 845;
        if (uvn.nio === 0) break;
        yield 846;
        uvn.flags |= UVM_VNODE_IOSYNC;
        yield 847;
        yield* rwsleep_nsec(k, th, chan.nio(vp.name), lock, 'uvn_flush', true);
      }
      yield 850;
      if (uvn.flags & UVM_VNODE_IOSYNCWANTED) {
        yield 851;
        wakeup(k, chan.uflags(vp.name));
      }
      yield 852;
      uvn.flags &= ~(UVM_VNODE_IOSYNC | UVM_VNODE_IOSYNCWANTED);
    }

    yield 855;
    uvm_pglistfree(k, dead);
    yield 857;
    return retval;
  },
);
