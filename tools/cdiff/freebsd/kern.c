/*
 * The fake kernel around the seed vnode_pager.c: threads (ucontext
 * coroutines), blocking locks, sleep/wakeup, pages, objects, vnodes, the
 * disk, the callers of the contract's FreeBSD calls table, and the digest.
 * Reads the line format written by tools/cdiff-freebsd.ts on stdin and
 * prints one digest line per step on stdout (scenario-format.md, "FreeBSD").
 * Semantics: the contract and reference/freebsd-vm-facts.md; our own code.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ucontext.h>
#include "kern.h"

#define MAXT 512
#define MAXOBJ 256
#define MAXV 16
#define MAXM 16
#define MAXIO 1024
#define STACK (256 * 1024)

enum tstatus { T_READY, T_LOCK, T_SLEEP, T_IO, T_DONE };

struct kthread {
	struct thread td; /* first: curthread points here */
	char id[72];
	char call[40];
	enum tstatus status;
	char wait[80];
	char ret[160];
	struct klock *waitlock;
	void *chan;
	ucontext_t ctx;
	char *stack;
	int started;
	int pseudo;
	/* the call's arguments */
	char a_vnode[72];
	char a_mapping[72];
	int64_t n[6];
};

struct mapping {
	char id[72];
	int tidx;
	vm_object_t obj;
	int64_t length;
	int rw;      /* protection has write */
	int wcount;  /* write-counted */
};

struct ioreq {
	int id;
	int live;
	char thread[72];
	char vnode[72];
	int write;
	int64_t offset, length;
	int64_t blkno; /* -1 for null */
	int hasblkno;
	int async;
	int kind; /* 0 buf, 1 VOP_READ, 2 VOP_WRITE sync, 3 VOP_WRITE async */
	struct buf *bp;
	struct kthread *waiter;
	int done, error;
	int64_t got;
};

/* ---------------------------------------------------------------- state */

struct vmmeter vm_cnt;
long runningbufspace;
int unmapped_buf_allowed = 0;
static char unmapped_area[1];
caddr_t unmapped_buf = unmapped_area;
static struct vm_page bogus_page_store;
vm_page_t bogus_page = &bogus_page_store;

static struct kthread *threads[MAXT];
static int nthreads;
static struct vm_object *objects[MAXOBJ];
static int nobjects;
static struct vnode vnodes[MAXV];
static int nvnodes;
static struct mount mounts[MAXM];
static int nmounts;
static struct mapping maps[MAXT];
static int nmaps;
static struct ioreq ios[MAXIO];
static int nios;
static int nextio = 1;
static char panicmsg[1024];
static int panicked;
static struct kthread *cur;
static ucontext_t sched_ctx;
static int free_chan; /* sleep channel of "pfault" and "vmwait" */
static char pbuf_kva[MAXPHYS + PAGE_SIZE];
static struct sf_buf *live_sf[MAXT];

struct thread *k_curthread(void) { return &cur->td; }

static void fatal(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	fflush(stdout);
	exit(2);
}

/* ---------------------------------------------------------------- scheduling */

static void block(void)
{
	swapcontext(&cur->ctx, &sched_ctx);
}

static void sleep_on(void *chan, const char *msg)
{
	cur->chan = chan;
	cur->status = T_SLEEP;
	snprintf(cur->wait, sizeof cur->wait, "%s", msg);
	block();
}

void wakeup(void *chan)
{
	for (int i = 0; i < nthreads; i++) {
		struct kthread *t = threads[i];
		if (t->status == T_SLEEP && t->chan == chan) {
			t->status = T_READY;
			t->chan = NULL;
			t->wait[0] = 0;
		}
	}
}

static void make_ready(struct kthread *t)
{
	t->status = T_READY;
	t->chan = NULL;
	t->waitlock = NULL;
	t->wait[0] = 0;
}

/* ---------------------------------------------------------------- %p names and panics */

static const char *pname(const void *p, char *buf, size_t n)
{
	if (p == NULL) return "0";
	if (p == bogus_page) return "bogus_page";
	for (int i = 0; i < nvnodes; i++)
		if (p == &vnodes[i]) return vnodes[i].name;
	for (int i = 0; i < nobjects; i++)
		if (p == objects[i]) {
			snprintf(buf, n, "obj%d", objects[i]->id);
			return buf;
		}
	const struct vm_page *m = p;
	/* pages and bufs are heap blocks: tell them by what the caller passed */
	if (m->object != NULL) {
		for (int i = 0; i < nobjects; i++)
			if (m->object == objects[i]) {
				snprintf(buf, n, "obj%d[%ju]", objects[i]->id, (uintmax_t)m->pindex);
				return buf;
			}
	}
	return "buf";
}

/* printf with the contract's %p: a name. Handles the conversions the seed uses. */
static void kvformat(char *out, size_t outn, const char *fmt, va_list ap)
{
	size_t o = 0;
	char spec[32], tmp[256], nb[96];
	for (const char *f = fmt; *f && o + 1 < outn; f++) {
		if (*f != '%') {
			out[o++] = *f;
			continue;
		}
		size_t s = 0;
		spec[s++] = *f++;
		while (*f && strchr("-+ #0123456789.", *f)) spec[s++] = *f++;
		int lng = 0, j = 0, z = 0;
		while (*f && strchr("hljzt", *f)) {
			if (*f == 'l') lng++;
			if (*f == 'j') j = 1;
			if (*f == 'z') z = 1;
			spec[s++] = *f++;
		}
		char c = *f;
		spec[s++] = c;
		spec[s] = 0;
		tmp[0] = 0;
		switch (c) {
		case '%': snprintf(tmp, sizeof tmp, "%%"); break;
		case 'p': snprintf(tmp, sizeof tmp, "%s", pname(va_arg(ap, void *), nb, sizeof nb)); break;
		case 's': snprintf(tmp, sizeof tmp, spec, va_arg(ap, char *)); break;
		case 'd': case 'i': case 'u': case 'x': case 'X':
			if (j) snprintf(tmp, sizeof tmp, spec, va_arg(ap, intmax_t));
			else if (z) snprintf(tmp, sizeof tmp, spec, va_arg(ap, ssize_t));
			else if (lng) snprintf(tmp, sizeof tmp, spec, va_arg(ap, long));
			else snprintf(tmp, sizeof tmp, spec, va_arg(ap, int));
			break;
		default: snprintf(tmp, sizeof tmp, "%s", spec); break;
		}
		for (char *t = tmp; *t && o + 1 < outn; t++) out[o++] = *t;
	}
	out[o] = 0;
}

void panic(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	kvformat(panicmsg, sizeof panicmsg, fmt, ap);
	va_end(ap);
	panicked = 1;
	/* the panicking thread stays "ready" and never runs again */
	for (;;) swapcontext(&cur->ctx, &sched_ctx);
}

int kprintf(const char *fmt, ...) { (void)fmt; return 0; }
int ppsratecheck(struct timeval *t, int *c, int n) { (void)t; (void)c; (void)n; return 1; }

/* ---------------------------------------------------------------- locks */

static void lock_init(struct klock *l, const char *name)
{
	memset(l, 0, sizeof *l);
	snprintf(l->name, sizeof l->name, "%s", name);
}

