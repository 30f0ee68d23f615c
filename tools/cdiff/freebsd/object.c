/*
 * VM objects: allocation, references, paging_in_progress, page removal, termination and deallocation,
 * and page cleaning (vm_object_page_clean with vm_pageout_flush) as FreeBSD 12 does it.
 */
#include "kern_private.h"

struct vm_object *objects[MAXOBJ];
int nobjects;

vm_object_t vm_object_allocate(objtype_t type, vm_pindex_t size)
{
	vm_object_t o = calloc(1, sizeof *o);
	o->id = nobjects + 1;
	char name[40];
	snprintf(name, sizeof name, "vmobjlock:obj%d", o->id);
	lock_init(&o->lock, name);
	TAILQ_INIT(&o->memq);
	o->type = type;
	o->size = size;
	o->ref_count = 1;
	o->generation = 1;
	snprintf(o->vnode, sizeof o->vnode, "%s", cur->a_vnode);
	objects[nobjects++] = o;
	return o;
}

void vm_object_destroy(vm_object_t o) { o->destroyed = 1; }
void vm_object_set_flag(vm_object_t o, u_short f) { o->flags |= f; }
void vm_object_clear_flag(vm_object_t o, u_short f) { o->flags &= ~f; }
void vm_object_color(vm_object_t o, vm_offset_t c) { (void)c; o->flags |= OBJ_COLORED; }
void vm_object_pip_add(vm_object_t o, short n) { o->paging_in_progress += n; }
void vm_object_pip_wakeup(vm_object_t o)
{
	o->paging_in_progress--;
	if ((o->flags & OBJ_PIPWNT) && o->paging_in_progress == 0) {
		o->flags &= ~OBJ_PIPWNT;
		wakeup(o);
	}
}

void vm_object_pip_wait(vm_object_t o, const char *msg)
{
	while (o->paging_in_progress) {
		o->flags |= OBJ_PIPWNT;
		VM_OBJECT_SLEEP(o, o, PVM, msg, 0);
	}
}

void vm_object_reference_locked(vm_object_t o)
{
	o->ref_count++;
	if (o->type == OBJT_VNODE && o->handle) vref_add(o->handle, 1);
}

void vm_pager_deallocate(vm_object_t o)
{
	if (o->type == OBJT_VNODE) {
		int l = SEED_LINE();
		vnodepagerops.pgo_dealloc(o);
		SEED_BACK(l);
	}
}

void vm_object_page_remove(vm_object_t o, vm_pindex_t start, vm_pindex_t end, int options)
{
	if (TAILQ_FIRST(&o->memq) == NULL) return;
	vm_object_pip_add(o, 1);
again:
	for (vm_page_t p = vm_page_find_least(o, start), next; p && (p->pindex < end || end == 0); p = next) {
		next = TAILQ_NEXT(p, listq);
		if (vm_page_busied(p)) {
			vm_page_busy_sleep(p, o, "vmopar");
			VM_OBJECT_WLOCK(o);
			goto again;
		}
		if ((options & OBJPR_CLEANONLY) && p->valid != 0) {
			if ((options & OBJPR_NOTMAPPED) == 0 && o->ref_count != 0) pmap_remove_write(p);
			if (p->dirty != 0) continue;
		}
		if ((options & OBJPR_NOTMAPPED) == 0 && o->ref_count != 0) pmap_remove_all(p);
		vm_page_free(p);
	}
	vm_object_pip_wakeup(o);
}

void vinvalbuf(struct vnode *vp)
{
	vm_object_t o = vp->v_object;
	if (o == NULL) return;
	VM_OBJECT_WLOCK(o);
	vm_object_pip_wait(o, "bovlbx");
	vm_object_page_remove(o, 0, 0, OBJPR_CLEANONLY);
	VM_OBJECT_WUNLOCK(o);
}

