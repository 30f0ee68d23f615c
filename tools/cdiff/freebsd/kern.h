/*
 * A fake FreeBSD 12 kernel, just big enough to compile the seed
 * sys/vm/vnode_pager.c unmodified and run it against the collaborator
 * semantics of the scenario contract (scenario-format.md, "FreeBSD").
 * Written for Pager Lab's differential harness; no kernel code copied.
 *
 * The seed's translation unit is compiled with -DSEED_TU -include kern.h
 * and the empty headers of include/; the fake kernel's files include
 * kern_private.h, which includes the system headers first and then this file.
 */
#ifndef CDIFF_KERN_H
#define CDIFF_KERN_H

#define INVARIANTS 1
#define __FBSDID(s) struct __hack
/* No system header here: the include/ dir shadows sys/cdefs.h. */
typedef __INT64_TYPE__ int64_t;
typedef __UINT64_TYPE__ uint64_t;
typedef __INT32_TYPE__ int32_t;
typedef __UINT8_TYPE__ uint8_t;
typedef __UINTPTR_TYPE__ uintptr_t;
typedef __SIZE_TYPE__ size_t;
typedef __INTMAX_TYPE__ intmax_t;
typedef __UINTMAX_TYPE__ uintmax_t;
#ifndef NULL
#define NULL ((void *)0)
#endif
#ifndef INT_MAX
#define INT_MAX __INT_MAX__
#endif
void *memset(void *, int, size_t);

/* The tail queue the seed walks (TAILQ_PREV/TAILQ_NEXT on an object's memq). */
#define TAILQ_HEAD(name, type)                                                \
	struct name {                                                         \
		struct type *tqh_first;                                       \
		struct type **tqh_last;                                       \
	}
#define TAILQ_ENTRY(type)                                                     \
	struct {                                                              \
		struct type *tqe_next;                                        \
		struct type **tqe_prev;                                       \
	}
#define TAILQ_FIRST(head) ((head)->tqh_first)
#define TAILQ_NEXT(elm, field) ((elm)->field.tqe_next)
#define TAILQ_PREV(elm, headname, field) (*(((struct headname *)((elm)->field.tqe_prev))->tqh_last))
#define TAILQ_INIT(head)                                                      \
	do {                                                                  \
		(head)->tqh_first = NULL;                                     \
		(head)->tqh_last = &(head)->tqh_first;                        \
	} while (0)

/* ---------------------------------------------------------------- types */

typedef unsigned char u_char;
typedef unsigned short u_short;
typedef unsigned int u_int;
typedef unsigned long u_long;
typedef long off_t;
typedef long ssize_t;
typedef char *caddr_t;
typedef int64_t k_daddr_t;
#define daddr_t k_daddr_t
typedef int boolean_t;
typedef uintptr_t vm_offset_t;
typedef int64_t vm_ooffset_t; /* signed, as FreeBSD's __vm_ooffset_t (vnode_pager_addr's `address < 0` compiles) */
typedef uint64_t vm_pindex_t;
typedef u_char vm_prot_t;
typedef uint8_t vm_page_bits_t;
typedef u_char objtype_t;

#define TRUE 1
#define FALSE 0

struct vm_object;
struct vm_page;
struct vnode;
struct buf;
struct thread;
struct ucred;
typedef struct vm_object *vm_object_t;
typedef struct vm_page *vm_page_t;

/* ---------------------------------------------------------------- constants */

#define PAGE_SHIFT 12
#define PAGE_SIZE 4096
#define PAGE_MASK (PAGE_SIZE - 1)
#define DEV_BSHIFT 9
#define DEV_BSIZE 512
#define MAXPHYS (128 * 1024)
#define VM_PAGE_BITS_ALL 0xff
#define VM_NRESERVLEVEL 1

#define IDX_TO_OFF(i) (((vm_ooffset_t)(i)) << PAGE_SHIFT)
#define OFF_TO_IDX(o) ((vm_pindex_t)(((vm_ooffset_t)(o)) >> PAGE_SHIFT))
#define round_page(x) (((x) + PAGE_MASK) & ~((vm_offset_t)PAGE_MASK))
#define trunc_page(x) ((x) & ~((vm_offset_t)PAGE_MASK))
#define btoc(x) (((vm_offset_t)(x) + PAGE_MASK) >> PAGE_SHIFT)
#define dbtob(db) ((off_t)(db) << DEV_BSHIFT)
#define roundup(x, y) ((((x) + ((y) - 1)) / (y)) * (y))
#define roundup2(x, y) (((x) + ((y) - 1)) & (~((y) - 1)))
#define nitems(x) (sizeof((x)) / sizeof((x)[0]))
#define __predict_false(x) (x)
#define MPASS(x) KASSERT((x), ("Assertion %s failed", #x))