static int lock_free(struct klock *l) { return l->owner == NULL && l->nshared == 0; }

static int lock_shared_by(struct klock *l, struct kthread *t)
{
	for (int i = 0; i < l->nshared; i++)
		if (l->shared[i] == (struct thread *)t) return 1;
	return 0;
}

static void lock_wait(struct klock *l)
{
	cur->status = T_LOCK;
	cur->waitlock = l;
	snprintf(cur->wait, sizeof cur->wait, "%s", l->name);
	block();
}

static void lock_wake(struct klock *l)
{
	for (int i = 0; i < nthreads; i++)
		if (threads[i]->status == T_LOCK && threads[i]->waitlock == l) make_ready(threads[i]);
}

/* exclusive, no recursion (the object lock) */
static void mtx_acquire(struct klock *l)
{
	while (!lock_free(l)) lock_wait(l);
	l->owner = &cur->td;
	l->count = 1;
}

static void lock_release(struct klock *l)
{
	if (l->owner == &cur->td) {
		if (--l->count == 0) {
			l->owner = NULL;
			lock_wake(l);
		}
		return;
	}
	for (int i = 0; i < l->nshared; i++)
		if (l->shared[i] == &cur->td) {
			l->shared[i] = l->shared[--l->nshared];
			if (l->nshared == 0) lock_wake(l);
			return;
		}
	panic("lockmgr_unlock: %s not locked by %s", l->name, cur->id);
}

void k_obj_wlock(vm_object_t o) { mtx_acquire(&o->lock); }
void k_obj_wunlock(vm_object_t o) { lock_release(&o->lock); }
int k_obj_wowned(vm_object_t o) { return o->lock.owner == &cur->td; }

void k_obj_sleep(vm_object_t o, void *chan, int pri, const char *msg)
{
	k_obj_wunlock(o);
	sleep_on(chan, msg);
	if ((pri & PDROP) == 0) k_obj_wlock(o);
}

/* ---------------------------------------------------------------- vnodes */

static struct vnode *vnode_named(const char *name)
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

static int VOP_ISLOCKED(struct vnode *vp)
{
	if (vp->lock.owner == &cur->td) return LK_EXCLUSIVE;
	if (lock_shared_by(&vp->lock, cur)) return LK_SHARED;
	return 0;
}

static void vref_add(struct vnode *vp, int n)
{
	vp->v_usecount += n;
	if (n > 0) vp->oweinact = 0;
}

void vrefact(struct vnode *vp) { vref_add(vp, 1); }
void vunref(struct vnode *vp) { vp->v_usecount--; }

boolean_t vm_object_page_clean(vm_object_t, vm_ooffset_t, vm_ooffset_t, int);

static void vinactive(struct vnode *vp)
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

static void vput(struct vnode *vp)
{
	VOP_UNLOCK(vp, 0);
	vrele(vp);
}

static int vget(struct vnode *vp, int flags)
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

/* ---------------------------------------------------------------- pages */

static void page_dirty(vm_page_t m) { m->dirty = VM_PAGE_BITS_ALL; }

static void pmap_enter(vm_page_t m, int mapping, int writable, int modified)
{
	for (int i = 0; i < m->nmaps; i++)
		if (m->maps[i].mapping == mapping) {
			struct pmap_entry *e = &m->maps[i];
			if (e->writable && e->modified && !writable) page_dirty(m);
			e->modified = modified || (e->modified && writable);
			e->writable = writable;
			return;
		}
	if (m->nmaps >= 16) fatal("too many mappings");
	m->maps[m->nmaps++] = (struct pmap_entry){ mapping, writable, modified };
}

static void pmap_remove_write(vm_page_t m)
{
	for (int i = 0; i < m->nmaps; i++) {
		struct pmap_entry *e = &m->maps[i];
		if (!e->writable) continue;
		if (e->modified) page_dirty(m);
		e->writable = 0;
		e->modified = 0;
	}
}

static void pmap_remove_all(vm_page_t m)
{
	for (int i = 0; i < m->nmaps; i++)
		if (m->maps[i].modified) page_dirty(m);
	m->nmaps = 0;
}

static void pmap_remove_mapping(vm_page_t m, int mapping)
{
	for (int i = 0; i < m->nmaps; i++)
		if (m->maps[i].mapping == mapping) {
			if (m->maps[i].modified) page_dirty(m);
			m->maps[i] = m->maps[--m->nmaps];
			return;
		}
}

int pmap_page_is_mapped(vm_page_t m) { return m->nmaps > 0; }
int pmap_page_is_write_mapped(vm_page_t m)
{
	for (int i = 0; i < m->nmaps; i++)
		if (m->maps[i].writable) return 1;
	return 0;
}

vm_page_t vm_page_lookup(vm_object_t obj, vm_pindex_t pindex)
{
	for (vm_page_t p = TAILQ_FIRST(&obj->memq); p; p = TAILQ_NEXT(p, listq))
		if (p->pindex == pindex) return p;
	return NULL;
}

static vm_page_t vm_page_find_least(vm_object_t obj, vm_pindex_t pindex)
{
	for (vm_page_t p = TAILQ_FIRST(&obj->memq); p; p = TAILQ_NEXT(p, listq))
		if (p->pindex >= pindex) return p;
	return NULL;
}

static void memq_insert(vm_object_t obj, vm_page_t m)
{
	vm_page_t after = NULL;
	for (vm_page_t p = TAILQ_FIRST(&obj->memq); p; p = TAILQ_NEXT(p, listq))
		if (p->pindex < m->pindex) after = p;
	if (after == NULL) {
		m->listq.tqe_next = obj->memq.tqh_first;
		if (m->listq.tqe_next) m->listq.tqe_next->listq.tqe_prev = &m->listq.tqe_next;
		else obj->memq.tqh_last = &m->listq.tqe_next;
		obj->memq.tqh_first = m;
		m->listq.tqe_prev = &obj->memq.tqh_first;
	} else {
		m->listq.tqe_next = after->listq.tqe_next;
		if (m->listq.tqe_next) m->listq.tqe_next->listq.tqe_prev = &m->listq.tqe_next;
		else obj->memq.tqh_last = &m->listq.tqe_next;
		after->listq.tqe_next = m;
		m->listq.tqe_prev = &after->listq.tqe_next;
	}
	obj->resident_page_count++;
}

static void memq_remove(vm_object_t obj, vm_page_t m)
{
	if (m->listq.tqe_next) m->listq.tqe_next->listq.tqe_prev = m->listq.tqe_prev;
	else obj->memq.tqh_last = m->listq.tqe_prev;
	*m->listq.tqe_prev = m->listq.tqe_next;
	obj->resident_page_count--;
}

vm_page_t vm_page_alloc(vm_object_t obj, vm_pindex_t pindex, int req)
{
	(void)req;
	if (vm_cnt.v_free_count == 0) return NULL;
	if (vm_page_lookup(obj, pindex)) panic("vm_page_alloc: pindex already allocated");
	vm_page_t m = calloc(1, sizeof *m);
	m->object = obj;
	m->pindex = pindex;
	m->xbusy = 1;
	vm_cnt.v_free_count--;
	memq_insert(obj, m);
	return m;
}

