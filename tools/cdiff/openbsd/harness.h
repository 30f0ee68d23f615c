/*
 * harness.h: what the fake kernel's files (kern.c, sleep.c, pages.c, pager.c, vfs.c, callers.c, digest.c,
 * input.c) share: the kernel threads, the disk requests, the harness's own state and helpers. The kernel
 * interface the seed calls is kern.h's; the seed never sees this file.
 */
#ifndef CDIFF_HARNESS_H
#define CDIFF_HARNESS_H

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

struct ioreq {
	int id;
	struct kthread *thread;
	struct vnode *vp;
	int write;
	long long offset;
	long long length;
	struct ioreq *next;
};

/* shared state */
extern char outbuf[1 << 20];
extern size_t outlen;
extern struct kthread *threads[MAXTHREADS];
extern int nthreads;
extern struct kthread *cur;
extern char panic_msg[1024];
extern int panicked;
extern struct vnode *vnodes[MAXVNODES];
extern int nvnodes;
extern struct mount mounts[MAXVNODES];
extern int nmounts;
extern int free_pages;
extern int next_page_id;
extern int free_pages_chan;
extern struct proc proc0;
extern struct ucred cred0;
extern struct rwlock netlock;
extern struct bdevsw bdevsw[MAXVNODES];
extern struct ioreq *io_first;

/* shared helpers */
void out(const char *s);
void outf(const char *fmt, ...);
void out_json_string(const char *s);
void flush_out(void);
void block(void);
void lock_wait(const char *name);
void lock_wake(const char *name);
void granted(void);
void sleep_on(const volatile void *chan, const char *wmesg);
void vget_open(struct vnode *vp);
int blk_ioctl(dev_k dev, unsigned long cmd, caddr_t data, int flag, struct proc *p);
void thread_main(void *arg);
void digest_build(int step);
void digest(int step);
void run(const char *id);

#endif
