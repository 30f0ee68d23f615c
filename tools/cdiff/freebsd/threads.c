/*
 * Kernel threads as ucontext coroutines: a `run` step switches into a thread, which runs until it blocks
 * (a lock, a sleep, disk I/O) and switches back. Sleep and wakeup on channels, the blocking locks (the
 * object lock and the vnode locks), panic with the contract's %p names, and the harness's fatal error.
 */
#include "kern_private.h"

struct kthread *threads[MAXT];
int nthreads;
char panicmsg[1024];
int panicked;
struct kthread *cur;
ucontext_t sched_ctx;

struct thread *k_curthread(void) { return &cur->td; }

/* kern.h's statements that do nothing (VI_LOCK, VM_CNT_INC, vhold...): a call, so that the seed line has a row */
void k_nop(void) {}
int k_zero(void) { return 0; }

void fatal(const char *fmt, ...)
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

void block(void)
{
	swapcontext(&cur->ctx, &sched_ctx);
}

/* stepper.c's way back to the scheduler from its SIGTRAP handler: the thread stays stopped inside it */
void coro_yield(void) { block(); }

/*
 * A statement of a caller (the contract's calls table, outside the seed): a stepped thread stops before it,
 * as the engine's callers do (src/engine/freebsd/calls.ts, fault.ts, sendfile.ts), at "line 0".
 */
void CS(void)
{
	stepper_passed = 1;
	stepper_line = 0;
	if (stepper_stepping) {
		stepper_stopped = 1;
		block();
	}
}

/*
 * Back in a caller's code from a seed function it called, inside one caller statement: the engine's thread stands
 * at the caller's line again (0) until its next statement, so a block or panic here is at line 0. No stop.
 */
void CR(void)
{
	stepper_passed = 1;
	stepper_line = 0;
}

int SEED_LINE(void) { return stepper_passed || cur == NULL ? stepper_line : cur->line; }

void SEED_BACK(int l)
{
	stepper_line = l;
	stepper_passed = 1;
}

void sleep_on(void *chan, const char *msg)
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

void make_ready(struct kthread *t)
{
	t->status = T_READY;
	t->chan = NULL;
	t->waitlock = NULL;
	t->wait[0] = 0;
}

void run_ctx(struct kthread *t)
{
	cur = t;
	swapcontext(&sched_ctx, &t->ctx);
	cur = NULL;
}

void new_ctx(struct kthread *t, void (*fn)(void))
{
	t->stack = malloc(STACK);
	getcontext(&t->ctx);
	t->ctx.uc_stack.ss_sp = t->stack;
	t->ctx.uc_stack.ss_size = STACK;
	t->ctx.uc_link = NULL;
	makecontext(&t->ctx, fn, 0);
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

void lock_init(struct klock *l, const char *name)
{
	memset(l, 0, sizeof *l);
	snprintf(l->name, sizeof l->name, "%s", name);
}

int lock_free(struct klock *l) { return l->owner == NULL && l->nshared == 0; }

int lock_shared_by(struct klock *l, struct kthread *t)
{
	for (int i = 0; i < l->nshared; i++)
		if (l->shared[i] == (struct thread *)t) return 1;
	return 0;
}

void lock_wait(struct klock *l)
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

void lock_release(struct klock *l)
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