static int vm_page_busied(vm_page_t m) { return m->xbusy || m->sbusy > 0; }

static void wake_page(vm_page_t m)
{
	if (m->waiters) {
		m->waiters = 0;
		wakeup(m);
	}
}

static void vm_page_xbusy(vm_page_t m) { m->xbusy = 1; }
static void vm_page_xunbusy(vm_page_t m)
{
	m->xbusy = 0;
	wake_page(m);
}
static void vm_page_sbusy(vm_page_t m) { m->sbusy++; }
static void vm_page_sunbusy(vm_page_t m)
{
	m->sbusy--;
	if (m->sbusy == 0) wake_page(m);
}

void vm_page_assert_sbusied(vm_page_t m)
{
	KASSERT(m->sbusy > 0, ("page %p not shared busy", m));
}

/* sets waiters, drops the object lock, sleeps; does not relock */
static void vm_page_busy_sleep(vm_page_t m, vm_object_t obj, const char *msg)
{
	m->waiters = 1;
	VM_OBJECT_WUNLOCK(obj);
	sleep_on(m, msg);
}

static int vm_page_sleep_if_busy(vm_page_t m, vm_object_t obj, const char *msg)
{
	if (!vm_page_busied(m)) return 0;
	vm_page_busy_sleep(m, obj, msg);
	VM_OBJECT_WLOCK(obj);
	return 1;
}

vm_page_bits_t vm_page_bits(int base, int size)
{
	KASSERT(base + size <= PAGE_SIZE, ("vm_page_bits: illegal base/size %d/%d", base, size));
	if (size == 0) return 0;
	int first = base >> DEV_BSHIFT;
	int last = (base + size - 1) >> DEV_BSHIFT;
	return (vm_page_bits_t)((2u << last) - (1u << first));
}

void vm_page_set_valid_range(vm_page_t m, int base, int size)
{
	if (size == 0) return;
	vm_page_bits_t bits = vm_page_bits(base, size);
	KASSERT((~m->valid & bits & m->dirty) == 0, ("vm_page_set_valid_range: page %p is dirty", m));
	m->valid |= bits;
}

void vm_page_clear_dirty(vm_page_t m, int base, int size) { m->dirty &= ~vm_page_bits(base, size); }
void vm_page_undirty(vm_page_t m) { m->dirty = 0; }

static int vm_page_is_valid(vm_page_t m, int base, int size)
{
	vm_page_bits_t bits = vm_page_bits(base, size);
	return m->valid != 0 && (m->valid & bits) == bits;
}

static void vm_page_activate(vm_page_t m) { m->queue = 1; }
static void vm_page_deactivate(vm_page_t m)
{
	if (m->queue != 2) m->queue = 2;
}

void vm_page_readahead_finish(vm_page_t m)
{
	KASSERT(m->valid != 0, ("vm_page_readahead_finish: %p is invalid", m));
	if (m->waiters) vm_page_activate(m);
	else vm_page_deactivate(m);
	vm_page_xunbusy(m);
}

static void vm_page_free(vm_page_t m)
{
	pmap_remove_all(m);
	if (m->xbusy) vm_page_xunbusy(m);
	memq_remove(m->object, m);
	m->queue = 0;
	m->freed = 1;
	vm_cnt.v_free_count++;
	wakeup(&free_chan);
}

struct sf_buf *sf_buf_alloc(vm_page_t m, int f)
{
	(void)f;
	struct sf_buf *sf = calloc(1, sizeof *sf);
	sf->m = m;
	sf->inuse = 1;
	for (int i = 0; i < MAXT; i++)
		if (!live_sf[i]) {
			live_sf[i] = sf;
			break;
		}
	return sf;
}
vm_offset_t sf_buf_kva(struct sf_buf *sf) { return (vm_offset_t)sf->kva; }
void sf_buf_free(struct sf_buf *sf)
{
	sf->inuse = 0;
	for (int i = 0; i < MAXT; i++)
		if (live_sf[i] == sf) live_sf[i] = NULL;
}

/* ---------------------------------------------------------------- objects */

vm_object_t vm_object_allocate(objtype_t type, vm_pindex_t size)
{
	vm_object_t o = calloc(1, sizeof *o);
	o->id = nobjects + 1;
	char name[40];
	snprintf(name, sizeof name, "vmobjlock:obj%d", o->id);
	lock_init(&o->lock, name);
	TAILQ_INIT(&o->memq);
	o->type = type;
	o->size = size;
	o->ref_count = 1;
	o->generation = 1;
	snprintf(o->vnode, sizeof o->vnode, "%s", cur->a_vnode);
	objects[nobjects++] = o;
	return o;
}

void vm_object_destroy(vm_object_t o) { o->destroyed = 1; }
void vm_object_set_flag(vm_object_t o, u_short f) { o->flags |= f; }
void vm_object_clear_flag(vm_object_t o, u_short f) { o->flags &= ~f; }
void vm_object_color(vm_object_t o, vm_offset_t c) { (void)c; o->flags |= OBJ_COLORED; }
void vm_object_pip_add(vm_object_t o, short n) { o->paging_in_progress += n; }
void vm_object_pip_wakeup(vm_object_t o)
{
	o->paging_in_progress--;
	if ((o->flags & OBJ_PIPWNT) && o->paging_in_progress == 0) {
		o->flags &= ~OBJ_PIPWNT;
		wakeup(o);
	}
}

void vm_object_pip_wait(vm_object_t o, const char *msg)
{
	while (o->paging_in_progress) {
		o->flags |= OBJ_PIPWNT;
		VM_OBJECT_SLEEP(o, o, PVM, msg, 0);
	}
}

static void vm_object_reference_locked(vm_object_t o)
{
	o->ref_count++;
	if (o->type == OBJT_VNODE && o->handle) vref_add(o->handle, 1);
}

void vm_pager_deallocate(vm_object_t o)
{
	if (o->type == OBJT_VNODE) vnodepagerops.pgo_dealloc(o);
}

void vm_object_page_remove(vm_object_t o, vm_pindex_t start, vm_pindex_t end, int options)
{
	if (TAILQ_FIRST(&o->memq) == NULL) return;
	vm_object_pip_add(o, 1);
again:
	for (vm_page_t p = vm_page_find_least(o, start), next; p && (p->pindex < end || end == 0); p = next) {
		next = TAILQ_NEXT(p, listq);
		if (vm_page_busied(p)) {
			vm_page_busy_sleep(p, o, "vmopar");
			VM_OBJECT_WLOCK(o);
			goto again;
		}
		if ((options & OBJPR_CLEANONLY) && p->valid != 0) {
			if ((options & OBJPR_NOTMAPPED) == 0 && o->ref_count != 0) pmap_remove_write(p);
			if (p->dirty != 0) continue;
		}
		if ((options & OBJPR_NOTMAPPED) == 0 && o->ref_count != 0) pmap_remove_all(p);
		vm_page_free(p);
	}
	vm_object_pip_wakeup(o);
}

