/*
 * input.c: the input reader (the line format tools/cdiff.ts writes), the scheduler's spawn/run/step/cstep/runto/
 * complete, and main.
 * Part of the fake kernel around seeds/uvm_vnode.c (kern.c has the overview).
 */
#include "harness.h"

/* ------------------------------------------------------------------ input */

static char inbuf[1 << 22];

static void die(const char *msg, const char *line)
{
	char tmp[600];
	snprintf(tmp, sizeof(tmp), "cdiff: %s: %s\n", msg, line);
	write(2, tmp, strlen(tmp));
	exit(2);
}

/* split `line` into words in place */
static int words(char *line, char **w, int max)
{
	int n = 0;
	while (*line && n < max) {
		while (*line == ' ')
			line++;
		if (!*line)
			break;
		w[n++] = line;
		while (*line && *line != ' ')
			line++;
		if (*line)
			*line++ = 0;
	}
	return n;
}

static struct vnode *find_vnode(const char *name)
{
	for (int i = 0; i < nvnodes; i++)
		if (strcmp(vnodes[i]->name, name) == 0)
			return vnodes[i];
	return NULL;
}

static struct mount *find_mount(const char *name, int create)
{
	for (int i = 0; i < nmounts; i++)
		if (strcmp(mounts[i].name, name) == 0)
			return &mounts[i];
	if (!create)
		return NULL;
	snprintf(mounts[nmounts].name, sizeof(mounts[nmounts].name), "%s", name);
	return &mounts[nmounts++];
}

static struct kthread *find_thread(const char *id)
{
	for (int i = 0; i < nthreads; i++)
		if (strcmp(threads[i]->id, id) == 0)
			return threads[i];
	return NULL;
}

static const struct {
	const char *name;
	int bit;
} pgo_names[] = { { "PGO_CLEANIT", PGO_CLEANIT }, { "PGO_SYNCIO", PGO_SYNCIO }, { "PGO_DEACTIVATE", PGO_DEACTIVATE },
	{ "PGO_FREE", PGO_FREE }, { "PGO_ALLPAGES", PGO_ALLPAGES }, { "PGO_DOACTCLUST", PGO_DOACTCLUST },
	{ "PGO_LOCKED", PGO_LOCKED }, { "PGO_PDFREECLUST", PGO_PDFREECLUST }, { "PGO_REALLOCSWAP", PGO_REALLOCSWAP },
	{ "PGO_NOWAIT", PGO_NOWAIT } };

static int parse_flags(char *list)
{
	int flags = 0;
	while (*list) {
		char *end = list;
		while (*end && *end != ',')
			end++;
		char save = *end;
		*end = 0;
		int found = 0;
		for (unsigned i = 0; i < sizeof(pgo_names) / sizeof(pgo_names[0]); i++)
			if (strcmp(pgo_names[i].name, list) == 0) {
				flags |= pgo_names[i].bit;
				found = 1;
			}
		if (!found)
			die("unknown flag", list);
		*end = save;
		list = save ? end + 1 : end;
	}
	return flags;
}

static void new_vnode(char **w)
{
	struct vnode *vp = calloc(1, sizeof(*vp));
	struct uvm_vnode *uvn = calloc(1, sizeof(*uvn));
	struct rwlock *lock = calloc(1, sizeof(*lock));
	int i = nvnodes;
	snprintf(vp->name, sizeof(vp->name), "%s", w[1]);
	vp->size = strtoll(w[2], NULL, 10);
	vp->v_type = strcmp(w[3], "VBLK") == 0 ? VBLK : VREG;
	vp->v_mount = find_mount(w[4], 1);
	vp->v_usecount = (int)strtoll(w[5], NULL, 10);
	vp->v_flag = strcmp(w[6], "1") == 0 ? VTEXT : 0;
	vp->state = vp->v_usecount == 0 ? VS_FREE : VS_ACTIVE;
	vp->v_rdev = i << 8;
	snprintf(vp->lock_name, sizeof(vp->lock_name), "vnlock:%s", vp->name);
	/* getnewvnode: a zeroed uvn from the pool, its object initialised */
	rw_init_flags(lock, "uobjlk", 0);
	snprintf(lock->digest_name, sizeof(lock->digest_name), "vmobjlock:%s", vp->name);
	uvn->u_vnode = vp;
	uvn->u_obj.vmobjlock = lock;
	uvn->u_obj.pgops = &uvm_vnodeops;
	vp->v_uvm = uvn;
	bdevsw[i].d_ioctl = blk_ioctl;
	bdevsw[i].d_type = D_DISK;
	vnodes[nvnodes++] = vp;
}

