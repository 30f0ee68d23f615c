/*
 * The harness's entry point: reads the line format written by tools/cdiff-freebsd.ts (`machine`, `mount`,
 * `vnode`, `go`, then one `spawn`, `run` or `complete` per step) on stdin and prints a digest after each.
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
