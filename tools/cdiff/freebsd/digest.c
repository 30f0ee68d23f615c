/*
 * The contract's FreeBSD digest (scenario-format.md, "FreeBSD digest"): one JSON line per step on stdout.
 */
#include "kern_private.h"

static char out[1 << 20];
static size_t olen;
static void put(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	olen += vsnprintf(out + olen, sizeof out - olen, fmt, ap);
	va_end(ap);
}

static void put_json_string(const char *s)
{
	put("\"");
	for (; *s; s++) {
		if (*s == '"' || *s == '\\') put("\\%c", *s);
		else if (*s == '\n') put("\\n");
		else put("%c", *s);
	}
	put("\"");
}

static const char *status_name(enum tstatus s)
{
	static const char *n[] = { "ready", "lock", "sleep", "io", "done" };
	return n[s];
}

const char *digest_text(int step, size_t *len)
{
	olen = 0;
	put("{\"step\":%d,\"panic\":", step);
	if (panicked) put_json_string(panicmsg);
	else put("null");
	put(",\"freePages\":%u,\"pbufs\":%d,\"asyncPbufs\":%d,\"threads\":[", vm_cnt.v_free_count, vnode_pbuf_freecnt,
	    vnode_async_pbuf_freecnt);
	for (int i = 0; i < nthreads; i++) {
		struct kthread *t = threads[i];
		put("%s{\"id\":\"%s\",\"call\":\"%s\",\"status\":\"%s\",\"wait\":", i ? "," : "", t->id, t->call,
		    status_name(t->status));
		if (t->wait[0] && t->status != T_READY && t->status != T_DONE) put("\"%s\"", t->wait);
		else put("null");
		put(",\"ret\":%s}", t->status == T_DONE ? t->ret : "null");
	}
	put("],\"vnodes\":[");
	for (int i = 0; i < nvnodes; i++) {
		struct vnode *v = &vnodes[i];
		const char *state = (v->v_iflag & VI_DOOMED) ? "doomed" : v->v_usecount > 0 ? "active" : "free";
		put("%s{\"name\":\"%s\",\"usecount\":%d,\"writecount\":%d,\"vflag\":[%s],\"state\":\"%s\",\"size\":%lld,\"object\":",
		    i ? "," : "", v->name, v->v_usecount, v->v_writecount, (v->v_vflag & VV_TEXT) ? "\"VV_TEXT\"" : "", state,
		    (long long)v->size);
		if (v->v_object) put("%d}", v->v_object->id);
		else put("null}");
	}
	put("],\"objects\":[");
	int first = 1;
	for (int i = 0; i < nobjects; i++) {
		vm_object_t o = objects[i];
		if (o->destroyed) continue;
		put("%s{\"id\":%d,\"vnode\":\"%s\",\"type\":\"%s\",\"flags\":[", first ? "" : ",", o->id, o->vnode,
		    o->type == OBJT_VNODE ? "OBJT_VNODE" : o->type == OBJT_DEAD ? "OBJT_DEAD" : "OBJT_DEFAULT");
		first = 0;
		static const struct { int bit; const char *name; } fl[] = { { OBJ_DEAD, "OBJ_DEAD" }, { OBJ_PIPWNT, "OBJ_PIPWNT" },
			{ OBJ_MIGHTBEDIRTY, "OBJ_MIGHTBEDIRTY" }, { OBJ_COLORED, "OBJ_COLORED" }, { OBJ_DISCONNECTWNT, "OBJ_DISCONNECTWNT" } };
		int f1 = 1;
		for (unsigned k = 0; k < 5; k++)
			if (o->flags & fl[k].bit) {
				put("%s\"%s\"", f1 ? "" : ",", fl[k].name);
				f1 = 0;
			}
		put("],\"ref_count\":%d,\"paging_in_progress\":%u,\"size\":%llu,\"vnp_size\":%lld,\"writemappings\":%llu,\"pages\":[",
		    o->ref_count, o->paging_in_progress, (unsigned long long)o->size, (long long)o->un_pager.vnp.vnp_size,
		    (unsigned long long)o->un_pager.vnp.writemappings);
		int p1 = 1;
		for (vm_page_t p = TAILQ_FIRST(&o->memq); p; p = TAILQ_NEXT(p, listq)) {
			static const char *q[] = { "none", "active", "inactive" };
			put("%s{\"pindex\":%llu,\"valid\":%d,\"dirty\":%d,\"xbusy\":%s,\"sbusy\":%d,\"waiters\":%s,\"queue\":\"%s\",\"mapped\":%s,\"writeable\":%s,\"modified\":%s}",
			    p1 ? "" : ",", (unsigned long long)p->pindex, p->valid, p->dirty, p->xbusy ? "true" : "false", p->sbusy,
			    p->waiters ? "true" : "false", q[p->queue], p->nmaps ? "true" : "false",
			    pmap_page_is_write_mapped(p) ? "true" : "false", ({
				    int mod = 0;
				    for (int e = 0; e < p->nmaps; e++) mod |= p->maps[e].modified;
				    mod ? "true" : "false";
			    }));
			p1 = 0;
		}
		put("]}");
	}
	put("],\"io\":[");
	int i1 = 1;
	for (int i = 0; i < nios; i++) {
		struct ioreq *r = &ios[i];
		if (!r->live) continue;
		put("%s{\"id\":%d,\"thread\":\"%s\",\"vnode\":\"%s\",\"rw\":\"%s\",\"offset\":%lld,\"length\":%lld,\"blkno\":", i1 ? "" : ",",
		    r->id, r->thread, r->vnode, r->write ? "write" : "read", (long long)r->offset, (long long)r->length);
		if (r->hasblkno) put("%lld", (long long)r->blkno);
		else put("null");
		put(",\"async\":%s}", r->async ? "true" : "false");
		i1 = 0;
	}
	put("]}\n");
	*len = olen;
	return out;
}

void digest(int step)
{
	size_t n;
	const char *d = digest_text(step, &n);
	fwrite(d, 1, n, stdout);
}
