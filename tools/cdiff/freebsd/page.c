/*
 * Pages: the object's memq kept sorted by pindex, busy state, valid and dirty bits, queues, the
 * per-mapping pmap entries (writable, modified) the digest shows, and sf_bufs.
 */
#include "kern_private.h"

struct vmmeter vm_cnt;
static struct vm_page bogus_page_store;
vm_page_t bogus_page = &bogus_page_store;
int free_chan; /* sleep channel of "pfault" and "vmwait" */
struct sf_buf *live_sf[MAXT];

void page_dirty(vm_page_t m) { m->dirty = VM_PAGE_BITS_ALL; }

void pmap_enter(vm_page_t m, int mapping, int writable, int modified)
{
	for (int i = 0; i < m->nmaps; i++)
		if (m->maps[i].mapping == mapping) {
			struct pmap_entry *e = &m->maps[i];
			if (e->writable && e->modified && !writable) page_dirty(m);
			e->modified = modified || (e->modified && writable);
			e->writable = writable;
			return;
		}
	if (m->nmaps >= 16) fatal("too many mappings");
	m->maps[m->nmaps++] = (struct pmap_entry){ mapping, writable, modified };
}

void pmap_remove_write(vm_page_t m)
{
	for (int i = 0; i < m->nmaps; i++) {
		struct pmap_entry *e = &m->maps[i];
		if (!e->writable) continue;
		if (e->modified) page_dirty(m);
		e->writable = 0;
		e->modified = 0;
	}
}

void pmap_remove_all(vm_page_t m)
{
	for (int i = 0; i < m->nmaps; i++)
		if (m->maps[i].modified) page_dirty(m);
	m->nmaps = 0;
}

void pmap_remove_mapping(vm_page_t m, int mapping)
{
	for (int i = 0; i < m->nmaps; i++)
		if (m->maps[i].mapping == mapping) {
			if (m->maps[i].modified) page_dirty(m);
			m->maps[i] = m->maps[--m->nmaps];
			return;
		}
}

int pmap_page_is_mapped(vm_page_t m) { return m->nmaps > 0; }
int pmap_page_is_write_mapped(vm_page_t m)
{
	for (int i = 0; i < m->nmaps; i++)
		if (m->maps[i].writable) return 1;
	return 0;
}

vm_page_t vm_page_lookup(vm_object_t obj, vm_pindex_t pindex)
{
	for (vm_page_t p = TAILQ_FIRST(&obj->memq); p; p = TAILQ_NEXT(p, listq))
		if (p->pindex == pindex) return p;
	return NULL;
}

vm_page_t vm_page_find_least(vm_object_t obj, vm_pindex_t pindex)
{
	for (vm_page_t p = TAILQ_FIRST(&obj->memq); p; p = TAILQ_NEXT(p, listq))
		if (p->pindex >= pindex) return p;
	return NULL;
}

static void memq_insert(vm_object_t obj, vm_page_t m)
{
	vm_page_t after = NULL;
	for (vm_page_t p = TAILQ_FIRST(&obj->memq); p; p = TAILQ_NEXT(p, listq))
		if (p->pindex < m->pindex) after = p;
	if (after == NULL) {
		m->listq.tqe_next = obj->memq.tqh_first;
		if (m->listq.tqe_next) m->listq.tqe_next->listq.tqe_prev = &m->listq.tqe_next;
		else obj->memq.tqh_last = &m->listq.tqe_next;
		obj->memq.tqh_first = m;
		m->listq.tqe_prev = &obj->memq.tqh_first;
	} else {
		m->listq.tqe_next = after->listq.tqe_next;
		if (m->listq.tqe_next) m->listq.tqe_next->listq.tqe_prev = &m->listq.tqe_next;
		else obj->memq.tqh_last = &m->listq.tqe_next;
		after->listq.tqe_next = m;
		m->listq.tqe_prev = &after->listq.tqe_next;
	}
	obj->resident_page_count++;
}

static void memq_remove(vm_object_t obj, vm_page_t m)
{
	if (m->listq.tqe_next) m->listq.tqe_next->listq.tqe_prev = m->listq.tqe_prev;
	else obj->memq.tqh_last = m->listq.tqe_prev;
	*m->listq.tqe_prev = m->listq.tqe_next;
	obj->resident_page_count--;
}

