/*
 * kern.c: the fake kernel around seeds/uvm_vnode.c. Collaborators of the
 * seed behave as shared/scenario-format.md (the contract) and
 * shared/reference/openbsd-uvm-facts.md describe them; the callers (fault,
 * msync, vclean, truncate...) are written as the contract's calls table
 * says. Kernel threads are coroutines (coro.c): a stub that blocks gives the
 * CPU back to the scheduler, which only runs a thread when a `run` line asks.
 *
 * Input on stdin, one item a line (tools/cdiff.ts writes it):
 *   phys N
 *   vnode NAME SIZE VREG|VBLK MOUNT USECOUNT VTEXT(0|1)
 *   go                                   (setup done: print step -1)
 *   spawn T CALL key=value...            (vnode= prot= shared= flags=A,B start= stop= offset= access= size= mount=)
 *   run T
 *   complete N ok|eio|short:B
 * Output: one digest a line in the contract's format, after setup and after
 * each step. Stops after the digest of a step that panicked.
 *
 * Written for Pager Lab in our own words; no kernel code copied.
 */
#include <stdarg.h>
#include "kern.h"

/* the few C library calls used (their headers would clash with kern.h's names) */
long read(int, void *, size_t);
long write(int, const void *, size_t);
void *calloc(size_t, size_t);
void *malloc(size_t);
void exit(int) __attribute__((noreturn));
long long strtoll(const char *, char **, int);
int vsnprintf(char *, size_t, const char *, va_list);
int snprintf(char *, size_t, const char *, ...);

void *coro_create(void (*fn)(void *), void *arg);
void coro_resume(void *co);
void coro_yield(void);
int stepper_init(const char *path);
extern int stepper_stepping, stepper_stopped, stepper_line, stepper_passed;

/* the seed's functions the harness calls directly */
void uvn_init(void);
extern struct rwlock uvn_sync_lock;
void uvn_reference(struct uvm_object *);
void uvn_detach(struct uvm_object *);
boolean_t uvn_flush(struct uvm_object *, voff_t, voff_t, int);
int uvn_get(struct uvm_object *, voff_t, vm_page_t *, int *, int, vm_prot_t, int, int);

/* ------------------------------------------------------------------ output */

static char outbuf[1 << 20];
static size_t outlen;

static void out(const char *s)
{
	size_t n = strlen(s);
	if (outlen + n >= sizeof(outbuf)) {
		write(2, "cdiff: digest too long\n", 23);
		exit(1);
	}
	memcpy(outbuf + outlen, s, n);
	outlen += n;
}

