/*
 * Vnodes and the file system under them: vnode locks and references, inactivation, the VOPs the seed
 * calls (VOP_BMAP over the scenario's block map, VOP_READ/VOP_WRITE as disk requests, VOP_PUTPAGES generic
 * or the NFS-like "undirty" one, VOP_GETPAGES(_ASYNC) as the seed's local getpages) and deadfs after vgone.
 */
#include "kern_private.h"

struct vnode vnodes[MAXV];
int nvnodes;
struct mount mounts[MAXM];
int nmounts;

struct vnode *vnode_named(const char *name)
{
	for (int i = 0; i < nvnodes; i++)
		if (strcmp(vnodes[i].name, name) == 0) return &vnodes[i];
	fatal("no vnode %s", name);
	return NULL;
}

int vn_lock(struct vnode *vp, int flags)
{
	struct klock *l = &vp->lock;
	int shared = (flags & LK_SHARED) != 0;
	for (;;) {
		if (shared && l->owner == &cur->td) return EDEADLK;
		if (shared ? l->owner == NULL : (lock_free(l) || l->owner == &cur->td)) break;
		if (flags & LK_NOWAIT) return EBUSY;
		lock_wait(l);
	}
	if (shared) l->shared[l->nshared++] = &cur->td;
	else {
		l->owner = &cur->td;
		l->count++;
	}
	if ((vp->v_iflag & VI_DOOMED) && (flags & LK_RETRY) == 0) {
		VOP_UNLOCK(vp, 0);
		return ENOENT;
	}
	return 0;
}

int VOP_UNLOCK(struct vnode *vp, int flags)
{
	(void)flags;
	lock_release(&vp->lock);
	return 0;
}

int VOP_ISLOCKED(struct vnode *vp)
{
	if (vp->lock.owner == &cur->td) return LK_EXCLUSIVE;
	if (lock_shared_by(&vp->lock, cur)) return LK_SHARED;
	return 0;
}

void vref_add(struct vnode *vp, int n)
{
	vp->v_usecount += n;
	if (n > 0) vp->oweinact = 0;
}

void vrefact(struct vnode *vp) { vref_add(vp, 1); }
void vunref(struct vnode *vp) { vp->v_usecount--; }

void vinactive(struct vnode *vp)
{
	vp->doinginact = 1;
	vp->oweinact = 0;
	vm_object_t obj = vp->v_object;
	if (obj != NULL && (obj->flags & OBJ_MIGHTBEDIRTY)) {
		VM_OBJECT_WLOCK(obj);
		vm_object_page_clean(obj, 0, 0, 0);
		VM_OBJECT_WUNLOCK(obj);
	}
	vp->doinginact = 0;
}

void vrele(struct vnode *vp)
{
	if (vp->v_usecount <= 0) panic("vrele: negative ref cnt");
	vp->v_usecount--;
	if (vp->v_usecount > 0 || vp->doinginact) return;
	vp->oweinact = 1;
	if (vn_lock(vp, LK_EXCLUSIVE) != 0) return;
	if (vp->oweinact) vinactive(vp);
	VOP_UNLOCK(vp, 0);
}

void vput(struct vnode *vp)
{
	VOP_UNLOCK(vp, 0);
	vrele(vp);
}

int vget(struct vnode *vp, int flags)
{
	int error = vn_lock(vp, flags);
	if (error == 0) vref_add(vp, 1);
	return error;
}

int vn_isdisk(struct vnode *vp, int *err) { (void)vp; (void)err; return 0; }
int vn_canvmio(struct vnode *vp) { return vp->v_type == VREG; }

int VOP_GETATTR(struct vnode *vp, struct vattr *va, struct ucred *cred)
{
	(void)cred;
	if (vp->deadfs) return EIO;
	va->va_size = vp->size;
	return 0;
}

int VOP_ADD_WRITECOUNT(struct vnode *vp, int inc)
{
	KASSERT(vp->v_writecount + inc >= 0, ("neg writecount increment %d", inc));
	vp->v_writecount += inc;
	return 0;
}

void VOP_UNSET_TEXT(struct vnode *vp) { vp->v_vflag &= ~VV_TEXT; }

static int64_t block_at(struct vnode *vp, int64_t j)
{
	if (j < 0 || j >= vp->nblocks) return -1;
	return vp->blocks[j];
}

