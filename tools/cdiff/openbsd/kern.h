/*
 * kern.h: a small fake OpenBSD 7.2 kernel, just what seeds/uvm_vnode.c
 * (rev 1.129) names, so that the seed compiles unmodified. Force-included
 * (gcc -include kern.h) before the seed; the seed's own #includes find the
 * empty headers under include/. Values come from
 * shared/reference/openbsd-uvm-facts.md; the behaviour of every collaborator
 * is in kern.c and follows shared/scenario-format.md (the contract).
 *
 * Written for Pager Lab's differential harness; no kernel source copied.
 */
#ifndef CDIFF_KERN_H
#define CDIFF_KERN_H

/* the contract's kernel: DIAGNOSTIC on, DEBUG off */
#define DIAGNOSTIC 1

#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* ---- basic types ---- */
typedef int boolean_t;
typedef long long voff_t;
typedef long long off_t_k;
#define off_t off_t_k
typedef unsigned long vaddr_t;
typedef unsigned long long u_quad_t;
typedef char *caddr_t;
typedef int vm_prot_t;
typedef int dev_k;
#define TRUE 1
#define FALSE 0

/* ---- printf: the seed's diagnostics go nowhere (stdout is the digest stream) ---- */
int kprintf(const char *fmt, ...);
#define printf kprintf

/* ---- constants (facts §1) ---- */
#define PAGE_SHIFT 12
#define PAGE_SIZE (1 << PAGE_SHIFT)
#define PAGE_MASK (PAGE_SIZE - 1)
#define MAXBSIZE 65536
#define MAXPHYS 65536
#define DEV_BSIZE 512
#define round_page(x) (((x) + PAGE_MASK) & ~((voff_t)PAGE_MASK))
#define trunc_page(x) ((x) & ~((voff_t)PAGE_MASK))
#ifndef MIN
#define MIN(a, b) (((a) < (b)) ? (a) : (b))
#endif

#define PVM 4
#define PNORELOCK 0x200
#define INFSLP UINT64_MAX

#define PROT_NONE 0x00
#define PROT_READ 0x01
#define PROT_WRITE 0x02

#define M_WAITOK 0x0001
#define M_NOWAIT 0x0002

#define EIO_K 5
#define EBADF_K 9
#define EDEADLK_K 11
#define EBUSY_K 16
#define EIO EIO_K
#define EBUSY EBUSY_K

#define RW_WRITE 0x01UL
#define RW_READ 0x02UL
#define RWL_IS_VNODE 0x04
#define LK_EXCLUSIVE RW_WRITE
#define LK_SHARED RW_READ
#define LK_NOWAIT 0x0040
#define LK_RECURSEFAIL 0x0080
#define LK_RETRY 0x2000

#define IO_NOCACHE 0x40
#define FREAD 0x0001

#define VTEXT 0x0002

/* u_flags (sys/uvm/uvm_vnode.h) */
#define UVM_VNODE_VALID 0x001
#define UVM_VNODE_CANPERSIST 0x002
#define UVM_VNODE_ALOCK 0x004
#define UVM_VNODE_DYING 0x008
#define UVM_VNODE_RELKILL 0x010
#define UVM_VNODE_WANTED 0x020
#define UVM_VNODE_VNISLOCKED 0x040
#define UVM_VNODE_IOSYNC 0x080
#define UVM_VNODE_IOSYNCWANTED 0x100
#define UVM_VNODE_WRITEABLE 0x200
#define UVM_VNODE_IOERROR 0x400
#define UVM_VNODE_BLOCKED (UVM_VNODE_ALOCK | UVM_VNODE_DYING | UVM_VNODE_RELKILL)

/* pg_flags (sys/uvm/uvm_page.h) */
#define PG_BUSY 0x00000001
#define PG_WANTED 0x00000002
#define PG_TABLED 0x00000004
#define PG_CLEAN 0x00000008
#define PG_CLEANCHK 0x00000010
#define PG_RELEASED 0x00000020
#define PG_FAKE 0x00000040
#define PG_RDONLY 0x00000080
#define PG_ZERO 0x00000100
#define PG_DEV 0x00000200
#define PQ_FREE 0x00010000
#define PQ_INACTIVE 0x00020000
#define PQ_ACTIVE 0x00040000
#define PQ_ANON 0x00100000
#define PQ_AOBJ 0x00200000
#define PQ_ENCRYPT 0x00400000