static void vinvalbuf(struct vnode *vp)
{
	vm_object_t o = vp->v_object;
	if (o == NULL) return;
	VM_OBJECT_WLOCK(o);
	vm_object_pip_wait(o, "bovlbx");
	vm_object_page_remove(o, 0, 0, OBJPR_CLEANONLY);
	VM_OBJECT_WUNLOCK(o);
}

void vm_object_terminate(vm_object_t o)
{
	o->flags |= OBJ_DEAD;
	vm_object_pip_wait(o, "objtrm");
	KASSERT(o->paging_in_progress == 0, ("vm_object_terminate: pageout in progress"));
	if (o->type == OBJT_VNODE) {
		struct vnode *vp = o->handle;
		vm_object_page_clean(o, 0, 0, OBJPC_SYNC);
		VM_OBJECT_WUNLOCK(o);
		vinvalbuf(vp);
		VM_OBJECT_WLOCK(o);
	}
	KASSERT(o->ref_count == 0, ("vm_object_terminate: object with references, ref_count=%d", o->ref_count));
	vm_page_t p, next;
	for (p = TAILQ_FIRST(&o->memq); p; p = next) {
		next = TAILQ_NEXT(p, listq);
		vm_page_free(p);
	}
	vm_pager_deallocate(o);
	VM_OBJECT_WUNLOCK(o);
	vm_object_destroy(o);
}

static void vm_object_deallocate(vm_object_t o)
{
	VM_OBJECT_WLOCK(o);
	if (o->type == OBJT_VNODE) {
		struct vnode *vp = o->handle;
		if (o->ref_count == 0) panic("vm_object_vndeallocate: bad object reference count");
		if (o->ref_count > 1 || (vp->v_vflag & VV_TEXT) == 0) {
			o->ref_count--;
			VM_OBJECT_WUNLOCK(o);
			vrele(vp);
			return;
		}
		VM_OBJECT_WUNLOCK(o);
		vn_lock(vp, LK_EXCLUSIVE | LK_RETRY);
		VM_OBJECT_WLOCK(o);
		o->ref_count--;
		if (o->type == OBJT_DEAD) {
			VM_OBJECT_WUNLOCK(o);
			VOP_UNLOCK(vp, 0);
		} else {
			if (o->ref_count == 0) vp->v_vflag &= ~VV_TEXT;
			VM_OBJECT_WUNLOCK(o);
			vput(vp);
		}
		return;
	}
	KASSERT(o->ref_count != 0, ("vm_object_deallocate: object deallocated too many times: %d", o->type));
	o->ref_count--;
	if (o->ref_count > 0) {
		VM_OBJECT_WUNLOCK(o);
		return;
	}
	if ((o->flags & OBJ_DEAD) == 0) vm_object_terminate(o);
	else VM_OBJECT_WUNLOCK(o);
}

/* ---------------------------------------------------------------- page cleaning (FreeBSD 12) */

static int vm_pageout_flush(vm_page_t *mc, int count, int flags, int mreq, int *prunlen, int *eio)
{
	vm_object_t object = mc[0]->object;
	int status[64];
	int numpagedout = 0, runlen;
	for (int i = 0; i < count; i++) {
		KASSERT(mc[i]->valid == VM_PAGE_BITS_ALL,
		    ("vm_pageout_flush: partially invalid page %p index %d/%d", mc[i], i, count));
		KASSERT(!pmap_page_is_write_mapped(mc[i]), ("vm_pageout_flush: writeable page %p", mc[i]));
		vm_page_sbusy(mc[i]);
	}
	vm_object_pip_add(object, count);
	for (int i = 0; i < count; i++) status[i] = VM_PAGER_ERROR;
	vnodepagerops.pgo_putpages(object, mc, count, flags, status);
	runlen = count - mreq;
	if (eio) *eio = 0;
	for (int i = 0; i < count; i++) {
		vm_page_t mt = mc[i];
		KASSERT(status[i] == VM_PAGER_PEND || !pmap_page_is_write_mapped(mt),
		    ("vm_pageout_flush: page %p is not write protected", mt));
		switch (status[i]) {
		case VM_PAGER_OK:
		case VM_PAGER_PEND:
			numpagedout++;
			break;
		case VM_PAGER_BAD:
			vm_page_undirty(mt);
			break;
		case VM_PAGER_ERROR:
		case VM_PAGER_FAIL:
			vm_page_activate(mt);
			if (eio && i >= mreq && i - mreq < runlen) *eio = 1;
			break;
		case VM_PAGER_AGAIN:
			if (i >= mreq && i - mreq < runlen) runlen = i - mreq;
			break;
		}
		if (status[i] != VM_PAGER_PEND) {
			vm_object_pip_wakeup(object);
			vm_page_sunbusy(mt);
		}
	}
	if (prunlen) *prunlen = runlen;
	return numpagedout;
}

static int page_remove_write(vm_page_t p, int flags)
{
	(void)flags; /* VPO_NOSYNC is never set: no MAP_NOSYNC mapping */
	pmap_remove_write(p);
	return p->dirty != 0;
}

static vm_page_t page_next(vm_page_t m)
{
	vm_page_t n = TAILQ_NEXT(m, listq);
	return n && n->pindex == m->pindex + 1 ? n : NULL;
}

static vm_page_t page_prev(vm_page_t m)
{
	vm_page_t p = TAILQ_PREV(m, pglist, listq);
	return p && p->pindex + 1 == m->pindex ? p : NULL;
}

static int collect_flush(vm_object_t o, vm_page_t p, int pagerflags, int flags, int *eio)
{
	vm_page_t ma[32], tp, p_first;
	int count = 1, mreq = 0;
	for (tp = p; count < 32; count++) {
		tp = page_next(tp);
		if (tp == NULL || vm_page_busied(tp)) break;
		if (!page_remove_write(tp, flags)) break;
	}
	for (p_first = p; count < 32; count++) {
		tp = page_prev(p_first);
		if (tp == NULL || vm_page_busied(tp)) break;
		if (!page_remove_write(tp, flags)) break;
		p_first = tp;
		mreq++;
	}
	tp = p_first;
	for (int i = 0; i < count; i++, tp = TAILQ_NEXT(tp, listq)) ma[i] = tp;
	vm_pageout_flush(ma, count, pagerflags, mreq, &count, eio);
	(void)o;
	return count;
}

