/*
 * sleep.c: locks (rwlock, the page-queue mutex), sleep and wakeup, and the calls that never block here.
 * Part of the fake kernel around seeds/uvm_vnode.c (kern.c has the overview).
 */
#include "harness.h"

/* ------------------------------------------------------- locks and sleeps */

void lock_wait(const char *name)
{
	cur->status = TS_LOCK;
	snprintf(cur->wait, sizeof(cur->wait), "%s", name);
	block();
}

/* Every thread blocked on lock `name` becomes runnable (no hand-off). */
void lock_wake(const char *name)
{
	for (int i = 0; i < nthreads; i++) {
		struct kthread *t = threads[i];
		if (t->status == TS_LOCK && strcmp(t->wait, name) == 0) {
			t->status = TS_READY;
			t->wait[0] = 0;
		}
	}
}

void granted(void)
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

void sleep_on(const volatile void *chan, const char *wmesg)
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