void vm_object_terminate(vm_object_t o)
{
	o->flags |= OBJ_DEAD;
	vm_object_pip_wait(o, "objtrm");
	KASSERT(o->paging_in_progress == 0, ("vm_object_terminate: pageout in progress"));
	if (o->type == OBJT_VNODE) {
		struct vnode *vp = o->handle;
		vm_object_page_clean(o, 0, 0, OBJPC_SYNC);
		VM_OBJECT_WUNLOCK(o);
		vinvalbuf(vp);
		VM_OBJECT_WLOCK(o);
	}
	KASSERT(o->ref_count == 0, ("vm_object_terminate: object with references, ref_count=%d", o->ref_count));
	vm_page_t p, next;
	for (p = TAILQ_FIRST(&o->memq); p; p = next) {
		next = TAILQ_NEXT(p, listq);
		vm_page_free(p);
	}
	vm_pager_deallocate(o);
	VM_OBJECT_WUNLOCK(o);
	vm_object_destroy(o);
}

void vm_object_deallocate(vm_object_t o)
{
	VM_OBJECT_WLOCK(o);
	if (o->type == OBJT_VNODE) {
		struct vnode *vp = o->handle;
		if (o->ref_count == 0) panic("vm_object_vndeallocate: bad object reference count");
		if (o->ref_count > 1 || (vp->v_vflag & VV_TEXT) == 0) {
			o->ref_count--;
			VM_OBJECT_WUNLOCK(o);
			vrele(vp);
			return;
		}
		VM_OBJECT_WUNLOCK(o);
		vn_lock(vp, LK_EXCLUSIVE | LK_RETRY);
		VM_OBJECT_WLOCK(o);
		o->ref_count--;
		if (o->type == OBJT_DEAD) {
			VM_OBJECT_WUNLOCK(o);
			VOP_UNLOCK(vp, 0);
		} else {
			if (o->ref_count == 0) vp->v_vflag &= ~VV_TEXT;
			VM_OBJECT_WUNLOCK(o);
			vput(vp);
		}
		return;
	}
	KASSERT(o->ref_count != 0, ("vm_object_deallocate: object deallocated too many times: %d", o->type));
	o->ref_count--;
	if (o->ref_count > 0) {
		VM_OBJECT_WUNLOCK(o);
		return;
	}
	if ((o->flags & OBJ_DEAD) == 0) vm_object_terminate(o);
	else VM_OBJECT_WUNLOCK(o);
}

/* ---------------------------------------------------------------- page cleaning (FreeBSD 12) */

int vm_pageout_flush(vm_page_t *mc, int count, int flags, int mreq, int *prunlen, int *eio)
{
	vm_object_t object = mc[0]->object;
	int status[64];
	int numpagedout = 0, runlen;
	for (int i = 0; i < count; i++) {
		KASSERT(mc[i]->valid == VM_PAGE_BITS_ALL,
		    ("vm_pageout_flush: partially invalid page %p index %d/%d", mc[i], i, count));
		KASSERT(!pmap_page_is_write_mapped(mc[i]), ("vm_pageout_flush: writeable page %p", mc[i]));
		vm_page_sbusy(mc[i]);
	}
	vm_object_pip_add(object, count);
	for (int i = 0; i < count; i++) status[i] = VM_PAGER_ERROR;
	int l = SEED_LINE();
	vnodepagerops.pgo_putpages(object, mc, count, flags, status);
	SEED_BACK(l);
	runlen = count - mreq;
	if (eio) *eio = 0;
	for (int i = 0; i < count; i++) {
		vm_page_t mt = mc[i];
		KASSERT(status[i] == VM_PAGER_PEND || !pmap_page_is_write_mapped(mt),
		    ("vm_pageout_flush: page %p is not write protected", mt));
		switch (status[i]) {
		case VM_PAGER_OK:
		case VM_PAGER_PEND:
			numpagedout++;
			break;
		case VM_PAGER_BAD:
			vm_page_undirty(mt);
			break;
		case VM_PAGER_ERROR:
		case VM_PAGER_FAIL:
			vm_page_activate(mt);
			if (eio && i >= mreq && i - mreq < runlen) *eio = 1;
			break;
		case VM_PAGER_AGAIN:
			if (i >= mreq && i - mreq < runlen) runlen = i - mreq;
			break;
		}
		if (status[i] != VM_PAGER_PEND) {
			vm_object_pip_wakeup(object);
			vm_page_sunbusy(mt);
		}
	}
	if (prunlen) *prunlen = runlen;
	return numpagedout;
}