boolean_t vm_object_page_clean(vm_object_t o, vm_ooffset_t start, vm_ooffset_t end, int flags)
{
	if (o->type != OBJT_VNODE || (o->flags & OBJ_MIGHTBEDIRTY) == 0 || o->resident_page_count == 0) return TRUE;
	int pagerflags = (flags & (OBJPC_SYNC | OBJPC_INVAL)) ? VM_PAGER_PUT_SYNC : VM_PAGER_CLUSTER_OK;
	pagerflags |= (flags & OBJPC_INVAL) ? VM_PAGER_PUT_INVAL : 0;
	vm_pindex_t tstart = OFF_TO_IDX(start);
	vm_pindex_t tend = end == 0 ? o->size : OFF_TO_IDX(end + PAGE_MASK);
	int allclean = tstart == 0 && tend >= o->size;
	int res = TRUE;
	vm_page_t p, np;
rescan:;
	int curgen = o->generation;
	for (p = vm_page_find_least(o, tstart); p != NULL; p = np) {
		vm_pindex_t pi = p->pindex;
		if (pi >= tend) break;
		np = TAILQ_NEXT(p, listq);
		if (p->valid == 0) continue;
		if (vm_page_sleep_if_busy(p, o, "vpcwai")) {
			if (o->generation != curgen) {
				if (flags & OBJPC_SYNC) goto rescan;
				allclean = 0;
			}
			np = vm_page_find_least(o, pi);
			continue;
		}
		if (!page_remove_write(p, flags)) continue;
		int eio = 0;
		int n = collect_flush(o, p, pagerflags, flags, &eio);
		if (eio) {
			res = FALSE;
			allclean = 0;
		}
		if (o->generation != curgen) {
			if (flags & OBJPC_SYNC) goto rescan;
			allclean = 0;
		}
		if (n == 0) {
			n = 1;
			allclean = 0;
		}
		np = vm_page_find_least(o, pi + n);
	}
	if (allclean) o->flags &= ~OBJ_MIGHTBEDIRTY;
	return res;
}

/* ---------------------------------------------------------------- buffers and the disk */

struct buf *getpbuf(int *cnt)
{
	while (*cnt == 0) sleep_on(cnt, "wswbuf0");
	(*cnt)--;
	struct buf *bp = calloc(1, sizeof *bp);
	bp->b_kvabase = pbuf_kva;
	bp->b_data = pbuf_kva;
	bp->b_freecnt = cnt;
	return bp;
}

void relpbuf(struct buf *bp, int *cnt)
{
	(void)bp;
	(*cnt)++;
	if (*cnt == 1) wakeup(cnt);
}

void pbgetbo(struct bufobj *bo, struct buf *bp) { bp->b_bufobj = bo; }
void pbrelbo(struct buf *bp)
{
	KASSERT(bp->b_vp == NULL, ("pbrelbo: vnode"));
	bp->b_bufobj = NULL;
}

static struct ioreq *start_io(const char *vnode, int write, int64_t offset, int64_t length)
{
	if (nios >= MAXIO) fatal("too many requests");
	struct ioreq *r = &ios[nios++];
	memset(r, 0, sizeof *r);
	r->id = nextio++;
	r->live = 1;
	snprintf(r->thread, sizeof r->thread, "%s", cur->id);
	snprintf(r->vnode, sizeof r->vnode, "%s", vnode);
	r->write = write;
	r->offset = offset;
	r->length = length;
	r->blkno = -1;
	return r;
}

static void io_wait(struct ioreq *r)
{
	r->waiter = cur;
	while (!r->done) {
		cur->status = T_IO;
		cur->chan = r;
		snprintf(cur->wait, sizeof cur->wait, "io:%d", r->id);
		block();
	}
}

void bstrategy(struct buf *bp)
{
	int64_t off;
	if (bp->b_npages > 0) off = IDX_TO_OFF(bp->b_pages[0]->pindex);
	else {
		/* vnode_pager_input_smlfs: the block's file address, from its place in the page's sf_buf */
		off = -1;
		for (int i = 0; i < MAXT; i++)
			if (live_sf[i] && bp->b_data >= live_sf[i]->kva && bp->b_data < live_sf[i]->kva + PAGE_SIZE) {
				off = IDX_TO_OFF(live_sf[i]->m->pindex) + (bp->b_data - live_sf[i]->kva);
				break;
			}
		if (off < 0) fatal("bstrategy: unknown buffer");
	}
	struct ioreq *r = start_io(bp->b_vp->name, 0, off, bp->b_bcount);
	r->hasblkno = 1;
	r->blkno = bp->b_blkno;
	r->async = (bp->b_flags & B_ASYNC) != 0;
	r->bp = bp;
	bp->b_ioid = r->id;
}

void bdone(struct buf *bp)
{
	bp->b_flags |= B_DONE;
	for (int i = 0; i < nthreads; i++)
		if (threads[i]->status == T_IO && threads[i]->chan == bp) make_ready(threads[i]);
}

void bwait(struct buf *bp, int pri, const char *msg)
{
	(void)pri;
	(void)msg;
	while ((bp->b_flags & B_DONE) == 0) {
		cur->status = T_IO;
		cur->chan = bp;
		snprintf(cur->wait, sizeof cur->wait, "io:%d", bp->b_ioid);
		block();
	}
}

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
	VOP_WRITE(vp, &uio, vnode_pager_putpages_ioflags(flags), NULL);
	vnode_pager_undirty_pages(ma, rtvals, (int)(count - uio.uio_resid));
	return rtvals[0];
}

/* ---------------------------------------------------------------- the callers */

#define RET(...) snprintf(cur->ret, sizeof cur->ret, __VA_ARGS__)

static struct mapping *mapping_named(const char *id)
{
	for (int i = 0; i < nmaps; i++)
		if (strcmp(maps[i].id, id) == 0) return &maps[i];
	fatal("no mapping %s", id);
	return NULL;
}

static void call_vnode_create_vobject(struct vnode *vp)
{
	if (vn_lock(vp, LK_EXCLUSIVE) != 0) {
		RET("\"ENOENT\"");
		return;
	}
	int r = vnode_create_vobject(vp, vp->size, curthread);
	VOP_UNLOCK(vp, 0);
	RET("\"%d\"", r);
}

static const char *errname(int e)
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
	int error = vget(vp, wc ? LK_EXCLUSIVE : LK_SHARED);
	if (error) {
		RET("\"%s\"", errname(error));
		return;
	}
	vm_object_t obj = vp->v_object;
	if (obj == NULL) {
		vput(vp);
		RET("\"EINVAL\"");
		return;
	}
	if (wc) vnode_pager_update_writecount(obj, 0, length);
	obj = vnodepagerops.pgo_alloc(vp, round_page(vp->size), wc ? 3 : 1, 0, NULL);
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
	for (vm_page_t p = TAILQ_FIRST(&obj->memq); p; p = TAILQ_NEXT(p, listq)) pmap_remove_mapping(p, mp->tidx);
	if (mp->wcount) vnode_pager_release_writecount(obj, 0, mp->length);
	vm_object_deallocate(obj);
	RET("null");
}

static void vm_pager_assert_in(vm_object_t object, vm_page_t *m, int count)
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