/* pager flags and results (sys/uvm/uvm_pager.h) */
#define PGO_CLEANIT 0x001
#define PGO_SYNCIO 0x002
#define PGO_DEACTIVATE 0x004
#define PGO_FREE 0x008
#define PGO_ALLPAGES 0x010
#define PGO_DOACTCLUST 0x020
#define PGO_LOCKED 0x040
#define PGO_PDFREECLUST 0x080
#define PGO_REALLOCSWAP 0x100
#define PGO_NOWAIT 0x200
#define PGO_DONTCARE ((struct vm_page *)-1L)

#define VM_PAGER_OK 0
#define VM_PAGER_BAD 1
#define VM_PAGER_FAIL 2
#define VM_PAGER_PEND 3
#define VM_PAGER_ERROR 4
#define VM_PAGER_AGAIN 5
#define VM_PAGER_UNLOCK 6
#define VM_PAGER_REFAULT 7

#define UVMPAGER_MAPIN_WAITOK 0x01
#define UVMPAGER_MAPIN_READ 0x02
#define UVMPAGER_MAPIN_WRITE 0x00

/* ---- lists (sys/queue.h semantics, own macros) ---- */
#define LIST_HEAD(name, type) struct name { struct type *lh_first; }
#define LIST_ENTRY(type) struct { struct type *le_next; struct type **le_prev; }
#define LIST_INIT(head) ((head)->lh_first = NULL)
#define LIST_FIRST(head) ((head)->lh_first)
#define LIST_NEXT(elm, field) ((elm)->field.le_next)
#define LIST_INSERT_HEAD(head, elm, field) do {                          \
	if (((elm)->field.le_next = (head)->lh_first) != NULL)           \
		(head)->lh_first->field.le_prev = &(elm)->field.le_next; \
	(head)->lh_first = (elm);                                        \
	(elm)->field.le_prev = &(head)->lh_first;                        \
} while (0)
#define LIST_REMOVE(elm, field) do {                                     \
	if ((elm)->field.le_next != NULL)                                \
		(elm)->field.le_next->field.le_prev = (elm)->field.le_prev; \
	*(elm)->field.le_prev = (elm)->field.le_next;                    \
	(elm)->field.le_next = NULL; (elm)->field.le_prev = NULL;        \
} while (0)
#define LIST_FOREACH(var, head, field) \
	for ((var) = LIST_FIRST(head); (var) != NULL; (var) = LIST_NEXT(var, field))

#define SIMPLEQ_HEAD(name, type) struct name { struct type *sqh_first; struct type **sqh_last; }
#define SIMPLEQ_ENTRY(type) struct { struct type *sqe_next; }
#define SIMPLEQ_INIT(head) do { (head)->sqh_first = NULL; (head)->sqh_last = &(head)->sqh_first; } while (0)
#define SIMPLEQ_INSERT_HEAD(head, elm, field) do {                        \
	if (((elm)->field.sqe_next = (head)->sqh_first) == NULL)          \
		(head)->sqh_last = &(elm)->field.sqe_next;                \
	(head)->sqh_first = (elm);                                        \
} while (0)
#define SIMPLEQ_FOREACH(var, head, field) \
	for ((var) = (head)->sqh_first; (var) != NULL; (var) = (var)->field.sqe_next)

#define TAILQ_HEAD(name, type) struct name { struct type *tqh_first; struct type **tqh_last; }
#define TAILQ_ENTRY(type) struct { struct type *tqe_next; struct type **tqe_prev; }
#define TAILQ_INIT(head) do { (head)->tqh_first = NULL; (head)->tqh_last = &(head)->tqh_first; } while (0)
#define TAILQ_INSERT_HEAD(head, elm, field) do {                                  \
	if (((elm)->field.tqe_next = (head)->tqh_first) != NULL)                  \
		(head)->tqh_first->field.tqe_prev = &(elm)->field.tqe_next;       \
	else                                                                      \
		(head)->tqh_last = &(elm)->field.tqe_next;                        \
	(head)->tqh_first = (elm);                                                \
	(elm)->field.tqe_prev = &(head)->tqh_first;                               \
} while (0)
#define TAILQ_INSERT_TAIL(head, elm, field) do {                                  \
	(elm)->field.tqe_next = NULL;                                             \
	(elm)->field.tqe_prev = (head)->tqh_last;                                 \
	*(head)->tqh_last = (elm);                                                \
	(head)->tqh_last = &(elm)->field.tqe_next;                                \
} while (0)

