/*
 * The two callers that read pages in through the seed: fault (vm_fault's steps) and sendfile
 * (vn_sendfile, sendfile_swapin with vm_page_grab_pages, bogus pages and sendfile_iodone).
 */
#include "kern_private.h"

void call_fault(const char *mapping, int64_t offset, int write, int behind, int ahead)
{
	struct mapping *mp = mapping_named(mapping);
	vm_object_t obj = mp->obj;
	vm_pindex_t pindex = offset / PAGE_SIZE;
	int pw = mp->rw;
	struct vnode *vp_held = NULL;
	vm_page_t m;
	/* CS(): the statements of vm_fault.c where the engine (src/engine/freebsd/fault.ts) has one */
	CS();
	if (write && !pw) {
		RET("\"KERN_PROTECTION_FAILURE\"");
		return;
	}
	int maxahead = (int)(mp->length / PAGE_SIZE - 1 - pindex);
	if (ahead > maxahead) ahead = maxahead;
	if (behind > (int)pindex) behind = (int)pindex;
#define UNLOCK_AND_DEALLOCATE()                                               \
	do {                                                                  \
		CS();                                                         \
		vm_object_pip_wakeup(obj);                                    \
		VM_OBJECT_WUNLOCK(obj);                                       \
		vm_object_deallocate(obj);                                    \
		if (vp_held) {                                                \
			struct vnode *v_ = vp_held;                           \
			vp_held = NULL;                                       \
			vput(v_);                                             \
		}                                                             \
	} while (0)
RetryFault:
	if (vp_held == NULL && (!pw || obj->type != OBJT_VNODE || (obj->flags & OBJ_MIGHTBEDIRTY))) {
		CS();
		VM_OBJECT_WLOCK(obj);
		CS();
		m = vm_page_lookup(obj, pindex);
		if (m && m->valid == VM_PAGE_BITS_ALL && !(vm_page_busied(m) && pw)) {
			pmap_enter(m, mp->tidx, pw, write);
			if (write) page_dirty(m);
			CS();
			VM_OBJECT_WUNLOCK(obj);
			RET("\"KERN_SUCCESS\"");
			return;
		}
	} else {
		CS();
		VM_OBJECT_WLOCK(obj);
	}
	CS();
	vm_object_reference_locked(obj);
	CS();
	vm_object_pip_add(obj, 1);
	CS();
	m = vm_page_lookup(obj, pindex);
	if (m) {
		CS();
		if (vm_page_busied(m)) {
			CS();
			vm_page_sleep_if_busy(m, obj, "vmpfw");
			CS();
			vm_object_pip_wakeup(obj);
			CS();
			VM_OBJECT_WUNLOCK(obj);
			CS();
			vm_object_deallocate(obj);
			goto RetryFault;
		}
		CS();
		vm_page_xbusy(m);
		if (m->valid == VM_PAGE_BITS_ALL) goto mapit;
	} else {
		CS();
		if (pindex >= obj->size) {
			UNLOCK_AND_DEALLOCATE();
			RET("\"KERN_PROTECTION_FAILURE\"");
			return;
		}
		CS();
		if (vm_cnt.v_free_count == 0) {
			UNLOCK_AND_DEALLOCATE();
			CS();
			if (vm_cnt.v_free_count == 0) sleep_on(&free_chan, "pfault");
			goto RetryFault;
		}
		CS();
		vm_object_color(obj, 0);
		CS();
		m = vm_page_alloc(obj, pindex, VM_ALLOC_NORMAL);
		/* another object's fault may have taken the last free page since the check (as fault.ts) */
		if (m == NULL) {
			UNLOCK_AND_DEALLOCATE();
			CS();
			if (vm_cnt.v_free_count == 0) sleep_on(&free_chan, "pfault");
			goto RetryFault;
		}
	}
	/* readrest */
	CS();
	if (obj->type == OBJT_DEAD) {
		CS();
		m->valid = VM_PAGE_BITS_ALL;
		goto mapit;
	}
	{
		struct vnode *vp = obj->handle;
		if (vp_held != vp) {
			CS();
			int locked = VOP_ISLOCKED(vp) == LK_EXCLUSIVE ? LK_EXCLUSIVE : LK_SHARED;
			CS();
			int error = vget(vp, locked | LK_NOWAIT);
			if (error) {
				CS();
				vm_page_xunbusy(m);
				vm_page_deactivate(m);
				UNLOCK_AND_DEALLOCATE();
				CS();
				vget(vp, LK_SHARED | LK_RETRY);
				vp_held = vp;
				goto RetryFault;
			}
			vp_held = vp;
		}
		int b = behind, a = ahead;
		CS();
		vm_pager_assert_in(obj, &m, 1);
		int rv = vnodepagerops.pgo_getpages(obj, &m, 1, &b, &a);
		CR();
		if (rv == VM_PAGER_OK) {
			KASSERT(m == vm_page_lookup(obj, m->pindex), ("%s: mismatch page %p pindex %ju", "vm_pager_get_pages", m, (uintmax_t)m->pindex));
			if (m->valid != VM_PAGE_BITS_ALL) m->valid = VM_PAGE_BITS_ALL;
		} else if (rv == VM_PAGER_ERROR || rv == VM_PAGER_BAD) {
			CS();
			vm_page_free(m);
			UNLOCK_AND_DEALLOCATE();
			RET(rv == VM_PAGER_ERROR ? "\"KERN_FAILURE\"" : "\"KERN_PROTECTION_FAILURE\"");
			return;
		} else
			fatal("fault: pager returned %d", rv);
	}
mapit:
	if (pw) {
		CS();
		if (obj->type == OBJT_VNODE) {
			obj->generation++;
			obj->flags |= OBJ_MIGHTBEDIRTY;
		}
		if (write) {
			CS();
			page_dirty(m);
		}
	}
	CS();
	VM_OBJECT_WUNLOCK(obj);
	CS();
	pmap_enter(m, mp->tidx, pw, write);
	CS();
	VM_OBJECT_WLOCK(obj);
	CS();
	vm_page_activate(m);
	CS();
	vm_page_xunbusy(m);
	UNLOCK_AND_DEALLOCATE();
	RET("\"KERN_SUCCESS\"");
#undef UNLOCK_AND_DEALLOCATE
}

