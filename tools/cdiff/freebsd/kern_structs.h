/*
 * The fake kernel's structures as the seed and the harness see them (the harness's own fields beside the
 * ones the seed reads), and its globals. Part of kern.h (included at its end); our own code.
 */
#ifndef CDIFF_KERN_STRUCTS_H
#define CDIFF_KERN_STRUCTS_H

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

#endif
