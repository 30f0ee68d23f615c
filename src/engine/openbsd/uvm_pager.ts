/**
 * The parts of sys/uvm/uvm_pager.c that uvn_flush calls: uvm_pager_put with
 * uvm_mk_pcluster and uvm_pager_dropcluster (reference §4, checked against
 * the openbsd/src text). Outside the seed: each runs as one statement, but
 * the seed functions they call (uvn_cluster, uvn_put) are stepped line by line.
 */
import { PAGE_SHIFT, PAGE_SIZE, PROT_READ } from '../kernel/constants';
import { wakeup } from '../kernel/sched';
import type { KThread, Proc } from '../kernel/types';
import {
  MAXBSIZE,
  PG_BUSY,
  PG_CLEAN,
  PG_CLEANCHK,
  PG_FAKE,
  PG_RELEASED,
  PG_WANTED,
  PGO_ALLPAGES,
  PGO_DOACTCLUST,
  PGO_FREE,
  PGO_PDFREECLUST,
  PGO_REALLOCSWAP,
  PGO_SYNCIO,
  VM_PAGER_AGAIN,
  VM_PAGER_OK,
  VM_PAGER_PEND,
} from './flags';
import { chan, type Page, type UvmKernel, type UvmVnode } from './state';
import { pmap_clear_modify, pmap_is_modified, pmap_page_protect, uvm_pagelookup, uvm_unlock_pageq } from './uvm_page';
import { uvn_cluster, uvn_put } from './uvn_io';

/** Slots in uvn_flush's pps[] array: MAXBSIZE >> PAGE_SHIFT. */
export const PPS_SLOTS = MAXBSIZE >> PAGE_SHIFT;

function* uvm_mk_pcluster(
  k: UvmKernel,
  th: KThread,
  vp: UvmVnode,
  center: Page,
  flags: number,
  mlo: number,
  mhi: number,
): Proc<Page[]> {
  let { lo, hi } = yield* uvn_cluster(k, th, vp, center.offset);
  if ((flags & PGO_ALLPAGES) === 0) {
    if (lo < mlo) lo = mlo;
    if (hi > mhi) hi = mhi;
  }
  if ((hi - lo) / PAGE_SIZE > PPS_SLOTS) return [center];

  const cluster: Page[] = [center];
  for (let forward = 0; forward <= 1; forward++) {
    const incr = forward ? PAGE_SIZE : -PAGE_SIZE;
    for (let curoff = center.offset + incr; forward ? curoff < hi : curoff >= lo; curoff += incr) {
      const pclust = yield* uvm_pagelookup(k, th, vp.name, curoff);
      if (pclust === null) break;
      if (pclust.queue !== 'inactive') {
        if ((flags & PGO_DOACTCLUST) === 0) break;
        if ((pclust.flags & PG_CLEANCHK) === 0) {
          if ((pclust.flags & (PG_CLEAN | PG_BUSY)) === PG_CLEAN && pmap_is_modified(pclust))
            k.clearbits(pclust, PG_CLEAN);
          k.setbits(pclust, PG_CLEANCHK);
        }
      }
      if ((pclust.flags & (PG_CLEAN | PG_BUSY)) !== 0) break;

      k.setbits(pclust, PG_BUSY);
      k.touch(pclust).owner = th.id;
      if ((flags & (PGO_FREE | PGO_SYNCIO)) === PGO_FREE) k.setbits(pclust, PG_RELEASED);
      pmap_page_protect(k, pclust, PROT_READ);
      if (forward) cluster.push(pclust);
      else cluster.unshift(pclust);
    }
  }
  return cluster;
}

function uvm_pager_dropcluster(k: UvmKernel, pg: Page, cluster: readonly Page[], flags: number): void {
  for (const p of cluster) {
    if (p === pg) continue;
    if (p.flags & PG_WANTED) wakeup(k, chan.page(p.id));
    k.clearbits(p, PG_BUSY | PG_WANTED | PG_FAKE | PG_RELEASED);
    k.touch(p).owner = null;
    if (flags & PGO_PDFREECLUST) {
      pmap_clear_modify(k, p);
      k.setbits(p, PG_CLEAN);
    }
  }
}

/**
 * uvm_pager_put for an object page: cluster, unlock the page queues, pgo_put.
 * On success the caller gets the whole cluster back, busy. On error the
 * cluster (beyond pg) is dropped but still handed back, as the C leaves
 * *npages; AGAIN on a cluster retries once with pg alone.
 */
export function* uvm_pager_put(
  k: UvmKernel,
  th: KThread,
  vp: UvmVnode,
  pg: Page,
  flags: number,
  start: number,
  stop: number,
): Proc<{ result: number; cluster: Page[] }> {
  let cluster = yield* uvm_mk_pcluster(k, th, vp, pg, flags, start, stop);
  uvm_unlock_pageq(k);

  for (;;) {
    const result = yield* uvn_put(k, th, vp, cluster, flags);
    if (result === VM_PAGER_PEND || result === VM_PAGER_OK) {
      if (result === VM_PAGER_OK && flags & PGO_PDFREECLUST && cluster.length > 1)
        uvm_pager_dropcluster(k, pg, cluster, PGO_PDFREECLUST);
      return { result, cluster };
    }
    if (cluster.length > 1) {
      uvm_pager_dropcluster(k, pg, cluster, PGO_REALLOCSWAP);
      if (result === VM_PAGER_AGAIN) {
        cluster = [pg];
        continue;
      }
    }
    return { result, cluster };
  }
}
