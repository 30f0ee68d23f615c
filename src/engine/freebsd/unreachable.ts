/**
 * Seed lines of vnode_pager.c that no scenario can reach in this model, and why. The seed-coverage report
 * (tools/coverage-seed.ts) lists every statement line the library never reaches with its reason here; a
 * line missing from this table and never reached is a gap in the library, not in the model.
 *
 * Each reason is an argument from the contract (scenario-format.md, "FreeBSD"): which calls exist, what
 * they lock, and what arguments they can pass. Three facts carry most of them:
 * - Only vgone sets VI_DOOMED, reclaims an object (vnode_destroy_vobject: vm_object_terminate or
 *   vnode_pager_dealloc, the only places that set OBJ_DEAD on, or make OBJT_DEAD, an object still in
 *   v_object) and clears v_object, all while holding the vnode lock exclusively from start to end.
 * - Every caller that reads pages in (fault, sendfile) holds the vnode lock while the pager runs, and
 *   every caller that writes pages out or changes the size (msync, pageout, vrele's vinactive, vgone,
 *   truncate) holds it exclusively.
 * - Every resident page lies below object->size: pages are allocated below it, and truncate removes the
 *   pages past the new end before it lowers the size, under the object lock.
 */

const NO_RACE_245 =
  'v_object is NULL at line 224 only for VOP_OPEN, which holds the vnode lock exclusively until line 259 sets it ' +
  '(mmap enters only with v_object set); another open, an mmap or a vgone waits for that lock, so no thread, ' +
  'even one run between two steps, can set v_object before line 245';
const UNMAPPED = 'every mount is UFS-like (MNTK_UNMAPPED_BUFS) and amd64 allows unmapped buffers: line 1005 is true';
const NEGATIVE_PINDEX = 'a page index is never negative';
const VREG_ONLY = 'every vnode is VREG: vn_isdisk is never true';
const DOOMED_HELD =
  'the caller holds the vnode lock, which vgone needs exclusively before it sets VI_DOOMED, so the vnode is not doomed here';
const DEAD_IN_V_OBJECT =
  'an object in v_object gets OBJ_DEAD only inside vgone (vm_object_terminate from vnode_destroy_vobject), which holds ' +
  'the vnode lock exclusively until v_object is NULL; VOP_OPEN (vn_lock LK_EXCLUSIVE) and mmap (vget) hold that lock ' +
  'around this function, so they never see the dying object';
const NO_DISCONNECT_WAITER =
  'OBJ_DISCONNECTWNT is set only by the "vodead" and "vadead" sleeps (lines 127 and 228), which no thread reaches';
const SECOND_DESTROY =
  'the object in v_object would have to be OBJ_DEAD on entry: only vm_object_terminate sets it, for a vnode object only ' +
  'from this function (line 173), and it clears v_object (vnode_pager_dealloc) before returning; vgone, the only ' +
  'caller, reaches this function once per vnode';
const GETATTR_DEADFS =
  'VOP_GETATTR fails only on deadfs, and VOP_OPEN enters here holding the vnode lock from vn_lock without LK_RETRY ' +
  '(ENOENT on a doomed vnode), so the vnode is live and cannot be doomed while it is held';
const PAGER_ALREADY_DEALLOCED =
  'vnode_pager_dealloc is called only for an OBJT_VNODE object (vm_pager_deallocate and vm_object_terminate dispatch ' +
  'on the type), and handle is cleared (line 289) together with the switch to OBJT_DEAD (line 290), under the object lock';
const SETSIZE_DEAD =
  'truncate holds the vnode lock exclusively around vnode_pager_setsize, and an object becomes OBJT_DEAD only in ' +
  'vnode_pager_dealloc under vgone, which holds that lock too and clears v_object before releasing it (line 402 then ' +
  'finds NULL)';
const ADDR_NEGATIVE = 'the only caller (line 550) passes IDX_TO_OFF(m->pindex) + i * bsize, which is never negative';
const ADDR_RUN = 'the only caller (vnode_pager_input_smlfs, line 550) passes run NULL';
const SMLFS_ADDR_ERROR =
  'VOP_BMAP already succeeded for this vnode at line 797 and fails only on deadfs (EIO) or a mount without it ' +
  '(EOPNOTSUPP, handled at 798); lines 490 and 493 cannot return -1 (see there)';
