/*
 * coro.c: kernel threads as ucontext coroutines. Kept apart from kern.h so
 * the fake kernel's names never meet the host C library's headers.
 */
#include <stdlib.h>
#include <ucontext.h>

#define CORO_STACK (256 * 1024)

struct coro {
	ucontext_t ctx;
	void (*fn)(void *);
	void *arg;
};

static ucontext_t sched_ctx;
static struct coro *running;

static void trampoline(void)
{
	struct coro *c = running;
	c->fn(c->arg);
	/* the body never returns: it parks itself with coro_yield for good */
	abort();
}

void *coro_create(void (*fn)(void *), void *arg)
{
	struct coro *c = calloc(1, sizeof(*c));
	if (c == NULL)
		abort();
	c->fn = fn;
	c->arg = arg;
	getcontext(&c->ctx);
	c->ctx.uc_stack.ss_sp = malloc(CORO_STACK);
	c->ctx.uc_stack.ss_size = CORO_STACK;
	c->ctx.uc_link = NULL;
	if (c->ctx.uc_stack.ss_sp == NULL)
		abort();
	makecontext(&c->ctx, trampoline, 0);
	return c;
}

/* The scheduler resumes `co` until it yields. */
void coro_resume(void *co)
{
	running = co;
	swapcontext(&sched_ctx, &running->ctx);
	running = NULL;
}

/* The running thread gives the CPU back to the scheduler. */
void coro_yield(void)
{
	swapcontext(&running->ctx, &sched_ctx);
}
