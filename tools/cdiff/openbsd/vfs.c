/*
 * vfs.c: vnodes (vref/vrele/vn_lock, deadfs, VOP_GETATTR, a disk's DIOCGPART) and the disk: VOP_READ/VOP_WRITE
 * start a request and block until a `complete` line.
 * Part of the fake kernel around seeds/uvm_vnode.c (kern.c has the overview).
 */
#include "harness.h"

/* ------------------------------------------------------------------ vnodes */

static int deadfs(struct vnode *vp)
{
	return vp->state == VS_DEAD || vp->state == VS_RECLAIMED;
}

void vref(struct vnode *vp)
{
	/* the DIAGNOSTIC vref */
	if (vp->v_usecount == 0)
		panic("vref used where vget required");
	vp->v_usecount++;
}

void vget_open(struct vnode *vp)
{
	vp->v_usecount++;
	if (vp->state == VS_FREE)
		vp->state = VS_ACTIVE;
}

int vn_lock(struct vnode *vp, int flags)
{
	for (;;) {
		if (deadfs(vp)) {
			granted();
			return 0;
		}
		if (vp->lock_owner == cur) {
			if (flags & LK_RECURSEFAIL)
				return EDEADLK_K;
			vp->lock_count++;
			return 0;
		}
		if (vp->lock_owner == NULL) {
			vp->lock_owner = cur;
			vp->lock_count = 1;
			granted();
			return 0;
		}
		if (flags & LK_NOWAIT)
			return EBUSY_K;
		lock_wait(vp->lock_name);
	}
}

int VOP_UNLOCK(struct vnode *vp)
{
	if (deadfs(vp))
		return 0;
	if (vp->lock_owner == cur) {
		if (--vp->lock_count == 0) {
			vp->lock_owner = NULL;
			lock_wake(vp->lock_name);
		}
		return 0;
	}
	if (vp->lock_owner == NULL)
		panic("inode: lock not shared");
	panic("inode: lock not held by this process");
}

int vrele(struct vnode *vp)
{
	if (vp->v_usecount == 0)
		panic("vrele: ref cnt");
	vp->v_usecount--;
	if (vp->v_usecount > 0)
		return 0;
	if (vn_lock(vp, LK_EXCLUSIVE) != 0)
		return 1;
	/* VOP_INACTIVE unlocks */
	VOP_UNLOCK(vp);
	if (vp->v_usecount == 0 && vp->state == VS_ACTIVE)
		vp->state = VS_FREE;
	return 1;
}

int VOP_GETATTR(struct vnode *vp, struct vattr *va, struct ucred *cred, struct proc *p)
{
	(void)cred;
	(void)p;
	if (deadfs(vp))
		return EBADF_K;
	va->va_size = (u_quad_t)vp->size;
	return 0;
}

/* a disk's DIOCGPART: 512-byte sectors */
static struct disklabel label512 = { 512 };
static struct partition parts[MAXVNODES];

int blk_ioctl(dev_k dev, unsigned long cmd, caddr_t data, int flag, struct proc *p)
{
	(void)flag;
	(void)p;
	int i = (int)major(dev);
	if (cmd != DIOCGPART || i >= nvnodes)
		return 25; /* ENOTTY */
	struct partinfo *pi = (struct partinfo *)data;
	parts[i].p_size = (unsigned long long)vnodes[i]->size / 512;
	pi->disklab = &label512;
	pi->part = &parts[i];
	return 0;
}

struct bdevsw bdevsw[MAXVNODES];

/* ------------------------------------------------------------------- disk */

struct ioreq *io_first;
static int next_io_id = 1;

static int vop_rdwr(struct vnode *vp, struct uio *uio, int write)
{
	if (deadfs(vp))
		return EIO_K;
	struct ioreq *r = calloc(1, sizeof(*r));
	r->id = next_io_id++;
	r->thread = cur;
	r->vp = vp;
	r->write = write;
	r->offset = uio->uio_offset;
	r->length = (long long)uio->uio_resid;
	struct ioreq **at = &io_first;
	while (*at)
		at = &(*at)->next;
	*at = r;
	cur->status = TS_IO;
	snprintf(cur->wait, sizeof(cur->wait), "io:%d", r->id);
	block();
	uio->uio_resid -= cur->io_bytes;
	uio->uio_offset += (long long)cur->io_bytes;
	return cur->io_error;
}

int VOP_READ(struct vnode *vp, struct uio *uio, int ioflag, struct ucred *cred)
{
	(void)ioflag;
	(void)cred;
	return vop_rdwr(vp, uio, 0);
}

int VOP_WRITE(struct vnode *vp, struct uio *uio, int ioflag, struct ucred *cred)
{
	(void)ioflag;
	(void)cred;
	return vop_rdwr(vp, uio, 1);
}