/* sendfile */
static void sendfile_iodone(void *arg, vm_page_t *pa, int count, int error)
{
	(void)arg;
	(void)error;
	for (int i = 0; i < count; i++)
		if (pa[i] != bogus_page) {
			vm_page_xunbusy(pa[i]);
			vm_page_deactivate(pa[i]);
		}
}

static int64_t xfsize(int i, int n, int64_t off, int64_t len)
{
	if (i == 0) return PAGE_SIZE - (off & PAGE_MASK) < len ? PAGE_SIZE - (off & PAGE_MASK) : len;
	if (i == n - 1 && ((off + len) & PAGE_MASK) > 0) return (off + len) & PAGE_MASK;
	return PAGE_SIZE;
}

static int64_t vmoff(int i, int64_t off) { return i == 0 ? off : (int64_t)trunc_page(off + i * PAGE_SIZE); }

static void sendfile_swapin(vm_object_t obj, int64_t off, int64_t len, int npages, int rhpages)
{
	vm_page_t pa[1024];
	if (npages > 1024) fatal("sendfile too long");
	VM_OBJECT_WLOCK(obj);
	/* vm_page_grab_pages */
	for (int i = 0; i < npages;) {
		vm_page_t m = vm_page_lookup(obj, OFF_TO_IDX(off) + i);
		if (m) {
			if (vm_page_busied(m)) {
				vm_page_busy_sleep(m, obj, "grbmaw");
				VM_OBJECT_WLOCK(obj);
				continue;
			}
			vm_page_xbusy(m);
		} else {
			m = vm_page_alloc(obj, OFF_TO_IDX(off) + i, VM_ALLOC_NORMAL);
			if (m == NULL) {
				VM_OBJECT_WUNLOCK(obj);
				sleep_on(&free_chan, "vmwait");
				VM_OBJECT_WLOCK(obj);
				continue;
			}
		}
		pa[i++] = m;
	}
	for (int i = 0; i < npages;) {
		/* "a caller's uninitialised variable is taken as 0" (contract, VOP_BMAP with bmap: false) */
		int j, a = 0, count, rv;
		if (vm_page_is_valid(pa[i], vmoff(i, off) & PAGE_MASK, xfsize(i, npages, off, len))) {
			vm_page_xunbusy(pa[i]);
			vm_page_deactivate(pa[i]);
			i++;
			continue;
		}
		int has = vnodepagerops.pgo_haspage(obj, OFF_TO_IDX(vmoff(i, off)), NULL, &a);
		CR();
		if (!has) {
			pa[i]->valid = VM_PAGE_BITS_ALL;
			vm_page_xunbusy(pa[i]);
			vm_page_deactivate(pa[i]);
			i++;
			continue;
		}
		count = min(a + 1, npages - i);
		for (j = i + count - 1; j > i; j--) {
			if (vm_page_is_valid(pa[j], vmoff(j, off) & PAGE_MASK, xfsize(j, npages, off, len))) {
				count--;
				rhpages = 0;
			} else
				break;
		}
		for (j = i + 1; j < i + count - 1; j++)
			if (vm_page_is_valid(pa[j], vmoff(j, off) & PAGE_MASK, xfsize(j, npages, off, len))) {
				vm_page_xunbusy(pa[j]);
				vm_page_deactivate(pa[j]);
				pa[j] = bogus_page;
			}
		vm_pager_assert_in(obj, pa + i, count);
		rv = vnodepagerops.pgo_getpages_async(obj, pa + i, count, NULL, i + count == npages ? &rhpages : NULL,
		    &sendfile_iodone, NULL);
		CR();
		KASSERT(rv == VM_PAGER_OK, ("%s: pager fail obj %p page %p", "sendfile_swapin", obj, pa[i]));
		for (j = i; j < i + count; j++)
			if (pa[j] == bogus_page) pa[j] = vm_page_lookup(obj, OFF_TO_IDX(vmoff(j, off)));
		i += count;
	}
	VM_OBJECT_WUNLOCK(obj);
}