/* the object's page tree: a list kept sorted by offset stands for the RB tree */
struct uvm_objtree { struct vm_page *first; };
#define RBT_EMPTY(name, head) ((head)->first == NULL)

/* ---- locks and sleeping ---- */
struct kthread;
struct rwlock {
	struct kthread *owner;
	const char *rwl_name;	/* the name the rwlock was initialised with */
	char digest_name[96];	/* how the digest names it: "vmobjlock:vn1" */
};
void rw_init_flags(struct rwlock *, const char *, int);
void rw_enter(struct rwlock *, unsigned long);
void rw_exit(struct rwlock *);
void rw_enter_write(struct rwlock *);
void rw_exit_write(struct rwlock *);
int rw_write_held(struct rwlock *);
int rw_lock_held(struct rwlock *);
int rw_status(struct rwlock *);
extern struct rwlock netlock;
/*
 * These never block here (docs/cdiff.md), but they are calls, not empty macros, so that their seed lines have
 * code and a row in the line table: the step harness (tools/cdiff-step.ts) stops there as the engine does.
 */
void NET_LOCK(void);
void NET_UNLOCK(void);
void KERNEL_LOCK(void);
void KERNEL_UNLOCK(void);
void KERNEL_ASSERT_LOCKED(void);

int tsleep_nsec(const volatile void *, int, const char *, uint64_t);
int rwsleep_nsec(const volatile void *, struct rwlock *, int, const char *, uint64_t);
void wakeup(const volatile void *);

void panic(const char *, ...) __attribute__((noreturn));
void kassert_fail(const char *expr, const char *file, int line) __attribute__((noreturn));
#define KASSERT(e) ((e) ? (void)0 : kassert_fail(#e, "sys/uvm/uvm_vnode.c", __LINE__))

struct timeval { long tv_sec; long tv_usec; };
int ratecheck(struct timeval *, const struct timeval *);

#define atomic_setbits_int(p, b) (*(p) |= (b))
#define atomic_clearbits_int(p, b) (*(p) &= ~(b))

/* ---- processes, credentials ---- */
struct ucred { int cr_ref; };
struct proc { struct ucred *p_ucred; };
extern struct proc proc0;
#define curproc (&proc0)

/* ---- vnodes, mounts, devices ---- */
enum vtype { VNON, VREG, VDIR, VBLK, VCHR, VLNK, VSOCK, VFIFO, VBAD };
struct mount { char name[72]; };
struct uvm_vnode;
struct vnode {
	enum vtype v_type;
	unsigned int v_flag;
	int v_usecount;
	dev_k v_rdev;
	struct mount *v_mount;
	struct uvm_vnode *v_uvm;
	/* harness side */
	char name[72];
	long long size;		/* the file's size as VOP_GETATTR reports it */
	int state;		/* VS_* */
	struct kthread *lock_owner;
	int lock_count;
	char lock_name[96];
};
enum { VS_ACTIVE, VS_FREE, VS_DEAD, VS_RECLAIMED };

struct vattr { u_quad_t va_size; };
int VOP_GETATTR(struct vnode *, struct vattr *, struct ucred *, struct proc *);

enum uio_rw { UIO_READ, UIO_WRITE };
enum uio_seg { UIO_USERSPACE, UIO_SYSSPACE };
struct iovec_k { void *iov_base; size_t iov_len; };
#define iovec iovec_k
struct uio {
	struct iovec *uio_iov;
	int uio_iovcnt;
	off_t uio_offset;
	size_t uio_resid;
	enum uio_seg uio_segflg;
	enum uio_rw uio_rw;
	struct proc *uio_procp;
};
int VOP_READ(struct vnode *, struct uio *, int, struct ucred *);
int VOP_WRITE(struct vnode *, struct uio *, int, struct ucred *);
int VOP_UNLOCK(struct vnode *);
int vn_lock(struct vnode *, int);
void vref(struct vnode *);
int vrele(struct vnode *);