static void call_fault(const char *mapping, int64_t offset, int write, int behind, int ahead)
{
	struct mapping *mp = mapping_named(mapping);
	vm_object_t obj = mp->obj;
	vm_pindex_t pindex = offset / PAGE_SIZE;
	int pw = mp->rw;
	struct vnode *vp_held = NULL;
	vm_page_t m;
	if (write && !pw) {
		RET("\"KERN_PROTECTION_FAILURE\"");
		return;
	}
	int maxahead = (int)(mp->length / PAGE_SIZE - 1 - pindex);
	if (ahead > maxahead) ahead = maxahead;
	if (behind > (int)pindex) behind = (int)pindex;
#define UNLOCK_AND_DEALLOCATE()                                               \
	do {                                                                  \
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
		VM_OBJECT_WLOCK(obj);
		m = vm_page_lookup(obj, pindex);
		if (m && m->valid == VM_PAGE_BITS_ALL && !(vm_page_busied(m) && pw)) {
			pmap_enter(m, mp->tidx, pw, write);
			if (write) page_dirty(m);
			VM_OBJECT_WUNLOCK(obj);
			RET("\"KERN_SUCCESS\"");
			return;
		}
	} else
		VM_OBJECT_WLOCK(obj);
	vm_object_reference_locked(obj);
	vm_object_pip_add(obj, 1);
	m = vm_page_lookup(obj, pindex);
	if (m) {
		if (vm_page_busied(m)) {
			vm_page_sleep_if_busy(m, obj, "vmpfw");
			vm_object_pip_wakeup(obj);
			VM_OBJECT_WUNLOCK(obj);
			vm_object_deallocate(obj);
			goto RetryFault;
		}
		vm_page_xbusy(m);
		if (m->valid == VM_PAGE_BITS_ALL) goto mapit;
	} else {
		if (pindex >= obj->size) {
			UNLOCK_AND_DEALLOCATE();
			RET("\"KERN_PROTECTION_FAILURE\"");
			return;
		}
		if (vm_cnt.v_free_count == 0) {
			UNLOCK_AND_DEALLOCATE();
			if (vm_cnt.v_free_count == 0) sleep_on(&free_chan, "pfault");
			goto RetryFault;
		}
		vm_object_color(obj, 0);
		m = vm_page_alloc(obj, pindex, VM_ALLOC_NORMAL);
	}
	/* readrest */
	if (obj->type == OBJT_DEAD) {
		m->valid = VM_PAGE_BITS_ALL;
		goto mapit;
	}
	{
		struct vnode *vp = obj->handle;
		if (vp_held != vp) {
			int error = vget(vp, (VOP_ISLOCKED(vp) == LK_EXCLUSIVE ? LK_EXCLUSIVE : LK_SHARED) | LK_NOWAIT);
			if (error) {
				vm_page_xunbusy(m);
				vm_page_deactivate(m);
				UNLOCK_AND_DEALLOCATE();
				vget(vp, LK_SHARED | LK_RETRY);
				vp_held = vp;
				goto RetryFault;
			}
			vp_held = vp;
		}
		int b = behind, a = ahead;
		vm_pager_assert_in(obj, &m, 1);
		int rv = vnodepagerops.pgo_getpages(obj, &m, 1, &b, &a);
		if (rv == VM_PAGER_OK) {
			KASSERT(m == vm_page_lookup(obj, m->pindex), ("%s: mismatch page %p pindex %ju", "vm_pager_get_pages", m, (uintmax_t)m->pindex));
			if (m->valid != VM_PAGE_BITS_ALL) m->valid = VM_PAGE_BITS_ALL;
		} else if (rv == VM_PAGER_ERROR || rv == VM_PAGER_BAD) {
			vm_page_free(m);
			UNLOCK_AND_DEALLOCATE();
			RET(rv == VM_PAGER_ERROR ? "\"KERN_FAILURE\"" : "\"KERN_PROTECTION_FAILURE\"");
			return;
		} else
			fatal("fault: pager returned %d", rv);
	}
mapit:
	if (pw) {
		if (obj->type == OBJT_VNODE) {
			obj->generation++;
			obj->flags |= OBJ_MIGHTBEDIRTY;
		}
		if (write) page_dirty(m);
	}
	VM_OBJECT_WUNLOCK(obj);
	pmap_enter(m, mp->tidx, pw, write);
	VM_OBJECT_WLOCK(obj);
	vm_page_activate(m);
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
		if (!vnodepagerops.pgo_haspage(obj, OFF_TO_IDX(vmoff(i, off)), NULL, &a)) {
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
		KASSERT(rv == VM_PAGER_OK, ("%s: pager fail obj %p page %p", "sendfile_swapin", obj, pa[i]));
		for (j = i; j < i + count; j++)
			if (pa[j] == bogus_page) pa[j] = vm_page_lookup(obj, OFF_TO_IDX(vmoff(j, off)));
		i += count;
	}
	VM_OBJECT_WUNLOCK(obj);
}

static void call_sendfile(struct vnode *vp, int64_t offset, int64_t length, int64_t rahead)
{
	vn_lock(vp, LK_SHARED | LK_RETRY);
	if (vp->v_type != VREG) {
		VOP_UNLOCK(vp, 0);
		RET("\"EINVAL\"");
		return;
	}
	int64_t size = vp->size;
	vm_object_t obj = vp->v_object;
	if (obj == NULL) {
		VOP_UNLOCK(vp, 0);
		RET("\"EINVAL\"");
		return;
	}
	VM_OBJECT_WLOCK(obj);
	if (obj->flags & OBJ_DEAD) {
		VM_OBJECT_WUNLOCK(obj);
		VOP_UNLOCK(vp, 0);
		RET("\"EBADF\"");
		return;
	}
	vm_object_reference_locked(obj);
	VM_OBJECT_WUNLOCK(obj);
	VOP_UNLOCK(vp, 0);
	int error = 0;
	int64_t rem = length ? (length < size - offset ? length : size - offset) : size - offset;
	if (rem > 0) {
		error = vn_lock(vp, LK_SHARED);
		if (error == 0) {
			int64_t nsize = vp->size;
			if (offset >= nsize) {
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
				sendfile_swapin(obj, offset, rem, npages, (int)rh);
				VOP_UNLOCK(vp, 0);
			}
		}
	}
	vm_object_deallocate(obj);
	RET("\"%s\"", errname(error));
}

static void call_msync(struct vnode *vp, int flags, int64_t start, int64_t end)
{
	vn_lock(vp, LK_EXCLUSIVE | LK_RETRY);
	vm_object_t obj = vp->v_object;
	if (obj == NULL) {
		VOP_UNLOCK(vp, 0);
		RET("true");
		return;
	}
	VM_OBJECT_WLOCK(obj);
	int r = vm_object_page_clean(obj, start, end, flags);
	VM_OBJECT_WUNLOCK(obj);
	VOP_UNLOCK(vp, 0);
	RET(r ? "true" : "false");
}

static void call_pageout(struct vnode *vp, int64_t pindex)
{
	vn_lock(vp, LK_EXCLUSIVE | LK_RETRY);
	vm_object_t obj = vp->v_object;
	if (obj == NULL) {
		VOP_UNLOCK(vp, 0);
		RET("0");
		return;
	}
	VM_OBJECT_WLOCK(obj);
	int n = 0;
	vm_page_t m = vm_page_lookup(obj, pindex);
	if (m && !vm_page_busied(m) && m->valid == VM_PAGE_BITS_ALL) {
		pmap_remove_write(m);
		if (m->dirty) n = vm_pageout_flush(&m, 1, VM_PAGER_PUT_NOREUSE, 0, NULL, NULL);
	}
	VM_OBJECT_WUNLOCK(obj);
	VOP_UNLOCK(vp, 0);
	RET("%d", n);
}