void call_sendfile(struct vnode *vp, int64_t offset, int64_t length, int64_t rahead)
{
	/* CS(): the statements of vn_sendfile where the engine (src/engine/freebsd/sendfile.ts) has one */
	CS();
	vn_lock(vp, LK_SHARED | LK_RETRY);
	CS();
	if (vp->v_type != VREG) {
		CS();
		VOP_UNLOCK(vp, 0);
		RET("\"EINVAL\"");
		return;
	}
	CS();
	int64_t size = vp->size;
	CS();
	vm_object_t obj = vp->v_object;
	if (obj == NULL) {
		CS();
		VOP_UNLOCK(vp, 0);
		RET("\"EINVAL\"");
		return;
	}
	CS();
	VM_OBJECT_WLOCK(obj);
	CS();
	if (obj->flags & OBJ_DEAD) {
		CS();
		VM_OBJECT_WUNLOCK(obj);
		CS();
		VOP_UNLOCK(vp, 0);
		RET("\"EBADF\"");
		return;
	}
	CS();
	vm_object_reference_locked(obj);
	CS();
	VM_OBJECT_WUNLOCK(obj);
	CS();
	VOP_UNLOCK(vp, 0);
	int error = 0;
	int64_t rem = length ? (length < size - offset ? length : size - offset) : size - offset;
	CS();
	if (rem > 0) {
		CS();
		error = vn_lock(vp, LK_SHARED);
		if (error == 0) {
			CS();
			int64_t nsize = vp->size;
			if (offset >= nsize) {
				CS();
				VOP_UNLOCK(vp, 0);
			} else {
				if (nsize != size) {
					size = nsize;
					rem = length ? (length < size - offset ? length : size - offset) : size - offset;
				}
				int npages = (int)((rem + PAGE_SIZE - 1) / PAGE_SIZE);
				int64_t rh = (size - offset + PAGE_SIZE - 1) / PAGE_SIZE - npages;
				if (rahead < rh) rh = rahead;
				if (32 < rh) rh = 32;
				CS();
				sendfile_swapin(obj, offset, rem, npages, (int)rh);
				CS();
				VOP_UNLOCK(vp, 0);
			}
		}
	}
	CS();
	vm_object_deallocate(obj);
	RET("\"%s\"", errname(error));
}
