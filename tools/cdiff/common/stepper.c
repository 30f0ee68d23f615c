/*
 * stepper.c: an in-process mini debugger that stops a kernel thread at seed
 * statements, for the contract's `step` (docs/cdiff.md, "Step granularity").
 *
 * Shared by both fake kernels (tools/cdiff/openbsd, tools/cdiff/freebsd): each
 * provides coro_yield() (give the CPU back to the scheduler) and sets
 * stepper_stepping while it resumes a thread being stepped.
 *
 * tools/cdiff-step-common.ts reads the seed's line table (compiled -O0 -g, linked
 * -no-pie) and passes a file of "ADDRESS LINE" rows: the first address of
 * every run of rows of one seed line. Each such address gets an int3. On the
 * trap the handler rewinds RIP; if the thread is being stepped it records
 * the line and gives the CPU back to the scheduler (swapcontext from the
 * handler: the thread stays stopped inside it). When the thread goes on, the
 * original byte is put back and the trap flag runs that one instruction; the
 * single-step trap that follows writes the int3 again.
 *
 * Kept apart from kern.h like coro.c: it needs the host's headers.
 */
#define _GNU_SOURCE
#if defined(__x86_64__) && defined(__linux__)
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <ucontext.h>
#include <unistd.h>

void coro_yield(void);

#define MAXBP 4096
#define TF 0x100

static unsigned long bp_addr[MAXBP];
static int bp_line[MAXBP];
static unsigned char bp_orig[MAXBP];
static int nbp;

/* the breakpoint whose byte is out while its instruction runs under TF, or -1 */
static int rearm = -1;

/* set by kern.c: the thread now resumed is being stepped */
int stepper_stepping;
/* set here: the thread gave the CPU back at a statement (not by blocking) */
int stepper_stopped;
/* the seed line of the last statement the thread reached (in a step or a run); stepper_passed: it reached one */
int stepper_line;
int stepper_passed;

static int find_bp(unsigned long a)
{
	int lo = 0, hi = nbp - 1;
	while (lo <= hi) {
		int mid = (lo + hi) / 2;
		if (bp_addr[mid] == a)
			return mid;
		if (bp_addr[mid] < a)
			lo = mid + 1;
		else
			hi = mid - 1;
	}
	return -1;
}

static void on_trap(int sig, siginfo_t *si, void *ctxp)
{
	ucontext_t *uc = ctxp;
	greg_t *g = uc->uc_mcontext.gregs;
	(void)sig;
	(void)si;
	if (rearm >= 0) {
		/* the single step after a breakpoint's own instruction (its byte is out: no int3 can have run) */
		*(unsigned char *)bp_addr[rearm] = 0xcc;
		rearm = -1;
		g[REG_EFL] &= ~TF;
		/* the next instruction may itself be a breakpoint: its int3 has not run yet, nothing more to do */
		return;
	}
	int i = find_bp((unsigned long)g[REG_RIP] - 1);
	if (i < 0) {
		static const char msg[] = "stepper: unexpected SIGTRAP\n";
		write(2, msg, sizeof(msg) - 1);
		_exit(3);
	}
	g[REG_RIP] = (greg_t)bp_addr[i];
	stepper_passed = 1;
	stepper_line = bp_line[i];
	if (stepper_stepping) {
		stepper_stopped = 1;
		coro_yield();
		/* resumed: by a step or a run */
	}
	*(unsigned char *)bp_addr[i] = bp_orig[i];
	rearm = i;
	g[REG_EFL] |= TF;
}

static int cmp_ul(const void *a, const void *b)
{
	unsigned long x = ((const unsigned long *)a)[0], y = ((const unsigned long *)b)[0];
	return x < y ? -1 : x > y;
}

/* Read the table and arm every breakpoint; 0 on success. */
int stepper_init(const char *path)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return -1;
	static unsigned long rows[MAXBP][2];
	unsigned long a, l;
	while (nbp < MAXBP && fscanf(f, "%lx %lu", &a, &l) == 2) {
		rows[nbp][0] = a;
		rows[nbp][1] = l;
		nbp++;
	}
	fclose(f);
	qsort(rows, nbp, sizeof(rows[0]), cmp_ul);
	long pg = sysconf(_SC_PAGESIZE);
	for (int i = 0; i < nbp; i++) {
		bp_addr[i] = rows[i][0];
		bp_line[i] = (int)rows[i][1];
	}
	if (nbp > 0) {
		unsigned long lo = bp_addr[0] & ~(unsigned long)(pg - 1);
		unsigned long hi = (bp_addr[nbp - 1] + pg) & ~(unsigned long)(pg - 1);
		if (mprotect((void *)lo, hi - lo, PROT_READ | PROT_WRITE | PROT_EXEC) != 0)
			return -1;
	}
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_trap;
	sa.sa_flags = SA_SIGINFO;
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGTRAP, &sa, NULL) != 0)
		return -1;
	for (int i = 0; i < nbp; i++) {
		bp_orig[i] = *(unsigned char *)bp_addr[i];
		*(unsigned char *)bp_addr[i] = 0xcc;
	}
	return 0;
}
#else
/* The trap flag and REG_RIP are x86-64 Linux's: elsewhere the run harnesses link this unarmed. */
int stepper_stepping, stepper_stopped, stepper_line, stepper_passed;
int stepper_init(const char *path)
{
	(void)path;
	return -1;
}
#endif