static void spawn(char **w, int n)
{
	if (nthreads >= MAXTHREADS)
		die("too many threads", w[1]);
	struct kthread *t = calloc(1, sizeof(*t));
	snprintf(t->id, sizeof(t->id), "%s", w[1]);
	snprintf(t->call, sizeof(t->call), "%s", w[2]);
	for (int i = 3; i < n; i++) {
		char *eq = strchr(w[i], '=');
		if (!eq)
			die("bad argument", w[i]);
		*eq = 0;
		const char *k = w[i];
		char *v = eq + 1;
		if (strcmp(k, "vnode") == 0) {
			t->vp = find_vnode(v);
			if (!t->vp)
				die("unknown vnode", v);
		} else if (strcmp(k, "mount") == 0) {
			t->mp = find_mount(v, 0);
		} else if (strcmp(k, "prot") == 0) {
			t->prot_rw = strcmp(v, "rw") == 0;
		} else if (strcmp(k, "shared") == 0) {
			t->shared = strcmp(v, "1") == 0;
		} else if (strcmp(k, "access") == 0) {
			t->write_access = strcmp(v, "write") == 0;
		} else if (strcmp(k, "flags") == 0) {
			t->flags = parse_flags(v);
		} else if (strcmp(k, "start") == 0) {
			t->start = strtoll(v, NULL, 10);
		} else if (strcmp(k, "stop") == 0) {
			t->stop = strtoll(v, NULL, 10);
		} else if (strcmp(k, "offset") == 0) {
			t->offset = strtoll(v, NULL, 10);
		} else if (strcmp(k, "size") == 0) {
			t->size = strtoll(v, NULL, 10);
		} else {
			die("unknown argument", k);
		}
	}
	t->status = TS_READY;
	t->co = coro_create(thread_main, t);
	threads[nthreads++] = t;
}

void run(const char *id)
{
	struct kthread *t = find_thread(id);
	if (!t || t->status != TS_READY)
		die("cannot run", id);
	cur = t;
	stepper_stepping = 0;
	stepper_passed = 0;
	coro_resume(t->co);
	cur = NULL;
	if (stepper_passed)
		t->line = stepper_line;
}

/* `step`: run `t` to the next seed statement (a line table row), a block, or its end. */
static void step1(struct kthread *t)
{
	/*
	 * gcc may give one statement two rows apart (an if-branch's jump to a `continue` row, then the `continue`):
	 * a stop at the line the thread already stood at is the same statement, and it goes on.
	 */
	int from = t->line;
	cur = t;
	stepper_stepping = 1;
	do {
		stepper_stopped = 0;
		stepper_passed = 0;
		coro_resume(t->co);
	} while (stepper_stopped && stepper_line == from && from != 0 && t->status == TS_READY && !panicked);
	stepper_stepping = 0;
	cur = NULL;
	if (stepper_passed)
		t->line = stepper_line;
}

static char prevdig[1 << 20];

/*
 * `cstep T`: step T until the digest changes (or it blocks, ends or panics). Prints `#line L`, L the seed
 * line T stood at before the statement that changed it (0: in the caller, before any seed line), then the
 * digest is printed by the main loop.
 */
static void cstep(const char *id, int step)
{
	struct kthread *t = find_thread(id);
	if (!t || t->status != TS_READY)
		die("cannot step", id);
	size_t at = outlen;
	digest_build(step);
	size_t n = outlen - at;
	memcpy(prevdig, outbuf + at, n);
	outlen = at;
	int attr = t->line;
	for (int i = 0; i < 1000000; i++) {
		attr = t->line;
		step1(t);
		if (t->status != TS_READY || panicked)
			break;
		digest_build(step);
		int same = outlen - at == n && memcmp(prevdig, outbuf + at, n) == 0;
		outlen = at;
		if (!same)
			break;
	}
	outf("#line %d\n", attr);
}