static int page_remove_write(vm_page_t p, int flags)
{
	(void)flags; /* VPO_NOSYNC is never set: no MAP_NOSYNC mapping */
	pmap_remove_write(p);
	return p->dirty != 0;
}

static vm_page_t page_next(vm_page_t m)
{
	vm_page_t n = TAILQ_NEXT(m, listq);
	return n && n->pindex == m->pindex + 1 ? n : NULL;
}

static vm_page_t page_prev(vm_page_t m)
{
	vm_page_t p = TAILQ_PREV(m, pglist, listq);
	return p && p->pindex + 1 == m->pindex ? p : NULL;
}

static int collect_flush(vm_object_t o, vm_page_t p, int pagerflags, int flags, int *eio)
{
	vm_page_t ma[32], tp, p_first;
	int count = 1, mreq = 0;
	for (tp = p; count < 32; count++) {
		tp = page_next(tp);
		if (tp == NULL || vm_page_busied(tp)) break;
		if (!page_remove_write(tp, flags)) break;
	}
	for (p_first = p; count < 32; count++) {
		tp = page_prev(p_first);
		if (tp == NULL || vm_page_busied(tp)) break;
		if (!page_remove_write(tp, flags)) break;
		p_first = tp;
		mreq++;
	}
	tp = p_first;
	for (int i = 0; i < count; i++, tp = TAILQ_NEXT(tp, listq)) ma[i] = tp;
	vm_pageout_flush(ma, count, pagerflags, mreq, &count, eio);
	(void)o;
	return count;
}

boolean_t vm_object_page_clean(vm_object_t o, vm_ooffset_t start, vm_ooffset_t end, int flags)
{
	if (o->type != OBJT_VNODE || (o->flags & OBJ_MIGHTBEDIRTY) == 0 || o->resident_page_count == 0) return TRUE;
	int pagerflags = (flags & (OBJPC_SYNC | OBJPC_INVAL)) ? VM_PAGER_PUT_SYNC : VM_PAGER_CLUSTER_OK;
	pagerflags |= (flags & OBJPC_INVAL) ? VM_PAGER_PUT_INVAL : 0;
	vm_pindex_t tstart = OFF_TO_IDX(start);
	vm_pindex_t tend = end == 0 ? o->size : OFF_TO_IDX(end + PAGE_MASK);
	int allclean = tstart == 0 && tend >= o->size;
	int res = TRUE;
	vm_page_t p, np;
rescan:;
	int curgen = o->generation;
	for (p = vm_page_find_least(o, tstart); p != NULL; p = np) {
		vm_pindex_t pi = p->pindex;
		if (pi >= tend) break;
		np = TAILQ_NEXT(p, listq);
		if (p->valid == 0) continue;
		if (vm_page_sleep_if_busy(p, o, "vpcwai")) {
			if (o->generation != curgen) {
				if (flags & OBJPC_SYNC) goto rescan;
				allclean = 0;
			}
			np = vm_page_find_least(o, pi);
			continue;
		}
		if (!page_remove_write(p, flags)) continue;
		int eio = 0;
		int n = collect_flush(o, p, pagerflags, flags, &eio);
		if (eio) {
			res = FALSE;
			allclean = 0;
		}
		if (o->generation != curgen) {
			if (flags & OBJPC_SYNC) goto rescan;
			allclean = 0;
		}
		if (n == 0) {
			n = 1;
			allclean = 0;
		}
		np = vm_page_find_least(o, pi + n);
	}
	if (allclean) o->flags &= ~OBJ_MIGHTBEDIRTY;
	return res;
}