static inline int min(int a, int b) { return a < b ? a : b; }

/* errno values as FreeBSD numbers them */
#define ENOENT 2
#define EIO 5
#define EBADF 9
#define EBUSY 16
#define EDEADLK 11
#define EINVAL 22
#define EOPNOTSUPP 45

/* object flags and types (reference 1.1, 1.2) */
#define OBJ_DEAD 0x0008
#define OBJ_PIPWNT 0x0040
#define OBJ_MIGHTBEDIRTY 0x0100
#define OBJ_COLORED 0x1000
#define OBJ_DISCONNECTWNT 0x4000
#define OBJT_DEFAULT 0
#define OBJT_VNODE 2
#define OBJT_DEAD 5

#define OBJPC_SYNC 0x1
#define OBJPC_INVAL 0x2
#define OBJPC_NOSYNC 0x4
#define OBJPR_CLEANONLY 0x1
#define OBJPR_NOTMAPPED 0x2

#define VM_ALLOC_NORMAL 0

/* pager (1.5) */
#define VM_PAGER_OK 0
#define VM_PAGER_BAD 1
#define VM_PAGER_FAIL 2
#define VM_PAGER_PEND 3
#define VM_PAGER_ERROR 4
#define VM_PAGER_AGAIN 5
#define VM_PAGER_PUT_SYNC 0x1
#define VM_PAGER_PUT_INVAL 0x2
#define VM_PAGER_PUT_NOREUSE 0x4
#define VM_PAGER_CLUSTER_OK 0x8

/* vnode I/O and flags (1.6) */
#define IO_UNIT 0x0001
#define IO_APPEND 0x0002
#define IO_NDELAY 0x0004
#define IO_NODELOCKED 0x0008
#define IO_ASYNC 0x0010
#define IO_VMIO 0x0020
#define IO_INVAL 0x0040
#define IO_SYNC 0x0080
#define IO_DIRECT 0x0100
#define IO_NOREUSE 0x0200
#define IO_SEQMAX 0x7F
#define IO_SEQSHIFT 16
#define VI_DOOMED 0x0080
#define VV_TEXT 0x0020

#define LK_SHARED 0x200000
#define LK_EXCLUSIVE 0x080000
#define LK_NOWAIT 0x000010
#define LK_RETRY 0x000400
#define PVM 4
#define PDROP 0x200
#define V_WAIT 0x0001

#define BIO_READ 0x01
#define BIO_WRITE 0x02
#define BIO_ERROR 0x01
#define B_ASYNC 0x00000004
#define B_DONE 0x00000200
#define MNTK_UNMAPPED_BUFS 0x00002000

enum vtype { VNON, VREG, VDIR, VBLK, VCHR, VLNK, VSOCK, VFIFO, VBAD, VMARKER };
enum uio_seg { UIO_USERSPACE, UIO_SYSSPACE, UIO_NOCOPY };
enum uio_rw { UIO_READ, UIO_WRITE };

#define NOCRED ((struct ucred *)0)
#define KTR_VFS 0

/* ---------------------------------------------------------------- harness objects */

/* A blocking lock: exclusive owner (with recursion count) or shared holders. */
struct klock {
	char name[80];
	struct thread *owner;
	int count;
	int nshared;
	struct thread *shared[64];
};

struct pmap_entry {
	int mapping; /* the mmap thread's index */
	int writable;
	int modified;
};

TAILQ_HEAD(pglist, vm_page);

struct vm_page {
	TAILQ_ENTRY(vm_page) listq;
	vm_object_t object;
	vm_pindex_t pindex;
	vm_page_bits_t valid;
	vm_page_bits_t dirty;
	int xbusy;
	int sbusy;
	int waiters;
	int queue; /* 0 none, 1 active, 2 inactive */
	int nmaps;
	struct pmap_entry maps[16];
	int freed;
};

