/**
 * What a finished FreeBSD run should not leave behind (the `PagerModel.leaks` hook the explorer asks once
 * every thread is done and nothing is in flight). Each rule is what the calls of scenario-format.md
 * ("FreeBSD calls") and vnode_pager.c leave when they return:
 *
 * - paging_in_progress: every vm_object_pip_add (a fault for its whole run, vm_pageout_flush per page,
 *   an asynchronous read's pages) has its vm_object_pip_wakeup by the time its thread returns or its
 *   request completes, so with every thread done and no request in flight it is 0;
 * - busy pages: vm_page_alloc and the grab/getpages paths exclusive-busy a page and vm_pageout_flush
 *   shared-busies it; each returns or completes having unbusied it (bogus_page, id 0, is never busied);
 * - pbufs: vnode_pager_generic_getpages' getpbuf (790) is given back on each of its returns (799, 811,
 *   820, 839, 1053) or, for an asynchronous read, by vnode_pager_generic_getpages_done_async (1071) when
 *   the request completes; vnode_pager_input_smlfs' (555) at 587. Only a panic stops one between, so
 *   both counters are back at their boot values;
 * - ref_count: the only object references a finished call keeps are its mappings' (vnode_pager_alloc in
 *   mmap, given back by munmap's vm_object_deallocate); vnode_create_vobject drops its own at once, and a
 *   fault's or sendfile's vm_object_reference_locked is deallocated before they return. That holds for a
 *   dead object too (vnode_pager_dealloc keeps its references; the last deallocate terminates it), where
 *   the v_usecount rule below cannot see a reference kept, and for a live one where a reference kept with
 *   its use reference leaves v_usecount consistent;
 * - v_usecount: user opens (the setup's usecount, plus each vref done, less each vrele done) plus one use
 *   reference per reference of the vnode's OBJT_VNODE object (vnode_pager_alloc's `vrefact`, dropped by
 *   vm_object_vndeallocate's `vrele`; vnode_create_vobject gives back both of its own; a fault's or
 *   sendfile's vm_object_reference_locked is one of each and is dropped before they return). Once
 *   vnode_pager_dealloc has made the object OBJT_DEAD it `vunref`s once per remaining reference, so a
 *   dead object's references hold no use reference;
 * - v_writecount: vnode_pager_update_writecount adds a mapping's length to writemappings and bumps
 *   v_writecount when writemappings leaves 0; vnode_pager_release_writecount (munmap) takes them back.
 *   So an OBJT_VNODE object's writemappings is the total length of its write-counted mappings not yet
 *   unmapped, and v_writecount is 1 exactly when that is not 0 (vnode_pager_dealloc zeroes writemappings
 *   and drops the count with it, and a later munmap finds the object dead and changes nothing).
 */
import { BOGUS_PAGE, type BsdKernel } from './state';

const plural = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;

export function freebsdLeaks(k: BsdKernel): string[] {
  const leaks: string[] = [];
  const bsd = k.bsd;
  for (const obj of Object.values(bsd.objects)) {
    const at = `obj${obj.id}`;
    if (obj.paging_in_progress !== 0)
      leaks.push(`${at}: paging_in_progress is ${obj.paging_in_progress} with every thread done`);
    const xbusy: number[] = [];
    const sbusy: number[] = [];
    for (const p of obj.memq) {
      const m = bsd.pages[obj.pageAt[p]!];
      if (!m || m.id === BOGUS_PAGE) continue;
      if (m.xbusy) xbusy.push(p);
      if (m.sbusy > 0) sbusy.push(p);
    }
    if (xbusy.length > 0) leaks.push(`${at}: page ${xbusy.join(', ')} left exclusive busy`);
    if (sbusy.length > 0) leaks.push(`${at}: page ${sbusy.join(', ')} left shared busy`);
    const mapped = Object.values(bsd.mappings).filter((m) => m.object === obj.id && !m.unmapped).length;
    if (obj.ref_count !== mapped) leaks.push(`${at}: ref_count is ${obj.ref_count}, the mappings left hold ${mapped}`);
  }
  const boot = bsd.initialPbufs;
  if (bsd.pbufs !== boot.pbufs) leaks.push(`pbufs: ${bsd.pbufs} free, ${boot.pbufs} at boot`);
  if (bsd.asyncPbufs !== boot.asyncPbufs) leaks.push(`asyncPbufs: ${bsd.asyncPbufs} free, ${boot.asyncPbufs} at boot`);

  for (const vp of k.s.vnodes) {
    const done = k.s.threads.filter((t) => t.status === 'done' && t.args.vnode === vp.name);
    const vrefs = done.filter((t) => t.call === 'vref').length;
    const vreles = done.filter((t) => t.call === 'vrele').length;
    const opens = bsd.initialUse[vp.name]! + vrefs - vreles;
    const obj = vp.v_object === null ? undefined : bsd.objects[vp.v_object];
    const live = obj !== undefined && obj.type === 'OBJT_VNODE' ? obj : undefined;
    const objRefs = live?.ref_count ?? 0;
    if (vp.usecount !== opens + objRefs)
      leaks.push(
        `${vp.name}: usecount is ${vp.usecount}, expected ${opens + objRefs} (${plural(opens, 'open')}` +
          `${live ? ` + ${plural(objRefs, 'reference')} of obj${live.id}` : ''})`,
      );

    const mapped = live
      ? Object.values(bsd.mappings)
          .filter((m) => m.object === live.id && m.writecounted && !m.unmapped)
          .reduce((n, m) => n + m.length, 0)
      : 0;
    if (live && live.writemappings !== mapped)
      leaks.push(
        `obj${live.id}: writemappings is ${live.writemappings}, the write-counted mappings left cover ${mapped}`,
      );
    const writecount = mapped > 0 ? 1 : 0;
    if (vp.writecount !== writecount) leaks.push(`${vp.name}: writecount is ${vp.writecount}, expected ${writecount}`);
  }
  return leaks;
}
