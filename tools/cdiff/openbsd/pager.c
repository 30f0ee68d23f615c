/*
 * pager.c: the uvm_pager.c collaborators (uvm_mk_pcluster, uvm_pager_put, uvm_pager_dropcluster), as OpenBSD's own
 * uvm_pager.c behaves (docs/cdiff.md).
 * Part of the fake kernel around seeds/uvm_vnode.c (kern.c has the overview).
 */
#include "harness.h"

/* ------------------------------------------------------------ uvm_pager.c */

/*
 * The generic put-cluster builder: the pager says how far a cluster may
 * reach, the caller's range narrows it unless every page counts, and the
 * cluster grows from the (busy) center page first backward, then forward,
 * each way stopping at the first page that is absent, active while active
 * pages are not wanted, clean or busy.
 */
struct vm_page **uvm_mk_pcluster(struct uvm_object *uobj, struct vm_page **pps, int *npages,
    struct vm_page *center, int flags, voff_t mlo, voff_t mhi)
{
	voff_t lo, hi;
	uobj->pgops->pgo_cluster(uobj, center->offset, &lo, &hi);
	if ((flags & PGO_ALLPAGES) == 0) {
		if (lo < mlo)
			lo = mlo;
		if (hi > mhi)
			hi = mhi;
	}
	if ((hi - lo) >> PAGE_SHIFT > *npages) {
		pps[0] = center;
		*npages = 1;
		return pps;
	}
	int at = (int)((center->offset - lo) >> PAGE_SHIFT);
	struct vm_page **first = &pps[at];
	pps[at] = center;
	int count = 1;
	for (int dir = -1; dir <= 1; dir += 2) {
		for (voff_t off = center->offset + dir * PAGE_SIZE; dir < 0 ? off >= lo : off < hi;
		    off += dir * PAGE_SIZE) {
			struct vm_page *p = uvm_pagelookup(uobj, off);
			if (p == NULL)
				break;
			if ((p->pg_flags & PQ_INACTIVE) == 0) {
				if ((flags & PGO_DOACTCLUST) == 0)
					break;
				if ((p->pg_flags & PG_CLEANCHK) == 0) {
					if ((p->pg_flags & (PG_CLEAN | PG_BUSY)) == PG_CLEAN && pmap_is_modified(p))
						p->pg_flags &= ~PG_CLEAN;
					p->pg_flags |= PG_CLEANCHK;
				}
			}
			if ((p->pg_flags & (PG_CLEAN | PG_BUSY)) != 0)
				break;
			p->pg_flags |= PG_BUSY;
			if ((flags & (PGO_FREE | PGO_SYNCIO)) == PGO_FREE)
				p->pg_flags |= PG_RELEASED;
			pmap_page_protect(p, PROT_READ);
			if (dir < 0)
				*--first = p;
			else
				first[count] = p;
			count++;
		}
	}
	*npages = count;
	return first;
}

void uvm_pager_dropcluster(struct uvm_object *uobj, struct vm_page *pg, struct vm_page **ppsp, int *npages,
    int flags)
{
	(void)uobj;
	for (int i = 0; i < *npages; i++) {
		struct vm_page *p = ppsp[i];
		if (p == pg || p == NULL)
			continue;
		if (p->pg_flags & PG_WANTED)
			wakeup(p);
		p->pg_flags &= ~(PG_BUSY | PG_WANTED | PG_FAKE | PG_RELEASED);
		if (flags & PGO_PDFREECLUST) {
			pmap_clear_modify(p);
			p->pg_flags |= PG_CLEAN;
		}
	}
}

/*
 * Page out `pg` and what clusters with it: entered with the object and the
 * page queues locked, returns with the queues unlocked. On an error the
 * cluster beyond `pg` is dropped; a transient error (AGAIN) is tried once
 * more with `pg` alone.
 */
int uvm_pager_put(struct uvm_object *uobj, struct vm_page *pg, struct vm_page ***ppsp_ptr, int *npages,
    int flags, voff_t start, voff_t stop)
{
	struct vm_page **ppsp = *ppsp_ptr;
	int result;

	ppsp = uobj->pgops->pgo_mk_pcluster(uobj, ppsp, npages, pg, flags, start, stop);
	*ppsp_ptr = ppsp;
	uvm_unlock_pageq();
	for (;;) {
		result = uobj->pgops->pgo_put(uobj, ppsp, *npages, flags);
		if (result == VM_PAGER_OK || result == VM_PAGER_PEND) {
			if (result == VM_PAGER_OK && (flags & PGO_PDFREECLUST) && *npages > 1)
				uvm_pager_dropcluster(uobj, pg, ppsp, npages, PGO_PDFREECLUST);
			return result;
		}
		if (*npages > 1) {
			uvm_pager_dropcluster(uobj, pg, ppsp, npages, PGO_REALLOCSWAP);
			if (result == VM_PAGER_AGAIN) {
				ppsp[0] = pg;
				*npages = 1;
				continue;
			}
		}
		return result;
	}
}
