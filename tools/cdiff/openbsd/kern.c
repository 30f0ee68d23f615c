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
 * and, with a breakpoint table as argv[1] (tools/cdiff-step.ts, stepper.c):
 *   step T                               (to the next seed line-table row or caller statement)
 *   cstep T                              (step until the digest changes, or T blocks, ends or panics)
 *   runto T L                            (step until T stands at seed line L)
 * Output: one digest a line in the contract's format, after setup and after
 * each step (a step, cstep or runto line first prints `#line L`). Stops after
 * the digest of a step that panicked.
 *
 * The fake kernel is split by subject: this file (output, threads, panic),
 * sleep.c (locks, sleep), pages.c (pages, pmap), pager.c (uvm_pager.c),
 * vfs.c (vnodes, disk), callers.c (the calls table), digest.c, input.c
 * (input, scheduler, main); harness.h is what they share.
 *
 * Written for Pager Lab in our own words; no kernel code copied.
 */
#include "harness.h"

/* ------------------------------------------------------------------ output */

char outbuf[1 << 20];
size_t outlen;

void out(const char *s)
{
	size_t n = strlen(s);
	if (outlen + n >= sizeof(outbuf)) {
		write(2, "cdiff: digest too long\n", 23);
		exit(1);
	}
	memcpy(outbuf + outlen, s, n);
	outlen += n;
}

void outf(const char *fmt, ...)
{
	char tmp[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	out(tmp);
}

void out_json_string(const char *s)
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

void flush_out(void)
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




struct kthread *threads[MAXTHREADS];
int nthreads;
struct kthread *cur;

char panic_msg[1024];
int panicked;

struct vnode *vnodes[MAXVNODES];
int nvnodes;
struct mount mounts[MAXVNODES];
int nmounts;
int free_pages;
int next_page_id = 1;
int free_pages_chan;	/* uvm_wait sleeps on its address (&uvmexp.free) */

struct proc proc0;
struct ucred cred0;
struct rwlock netlock;
int rebooting;

/* The current thread gives the CPU back; it goes on when next run. */
void block(void)
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