vm_page_t vm_page_alloc(vm_object_t obj, vm_pindex_t pindex, int req)
{
	(void)req;
	if (vm_cnt.v_free_count == 0) return NULL;
	if (vm_page_lookup(obj, pindex)) panic("vm_page_alloc: pindex already allocated");
	vm_page_t m = calloc(1, sizeof *m);
	m->object = obj;
	m->pindex = pindex;
	m->xbusy = 1;
	vm_cnt.v_free_count--;
	memq_insert(obj, m);
	return m;
}

int vm_page_busied(vm_page_t m) { return m->xbusy || m->sbusy > 0; }

static void wake_page(vm_page_t m)
{
	if (m->waiters) {
		m->waiters = 0;
		wakeup(m);
	}
}

void vm_page_xbusy(vm_page_t m) { m->xbusy = 1; }
void vm_page_xunbusy(vm_page_t m)
{
	m->xbusy = 0;
	wake_page(m);
}
void vm_page_sbusy(vm_page_t m) { m->sbusy++; }
void vm_page_sunbusy(vm_page_t m)
{
	m->sbusy--;
	if (m->sbusy == 0) wake_page(m);
}

void vm_page_assert_sbusied(vm_page_t m)
{
	KASSERT(m->sbusy > 0, ("page %p not shared busy", m));
}

/* sets waiters, drops the object lock, sleeps; does not relock */
void vm_page_busy_sleep(vm_page_t m, vm_object_t obj, const char *msg)
{
	m->waiters = 1;
	VM_OBJECT_WUNLOCK(obj);
	sleep_on(m, msg);
}

int vm_page_sleep_if_busy(vm_page_t m, vm_object_t obj, const char *msg)
{
	if (!vm_page_busied(m)) return 0;
	vm_page_busy_sleep(m, obj, msg);
	VM_OBJECT_WLOCK(obj);
	return 1;
}

vm_page_bits_t vm_page_bits(int base, int size)
{
	KASSERT(base + size <= PAGE_SIZE, ("vm_page_bits: illegal base/size %d/%d", base, size));
	if (size == 0) return 0;
	int first = base >> DEV_BSHIFT;
	int last = (base + size - 1) >> DEV_BSHIFT;
	return (vm_page_bits_t)((2u << last) - (1u << first));
}

void vm_page_set_valid_range(vm_page_t m, int base, int size)
{
	if (size == 0) return;
	vm_page_bits_t bits = vm_page_bits(base, size);
	KASSERT((~m->valid & bits & m->dirty) == 0, ("vm_page_set_valid_range: page %p is dirty", m));
	m->valid |= bits;
}

void vm_page_clear_dirty(vm_page_t m, int base, int size) { m->dirty &= ~vm_page_bits(base, size); }
void vm_page_undirty(vm_page_t m) { m->dirty = 0; }

int vm_page_is_valid(vm_page_t m, int base, int size)
{
	vm_page_bits_t bits = vm_page_bits(base, size);
	return m->valid != 0 && (m->valid & bits) == bits;
}

void vm_page_activate(vm_page_t m) { m->queue = 1; }
void vm_page_deactivate(vm_page_t m)
{
	if (m->queue != 2) m->queue = 2;
}

void vm_page_readahead_finish(vm_page_t m)
{
	KASSERT(m->valid != 0, ("vm_page_readahead_finish: %p is invalid", m));
	if (m->waiters) vm_page_activate(m);
	else vm_page_deactivate(m);
	vm_page_xunbusy(m);
}

void vm_page_free(vm_page_t m)
{
	pmap_remove_all(m);
	if (m->xbusy) vm_page_xunbusy(m);
	memq_remove(m->object, m);
	m->queue = 0;
	m->freed = 1;
	vm_cnt.v_free_count++;
	wakeup(&free_chan);
}

struct sf_buf *sf_buf_alloc(vm_page_t m, int f)
{
	(void)f;
	struct sf_buf *sf = calloc(1, sizeof *sf);
	sf->m = m;
	sf->inuse = 1;
	for (int i = 0; i < MAXT; i++)
		if (!live_sf[i]) {
			live_sf[i] = sf;
			break;
		}
	return sf;
}
vm_offset_t sf_buf_kva(struct sf_buf *sf) { return (vm_offset_t)sf->kva; }
void sf_buf_free(struct sf_buf *sf)
{
	sf->inuse = 0;
	for (int i = 0; i < MAXT; i++)
		if (live_sf[i] == sf) live_sf[i] = NULL;
}