static void call_haspage(struct vnode *vp, int64_t pindex)
{
	vm_object_t obj = vp->v_object;
	if (obj == NULL) {
		RET("null");
		return;
	}
	VM_OBJECT_WLOCK(obj);
	int before = 0, after = 0, has = 0;
	if (obj->type == OBJT_VNODE) has = vnodepagerops.pgo_haspage(obj, pindex, &before, &after);
	VM_OBJECT_WUNLOCK(obj);
	RET("{\"has\":%s,\"before\":%d,\"after\":%d}", has ? "true" : "false", before, after);
}

static void call_setsize(struct vnode *vp, int64_t size)
{
	vn_lock(vp, LK_EXCLUSIVE | LK_RETRY);
	vp->size = size;
	int64_t keep = (size + vp->v_mount->mnt_stat.f_iosize - 1) / vp->v_mount->mnt_stat.f_iosize;
	if (vp->nblocks > keep) vp->nblocks = (int)keep;
	vnode_pager_setsize(vp, size);
	VOP_UNLOCK(vp, 0);
	RET("null");
}

static void call_vgone(struct vnode *vp)
{
	vn_lock(vp, LK_EXCLUSIVE | LK_RETRY);
	if (vp->v_iflag & VI_DOOMED) {
		VOP_UNLOCK(vp, 0);
		RET("null");
		return;
	}
	vp->v_iflag |= VI_DOOMED;
	if (vp->v_usecount > 0) vinactive(vp);
	vinvalbuf(vp);
	vnode_destroy_vobject(vp);
	vp->deadfs = 1;
	vp->v_type = VBAD;
	VOP_UNLOCK(vp, 0);
	RET("null");
}

