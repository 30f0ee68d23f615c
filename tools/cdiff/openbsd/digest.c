/*
 * digest.c: the digest, in the contract's format, key for key.
 * Part of the fake kernel around seeds/uvm_vnode.c (kern.c has the overview).
 */
#include "harness.h"

/* ----------------------------------------------------------------- digest */

static const char *uvn_flag_names[] = { "UVM_VNODE_VALID", "UVM_VNODE_CANPERSIST", "UVM_VNODE_ALOCK",
	"UVM_VNODE_DYING", "UVM_VNODE_RELKILL", "UVM_VNODE_WANTED", "UVM_VNODE_VNISLOCKED", "UVM_VNODE_IOSYNC",
	"UVM_VNODE_IOSYNCWANTED", "UVM_VNODE_WRITEABLE", "UVM_VNODE_IOERROR" };

static const struct {
	unsigned bit;
	const char *name;
} pg_names[] = { { PG_BUSY, "PG_BUSY" }, { PG_WANTED, "PG_WANTED" }, { PG_CLEAN, "PG_CLEAN" },
	{ PG_CLEANCHK, "PG_CLEANCHK" }, { PG_RELEASED, "PG_RELEASED" }, { PG_FAKE, "PG_FAKE" },
	{ PG_RDONLY, "PG_RDONLY" }, { PG_ZERO, "PG_ZERO" } };

static const char *status_names[] = { "ready", "lock", "sleep", "io", "done" };
static const char *state_names[] = { "active", "free", "dead", "reclaimed" };

void digest_build(int step)
{
	outf("{\"step\":%d,\"panic\":", step);
	if (panicked)
		out_json_string(panic_msg);
	else
		out("null");
	outf(",\"freePages\":%d,\"threads\":[", free_pages);
	for (int i = 0; i < nthreads; i++) {
		struct kthread *t = threads[i];
		if (i)
			out(",");
		out("{\"id\":");
		out_json_string(t->id);
		out(",\"call\":");
		out_json_string(t->call);
		outf(",\"status\":\"%s\",\"wait\":", status_names[t->status]);
		if (t->wait[0])
			out_json_string(t->wait);
		else
			out("null");
		out(",\"ret\":");
		if (t->status != TS_DONE || t->ret_kind == RET_NULL)
			out("null");
		else if (t->ret_kind == RET_TRUE)
			out("true");
		else if (t->ret_kind == RET_FALSE)
			out("false");
		else
			out_json_string(t->ret);
		out("}");
	}
	out("],\"vnodes\":[");
	for (int i = 0; i < nvnodes; i++) {
		struct vnode *vp = vnodes[i];
		struct uvm_vnode *uvn = vp->v_uvm;
		if (i)
			out(",");
		out("{\"name\":");
		out_json_string(vp->name);
		outf(",\"usecount\":%d,\"vflag\":%s,\"state\":\"%s\",\"size\":%lld,\"uvn\":{\"flags\":[", vp->v_usecount,
		    (vp->v_flag & VTEXT) ? "[\"VTEXT\"]" : "[]", state_names[vp->state], vp->size);
		int first = 1;
		for (int b = 0; b < 11; b++)
			if (uvn->u_flags & (1 << b)) {
				outf("%s\"%s\"", first ? "" : ",", uvn_flag_names[b]);
				first = 0;
			}
		outf("],\"refs\":%d,\"size\":%lld,\"nio\":%d,\"npages\":%d,\"pages\":[", uvn->u_obj.uo_refs,
		    (long long)uvn->u_size, uvn->u_nio, uvn->u_obj.uo_npages);
		for (struct vm_page *pg = uvn->u_obj.memt.first; pg != NULL; pg = pg->tnext) {
			outf("%s{\"offset\":%lld,\"flags\":[", pg == uvn->u_obj.memt.first ? "" : ",",
			    (long long)pg->offset);
			first = 1;
			for (unsigned b = 0; b < sizeof(pg_names) / sizeof(pg_names[0]); b++)
				if (pg->pg_flags & pg_names[b].bit) {
					outf("%s\"%s\"", first ? "" : ",", pg_names[b].name);
					first = 0;
				}
			outf("],\"queue\":\"%s\",\"wired\":%u,\"mapped\":%s,\"modified\":%s}",
			    (pg->pg_flags & PQ_ACTIVE) ? "active" : (pg->pg_flags & PQ_INACTIVE) ? "inactive" : "none",
			    pg->wire_count, pg->mapped ? "true" : "false", pg->modified ? "true" : "false");
		}
		out("]}}");
	}
	out("],\"io\":[");
	for (struct ioreq *r = io_first; r != NULL; r = r->next) {
		outf("%s{\"id\":%d,\"thread\":", r == io_first ? "" : ",", r->id);
		out_json_string(r->thread->id);
		out(",\"vnode\":");
		out_json_string(r->vp->name);
		outf(",\"rw\":\"%s\",\"offset\":%lld,\"length\":%lld}", r->write ? "write" : "read", r->offset, r->length);
	}
	out("]}\n");
}

void digest(int step)
{
	digest_build(step);
	flush_out();
}