const INPUT_OLD_BEYOND_EOF =
  "vnode_pager_input_old is reached with count 1: a fault asks one page, and sendfile's run on a mount without VOP_BMAP is " +
  "one page because vnode_pager_haspage returns at line 349 without writing `after` (sendfile's a stays 0); line 764 " +
  'asserted that this page starts before vnp_size, and the vnode lock the caller holds keeps truncate from shrinking it';
const BMAP_OTHER_ERROR =
  'VOP_BMAP fails only with EOPNOTSUPP (handled at 798) or on deadfs, and VOP_GETPAGES of a deadfs vnode never reaches ' +
  'this function (the object of a reclaimed vnode is OBJT_DEAD and has no handle)';
const TRIM_NEGATIVE =
  'rbehind == before only for a fault (count 1; sendfile passes no rbehind, so rbehind is 0 and so is its cut). With ' +
  'before = runb*ppb + poff and rahead <= after <= 31 - poff, a trim needs runb >= 1, and roundup(trim*before/sum, ppb) ' +
  '> before would need poff >= 31 > ppb - 1: the cut never exceeds before';
const READAHEAD_PAST_END =
  'rahead <= after (line 871) and after <= object->size - 1 - m[count-1]->pindex (lines 860-864), and object->size ' +
  'cannot change meanwhile (truncate needs the vnode lock the caller holds), so endpindex <= object->size';
const PUT_PAST_EOF =
  'every resident page lies below object->size = ceil(vnp_size / PAGE_SIZE) when pages are written out (putpages ' +
  'callers and truncate both hold the vnode lock exclusively), so the run starts before vnp_size and ncount = ' +
  'btoc(vnp_size - poffset) >= count';

export const UNREACHABLE_SEED_LINES: Readonly<Record<number, string>> = {
  118: 'vnode_create_vobject is entered with the vnode locked by vn_lock without LK_RETRY, which fails on a doomed (and so on a VBAD) vnode',
  126: DEAD_IN_V_OBJECT,
  127: DEAD_IN_V_OBJECT,
  128: DEAD_IN_V_OBJECT,
  129: DEAD_IN_V_OBJECT,
  134: VREG_ONLY,
  137: GETATTR_DEADFS,
  181: SECOND_DESTROY,
  184: SECOND_DESTROY,
  185: SECOND_DESTROY,
  215: 'both callers (vnode_create_vobject, mmap) pass a vnode: the handle is never NULL',
  228: DEAD_IN_V_OBJECT,
  229: DEAD_IN_V_OBJECT,
  249: NO_RACE_245,
  250: NO_RACE_245,
  251: NO_RACE_245,
  253: NO_RACE_245,
  254: NO_RACE_245,
  255: NO_RACE_245,
  256: NO_RACE_245,
  257: NO_RACE_245,
  283: PAGER_ALREADY_DEALLOCED,
  292: NO_DISCONNECT_WAITER,
  293: NO_DISCONNECT_WAITER,
  407: SETSIZE_DEAD,
  408: SETSIZE_DEAD,
  490: ADDR_NEGATIVE,
  493: DOOMED_HELD,
  504: ADDR_RUN,
  505: ADDR_RUN,
  506: ADDR_RUN,
  531: DOOMED_HELD,
  552: SMLFS_ADDR_ERROR,
  625: INPUT_OLD_BEYOND_EOF,
  757: DOOMED_HELD,
  811: BMAP_OTHER_ERROR,
  812: BMAP_OTHER_ERROR,
  886: TRIM_NEGATIVE,
  950: READAHEAD_PAST_END,
  1010: UNMAPPED,
  1011: UNMAPPED,
  1212: NEGATIVE_PINDEX,
  1214: NEGATIVE_PINDEX,
  1215: NEGATIVE_PINDEX,
  1257: PUT_PAST_EOF,
  1258: PUT_PAST_EOF,
  1261: PUT_PAST_EOF,
  1262: PUT_PAST_EOF,
};
