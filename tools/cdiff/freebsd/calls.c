/*
 * The callers of the contract's FreeBSD calls table (scenario-format.md), written from that table: each
 * spawned thread runs thread_main, which dispatches on the call's name. fault and sendfile, the two that
 * read pages in, are in calls_fault_sendfile.c.
 */
#include "kern_private.h"

struct mapping maps[MAXT];
int nmaps;

struct mapping *mapping_named(const char *id)
{
	for (int i = 0; i < nmaps; i++)
		if (strcmp(maps[i].id, id) == 0) return &maps[i];
	fatal("no mapping %s", id);
	return NULL;
}

static void call_vnode_create_vobject(struct vnode *vp)
{
	CS();
	if (vn_lock(vp, LK_EXCLUSIVE) != 0) {
		RET("\"ENOENT\"");
		return;
	}
	CS();
	int r = vnode_create_vobject(vp, vp->size, curthread);
	CS();
	VOP_UNLOCK(vp, 0);
	RET("\"%d\"", r);
}

const char *errname(int e)
{
	switch (e) {
	case 0: return "0";
	case ENOENT: return "ENOENT";
	case EIO: return "EIO";
	case EBADF: return "EBADF";
	case EBUSY: return "EBUSY";
	case EDEADLK: return "EDEADLK";
	case EINVAL: return "EINVAL";
	default: return "E?";
	}
}

static void call_mmap(struct vnode *vp, int rw, int shared, int64_t length)
{
	int wc = shared && rw;
	CS();
	int error = vget(vp, wc ? LK_EXCLUSIVE : LK_SHARED);
	if (error) {
		RET("\"%s\"", errname(error));
		return;
	}
	CS();
	vm_object_t obj = vp->v_object;
	if (obj == NULL) {
		CS();
		vput(vp);
		RET("\"EINVAL\"");
		return;
	}
	if (wc) {
		CS();
		vnode_pager_update_writecount(obj, 0, length);
	}
	CS();
	obj = vnodepagerops.pgo_alloc(vp, round_page(vp->size), wc ? 3 : 1, 0, NULL);
	CS();
	vput(vp);
	struct mapping *m = &maps[nmaps++];
	snprintf(m->id, sizeof m->id, "%s", cur->id);
	m->obj = obj;
	m->length = length;
	m->rw = wc;
	m->wcount = wc;
	m->tidx = nmaps - 1;
	RET("\"obj%d\"", obj->id);
}

static void call_munmap(const char *mapping)
{
	struct mapping *mp = mapping_named(mapping);
	vm_object_t obj = mp->obj;
	CS();
	for (vm_page_t p = TAILQ_FIRST(&obj->memq); p; p = TAILQ_NEXT(p, listq)) pmap_remove_mapping(p, mp->tidx);
	if (mp->wcount) {
		CS();
		vnode_pager_release_writecount(obj, 0, mp->length);
	}
	CS();
	vm_object_deallocate(obj);
	RET("null");
}

void vm_pager_assert_in(vm_object_t object, vm_page_t *m, int count)
{
	for (int i = 0; i < count; i++) {
		if (m[i] == bogus_page) continue;
		KASSERT(m[i]->xbusy, ("page %p not exclusive busy", m[i]));
		KASSERT(!pmap_page_is_mapped(m[i]), ("%s: page %p is mapped", "vm_pager_assert_in", m[i]));
		KASSERT(m[i]->valid != VM_PAGE_BITS_ALL, ("%s: request for a valid page %p", "vm_pager_assert_in", m[i]));
		KASSERT(m[i]->dirty == 0, ("%s: page %p is dirty", "vm_pager_assert_in", m[i]));
		KASSERT(m[i]->object == object, ("%s: wrong object %p/%p", "vm_pager_assert_in", object, m[i]->object));
	}
}

/*
 * msync and pageout start alike: the vnode locked exclusively, then its object; a vnode without one is
 * unlocked again and the call returns `none` (the caller sees NULL and returns).
 */
static vm_object_t lock_vnode_object(struct vnode *vp, const char *none)
{
	CS();
	vn_lock(vp, LK_EXCLUSIVE | LK_RETRY);
	CS();
	vm_object_t obj = vp->v_object;
	if (obj == NULL) {
		CS();
		VOP_UNLOCK(vp, 0);
		RET("%s", none);
	}
	return obj;
}

static void call_msync(struct vnode *vp, int flags, int64_t start, int64_t end)
{
	vm_object_t obj = lock_vnode_object(vp, "true");
	if (obj == NULL) return;
	CS();
	VM_OBJECT_WLOCK(obj);
	CS();
	int r = vm_object_page_clean(obj, start, end, flags);
	CS();
	VM_OBJECT_WUNLOCK(obj);
	CS();
	VOP_UNLOCK(vp, 0);
	RET(r ? "true" : "false");
}

