/*
 * What the files of the fake kernel share (not the seed: it sees kern.h only). The harness's threads,
 * mappings and disk requests, its state, and the helpers one file defines and another calls. The semantics
 * are the contract's (scenario-format.md, "FreeBSD") and reference/freebsd-vm-facts.md; our own code.
 */
#ifndef CDIFF_KERN_PRIVATE_H
#define CDIFF_KERN_PRIVATE_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ucontext.h>
#include "kern.h"

/* Table sizes: threads (and mappings), objects, vnodes, mounts, disk requests; a thread's stack. */
#define MAXT 512
#define MAXOBJ 256
#define MAXV 16
#define MAXM 16
#define MAXIO 1024
#define STACK (256 * 1024)

/* A harness thread's state, the digest's thread `status`. */
enum tstatus { T_READY, T_LOCK, T_SLEEP, T_IO, T_DONE };

/* A thread of the scenario: a coroutine running one call. */
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
	/* the seed line it stands at (the step harness; 0: in the caller, or not stepped yet) */
	int line;
	/* the call's arguments */
	char a_vnode[72];
	char a_mapping[72];
	int64_t n[6];
};

/* An mmap: the thread that made it names it; tidx tags its pmap entries. */
struct mapping {
	char id[72];
	int tidx;
	vm_object_t obj;
	int64_t length;
	int rw;      /* protection has write */
	int wcount;  /* write-counted */
};

/* A disk request, the digest's `io` entry until a `complete` step ends it. */
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

/* A call's return value, the digest's `ret` (JSON text). */
#define RET(...) snprintf(cur->ret, sizeof cur->ret, __VA_ARGS__)

/* threads.c: threads, sleep and wakeup, locks, panic */
extern struct kthread *threads[MAXT];
extern int nthreads;
extern struct kthread *cur;
extern ucontext_t sched_ctx;
extern char panicmsg[1024];
extern int panicked;
void fatal(const char *fmt, ...);
void block(void);
void sleep_on(void *chan, const char *msg);
void make_ready(struct kthread *t);
/* Switch into t until it blocks or ends; give t a fresh stack that starts in fn. */
void run_ctx(struct kthread *t);
void new_ctx(struct kthread *t, void (*fn)(void));
void lock_init(struct klock *l, const char *name);
int lock_free(struct klock *l);
int lock_shared_by(struct klock *l, struct kthread *t);
void lock_wait(struct klock *l);
void lock_release(struct klock *l);

/* vnode.c: vnodes, VOPs, the file system */
extern struct vnode vnodes[MAXV];
extern int nvnodes;
extern struct mount mounts[MAXM];
extern int nmounts;
struct vnode *vnode_named(const char *name);
int VOP_ISLOCKED(struct vnode *vp);
void vref_add(struct vnode *vp, int n);
void vinactive(struct vnode *vp);
void vput(struct vnode *vp);
int vget(struct vnode *vp, int flags);

/* page.c: pages, queues, pmap, sf_bufs */
extern int free_chan;
extern struct sf_buf *live_sf[MAXT];
void page_dirty(vm_page_t m);
void pmap_enter(vm_page_t m, int mapping, int writable, int modified);
void pmap_remove_write(vm_page_t m);
void pmap_remove_all(vm_page_t m);
void pmap_remove_mapping(vm_page_t m, int mapping);
vm_page_t vm_page_find_least(vm_object_t obj, vm_pindex_t pindex);
int vm_page_busied(vm_page_t m);
void vm_page_xbusy(vm_page_t m);
void vm_page_xunbusy(vm_page_t m);
void vm_page_sbusy(vm_page_t m);
void vm_page_sunbusy(vm_page_t m);
void vm_page_busy_sleep(vm_page_t m, vm_object_t obj, const char *msg);
int vm_page_sleep_if_busy(vm_page_t m, vm_object_t obj, const char *msg);
int vm_page_is_valid(vm_page_t m, int base, int size);
void vm_page_activate(vm_page_t m);
void vm_page_deactivate(vm_page_t m);
void vm_page_free(vm_page_t m);

/* object.c: objects and page cleaning */
extern struct vm_object *objects[MAXOBJ];
extern int nobjects;
boolean_t vm_object_page_clean(vm_object_t o, vm_ooffset_t start, vm_ooffset_t end, int flags);
void vm_object_reference_locked(vm_object_t o);
void vm_object_deallocate(vm_object_t o);
void vinvalbuf(struct vnode *vp);
int vm_pageout_flush(vm_page_t *mc, int count, int flags, int mreq, int *prunlen, int *eio);

/* buf.c: buffers, pbufs, the disk */
extern struct ioreq ios[MAXIO];
extern int nios;
struct ioreq *start_io(const char *vnode, int write, int64_t offset, int64_t length);
void io_wait(struct ioreq *r);
void do_complete(int step, int id, const char *result);

/* calls.c and calls_fault_sendfile.c: the callers of the calls table */
extern struct mapping maps[MAXT];
extern int nmaps;
struct mapping *mapping_named(const char *id);
const char *errname(int e);
void vm_pager_assert_in(vm_object_t object, vm_page_t *m, int count);
void call_fault(const char *mapping, int64_t offset, int write, int behind, int ahead);
void call_sendfile(struct vnode *vp, int64_t offset, int64_t length, int64_t rahead);
void thread_main(void);

/* digest.c: digest_text builds the line (its length in *len) without printing it */
void digest(int step);
const char *digest_text(int step, size_t *len);

/* the step harness (tools/cdiff/common/stepper.c; docs/cdiff-freebsd.md, "Step granularity") */
int stepper_init(const char *path);
extern int stepper_stepping, stepper_stopped, stepper_line, stepper_passed;
void coro_yield(void);
/* a statement of a caller outside the seed, where the engine's callers have one: a stepped thread stops there */
void CS(void);
/* back in a caller's statement from a seed call: the thread stands at line 0 again, without a stop */
void CR(void);
/*
 * A seed function called from the fake kernel's code, itself called from a seed line L (VOP_PUTPAGES,
 * vm_pageout_flush...): on its return the engine's thread stands at L again (its frame's caller line) until its
 * next statement, so a block that follows is at L. SEED_LINE() before the call, SEED_BACK(l) after it.
 */
int SEED_LINE(void);
void SEED_BACK(int l);

#endif