struct vm_object {
	struct klock lock;
	struct pglist memq;
	vm_pindex_t size;
	int ref_count;
	objtype_t type;
	u_short flags;
	u_int paging_in_progress;
	int resident_page_count;
	void *handle;
	int generation;
	union {
		struct {
			off_t vnp_size;
			vm_ooffset_t writemappings;
		} vnp;
	} un_pager;
	/* harness */
	int id;
	int destroyed;
	char vnode[72];
};

struct bufobj {
	int bo_bsize;
};

struct statfs_lite {
	int f_iosize;
};

struct mount {
	struct statfs_lite mnt_stat;
	int mnt_kern_flag;
	char name[72];
	int sectorSize;
	int bmap;
	int undirty;
	struct bufobj bo;
};

struct vnode {
	vm_object_t v_object;
	int v_usecount;
	int v_writecount;
	u_int v_iflag;
	u_int v_vflag;
	enum vtype v_type;
	struct mount *v_mount;
	/* harness */
	char name[72];
	int64_t size;
	int64_t *blocks;
	int nblocks;
	struct klock lock;
	int deadfs;
	int oweinact;
	int doinginact;
};

struct vattr {
	off_t va_size;
};

struct ucred {
	int cr_ref;
};

struct sf_buf {
	vm_page_t m;
	char kva[PAGE_SIZE];
	int inuse;
};

typedef void vop_getpages_iodone_t(void *, vm_page_t *, int, int);

struct buf {
	int b_iocmd;
	int b_ioflags;
	int b_flags;
	void (*b_iodone)(struct buf *);
	struct ucred *b_rcred;
	struct ucred *b_wcred;
	caddr_t b_data;
	caddr_t b_kvabase;
	off_t b_offset;
	daddr_t b_blkno;
	struct vnode *b_vp;
	struct bufobj *b_bufobj;
	long b_bcount;
	long b_bufsize;
	long b_runningbufspace;
	long b_resid;
	off_t b_iooffset;
	vm_page_t b_pages[MAXPHYS / PAGE_SIZE];
	int b_npages;
	int b_pgbefore;
	int b_pgafter;
	vop_getpages_iodone_t *b_pgiodone;
	void *b_caller1;
	/* harness */
	int b_ioid;
	int *b_freecnt;
};

struct uio;
struct iovec;
#ifdef SEED_TU
struct iovec {
	void *iov_base;
	size_t iov_len;
};
struct timeval {
	long tv_sec;
	long tv_usec;
};
#endif
struct uio {
	struct iovec *uio_iov;
	int uio_iovcnt;
	off_t uio_offset;
	ssize_t uio_resid;
	enum uio_seg uio_segflg;
	enum uio_rw uio_rw;
	struct thread *uio_td;
};

struct thread {
	struct ucred *td_ucred;
	/* harness: the rest lives in kern.c's kthread, which starts with this */
};

struct vop_getpages_args {
	struct vnode *a_vp;
	vm_page_t *a_m;
	int a_count;
	int *a_rbehind;
	int *a_rahead;
};

struct vop_getpages_async_args {
	struct vnode *a_vp;
	vm_page_t *a_m;
	int a_count;
	int *a_rbehind;
	int *a_rahead;
	vop_getpages_iodone_t *a_iodone;
	void *a_arg;
};

struct pagerops {
	vm_object_t (*pgo_alloc)(void *, vm_ooffset_t, vm_prot_t, vm_ooffset_t, struct ucred *);
	void (*pgo_dealloc)(vm_object_t);
	int (*pgo_getpages)(vm_object_t, vm_page_t *, int, int *, int *);
	int (*pgo_getpages_async)(vm_object_t, vm_page_t *, int, int *, int *, vop_getpages_iodone_t, void *);
	void (*pgo_putpages)(vm_object_t, vm_page_t *, int, int, int *);
	boolean_t (*pgo_haspage)(vm_object_t, vm_pindex_t, int *, int *);
};

struct vmmeter {
	u_int v_free_count;
	u_int v_pageout_free_min;
};

/* ---------------------------------------------------------------- globals */

extern struct vmmeter vm_cnt;
extern long runningbufspace;
extern int unmapped_buf_allowed;
extern caddr_t unmapped_buf;
extern vm_page_t bogus_page;
extern struct pagerops vnodepagerops;
extern int vnode_pbuf_freecnt;
extern int vnode_async_pbuf_freecnt;
struct thread *k_curthread(void);
#define curthread (k_curthread())

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
