/**
 * Seed lines of vnode_pager.c that no scenario can reach in this model, and why. The seed-coverage report
 * (tools/coverage-seed.ts) lists every statement line the library never reaches with its reason here; a
 * line missing from this table and never reached is a gap in the library, not in the model.
 */

const NO_VFS_LOCK_DEBUG = 'ASSERT_VOP_ELOCKED compiles to nothing: the kernel has no DEBUG_VFS_LOCKS';
const NO_KTR = 'CTR3 compiles to nothing: the kernel has no KTR';
const NO_RACE_245 =
  'nothing sleeps between line 224 (v_object is NULL) and line 245, so no thread can have set v_object meanwhile';
const UNMAPPED = 'every mount is UFS-like (MNTK_UNMAPPED_BUFS) and amd64 allows unmapped buffers: line 1005 is true';
const NEGATIVE_PINDEX = 'a page index is never negative';
const VREG_ONLY = 'every vnode is VREG: vn_isdisk is never true';
const DOOMED_HELD =
  'the caller holds the vnode lock, which vgone needs exclusively before it sets VI_DOOMED, so the vnode is not doomed here';

export const UNREACHABLE_SEED_LINES: Readonly<Record<number, string>> = {
  118: 'vnode_create_vobject is entered with the vnode locked by vn_lock without LK_RETRY, which fails on a doomed (and so on a VBAD) vnode',
  134: VREG_ONLY,
  165: NO_VFS_LOCK_DEBUG,
  215: 'both callers (vnode_create_vobject, mmap) pass a vnode: the handle is never NULL',
  249: NO_RACE_245,
  250: NO_RACE_245,
  251: NO_RACE_245,
  253: NO_RACE_245,
  254: NO_RACE_245,
  255: NO_RACE_245,
  256: NO_RACE_245,
  257: NO_RACE_245,
  295: NO_VFS_LOCK_DEBUG,
  299: NO_KTR,
  531: DOOMED_HELD,
  757: DOOMED_HELD,
  1010: UNMAPPED,
  1011: UNMAPPED,
  1212: NEGATIVE_PINDEX,
  1214: NEGATIVE_PINDEX,
  1215: NEGATIVE_PINDEX,
  1361: NO_VFS_LOCK_DEBUG,
  1363: NO_KTR,
  1366: NO_VFS_LOCK_DEBUG,
  1368: NO_KTR,
};