static void thread_main(void)
{
	struct kthread *t = cur;
	const char *c = t->call;
	if (!strcmp(c, "vref")) {
		vref_add(vnode_named(t->a_vnode), 1);
		RET("null");
	} else if (!strcmp(c, "vrele")) {
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

/* ---------------------------------------------------------------- digest */

static char out[1 << 20];
static size_t olen;
static void put(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	olen += vsnprintf(out + olen, sizeof out - olen, fmt, ap);
	va_end(ap);
}

static void put_json_string(const char *s)
{
	put("\"");
	for (; *s; s++) {
		if (*s == '"' || *s == '\\') put("\\%c", *s);
		else if (*s == '\n') put("\\n");
		else put("%c", *s);
	}
	put("\"");
}

static const char *status_name(enum tstatus s)
{
	static const char *n[] = { "ready", "lock", "sleep", "io", "done" };
	return n[s];
}

static void digest(int step)
{
	olen = 0;
	put("{\"step\":%d,\"panic\":", step);
	if (panicked) put_json_string(panicmsg);
	else put("null");
	put(",\"freePages\":%u,\"pbufs\":%d,\"asyncPbufs\":%d,\"threads\":[", vm_cnt.v_free_count, vnode_pbuf_freecnt,
	    vnode_async_pbuf_freecnt);
	for (int i = 0; i < nthreads; i++) {
		struct kthread *t = threads[i];
		put("%s{\"id\":\"%s\",\"call\":\"%s\",\"status\":\"%s\",\"wait\":", i ? "," : "", t->id, t->call,
		    status_name(t->status));
		if (t->wait[0] && t->status != T_READY && t->status != T_DONE) put("\"%s\"", t->wait);
		else put("null");
		put(",\"ret\":%s}", t->status == T_DONE ? t->ret : "null");
	}
	put("],\"vnodes\":[");
	for (int i = 0; i < nvnodes; i++) {
		struct vnode *v = &vnodes[i];
		const char *state = (v->v_iflag & VI_DOOMED) ? "doomed" : v->v_usecount > 0 ? "active" : "free";
		put("%s{\"name\":\"%s\",\"usecount\":%d,\"writecount\":%d,\"vflag\":[%s],\"state\":\"%s\",\"size\":%lld,\"object\":",
		    i ? "," : "", v->name, v->v_usecount, v->v_writecount, (v->v_vflag & VV_TEXT) ? "\"VV_TEXT\"" : "", state,
		    (long long)v->size);
		if (v->v_object) put("%d}", v->v_object->id);
		else put("null}");
	}
	put("],\"objects\":[");
	int first = 1;
	for (int i = 0; i < nobjects; i++) {
		vm_object_t o = objects[i];
		if (o->destroyed) continue;
		put("%s{\"id\":%d,\"vnode\":\"%s\",\"type\":\"%s\",\"flags\":[", first ? "" : ",", o->id, o->vnode,
		    o->type == OBJT_VNODE ? "OBJT_VNODE" : o->type == OBJT_DEAD ? "OBJT_DEAD" : "OBJT_DEFAULT");
		first = 0;
		static const struct { int bit; const char *name; } fl[] = { { OBJ_DEAD, "OBJ_DEAD" }, { OBJ_PIPWNT, "OBJ_PIPWNT" },
			{ OBJ_MIGHTBEDIRTY, "OBJ_MIGHTBEDIRTY" }, { OBJ_COLORED, "OBJ_COLORED" }, { OBJ_DISCONNECTWNT, "OBJ_DISCONNECTWNT" } };
		int f1 = 1;
		for (unsigned k = 0; k < 5; k++)
			if (o->flags & fl[k].bit) {
				put("%s\"%s\"", f1 ? "" : ",", fl[k].name);
				f1 = 0;
			}
		put("],\"ref_count\":%d,\"paging_in_progress\":%u,\"size\":%llu,\"vnp_size\":%lld,\"writemappings\":%llu,\"pages\":[",
		    o->ref_count, o->paging_in_progress, (unsigned long long)o->size, (long long)o->un_pager.vnp.vnp_size,
		    (unsigned long long)o->un_pager.vnp.writemappings);
		int p1 = 1;
		for (vm_page_t p = TAILQ_FIRST(&o->memq); p; p = TAILQ_NEXT(p, listq)) {
			static const char *q[] = { "none", "active", "inactive" };
			put("%s{\"pindex\":%llu,\"valid\":%d,\"dirty\":%d,\"xbusy\":%s,\"sbusy\":%d,\"waiters\":%s,\"queue\":\"%s\",\"mapped\":%s,\"writeable\":%s,\"modified\":%s}",
			    p1 ? "" : ",", (unsigned long long)p->pindex, p->valid, p->dirty, p->xbusy ? "true" : "false", p->sbusy,
			    p->waiters ? "true" : "false", q[p->queue], p->nmaps ? "true" : "false",
			    pmap_page_is_write_mapped(p) ? "true" : "false", ({
				    int mod = 0;
				    for (int e = 0; e < p->nmaps; e++) mod |= p->maps[e].modified;
				    mod ? "true" : "false";
			    }));
			p1 = 0;
		}
		put("]}");
	}
	put("],\"io\":[");
	int i1 = 1;
	for (int i = 0; i < nios; i++) {
		struct ioreq *r = &ios[i];
		if (!r->live) continue;
		put("%s{\"id\":%d,\"thread\":\"%s\",\"vnode\":\"%s\",\"rw\":\"%s\",\"offset\":%lld,\"length\":%lld,\"blkno\":", i1 ? "" : ",",
		    r->id, r->thread, r->vnode, r->write ? "write" : "read", (long long)r->offset, (long long)r->length);
		if (r->hasblkno) put("%lld", (long long)r->blkno);
		else put("null");
		put(",\"async\":%s}", r->async ? "true" : "false");
		i1 = 0;
	}
	put("]}\n");
	fwrite(out, 1, olen, stdout);
}

/* ---------------------------------------------------------------- steps */

static struct kthread *thread_named(const char *id)
{
	for (int i = 0; i < nthreads; i++)
		if (strcmp(threads[i]->id, id) == 0) return threads[i];
	return NULL;
}

static void run_ctx(struct kthread *t)
{
	cur = t;
	swapcontext(&sched_ctx, &t->ctx);
	cur = NULL;
}

static void new_ctx(struct kthread *t, void (*fn)(void))
{
	t->stack = malloc(STACK);
	getcontext(&t->ctx);
	t->ctx.uc_stack.ss_sp = t->stack;
	t->ctx.uc_stack.ss_size = STACK;
	t->ctx.uc_link = NULL;
	makecontext(&t->ctx, fn, 0);
}

static struct kthread completer;
static struct buf *completing;
static int completer_done;

static void complete_main(void)
{
	struct buf *bp = completing;
	void (*iodone)(struct buf *) = bp->b_iodone;
	bp->b_iodone = NULL;
	iodone(bp);
	completer_done = 1;
	for (;;) swapcontext(&completer.ctx, &sched_ctx);
}

static void do_complete(int step, int id, const char *result)
{
	struct ioreq *r = NULL;
	for (int i = 0; i < nios; i++)
		if (ios[i].live && ios[i].id == id) r = &ios[i];
	if (!r) fatal("step %d: request %d not in flight", step, id);
	int err = 0;
	int64_t got = r->length;
	if (!strcmp(result, "eio")) err = 1;
	else if (!strncmp(result, "short:", 6)) got = atoll(result + 6);
	r->live = 0;
	r->done = 1;
	r->error = err;
	r->got = got;
	if (r->kind == 0) {
		struct buf *bp = r->bp;
		if (err) bp->b_ioflags |= BIO_ERROR;
		bp->b_resid = r->length - got;
		if (bp->b_iodone == bdone) {
			bp->b_iodone = NULL;
			bdone(bp);
		} else {
			/* the asynchronous completion runs now, in its own context */
			memset(&completer, 0, sizeof completer);
			snprintf(completer.id, sizeof completer.id, "%s", r->thread);
			completer.pseudo = 1;
			completing = bp;
			completer_done = 0;
			new_ctx(&completer, complete_main);
			run_ctx(&completer);
			if (!completer_done && !panicked) fatal("step %d: the completion would block", step);
		}
	} else if (r->kind == 1 || r->kind == 2) {
		if (r->waiter) make_ready(r->waiter);
	}
}

static int64_t num(char **save)
{
	char *t = strtok_r(NULL, " \n", save);
	if (!t) fatal("missing number");
	return atoll(t);
}

static char *word(char **save)
{
	char *t = strtok_r(NULL, " \n", save);
	if (!t) fatal("missing word");
	return t;
}

int main(void)
{
	static char line[1 << 16];
	int step = -1;
	vm_cnt.v_free_count = 64;
	vm_cnt.v_pageout_free_min = 34;
	vnode_pbuf_freecnt = 129;
	vnode_async_pbuf_freecnt = 128;
	while (fgets(line, sizeof line, stdin)) {
		char *save;
		char *cmd = strtok_r(line, " \n", &save);
		if (!cmd) continue;
		if (!strcmp(cmd, "machine")) {
			vm_cnt.v_free_count = (u_int)num(&save);
			vm_cnt.v_pageout_free_min = (u_int)num(&save);
			vnode_pbuf_freecnt = (int)num(&save);
			vnode_async_pbuf_freecnt = (int)num(&save);
		} else if (!strcmp(cmd, "mount")) {
			struct mount *m = &mounts[nmounts++];
			snprintf(m->name, sizeof m->name, "%s", word(&save));
			m->mnt_stat.f_iosize = (int)num(&save);
			m->sectorSize = (int)num(&save);
			m->bo.bo_bsize = m->sectorSize;
			m->bmap = (int)num(&save);
			m->undirty = (int)num(&save);
		} else if (!strcmp(cmd, "vnode")) {
			struct vnode *v = &vnodes[nvnodes++];
			snprintf(v->name, sizeof v->name, "%s", word(&save));
			v->size = num(&save);
			const char *mname = word(&save);
			for (int i = 0; i < nmounts; i++)
				if (!strcmp(mounts[i].name, mname)) v->v_mount = &mounts[i];
			if (!v->v_mount) fatal("no mount %s", mname);
			v->v_usecount = (int)num(&save);
			if (num(&save)) v->v_vflag |= VV_TEXT;
			v->v_type = VREG;
			int64_t nb = num(&save);
			int iosize = v->v_mount->mnt_stat.f_iosize;
			if (nb < 0) {
				v->nblocks = (int)((v->size + iosize - 1) / iosize);
				v->blocks = calloc(v->nblocks + 1, sizeof *v->blocks);
				for (int i = 0; i < v->nblocks; i++) v->blocks[i] = (int64_t)i * iosize / 512;
			} else {
				v->nblocks = (int)nb;
				v->blocks = calloc(nb + 1, sizeof *v->blocks);
				for (int i = 0; i < nb; i++) v->blocks[i] = num(&save);
			}
			char ln[96];
			snprintf(ln, sizeof ln, "vnlock:%s", v->name);
			lock_init(&v->lock, ln);
		} else if (!strcmp(cmd, "go")) {
			digest(step++);
		} else if (!strcmp(cmd, "spawn")) {
			if (panicked) fatal("step %d: after a panic", step);
			struct kthread *t = calloc(1, sizeof *t);
			snprintf(t->id, sizeof t->id, "%s", word(&save));
			snprintf(t->call, sizeof t->call, "%s", word(&save));
			if (!strcmp(t->call, "munmap") || !strcmp(t->call, "fault"))
				snprintf(t->a_mapping, sizeof t->a_mapping, "%s", word(&save));
			else
				snprintf(t->a_vnode, sizeof t->a_vnode, "%s", word(&save));
			for (int i = 0; i < 6; i++) {
				char *x = strtok_r(NULL, " \n", &save);
				if (!x) break;
				t->n[i] = atoll(x);
			}
			snprintf(t->ret, sizeof t->ret, "null");
			t->status = T_READY;
			threads[nthreads++] = t;
			digest(step++);
		} else if (!strcmp(cmd, "run")) {
			if (panicked) fatal("step %d: after a panic", step);
			struct kthread *t = thread_named(word(&save));
			if (!t || t->status != T_READY) fatal("step %d: thread not ready", step);
			if (!t->started) {
				t->started = 1;
				new_ctx(t, thread_main);
			}
			run_ctx(t);
			digest(step++);
		} else if (!strcmp(cmd, "complete")) {
			if (panicked) fatal("step %d: after a panic", step);
			int id = (int)num(&save);
			do_complete(step, id, word(&save));
			digest(step++);
		} else
			fatal("unknown line %s", cmd);
		fflush(stdout);
	}
	return 0;
}