int VOP_BMAP(struct vnode *vp, daddr_t bn, struct bufobj **bop, daddr_t *bnp, int *runp, int *runb)
{
	if (vp->deadfs) return EIO;
	struct mount *mp = vp->v_mount;
	if (!mp->bmap) return EOPNOTSUPP;
	if (bop) *bop = &mp->bo;
	if (bnp == NULL) return 0;
	int64_t addr = block_at(vp, bn);
	*bnp = addr;
	if (addr == -1 || runp == NULL) {
		if (runp) *runp = 0;
		if (runb) *runb = 0;
		return 0;
	}
	int step = mp->mnt_stat.f_iosize / 512;
	int maxrun = MAXPHYS / mp->mnt_stat.f_iosize - 1;
	int run = 0;
	for (int64_t j = bn + 1; j < vp->nblocks && run < maxrun && vp->blocks[j] == vp->blocks[j - 1] + step; j++) run++;
	*runp = run;
	if (runb) {
		int rb = 0;
		for (int64_t j = bn - 1; j >= 0 && j < vp->nblocks && rb < maxrun && vp->blocks[j] == vp->blocks[j + 1] - step; j--) rb++;
		*runb = rb;
	}
	return 0;
}

/* ---------------------------------------------------------------- the file system */

int VOP_READ(struct vnode *vp, struct uio *uio, int ioflag, struct ucred *cred)
{
	(void)ioflag;
	(void)cred;
	if (vp->deadfs) return EIO;
	struct ioreq *r = start_io(vp->name, 0, uio->uio_offset, uio->uio_resid);
	r->kind = 1;
	io_wait(r);
	if (r->error) return EIO;
	uio->uio_resid -= r->got;
	return 0;
}

int VOP_WRITE(struct vnode *vp, struct uio *uio, int ioflag, struct ucred *cred)
{
	(void)cred;
	if (vp->deadfs) return EIO;
	int64_t offset = uio->uio_offset, length = uio->uio_resid;
	if (length == 0) return 0;
	if (!vp->v_mount->undirty && vp->v_object) {
		vm_object_t o = vp->v_object;
		for (int64_t p = offset / PAGE_SIZE; p * PAGE_SIZE < offset + length; p++) {
			vm_page_t m = vm_page_lookup(o, p);
			if (!m) continue;
			int64_t s = offset > p * PAGE_SIZE ? offset : p * PAGE_SIZE;
			int64_t e = offset + length < p * PAGE_SIZE + PAGE_SIZE ? offset + length : p * PAGE_SIZE + PAGE_SIZE;
			vm_page_clear_dirty(m, (int)(s - p * PAGE_SIZE), (int)(e - s));
		}
	}
	if (ioflag & IO_SYNC) {
		struct ioreq *r = start_io(vp->name, 1, offset, length);
		r->kind = 2;
		io_wait(r);
		if (r->error) return EIO;
		uio->uio_resid -= r->got;
		return 0;
	}
	if (ioflag & IO_ASYNC) {
		struct ioreq *r = start_io(vp->name, 1, offset, length);
		r->kind = 3;
		r->async = 1;
	}
	uio->uio_resid = 0;
	return 0;
}

int VOP_GETPAGES(struct vnode *vp, vm_page_t *m, int count, int *rb, int *ra)
{
	if (vp->deadfs) return VM_PAGER_ERROR;
	struct vop_getpages_args a = { vp, m, count, rb, ra };
	return vnode_pager_local_getpages(&a);
}

int VOP_GETPAGES_ASYNC(struct vnode *vp, vm_page_t *m, int count, int *rb, int *ra, vop_getpages_iodone_t *iodone,
    void *arg)
{
	if (vp->deadfs) return VM_PAGER_ERROR;
	struct vop_getpages_async_args a = { vp, m, count, rb, ra, iodone, arg };
	return vnode_pager_local_getpages_async(&a);
}

int VOP_PUTPAGES(struct vnode *vp, vm_page_t *ma, int bytecount, int flags, int *rtvals)
{
	if (vp->deadfs) return VM_PAGER_ERROR;
	if (!vp->v_mount->undirty) return vnode_pager_generic_putpages(vp, ma, bytecount, flags, rtvals);
	int npages = bytecount / PAGE_SIZE;
	for (int i = 0; i < npages; i++) rtvals[i] = VM_PAGER_ERROR;
	int64_t offset = IDX_TO_OFF(ma[0]->pindex);
	int64_t count = bytecount;
	if (offset + count > vp->size) count = vp->size - offset > 0 ? vp->size - offset : 0;
	struct uio uio = { 0 };
	uio.uio_offset = offset;
	uio.uio_resid = count;
	uio.uio_segflg = UIO_NOCOPY;
	uio.uio_rw = UIO_WRITE;
	int l = SEED_LINE();
	int ioflags = vnode_pager_putpages_ioflags(flags);
	SEED_BACK(l);
	VOP_WRITE(vp, &uio, ioflags, NULL);
	vnode_pager_undirty_pages(ma, rtvals, (int)(count - uio.uio_resid));
	SEED_BACK(l);
	return rtvals[0];
}