static void outf(const char *fmt, ...)
{
	char tmp[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	out(tmp);
}

static void out_json_string(const char *s)
{
	out("\"");
	for (; *s; s++) {
		char c = *s;
		if (c == '"' || c == '\\') {
			char e[3] = { '\\', c, 0 };
			out(e);
		} else if (c == '\n') {
			out("\\n");
		} else if ((unsigned char)c < 0x20) {
			outf("\\u%04x", (unsigned char)c);
		} else {
			char e[2] = { c, 0 };
			out(e);
		}
	}
	out("\"");
}

static void flush_out(void)
{
	size_t at = 0;
	while (at < outlen) {
		long n = write(1, outbuf + at, outlen - at);
		if (n <= 0)
			exit(1);
		at += (size_t)n;
	}
	outlen = 0;
}

int kprintf(const char *fmt, ...)
{
	(void)fmt;
	return 0;
}

/* ---------------------------------------------------------------- threads */

enum { TS_READY, TS_LOCK, TS_SLEEP, TS_IO, TS_DONE };
enum { RET_NULL, RET_STRING, RET_TRUE, RET_FALSE };

#define MAXTHREADS 4096
#define MAXVNODES 64

struct kthread {
	char id[72];
	char call[32];
	int status;
	char wait[100];
	const volatile void *chan;
	int ret_kind;
	char ret[32];
	void *co;
	/* arguments */
	struct vnode *vp;
	struct mount *mp;
	int prot_rw, shared, write_access;
	int flags;
	long long start, stop, offset, size;
	/* the seed line it is stopped at by a step (0: none yet) */
	int line;
	/* the outcome of the thread's last disk request */
	int io_error;
	size_t io_bytes;
};

static struct kthread *threads[MAXTHREADS];
static int nthreads;
static struct kthread *cur;

static char panic_msg[1024];
static int panicked;

static struct vnode *vnodes[MAXVNODES];
static int nvnodes;
static struct mount mounts[MAXVNODES];
static int nmounts;
static int free_pages;
static int next_page_id = 1;
static int free_pages_chan;	/* uvm_wait sleeps on its address (&uvmexp.free) */

struct proc proc0;
static struct ucred cred0;
struct rwlock netlock;
int rebooting;

/* The current thread gives the CPU back; it goes on when next run. */
static void block(void)
{
	coro_yield();
}

void panic(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(panic_msg, sizeof(panic_msg), fmt, ap);
	va_end(ap);
	panicked = 1;
	/* the panicking thread stays "ready" and never runs again */
	cur->status = TS_READY;
	cur->wait[0] = 0;
	for (;;)
		block();
}

void kassert_fail(const char *expr, const char *file, int line)
{
	char folded[512];
	size_t n = 0;
	int space = 0;
	for (; *expr && n + 2 < sizeof(folded); expr++) {
		if (*expr == ' ' || *expr == '\t' || *expr == '\n') {
			space = 1;
			continue;
		}
		if (space && n > 0)
			folded[n++] = ' ';
		space = 0;
		folded[n++] = *expr;
	}
	folded[n] = 0;
	panic("kernel diagnostic assertion \"%s\" failed: file \"%s\", line %d", folded, file, line);
}

int ratecheck(struct timeval *last, const struct timeval *interval)
{
	(void)last;
	(void)interval;
	return 1;
}

/* ------------------------------------------------------- locks and sleeps */

static void lock_wait(const char *name)
{
	cur->status = TS_LOCK;
	snprintf(cur->wait, sizeof(cur->wait), "%s", name);
	block();
}

/* Every thread blocked on lock `name` becomes runnable (no hand-off). */
static void lock_wake(const char *name)
{
	for (int i = 0; i < nthreads; i++) {
		struct kthread *t = threads[i];
		if (t->status == TS_LOCK && strcmp(t->wait, name) == 0) {
			t->status = TS_READY;
			t->wait[0] = 0;
		}
	}
}

static void granted(void)
{
	cur->status = TS_READY;
	cur->wait[0] = 0;
}

void rw_init_flags(struct rwlock *rwl, const char *name, int flags)
{
	(void)flags;
	rwl->owner = NULL;
	rwl->rwl_name = name;
	snprintf(rwl->digest_name, sizeof(rwl->digest_name), "%s", name);
}

void rw_enter(struct rwlock *rwl, unsigned long how)
{
	(void)how; /* the seed takes every rwlock for writing */
	for (;;) {
		if (rwl->owner == cur)
			panic("%s rwlock: locking against myself", rwl->rwl_name);
		if (rwl->owner == NULL) {
			rwl->owner = cur;
			granted();
			return;
		}
		lock_wait(rwl->digest_name);
	}
}

static void rw_release(struct rwlock *rwl)
{
	rwl->owner = NULL;
	lock_wake(rwl->digest_name);
}

void rw_exit(struct rwlock *rwl)
{
	if (rwl->owner != cur)
		panic("%s: lock not held by this process", rwl->rwl_name);
	rw_release(rwl);
}

void rw_enter_write(struct rwlock *rwl)
{
	rw_enter(rwl, RW_WRITE);
}

void rw_exit_write(struct rwlock *rwl)
{
	rw_exit(rwl);
}

int rw_write_held(struct rwlock *rwl)
{
	return rwl->owner == cur;
}

int rw_lock_held(struct rwlock *rwl)
{
	return rwl->owner == cur;
}

int rw_status(struct rwlock *rwl)
{
	if (rwl->owner == NULL)
		return 0;
	return rwl->owner == cur ? (int)RW_WRITE : 0x100 /* RW_WRITE_OTHER */;
}

static void sleep_on(const volatile void *chan, const char *wmesg)
{
	cur->status = TS_SLEEP;
	cur->chan = chan;
	snprintf(cur->wait, sizeof(cur->wait), "%s", wmesg);
	block();
}

int tsleep_nsec(const volatile void *ident, int prio, const char *wmesg, uint64_t nsecs)
{
	(void)prio;
	(void)nsecs;
	sleep_on(ident, wmesg);
	return 0;
}

int rwsleep_nsec(const volatile void *ident, struct rwlock *rwl, int prio, const char *wmesg, uint64_t nsecs)
{
	(void)nsecs;
	/* release and sleep in one move: no wakeup can fall between */
	rw_release(rwl);
	sleep_on(ident, wmesg);
	if ((prio & PNORELOCK) == 0)
		rw_enter(rwl, RW_WRITE);
	return 0;
}

void wakeup(const volatile void *ident)
{
	for (int i = 0; i < nthreads; i++) {
		struct kthread *t = threads[i];
		if (t->status == TS_SLEEP && t->chan == ident) {
			t->status = TS_READY;
			t->wait[0] = 0;
			t->chan = NULL;
		}
	}
}

void NET_LOCK(void) {}
void NET_UNLOCK(void) {}
void KERNEL_LOCK(void) {}
void KERNEL_UNLOCK(void) {}
void KERNEL_ASSERT_LOCKED(void) {}
void UVM_PAGE_OWN(struct vm_page *pg, const char *tag)
{
	(void)pg;
	(void)tag;
}

/* the page-queue mutex */
static struct kthread *pageq_owner;

void uvm_lock_pageq(void)
{
	for (;;) {
		if (pageq_owner == cur)
			panic("mtx_enter: locking against myself");
		if (pageq_owner == NULL) {
			pageq_owner = cur;
			granted();
			return;
		}
		lock_wait("pageq");
	}
}

void uvm_unlock_pageq(void)
{
	pageq_owner = NULL;
	lock_wake("pageq");
}

/* ------------------------------------------------------------------- pages */

static void tree_insert(struct uvm_object *uobj, struct vm_page *pg)
{
	struct vm_page **at = &uobj->memt.first;
	while (*at != NULL && (*at)->offset < pg->offset)
		at = &(*at)->tnext;
	pg->tnext = *at;
	*at = pg;
	uobj->uo_npages++;
	pg->pg_flags |= PG_TABLED;
}

static void tree_remove(struct uvm_object *uobj, struct vm_page *pg)
{
	struct vm_page **at = &uobj->memt.first;
	while (*at != NULL && *at != pg)
		at = &(*at)->tnext;
	if (*at == pg) {
		*at = pg->tnext;
		pg->tnext = NULL;
		uobj->uo_npages--;
	}
	pg->pg_flags &= ~PG_TABLED;
}

struct vm_page *uvm_pagelookup(struct uvm_object *uobj, voff_t off)
{
	struct vm_page *pg;
	for (pg = uobj->memt.first; pg != NULL && pg->offset < off; pg = pg->tnext)
		;
	if (pg != NULL && pg->offset != off)
		pg = NULL;
	/* uvm_page.c's own KASSERT; its line is the contract's convention */
	if (!(pg == NULL || (pg->pg_flags & PG_RELEASED) == 0 || (pg->pg_flags & PG_BUSY) != 0))
		kassert_fail("pg == NULL || (pg->pg_flags & PG_RELEASED) == 0 || (pg->pg_flags & PG_BUSY) != 0",
		    "sys/uvm/uvm_page.c", 1187);
	return pg;
}

struct vm_page *uvm_pagealloc(struct uvm_object *uobj, voff_t off, struct vm_anon *anon, int flags)
{
	(void)anon;
	(void)flags;
	if (free_pages == 0)
		return NULL;
	free_pages--;
	struct vm_page *pg = calloc(1, sizeof(*pg));
	pg->id = next_page_id++;
	pg->uobject = uobj;
	pg->offset = off;
	pg->pg_flags = PG_BUSY | PG_FAKE | PG_CLEAN;
	tree_insert(uobj, pg);
	return pg;
}

static void dequeue(struct vm_page *pg)
{
	pg->pg_flags &= ~(PQ_ACTIVE | PQ_INACTIVE);
}

void uvm_pageclean(struct vm_page *pg)
{
	if (pg->uobject != NULL)
		tree_remove(pg->uobject, pg);
	dequeue(pg);
	pg->uobject = NULL;
	pg->wire_count = 0;
	pg->pg_flags &= ~(PQ_ANON | PQ_AOBJ | PQ_ENCRYPT | PG_ZERO | PG_FAKE | PG_BUSY | PG_RELEASED | PG_CLEAN |
	    PG_CLEANCHK);
}

void uvm_pagefree(struct vm_page *pg)
{
	uvm_pageclean(pg);
	free_pages++;
	wakeup(&free_pages_chan);
}

void uvm_pglistfree(struct pglist *list)
{
	for (struct vm_page *pg = list->tqh_first; pg != NULL; pg = pg->pageq.tqe_next)
		free_pages++;
	wakeup(&free_pages_chan);
}

void uvm_pagedeactivate(struct vm_page *pg)
{
	if (pg->pg_flags & PQ_ACTIVE)
		pg->pg_flags &= ~PQ_ACTIVE;
	if ((pg->pg_flags & PQ_INACTIVE) == 0) {
		pg->pg_flags |= PQ_INACTIVE;
		if ((pg->pg_flags & PG_CLEAN) != 0 && pmap_is_modified(pg))
			pg->pg_flags &= ~PG_CLEAN;
	}
}

void uvm_pageactivate(struct vm_page *pg)
{
	dequeue(pg);
	if (pg->wire_count == 0)
		pg->pg_flags |= PQ_ACTIVE;
}

void uvm_pagewait(struct vm_page *pg, struct rwlock *lock, const char *wmesg)
{
	pg->pg_flags |= PG_WANTED;
	rwsleep_nsec(pg, lock, PVM | PNORELOCK, wmesg, INFSLP);
}

void uvm_wait(const char *wmsg)
{
	/* keeps every lock the caller holds */
	sleep_on(&free_pages_chan, wmsg);
}

void pmap_page_protect(struct vm_page *pg, vm_prot_t prot)
{
	if (prot == PROT_NONE)
		pg->mapped = 0;
}

boolean_t pmap_is_modified(struct vm_page *pg)
{
	return pg->modified;
}

boolean_t pmap_clear_modify(struct vm_page *pg)
{
	boolean_t was = pg->modified;
	pg->modified = 0;
	return was;
}

/* amd64's direct map: a mapping never fails; the zero-fill after a short read needs real bytes */
static char mapbuf[MAXBSIZE] __attribute__((aligned(4096)));

vaddr_t uvm_pagermapin(struct vm_page **pps, int npages, int flags)
{
	(void)pps;
	(void)npages;
	(void)flags;
	return (vaddr_t)mapbuf;
}

void uvm_pagermapout(vaddr_t kva, int npages)
{
	(void)kva;
	(void)npages;
}

/* ------------------------------------------------------------ uvm_pager.c */

/*
 * The generic put-cluster builder: the pager says how far a cluster may
 * reach, the caller's range narrows it unless every page counts, and the
 * cluster grows from the (busy) center page first backward, then forward,
 * each way stopping at the first page that is absent, active while active
 * pages are not wanted, clean or busy.
 */
struct vm_page **uvm_mk_pcluster(struct uvm_object *uobj, struct vm_page **pps, int *npages,
    struct vm_page *center, int flags, voff_t mlo, voff_t mhi)
{
	voff_t lo, hi;
	uobj->pgops->pgo_cluster(uobj, center->offset, &lo, &hi);
	if ((flags & PGO_ALLPAGES) == 0) {
		if (lo < mlo)
			lo = mlo;
		if (hi > mhi)
			hi = mhi;
	}
	if ((hi - lo) >> PAGE_SHIFT > *npages) {
		pps[0] = center;
		*npages = 1;
		return pps;
	}
	int at = (int)((center->offset - lo) >> PAGE_SHIFT);
	struct vm_page **first = &pps[at];
	pps[at] = center;
	int count = 1;
	for (int dir = -1; dir <= 1; dir += 2) {
		for (voff_t off = center->offset + dir * PAGE_SIZE; dir < 0 ? off >= lo : off < hi;
		    off += dir * PAGE_SIZE) {
			struct vm_page *p = uvm_pagelookup(uobj, off);
			if (p == NULL)
				break;
			if ((p->pg_flags & PQ_INACTIVE) == 0) {
				if ((flags & PGO_DOACTCLUST) == 0)
					break;
				if ((p->pg_flags & PG_CLEANCHK) == 0) {
					if ((p->pg_flags & (PG_CLEAN | PG_BUSY)) == PG_CLEAN && pmap_is_modified(p))
						p->pg_flags &= ~PG_CLEAN;
					p->pg_flags |= PG_CLEANCHK;
				}
			}
			if ((p->pg_flags & (PG_CLEAN | PG_BUSY)) != 0)
				break;
			p->pg_flags |= PG_BUSY;
			if ((flags & (PGO_FREE | PGO_SYNCIO)) == PGO_FREE)
				p->pg_flags |= PG_RELEASED;
			pmap_page_protect(p, PROT_READ);
			if (dir < 0)
				*--first = p;
			else
				first[count] = p;
			count++;
		}
	}
	*npages = count;
	return first;
}

void uvm_pager_dropcluster(struct uvm_object *uobj, struct vm_page *pg, struct vm_page **ppsp, int *npages,
    int flags)
{
	(void)uobj;
	for (int i = 0; i < *npages; i++) {
		struct vm_page *p = ppsp[i];
		if (p == pg || p == NULL)
			continue;
		if (p->pg_flags & PG_WANTED)
			wakeup(p);
		p->pg_flags &= ~(PG_BUSY | PG_WANTED | PG_FAKE | PG_RELEASED);
		if (flags & PGO_PDFREECLUST) {
			pmap_clear_modify(p);
			p->pg_flags |= PG_CLEAN;
		}
	}
}

/*
 * Page out `pg` and what clusters with it: entered with the object and the
 * page queues locked, returns with the queues unlocked. On an error the
 * cluster beyond `pg` is dropped; a transient error (AGAIN) is tried once
 * more with `pg` alone.
 */
int uvm_pager_put(struct uvm_object *uobj, struct vm_page *pg, struct vm_page ***ppsp_ptr, int *npages,
    int flags, voff_t start, voff_t stop)
{
	struct vm_page **ppsp = *ppsp_ptr;
	int result;

	ppsp = uobj->pgops->pgo_mk_pcluster(uobj, ppsp, npages, pg, flags, start, stop);
	*ppsp_ptr = ppsp;
	uvm_unlock_pageq();
	for (;;) {
		result = uobj->pgops->pgo_put(uobj, ppsp, *npages, flags);
		if (result == VM_PAGER_OK || result == VM_PAGER_PEND) {
			if (result == VM_PAGER_OK && (flags & PGO_PDFREECLUST) && *npages > 1)
				uvm_pager_dropcluster(uobj, pg, ppsp, npages, PGO_PDFREECLUST);
			return result;
		}
		if (*npages > 1) {
			uvm_pager_dropcluster(uobj, pg, ppsp, npages, PGO_REALLOCSWAP);
			if (result == VM_PAGER_AGAIN) {
				ppsp[0] = pg;
				*npages = 1;
				continue;
			}
		}
		return result;
	}
}

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

static void vget_open(struct vnode *vp)
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

static int blk_ioctl(dev_k dev, unsigned long cmd, caddr_t data, int flag, struct proc *p)
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

struct ioreq {
	int id;
	struct kthread *thread;
	struct vnode *vp;
	int write;
	long long offset;
	long long length;
	struct ioreq *next;
};
static struct ioreq *io_first;
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

static void thread_main(void *arg)
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

/* ----------------------------------------------------------------- digest */

static const char *uvn_flag_names[] = { "UVM_VNODE_VALID", "UVM_VNODE_CANPERSIST", "UVM_VNODE_ALOCK",
	"UVM_VNODE_DYING", "UVM_VNODE_RELKILL", "UVM_VNODE_WANTED", "UVM_VNODE_VNISLOCKED", "UVM_VNODE_IOSYNC",
	"UVM_VNODE_IOSYNCWANTED", "UVM_VNODE_WRITEABLE", "UVM_VNODE_IOERROR" };

static const struct {
	unsigned bit;
	const char *name;
} pg_names[] = { { PG_BUSY, "PG_BUSY" }, { PG_WANTED, "PG_WANTED" }, { PG_CLEAN, "PG_CLEAN" },
	{ PG_CLEANCHK, "PG_CLEANCHK" }, { PG_RELEASED, "PG_RELEASED" }, { PG_FAKE, "PG_FAKE" },
	{ PG_RDONLY, "PG_RDONLY" }, { PG_ZERO, "PG_ZERO" } };

static const char *status_names[] = { "ready", "lock", "sleep", "io", "done" };
static const char *state_names[] = { "active", "free", "dead", "reclaimed" };

static void digest_build(int step)
{
	outf("{\"step\":%d,\"panic\":", step);
	if (panicked)
		out_json_string(panic_msg);
	else
		out("null");
	outf(",\"freePages\":%d,\"threads\":[", free_pages);
	for (int i = 0; i < nthreads; i++) {
		struct kthread *t = threads[i];
		if (i)
			out(",");
		out("{\"id\":");
		out_json_string(t->id);
		out(",\"call\":");
		out_json_string(t->call);
		outf(",\"status\":\"%s\",\"wait\":", status_names[t->status]);
		if (t->wait[0])
			out_json_string(t->wait);
		else
			out("null");
		out(",\"ret\":");
		if (t->status != TS_DONE || t->ret_kind == RET_NULL)
			out("null");
		else if (t->ret_kind == RET_TRUE)
			out("true");
		else if (t->ret_kind == RET_FALSE)
			out("false");
		else
			out_json_string(t->ret);
		out("}");
	}
	out("],\"vnodes\":[");
	for (int i = 0; i < nvnodes; i++) {
		struct vnode *vp = vnodes[i];
		struct uvm_vnode *uvn = vp->v_uvm;
		if (i)
			out(",");
		out("{\"name\":");
		out_json_string(vp->name);
		outf(",\"usecount\":%d,\"vflag\":%s,\"state\":\"%s\",\"size\":%lld,\"uvn\":{\"flags\":[", vp->v_usecount,
		    (vp->v_flag & VTEXT) ? "[\"VTEXT\"]" : "[]", state_names[vp->state], vp->size);
		int first = 1;
		for (int b = 0; b < 11; b++)
			if (uvn->u_flags & (1 << b)) {
				outf("%s\"%s\"", first ? "" : ",", uvn_flag_names[b]);
				first = 0;
			}
		outf("],\"refs\":%d,\"size\":%lld,\"nio\":%d,\"npages\":%d,\"pages\":[", uvn->u_obj.uo_refs,
		    (long long)uvn->u_size, uvn->u_nio, uvn->u_obj.uo_npages);
		for (struct vm_page *pg = uvn->u_obj.memt.first; pg != NULL; pg = pg->tnext) {
			outf("%s{\"offset\":%lld,\"flags\":[", pg == uvn->u_obj.memt.first ? "" : ",",
			    (long long)pg->offset);
			first = 1;
			for (unsigned b = 0; b < sizeof(pg_names) / sizeof(pg_names[0]); b++)
				if (pg->pg_flags & pg_names[b].bit) {
					outf("%s\"%s\"", first ? "" : ",", pg_names[b].name);
					first = 0;
				}
			outf("],\"queue\":\"%s\",\"wired\":%u,\"mapped\":%s,\"modified\":%s}",
			    (pg->pg_flags & PQ_ACTIVE) ? "active" : (pg->pg_flags & PQ_INACTIVE) ? "inactive" : "none",
			    pg->wire_count, pg->mapped ? "true" : "false", pg->modified ? "true" : "false");
		}
		out("]}}");
	}
	out("],\"io\":[");
	for (struct ioreq *r = io_first; r != NULL; r = r->next) {
		outf("%s{\"id\":%d,\"thread\":", r == io_first ? "" : ",", r->id);
		out_json_string(r->thread->id);
		out(",\"vnode\":");
		out_json_string(r->vp->name);
		outf(",\"rw\":\"%s\",\"offset\":%lld,\"length\":%lld}", r->write ? "write" : "read", r->offset, r->length);
	}
	out("]}\n");
}

static void digest(int step)
{
	digest_build(step);
	flush_out();
}

/* ------------------------------------------------------------------ input */

static char inbuf[1 << 22];

static void die(const char *msg, const char *line)
{
	char tmp[600];
	snprintf(tmp, sizeof(tmp), "cdiff: %s: %s\n", msg, line);
	write(2, tmp, strlen(tmp));
	exit(2);
}

/* split `line` into words in place */
static int words(char *line, char **w, int max)
{
	int n = 0;
	while (*line && n < max) {
		while (*line == ' ')
			line++;
		if (!*line)
			break;
		w[n++] = line;
		while (*line && *line != ' ')
			line++;
		if (*line)
			*line++ = 0;
	}
	return n;
}

static struct vnode *find_vnode(const char *name)
{
	for (int i = 0; i < nvnodes; i++)
		if (strcmp(vnodes[i]->name, name) == 0)
			return vnodes[i];
	return NULL;
}

static struct mount *find_mount(const char *name, int create)
{
	for (int i = 0; i < nmounts; i++)
		if (strcmp(mounts[i].name, name) == 0)
			return &mounts[i];
	if (!create)
		return NULL;
	snprintf(mounts[nmounts].name, sizeof(mounts[nmounts].name), "%s", name);
	return &mounts[nmounts++];
}

static struct kthread *find_thread(const char *id)
{
	for (int i = 0; i < nthreads; i++)
		if (strcmp(threads[i]->id, id) == 0)
			return threads[i];
	return NULL;
}

static const struct {
	const char *name;
	int bit;
} pgo_names[] = { { "PGO_CLEANIT", PGO_CLEANIT }, { "PGO_SYNCIO", PGO_SYNCIO }, { "PGO_DEACTIVATE", PGO_DEACTIVATE },
	{ "PGO_FREE", PGO_FREE }, { "PGO_ALLPAGES", PGO_ALLPAGES }, { "PGO_DOACTCLUST", PGO_DOACTCLUST },
	{ "PGO_LOCKED", PGO_LOCKED }, { "PGO_PDFREECLUST", PGO_PDFREECLUST }, { "PGO_REALLOCSWAP", PGO_REALLOCSWAP },
	{ "PGO_NOWAIT", PGO_NOWAIT } };

static int parse_flags(char *list)
{
	int flags = 0;
	while (*list) {
		char *end = list;
		while (*end && *end != ',')
			end++;
		char save = *end;
		*end = 0;
		int found = 0;
		for (unsigned i = 0; i < sizeof(pgo_names) / sizeof(pgo_names[0]); i++)
			if (strcmp(pgo_names[i].name, list) == 0) {
				flags |= pgo_names[i].bit;
				found = 1;
			}
		if (!found)
			die("unknown flag", list);
		*end = save;
		list = save ? end + 1 : end;
	}
	return flags;
}

static void new_vnode(char **w)
{
	struct vnode *vp = calloc(1, sizeof(*vp));
	struct uvm_vnode *uvn = calloc(1, sizeof(*uvn));
	struct rwlock *lock = calloc(1, sizeof(*lock));
	int i = nvnodes;
	snprintf(vp->name, sizeof(vp->name), "%s", w[1]);
	vp->size = strtoll(w[2], NULL, 10);
	vp->v_type = strcmp(w[3], "VBLK") == 0 ? VBLK : VREG;
	vp->v_mount = find_mount(w[4], 1);
	vp->v_usecount = (int)strtoll(w[5], NULL, 10);
	vp->v_flag = strcmp(w[6], "1") == 0 ? VTEXT : 0;
	vp->state = vp->v_usecount == 0 ? VS_FREE : VS_ACTIVE;
	vp->v_rdev = i << 8;
	snprintf(vp->lock_name, sizeof(vp->lock_name), "vnlock:%s", vp->name);
	/* getnewvnode: a zeroed uvn from the pool, its object initialised */
	rw_init_flags(lock, "uobjlk", 0);
	snprintf(lock->digest_name, sizeof(lock->digest_name), "vmobjlock:%s", vp->name);
	uvn->u_vnode = vp;
	uvn->u_obj.vmobjlock = lock;
	uvn->u_obj.pgops = &uvm_vnodeops;
	vp->v_uvm = uvn;
	bdevsw[i].d_ioctl = blk_ioctl;
	bdevsw[i].d_type = D_DISK;
	vnodes[nvnodes++] = vp;
}

static void spawn(char **w, int n)
{
	if (nthreads >= MAXTHREADS)
		die("too many threads", w[1]);
	struct kthread *t = calloc(1, sizeof(*t));
	snprintf(t->id, sizeof(t->id), "%s", w[1]);
	snprintf(t->call, sizeof(t->call), "%s", w[2]);
	for (int i = 3; i < n; i++) {
		char *eq = strchr(w[i], '=');
		if (!eq)
			die("bad argument", w[i]);
		*eq = 0;
		const char *k = w[i];
		char *v = eq + 1;
		if (strcmp(k, "vnode") == 0) {
			t->vp = find_vnode(v);
			if (!t->vp)
				die("unknown vnode", v);
		} else if (strcmp(k, "mount") == 0) {
			t->mp = find_mount(v, 0);
		} else if (strcmp(k, "prot") == 0) {
			t->prot_rw = strcmp(v, "rw") == 0;
		} else if (strcmp(k, "shared") == 0) {
			t->shared = strcmp(v, "1") == 0;
		} else if (strcmp(k, "access") == 0) {
			t->write_access = strcmp(v, "write") == 0;
		} else if (strcmp(k, "flags") == 0) {
			t->flags = parse_flags(v);
		} else if (strcmp(k, "start") == 0) {
			t->start = strtoll(v, NULL, 10);
		} else if (strcmp(k, "stop") == 0) {
			t->stop = strtoll(v, NULL, 10);
		} else if (strcmp(k, "offset") == 0) {
			t->offset = strtoll(v, NULL, 10);
		} else if (strcmp(k, "size") == 0) {
			t->size = strtoll(v, NULL, 10);
		} else {
			die("unknown argument", k);
		}
	}
	t->status = TS_READY;
	t->co = coro_create(thread_main, t);
	threads[nthreads++] = t;
}

static void run(const char *id)
{
	struct kthread *t = find_thread(id);
	if (!t || t->status != TS_READY)
		die("cannot run", id);
	cur = t;
	stepper_stepping = 0;
	stepper_passed = 0;
	coro_resume(t->co);
	cur = NULL;
	if (stepper_passed)
		t->line = stepper_line;
}

/* `step`: run `t` to the next seed statement (a line table row), a block, or its end. */
static void step1(struct kthread *t)
{
	/*
	 * gcc may give one statement two rows apart (an if-branch's jump to a `continue` row, then the `continue`):
	 * a stop at the line the thread already stood at is the same statement, and it goes on.
	 */
	int from = t->line;
	cur = t;
	stepper_stepping = 1;
	do {
		stepper_stopped = 0;
		stepper_passed = 0;
		coro_resume(t->co);
	} while (stepper_stopped && stepper_line == from && from != 0 && t->status == TS_READY && !panicked);
	stepper_stepping = 0;
	cur = NULL;
	if (stepper_passed)
		t->line = stepper_line;
}

static char prevdig[1 << 20];

/*
 * `cstep T`: step T until the digest changes (or it blocks, ends or panics). Prints `#line L`, L the seed
 * line T stood at before the statement that changed it (0: in the caller, before any seed line), then the
 * digest is printed by the main loop.
 */
static void cstep(const char *id, int step)
{
	struct kthread *t = find_thread(id);
	if (!t || t->status != TS_READY)
		die("cannot step", id);
	size_t at = outlen;
	digest_build(step);
	size_t n = outlen - at;
	memcpy(prevdig, outbuf + at, n);
	outlen = at;
	int attr = t->line;
	for (int i = 0; i < 1000000; i++) {
		attr = t->line;
		step1(t);
		if (t->status != TS_READY || panicked)
			break;
		digest_build(step);
		int same = outlen - at == n && memcmp(prevdig, outbuf + at, n) == 0;
		outlen = at;
		if (!same)
			break;
	}
	outf("#line %d\n", attr);
}

static void complete(const char *id, const char *result)
{
	int n = (int)strtoll(id, NULL, 10);
	struct ioreq **at = &io_first;
	while (*at && (*at)->id != n)
		at = &(*at)->next;
	struct ioreq *r = *at;
	if (!r)
		die("no such request", id);
	*at = r->next;
	struct kthread *t = r->thread;
	if (strcmp(result, "ok") == 0) {
		t->io_error = 0;
		t->io_bytes = (size_t)r->length;
	} else if (strcmp(result, "eio") == 0) {
		t->io_error = EIO_K;
		t->io_bytes = 0;
	} else if (strncmp(result, "short:", 6) == 0) {
		t->io_error = 0;
		t->io_bytes = (size_t)strtoll(result + 6, NULL, 10);
	} else {
		die("bad result", result);
	}
	char w[32];
	snprintf(w, sizeof(w), "io:%d", r->id);
	if (t->status == TS_IO && strcmp(t->wait, w) == 0) {
		t->status = TS_READY;
		t->wait[0] = 0;
	}
}

int main(int argc, char **argv)
{
	if (argc > 1 && stepper_init(argv[1]) != 0) {
		write(2, "cdiff: cannot arm the breakpoints\n", 34);
		exit(2);
	}
	size_t len = 0;
	for (;;) {
		long n = read(0, inbuf + len, sizeof(inbuf) - 1 - len);
		if (n < 0)
			exit(1);
		if (n == 0)
			break;
		len += (size_t)n;
	}
	inbuf[len] = 0;

	proc0.p_ucred = &cred0;
	rw_init_flags(&netlock, "netlock", 0);
	free_pages = 64;
	uvn_init();
	snprintf(uvn_sync_lock.digest_name, sizeof(uvn_sync_lock.digest_name), "uvn_sync_lock");

	int step = -1;
	char *line = inbuf;
	while (*line) {
		char *end = strchr(line, '\n');
		if (end)
			*end = 0;
		char *w[64];
		int n = words(line, w, 64);
		if (n == 0) {
		} else if (strcmp(w[0], "phys") == 0) {
			free_pages = (int)strtoll(w[1], NULL, 10);
		} else if (strcmp(w[0], "vnode") == 0 && n == 7) {
			new_vnode(w);
		} else if (strcmp(w[0], "go") == 0) {
			digest(step++);
		} else if (strcmp(w[0], "spawn") == 0 && n >= 3) {
			spawn(w, n);
			digest(step++);
		} else if (strcmp(w[0], "run") == 0 && n == 2) {
			run(w[1]);
			digest(step++);
		} else if (strcmp(w[0], "step") == 0 && n == 2) {
			struct kthread *t = find_thread(w[1]);
			if (!t || t->status != TS_READY)
				die("cannot step", w[1]);
			int attr = t->line;
			step1(t);
			outf("#line %d\n", attr);
			digest(step++);
		} else if (strcmp(w[0], "runto") == 0 && n == 3) {
			/* step T until it stands at seed line L (after one step at least), blocks, ends or panics */
			struct kthread *t = find_thread(w[1]);
			if (!t || t->status != TS_READY)
				die("cannot step", w[1]);
			int l = (int)strtoll(w[2], NULL, 10);
			for (int i = 0; i < 1000000; i++) {
				step1(t);
				if (t->status != TS_READY || panicked || t->line == l)
					break;
			}
			outf("#line %d\n", t->line);
			digest(step++);
		} else if (strcmp(w[0], "cstep") == 0 && n == 2) {
			cstep(w[1], step);
			digest(step++);
		} else if (strcmp(w[0], "complete") == 0 && n == 3) {
			complete(w[1], w[2]);
			digest(step++);
		} else {
			die("bad line", line);
		}
		if (panicked)
			break;
		if (!end)
			break;
		line = end + 1;
	}
	return 0;
}
