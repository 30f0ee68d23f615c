/*
 * The harness's entry point: reads the line format written by tools/cdiff-freebsd.ts (`machine`, `mount`,
 * `vnode`, `go`, then one `spawn`, `run` or `complete` per step, and for the step harness `cstep T` and
 * `runto T L`, docs/cdiff-freebsd.md "Step granularity") on stdin and prints a digest after each. Its argument,
 * if any, is the step harness's breakpoint table.
 * An impossible step exits 2 with one line on stderr, as the runner refuses it.
 */
#include "kern_private.h"

static struct kthread *thread_named(const char *id)
{
	for (int i = 0; i < nthreads; i++)
		if (strcmp(threads[i]->id, id) == 0) return threads[i];
	return NULL;
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

/* Resume t (a `run`, or one stop of a step): start it first if new; note the seed line it reached. */
static void resume(struct kthread *t, int stepping)
{
	if (!t->started) {
		t->started = 1;
		new_ctx(t, thread_main);
	}
	stepper_stepping = stepping;
	stepper_stopped = 0;
	stepper_passed = 0;
	run_ctx(t);
	stepper_stepping = 0;
	if (stepper_passed) t->line = stepper_line;
}

/*
 * `step`: run t to the next seed statement (a line-table row) or caller statement (CS), a block, or its end.
 * gcc may give one statement two rows apart: a stop at the seed line the thread already stood at is the same
 * statement, and it goes on.
 */
static void step1(struct kthread *t)
{
	int from = t->line;
	do
		resume(t, 1);
	while (stepper_stopped && stepper_line == from && from != 0 && t->status == T_READY && !panicked);
}

static struct kthread *ready_thread(const char *id, int step)
{
	struct kthread *t = thread_named(id);
	if (panicked) fatal("step %d: after a panic", step);
	if (!t || t->status != T_READY) fatal("step %d: thread not ready", step);
	return t;
}

static char prevdig[1 << 20];

/*
 * `cstep T`: step T until the digest changes (or it blocks, ends or panics). Prints `#line L`, L the seed
 * line T stood at before the statement that changed it (0: a caller statement), then the main loop prints the
 * digest.
 */
static void cstep(struct kthread *t, int step)
{
	size_t n;
	const char *d = digest_text(step, &n);
	memcpy(prevdig, d, n);
	int attr = t->line;
	for (int i = 0; i < 1000000; i++) {
		attr = t->line;
		step1(t);
		if (t->status != T_READY || panicked) break;
		size_t m;
		d = digest_text(step, &m);
		if (m != n || memcmp(prevdig, d, n) != 0) break;
	}
	printf("#line %d\n", attr);
}

int main(int argc, char **argv)
{
	if (argc > 1 && stepper_init(argv[1]) != 0) fatal("cannot arm the breakpoints");
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
			m->mnt_kern_flag |= MNTK_UNMAPPED_BUFS;
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
			resume(ready_thread(word(&save), step), 0);
			digest(step++);
		} else if (!strcmp(cmd, "cstep")) {
			cstep(ready_thread(word(&save), step), step);
			digest(step++);
		} else if (!strcmp(cmd, "runto")) {
			/* step T until it stands at seed line L (after one step at least), blocks, ends or panics */
			struct kthread *t = ready_thread(word(&save), step);
			int l = (int)num(&save);
			for (int i = 0; i < 1000000; i++) {
				step1(t);
				if (t->status != T_READY || panicked || t->line == l) break;
			}
			printf("#line %d\n", t->line);
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
