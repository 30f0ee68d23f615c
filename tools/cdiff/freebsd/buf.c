/*
 * Buffers, pbufs and the disk: bstrategy and the VOPs start numbered disk requests; a `complete` step ends
 * one, waking its waiter or running an asynchronous read's b_iodone in a context of its own.
 */
#include "kern_private.h"

long runningbufspace;
/* amd64's default, and every mount is UFS-like with MNTK_UNMAPPED_BUFS (main.c), as the engine reads line 1005 */
int unmapped_buf_allowed = 1;
static char unmapped_area[1];
caddr_t unmapped_buf = unmapped_area;
struct ioreq ios[MAXIO];
int nios;
static int nextio = 1;
static char pbuf_kva[MAXPHYS + PAGE_SIZE];

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

struct ioreq *start_io(const char *vnode, int write, int64_t offset, int64_t length)
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

void io_wait(struct ioreq *r)
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

/* ---------------------------------------------------------------- `complete` steps */

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

void do_complete(int step, int id, const char *result)
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