static void call_pageout(struct vnode *vp, int64_t pindex)
{
	vm_object_t obj = lock_vnode_object(vp, "0");
	if (obj == NULL) return;
	CS();
	VM_OBJECT_WLOCK(obj);
	int n = 0;
	CS();
	vm_page_t m = vm_page_lookup(obj, pindex);
	if (m && !vm_page_busied(m) && m->valid == VM_PAGE_BITS_ALL) {
		CS();
		pmap_remove_write(m);
		if (m->dirty) {
			CS();
			n = vm_pageout_flush(&m, 1, VM_PAGER_PUT_NOREUSE, 0, NULL, NULL);
		}
	}
	CS();
	VM_OBJECT_WUNLOCK(obj);
	CS();
	VOP_UNLOCK(vp, 0);
	RET("%d", n);
}

static void call_haspage(struct vnode *vp, int64_t pindex)
{
	CS();
	vm_object_t obj = vp->v_object;
	if (obj == NULL) {
		RET("null");
		return;
	}
	CS();
	VM_OBJECT_WLOCK(obj);
	int before = 0, after = 0, has = 0;
	CS();
	if (obj->type == OBJT_VNODE) has = vnodepagerops.pgo_haspage(obj, pindex, &before, &after);
	CS();
	VM_OBJECT_WUNLOCK(obj);
	RET("{\"has\":%s,\"before\":%d,\"after\":%d}", has ? "true" : "false", before, after);
}

static void call_setsize(struct vnode *vp, int64_t size)
{
	CS();
	vn_lock(vp, LK_EXCLUSIVE | LK_RETRY);
	CS();
	vp->size = size;
	int64_t keep = (size + vp->v_mount->mnt_stat.f_iosize - 1) / vp->v_mount->mnt_stat.f_iosize;
	if (vp->nblocks > keep) vp->nblocks = (int)keep;
	CS();
	vnode_pager_setsize(vp, size);
	CS();
	VOP_UNLOCK(vp, 0);
	RET("null");
}

static void call_vgone(struct vnode *vp)
{
	CS();
	vn_lock(vp, LK_EXCLUSIVE | LK_RETRY);
	CS();
	if (vp->v_iflag & VI_DOOMED) {
		CS();
		VOP_UNLOCK(vp, 0);
		RET("null");
		return;
	}
	CS();
	vp->v_iflag |= VI_DOOMED;
	int active = vp->v_usecount > 0;
	CS();
	if (active) vinactive(vp);
	CS();
	vinvalbuf(vp);
	CS();
	vnode_destroy_vobject(vp);
	CS();
	vp->deadfs = 1;
	vp->v_type = VBAD;
	CS();
	VOP_UNLOCK(vp, 0);
	RET("null");
}

void thread_main(void)
{
	struct kthread *t = cur;
	const char *c = t->call;
	if (!strcmp(c, "vref")) {
		CS();
		vref_add(vnode_named(t->a_vnode), 1);
		RET("null");
	} else if (!strcmp(c, "vrele")) {
		CS();
		vrele(vnode_named(t->a_vnode));
		RET("null");
	} else if (!strcmp(c, "vnode_create_vobject"))
		call_vnode_create_vobject(vnode_named(t->a_vnode));
	else if (!strcmp(c, "mmap"))
		call_mmap(vnode_named(t->a_vnode), (int)t->n[0], (int)t->n[1], t->n[2]);
	else if (!strcmp(c, "munmap"))
		call_munmap(t->a_mapping);
	else if (!strcmp(c, "fault"))
		call_fault(t->a_mapping, t->n[0], (int)t->n[1], (int)t->n[2], (int)t->n[3]);
	else if (!strcmp(c, "sendfile"))
		call_sendfile(vnode_named(t->a_vnode), t->n[0], t->n[1], t->n[2]);
	else if (!strcmp(c, "msync"))
		call_msync(vnode_named(t->a_vnode), (int)t->n[0], t->n[1], t->n[2]);
	else if (!strcmp(c, "pageout"))
		call_pageout(vnode_named(t->a_vnode), t->n[0]);
	else if (!strcmp(c, "haspage"))
		call_haspage(vnode_named(t->a_vnode), t->n[0]);
	else if (!strcmp(c, "vnode_pager_setsize"))
		call_setsize(vnode_named(t->a_vnode), t->n[0]);
	else if (!strcmp(c, "vgone"))
		call_vgone(vnode_named(t->a_vnode));
	else
		fatal("unsupported call %s", c);
	t->status = T_DONE;
	t->wait[0] = 0;
	for (;;) swapcontext(&t->ctx, &sched_ctx);
}