static void complete(const char *id, const char *result)
{
	int n = (int)strtoll(id, NULL, 10);
	struct ioreq **at = &io_first;
	while (*at && (*at)->id != n)
		at = &(*at)->next;
	struct ioreq *r = *at;
	if (!r)
		die("no such request", id);
	*at = r->next;
	struct kthread *t = r->thread;
	if (strcmp(result, "ok") == 0) {
		t->io_error = 0;
		t->io_bytes = (size_t)r->length;
	} else if (strcmp(result, "eio") == 0) {
		t->io_error = EIO_K;
		t->io_bytes = 0;
	} else if (strncmp(result, "short:", 6) == 0) {
		t->io_error = 0;
		t->io_bytes = (size_t)strtoll(result + 6, NULL, 10);
	} else {
		die("bad result", result);
	}
	char w[32];
	snprintf(w, sizeof(w), "io:%d", r->id);
	if (t->status == TS_IO && strcmp(t->wait, w) == 0) {
		t->status = TS_READY;
		t->wait[0] = 0;
	}
}

int main(int argc, char **argv)
{
	if (argc > 1 && stepper_init(argv[1]) != 0) {
		write(2, "cdiff: cannot arm the breakpoints\n", 34);
		exit(2);
	}
	size_t len = 0;
	for (;;) {
		long n = read(0, inbuf + len, sizeof(inbuf) - 1 - len);
		if (n < 0)
			exit(1);
		if (n == 0)
			break;
		len += (size_t)n;
	}
	inbuf[len] = 0;

	proc0.p_ucred = &cred0;
	rw_init_flags(&netlock, "netlock", 0);
	free_pages = 64;
	uvn_init();
	snprintf(uvn_sync_lock.digest_name, sizeof(uvn_sync_lock.digest_name), "uvn_sync_lock");

	int step = -1;
	char *line = inbuf;
	while (*line) {
		char *end = strchr(line, '\n');
		if (end)
			*end = 0;
		char *w[64];
		int n = words(line, w, 64);
		if (n == 0) {
		} else if (strcmp(w[0], "phys") == 0) {
			free_pages = (int)strtoll(w[1], NULL, 10);
		} else if (strcmp(w[0], "vnode") == 0 && n == 7) {
			new_vnode(w);
		} else if (strcmp(w[0], "go") == 0) {
			digest(step++);
		} else if (strcmp(w[0], "spawn") == 0 && n >= 3) {
			spawn(w, n);
			digest(step++);
		} else if (strcmp(w[0], "run") == 0 && n == 2) {
			run(w[1]);
			digest(step++);
		} else if (strcmp(w[0], "step") == 0 && n == 2) {
			struct kthread *t = find_thread(w[1]);
			if (!t || t->status != TS_READY)
				die("cannot step", w[1]);
			int attr = t->line;
			step1(t);
			outf("#line %d\n", attr);
			digest(step++);
		} else if (strcmp(w[0], "runto") == 0 && n == 3) {
			/* step T until it stands at seed line L (after one step at least), blocks, ends or panics */
			struct kthread *t = find_thread(w[1]);
			if (!t || t->status != TS_READY)
				die("cannot step", w[1]);
			int l = (int)strtoll(w[2], NULL, 10);
			for (int i = 0; i < 1000000; i++) {
				step1(t);
				if (t->status != TS_READY || panicked || t->line == l)
					break;
			}
			outf("#line %d\n", t->line);
			digest(step++);
		} else if (strcmp(w[0], "cstep") == 0 && n == 2) {
			cstep(w[1], step);
			digest(step++);
		} else if (strcmp(w[0], "complete") == 0 && n == 3) {
			complete(w[1], w[2]);
			digest(step++);
		} else {
			die("bad line", line);
		}
		if (panicked)
			break;
		if (!end)
			break;
		line = end + 1;
	}
	return 0;
}
