/*
 * pages.c: pages (the object tree, allocation, queues, uvm_pagewait/uvm_wait), the pmap bits and uvm_pagermapin.
 * Part of the fake kernel around seeds/uvm_vnode.c (kern.c has the overview).
 */
#include "harness.h"

/* ------------------------------------------------------------------- pages */

static void tree_insert(struct uvm_object *uobj, struct vm_page *pg)
{
	struct vm_page **at = &uobj->memt.first;
	while (*at != NULL && (*at)->offset < pg->offset)
		at = &(*at)->tnext;
	pg->tnext = *at;
	*at = pg;
	uobj->uo_npages++;
	pg->pg_flags |= PG_TABLED;
}

static void tree_remove(struct uvm_object *uobj, struct vm_page *pg)
{
	struct vm_page **at = &uobj->memt.first;
	while (*at != NULL && *at != pg)
		at = &(*at)->tnext;
	if (*at == pg) {
		*at = pg->tnext;
		pg->tnext = NULL;
		uobj->uo_npages--;
	}
	pg->pg_flags &= ~PG_TABLED;
}

struct vm_page *uvm_pagelookup(struct uvm_object *uobj, voff_t off)
{
	struct vm_page *pg;
	for (pg = uobj->memt.first; pg != NULL && pg->offset < off; pg = pg->tnext)
		;
	if (pg != NULL && pg->offset != off)
		pg = NULL;
	/* uvm_page.c's own KASSERT; its line is the contract's convention */
	if (!(pg == NULL || (pg->pg_flags & PG_RELEASED) == 0 || (pg->pg_flags & PG_BUSY) != 0))
		kassert_fail("pg == NULL || (pg->pg_flags & PG_RELEASED) == 0 || (pg->pg_flags & PG_BUSY) != 0",
		    "sys/uvm/uvm_page.c", 1187);
	return pg;
}

struct vm_page *uvm_pagealloc(struct uvm_object *uobj, voff_t off, struct vm_anon *anon, int flags)
{
	(void)anon;
	(void)flags;
	if (free_pages == 0)
		return NULL;
	free_pages--;
	struct vm_page *pg = calloc(1, sizeof(*pg));
	pg->id = next_page_id++;
	pg->uobject = uobj;
	pg->offset = off;
	pg->pg_flags = PG_BUSY | PG_FAKE | PG_CLEAN;
	tree_insert(uobj, pg);
	return pg;
}

static void dequeue(struct vm_page *pg)
{
	pg->pg_flags &= ~(PQ_ACTIVE | PQ_INACTIVE);
}

void uvm_pageclean(struct vm_page *pg)
{
	if (pg->uobject != NULL)
		tree_remove(pg->uobject, pg);
	dequeue(pg);
	pg->uobject = NULL;
	pg->wire_count = 0;
	pg->pg_flags &= ~(PQ_ANON | PQ_AOBJ | PQ_ENCRYPT | PG_ZERO | PG_FAKE | PG_BUSY | PG_RELEASED | PG_CLEAN |
	    PG_CLEANCHK);
}

void uvm_pagefree(struct vm_page *pg)
{
	uvm_pageclean(pg);
	free_pages++;
	wakeup(&free_pages_chan);
}

void uvm_pglistfree(struct pglist *list)
{
	for (struct vm_page *pg = list->tqh_first; pg != NULL; pg = pg->pageq.tqe_next)
		free_pages++;
	wakeup(&free_pages_chan);
}

void uvm_pagedeactivate(struct vm_page *pg)
{
	if (pg->pg_flags & PQ_ACTIVE)
		pg->pg_flags &= ~PQ_ACTIVE;
	if ((pg->pg_flags & PQ_INACTIVE) == 0) {
		pg->pg_flags |= PQ_INACTIVE;
		if ((pg->pg_flags & PG_CLEAN) != 0 && pmap_is_modified(pg))
			pg->pg_flags &= ~PG_CLEAN;
	}
}

void uvm_pageactivate(struct vm_page *pg)
{
	dequeue(pg);
	if (pg->wire_count == 0)
		pg->pg_flags |= PQ_ACTIVE;
}

void uvm_pagewait(struct vm_page *pg, struct rwlock *lock, const char *wmesg)
{
	pg->pg_flags |= PG_WANTED;
	rwsleep_nsec(pg, lock, PVM | PNORELOCK, wmesg, INFSLP);
}

void uvm_wait(const char *wmsg)
{
	/* keeps every lock the caller holds */
	sleep_on(&free_pages_chan, wmsg);
}

void pmap_page_protect(struct vm_page *pg, vm_prot_t prot)
{
	if (prot == PROT_NONE)
		pg->mapped = 0;
}

boolean_t pmap_is_modified(struct vm_page *pg)
{
	return pg->modified;
}

boolean_t pmap_clear_modify(struct vm_page *pg)
{
	boolean_t was = pg->modified;
	pg->modified = 0;
	return was;
}

/* amd64's direct map: a mapping never fails; the zero-fill after a short read needs real bytes */
static char mapbuf[MAXBSIZE] __attribute__((aligned(4096)));

vaddr_t uvm_pagermapin(struct vm_page **pps, int npages, int flags)
{
	(void)pps;
	(void)npages;
	(void)flags;
	return (vaddr_t)mapbuf;
}

void uvm_pagermapout(vaddr_t kva, int npages)
{
	(void)kva;
	(void)npages;
}
