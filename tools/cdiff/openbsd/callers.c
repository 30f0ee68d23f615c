/*
 * callers.c: the callers of the contract's calls table (fault, msync, vclean...), each statement marked with CS()
 * where the engine's callers (src/engine/openbsd/calls.ts) have one, and the thread body.
 * Part of the fake kernel around seeds/uvm_vnode.c (kern.c has the overview).
 */
#include "harness.h"

/* ------------------------------------------------------------------ calls */

static const char *pager_names[] = { "VM_PAGER_OK", "VM_PAGER_BAD", "VM_PAGER_FAIL", "VM_PAGER_PEND",
	"VM_PAGER_ERROR", "VM_PAGER_AGAIN", "VM_PAGER_UNLOCK", "VM_PAGER_REFAULT" };

static void set_ret(const char *s)
{
	cur->ret_kind = RET_STRING;
	snprintf(cur->ret, sizeof(cur->ret), "%s", s);
}

static void set_bool(int b)
{
	cur->ret_kind = b ? RET_TRUE : RET_FALSE;
}

/*
 * A statement of a caller (the contract's calls table, outside the seed): a stepped thread stops before it, as
 * the engine's callers do (src/engine/openbsd/calls.ts), at "line 0".
 */
static void CS(void)
{
	stepper_passed = 1;
	stepper_line = 0;
	if (stepper_stepping) {
		stepper_stopped = 1;
		block();
	}
}

/* vclean's part: lock the vnode, terminate its uvn, unlock */
static void vclean(struct vnode *vp)
{
	CS();
	vn_lock(vp, LK_EXCLUSIVE);
	CS();
	uvm_vnp_terminate(vp);
	CS();
	VOP_UNLOCK(vp);
}

static void vgone_done(struct vnode *vp, int state)
{
	vp->state = state;
	vp->v_type = VBAD;
	vp->v_mount = NULL;
}

/* the object-page path of uvm_fault, as the contract fixes it */
static void call_fault(struct kthread *t)
{
	struct uvm_object *uobj = &t->vp->v_uvm->u_obj;
	struct vm_page *pps[1];
	int npages = 1, result;
	vm_prot_t access = t->write_access ? PROT_WRITE : PROT_READ;

	CS();
	rw_enter(uobj->vmobjlock, RW_WRITE);
	pps[0] = NULL;
	CS();
	uvn_get(uobj, t->offset, pps, &npages, 0, access, 0, PGO_LOCKED);
	if (pps[0] == NULL) {
		pps[0] = NULL;
		npages = 1;
		CS();
		result = uvn_get(uobj, t->offset, pps, &npages, 0, access, 0, PGO_SYNCIO);
		if (result != VM_PAGER_OK) {
			set_ret(pager_names[result]);
			return;
		}
		CS();
		rw_enter(uobj->vmobjlock, RW_WRITE);
	}
	struct vm_page *pg = pps[0];
	CS();
	pg->mapped = 1;
	if (t->write_access)
		pg->modified = 1;
	CS();
	if (pg->pg_flags & PG_WANTED)
		wakeup(pg);
	CS();
	pg->pg_flags &= ~(PG_BUSY | PG_WANTED);
	CS();
	uvm_lock_pageq();
	CS();
	uvm_pageactivate(pg);
	CS();
	uvm_unlock_pageq();
	CS();
	rw_exit(uobj->vmobjlock);
	set_ret("VM_PAGER_OK");
}

void thread_main(void *arg)
{
	struct kthread *t = arg;
	struct vnode *vp = t->vp;
	struct uvm_object *uobj = vp ? &vp->v_uvm->u_obj : NULL;
	vm_prot_t prot = t->prot_rw ? (PROT_READ | PROT_WRITE) : PROT_READ;
	const char *c = t->call;

	if (strcmp(c, "uvn_attach") == 0) {
		CS();
		set_ret(uvn_attach(vp, prot) ? "obj" : "NULL");
	} else if (strcmp(c, "mmap") == 0) {
		CS();
		struct uvm_object *o = uvn_attach(vp, t->shared ? prot : PROT_READ);
		if (o != NULL && t->shared && (prot & PROT_WRITE)) {
			CS();
			uvm_vnp_uncache(vp);
		}
		set_ret(o ? "obj" : "NULL");
	} else if (strcmp(c, "uvn_reference") == 0) {
		CS();
		uvn_reference(uobj);
	} else if (strcmp(c, "uvn_detach") == 0) {
		CS();
		uvn_detach(uobj);
	} else if (strcmp(c, "uvn_flush") == 0) {
		CS();
		rw_enter(uobj->vmobjlock, RW_WRITE);
		CS();
		boolean_t ok = uvn_flush(uobj, t->start, t->stop, t->flags);
		CS();
		rw_exit(uobj->vmobjlock);
		set_bool(ok);
	} else if (strcmp(c, "fault") == 0) {
		call_fault(t);
	} else if (strcmp(c, "uvm_vnp_terminate") == 0) {
		vclean(vp);
	} else if (strcmp(c, "uvm_vnp_uncache") == 0) {
		CS();
		vn_lock(vp, LK_EXCLUSIVE);
		CS();
		int ok = uvm_vnp_uncache(vp);
		CS();
		VOP_UNLOCK(vp);
		set_bool(ok);
	} else if (strcmp(c, "uvm_vnp_setsize") == 0) {
		CS();
		vn_lock(vp, LK_EXCLUSIVE);
		CS();
		vp->size = t->size;
		CS();
		KERNEL_LOCK();
		CS();
		uvm_vnp_setsize(vp, t->size);
		CS();
		KERNEL_UNLOCK();
		CS();
		VOP_UNLOCK(vp);
	} else if (strcmp(c, "uvm_vnp_sync") == 0) {
		CS();
		uvm_vnp_sync(t->mp);
	} else if (strcmp(c, "vref") == 0) {
		CS();
		vget_open(vp);
	} else if (strcmp(c, "vrele") == 0) {
		CS();
		vrele(vp);
	} else if (strcmp(c, "recycle") == 0) {
		vclean(vp);
		CS();
		vgone_done(vp, VS_RECLAIMED);
	} else if (strcmp(c, "revoke") == 0) {
		vclean(vp);
		CS();
		vgone_done(vp, VS_DEAD);
	} else {
		panic("cdiff: unknown call %s", c);
	}
	t->status = TS_DONE;
	t->wait[0] = 0;
	for (;;)
		block();
}
