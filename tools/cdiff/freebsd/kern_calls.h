/*
 * What the seed calls: panics and assertions, the statements that do nothing here, and the collaborators'
 * prototypes (defined in the fake kernel's .c files). Part of kern.h (included at its end); our own code.
 */
#ifndef CDIFF_KERN_CALLS_H
#define CDIFF_KERN_CALLS_H

/* ---------------------------------------------------------------- panics */

void panic(const char *fmt, ...) __attribute__((noreturn));
#define KASSERT(exp, msg)                                                     \
	do {                                                                  \
		if (!(exp))                                                   \
			panic msg;                                            \
	} while (0)
#define VNASSERT(exp, vp, msg) KASSERT(exp, msg)
#define CTR3(...) k_nop() /* a statement the engine steps on: a row (see k_nop) */
/*
 * What does nothing here but is a statement of the seed (the engine steps on it): an empty call rather than an
 * empty macro, so that its line has code, a line-table row, for the step harness to stop at.
 */
void k_nop(void);
int k_zero(void);
#define VM_CNT_INC(x) k_nop()
#define VM_CNT_ADD(x, n) k_nop()
#define ASSERT_VOP_ELOCKED(vp, str) k_nop()
#define VM_OBJECT_ASSERT_WLOCKED(obj) k_nop()
#define VI_LOCK(vp) k_nop()
#define VI_UNLOCK(vp) k_nop()
#define BUF_KERNPROC(bp) k_nop()
#define atomic_add_long(p, v) (*(p) += (v))
#define crhold(c) (c)
#define umtx_shm_object_terminated(obj) k_nop()
#define pmap_zero_page(m) k_nop()
#define pmap_zero_page_area(m, o, s) k_nop()
#define pmap_qenter(va, ma, n) k_nop()
#define pmap_qremove(va, n) k_nop()
#define buf_mapped(bp) ((bp)->b_data != unmapped_buf)
#define bzero(p, n) memset((p), 0, (n))
#define vhold(vp) k_nop()
#define vdrop(vp) k_nop()
#define vn_start_write(vp, mpp, f) k_zero() /* a statement the engine steps on: a row */
#define vn_finished_write(mp) k_nop()
#ifdef SEED_TU
#define printf kprintf
#endif
int kprintf(const char *fmt, ...);
int ppsratecheck(struct timeval *, int *, int);

/* ---------------------------------------------------------------- collaborators */

/* objects */
vm_object_t vm_object_allocate(objtype_t type, vm_pindex_t size);
void vm_object_destroy(vm_object_t);
void vm_object_terminate(vm_object_t);
void vm_object_set_flag(vm_object_t, u_short);
void vm_object_clear_flag(vm_object_t, u_short);
void vm_object_color(vm_object_t, vm_offset_t);
void vm_object_pip_wait(vm_object_t, const char *);
void vm_object_pip_add(vm_object_t, short);
void vm_object_pip_wakeup(vm_object_t);
void vm_object_page_remove(vm_object_t, vm_pindex_t, vm_pindex_t, int);
void vm_pager_deallocate(vm_object_t);
void k_obj_wlock(vm_object_t);
void k_obj_wunlock(vm_object_t);
int k_obj_wowned(vm_object_t);
void k_obj_sleep(vm_object_t, void *chan, int pri, const char *msg);
#define VM_OBJECT_WLOCK(o) k_obj_wlock(o)
#define VM_OBJECT_WUNLOCK(o) k_obj_wunlock(o)
#define VM_OBJECT_WOWNED(o) k_obj_wowned(o)
#define VM_OBJECT_SLEEP(o, c, pri, msg, timo) k_obj_sleep((o), (c), (pri), (msg))

/* pages */
vm_page_t vm_page_lookup(vm_object_t, vm_pindex_t);
vm_page_t vm_page_alloc(vm_object_t, vm_pindex_t, int);
vm_page_bits_t vm_page_bits(int base, int size);
void vm_page_set_valid_range(vm_page_t, int base, int size);
void vm_page_clear_dirty(vm_page_t, int base, int size);
void vm_page_undirty(vm_page_t);
void vm_page_readahead_finish(vm_page_t);
void vm_page_assert_sbusied(vm_page_t);
int pmap_page_is_mapped(vm_page_t);
int pmap_page_is_write_mapped(vm_page_t);
struct sf_buf *sf_buf_alloc(vm_page_t, int);
vm_offset_t sf_buf_kva(struct sf_buf *);
void sf_buf_free(struct sf_buf *);

/* buffers */
struct buf *getpbuf(int *);
void relpbuf(struct buf *, int *);
void pbgetbo(struct bufobj *, struct buf *);
void pbrelbo(struct buf *);
void bstrategy(struct buf *);
void bwait(struct buf *, int, const char *);
void bdone(struct buf *);

/* vnodes */
int vn_isdisk(struct vnode *, int *);
int vn_canvmio(struct vnode *);
int vn_lock(struct vnode *, int);
int VOP_UNLOCK(struct vnode *, int);
int VOP_GETATTR(struct vnode *, struct vattr *, struct ucred *);
int VOP_BMAP(struct vnode *, daddr_t, struct bufobj **, daddr_t *, int *, int *);
int VOP_READ(struct vnode *, struct uio *, int, struct ucred *);
int VOP_WRITE(struct vnode *, struct uio *, int, struct ucred *);
int VOP_GETPAGES(struct vnode *, vm_page_t *, int, int *, int *);
int VOP_GETPAGES_ASYNC(struct vnode *, vm_page_t *, int, int *, int *, vop_getpages_iodone_t *, void *);
int VOP_PUTPAGES(struct vnode *, vm_page_t *, int, int, int *);
int VOP_ADD_WRITECOUNT(struct vnode *, int);
void VOP_UNSET_TEXT(struct vnode *);
void vrele(struct vnode *);
void vrefact(struct vnode *);
void vunref(struct vnode *);
void wakeup(void *);

/* the seed's own extern functions */
int vnode_create_vobject(struct vnode *vp, off_t isize, struct thread *td);
void vnode_destroy_vobject(struct vnode *vp);
void vnode_pager_setsize(struct vnode *vp, vm_ooffset_t nsize);
int vnode_pager_local_getpages(struct vop_getpages_args *ap);
int vnode_pager_local_getpages_async(struct vop_getpages_async_args *ap);
int vnode_pager_generic_getpages(struct vnode *vp, vm_page_t *m, int count, int *a_rbehind, int *a_rahead,
    vop_getpages_iodone_t iodone, void *arg);
int vnode_pager_generic_putpages(struct vnode *vp, vm_page_t *ma, int bytecount, int flags, int *rtvals);
int vnode_pager_putpages_ioflags(int pager_flags);
void vnode_pager_undirty_pages(vm_page_t *ma, int *rtvals, int written);
void vnode_pager_update_writecount(vm_object_t object, vm_offset_t start, vm_offset_t end);
void vnode_pager_release_writecount(vm_object_t object, vm_offset_t start, vm_offset_t end);

#endif