struct disklabel { unsigned int d_secsize; };
struct partition { unsigned long long p_size; };
struct partinfo { struct disklabel *disklab; struct partition *part; };
#define DL_GETPSIZE(p) ((p)->p_size)
#define DIOCGPART 0x4010644eUL
#define D_DISK 1
struct bdevsw {
	int (*d_ioctl)(dev_k, unsigned long, caddr_t, int, struct proc *);
	int d_type;
};
extern struct bdevsw bdevsw[];
#define major(d) (((unsigned)(d) >> 8) & 0xff)

/* ---- uvm objects and pages ---- */
struct uvm_object;
struct vm_page;
struct vm_anon;
struct uvm_pagerops {
	void (*pgo_init)(void);
	void (*pgo_reference)(struct uvm_object *);
	void (*pgo_detach)(struct uvm_object *);
	boolean_t (*pgo_flush)(struct uvm_object *, voff_t, voff_t, int);
	int (*pgo_get)(struct uvm_object *, voff_t, struct vm_page **, int *, int, vm_prot_t, int, int);
	int (*pgo_put)(struct uvm_object *, struct vm_page **, int, int);
	void (*pgo_cluster)(struct uvm_object *, voff_t, voff_t *, voff_t *);
	struct vm_page **(*pgo_mk_pcluster)(struct uvm_object *, struct vm_page **, int *, struct vm_page *,
	    int, voff_t, voff_t);
};
struct uvm_object {
	struct rwlock *vmobjlock;
	const struct uvm_pagerops *pgops;
	struct uvm_objtree memt;
	int uo_npages;
	int uo_refs;
};
struct vm_page {
	TAILQ_ENTRY(vm_page) pageq;
	struct uvm_object *uobject;
	voff_t offset;
	unsigned int pg_flags;
	unsigned int wire_count;
	/* harness side: the tree link and the pmap bits */
	struct vm_page *tnext;
	int mapped;
	int modified;
	int id;
};
typedef struct vm_page *vm_page_t;
TAILQ_HEAD(pglist, vm_page);

struct uvm_vnode {
	struct uvm_object u_obj;
	struct vnode *u_vnode;
	int u_flags;
	int u_nio;
	voff_t u_size;
	LIST_ENTRY(uvm_vnode) u_wlist;
	SIMPLEQ_ENTRY(uvm_vnode) u_syncq;
};

/* a call for the same reason as KERNEL_LOCK's: page owners are not in the digest */
void UVM_PAGE_OWN(struct vm_page *, const char *);

struct vm_page *uvm_pagelookup(struct uvm_object *, voff_t);
struct vm_page *uvm_pagealloc(struct uvm_object *, voff_t, struct vm_anon *, int);
void uvm_pageclean(struct vm_page *);
void uvm_pagefree(struct vm_page *);
void uvm_pglistfree(struct pglist *);
void uvm_pagedeactivate(struct vm_page *);
void uvm_pageactivate(struct vm_page *);
void uvm_pagewait(struct vm_page *, struct rwlock *, const char *);
void uvm_wait(const char *);
void uvm_lock_pageq(void);
void uvm_unlock_pageq(void);
void pmap_page_protect(struct vm_page *, vm_prot_t);
boolean_t pmap_is_modified(struct vm_page *);
boolean_t pmap_clear_modify(struct vm_page *);
vaddr_t uvm_pagermapin(struct vm_page **, int, int);
void uvm_pagermapout(vaddr_t, int);
int uvm_pager_put(struct uvm_object *, struct vm_page *, struct vm_page ***, int *, int, voff_t, voff_t);
void uvm_pager_dropcluster(struct uvm_object *, struct vm_page *, struct vm_page **, int *, int);
struct vm_page **uvm_mk_pcluster(struct uvm_object *, struct vm_page **, int *, struct vm_page *, int,
    voff_t, voff_t);

/* the seed's own functions, for the harness */
struct uvm_object *uvn_attach(struct vnode *, vm_prot_t);
int uvm_vnp_uncache(struct vnode *);
void uvm_vnp_setsize(struct vnode *, off_t);
void uvm_vnp_sync(struct mount *);
void uvm_vnp_terminate(struct vnode *);
extern const struct uvm_pagerops uvm_vnodeops;

#endif
