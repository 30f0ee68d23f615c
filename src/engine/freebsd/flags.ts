/**
 * Values from FreeBSD 12's headers (shared/reference/freebsd-vm-facts.md §1): sys/vm/vm_object.h,
 * sys/vm/vm_page.h, sys/vm/vm_pager.h, sys/sys/vnode.h, sys/sys/lockmgr.h, sys/sys/buf.h.
 */
import type { FlagInfo } from '../../protocol/profile';

export const DEV_BSIZE = 512;
export const DEV_BSHIFT = 9;
export const PAGE_MASK = 4095;
export const MAXPHYS = 131072;
/** nitems(bp->b_pages): btoc(MAXPHYS). */
export const B_PAGES = MAXPHYS / 4096;
/** VM_PAGE_BITS_ALL for 4096-byte pages: one bit per DEV_BSIZE chunk. */
export const VM_PAGE_BITS_ALL = 0xff;
/** vm_pageout_page_count in FreeBSD 12's vm_pageout.c. */
export const VM_PAGEOUT_PAGE_COUNT = 32;
export const INT_MAX = 2147483647;

/** vm_object.flags (sys/vm/vm_object.h). */
export const OBJ_DEAD = 0x0008;
export const OBJ_PIPWNT = 0x0040;
export const OBJ_MIGHTBEDIRTY = 0x0100;
export const OBJ_COLORED = 0x1000;
export const OBJ_DISCONNECTWNT = 0x4000;

export const OBJ_FLAG_INFO: readonly FlagInfo[] = [
  { bit: OBJ_DEAD, name: 'OBJ_DEAD', meaning: 'vm_object_terminate is tearing the object down' },
  { bit: OBJ_PIPWNT, name: 'OBJ_PIPWNT', meaning: 'a thread waits for paging_in_progress to drain to 0' },
  {
    bit: OBJ_MIGHTBEDIRTY,
    name: 'OBJ_MIGHTBEDIRTY',
    meaning: 'a writable mapping may have dirtied pages: vm_object_page_clean has work',
  },
  { bit: OBJ_COLORED, name: 'OBJ_COLORED', meaning: 'pg_color is set (superpage reservations, VM_NRESERVLEVEL > 0)' },
  {
    bit: OBJ_DISCONNECTWNT,
    name: 'OBJ_DISCONNECTWNT',
    meaning: 'a thread sleeps until the dead object leaves its vnode',
  },
];

export type ObjType = 'OBJT_VNODE' | 'OBJT_DEAD';

/** Pager results (sys/vm/vm_pager.h). */
export const VM_PAGER_OK = 0;
export const VM_PAGER_BAD = 1;
export const VM_PAGER_FAIL = 2;
export const VM_PAGER_PEND = 3;
export const VM_PAGER_ERROR = 4;
export const VM_PAGER_AGAIN = 5;

export const VM_PAGER_PUT_SYNC = 0x1;
export const VM_PAGER_PUT_INVAL = 0x2;
export const VM_PAGER_PUT_NOREUSE = 0x4;
export const VM_PAGER_CLUSTER_OK = 0x8;

/** vm_object_page_clean flags (sys/vm/vm_object.h). */
export const OBJPC_SYNC = 0x1;
export const OBJPC_INVAL = 0x2;
export const OBJPC_NOSYNC = 0x4;
export const OBJPC_FLAGS: Readonly<Record<string, number>> = {
  OBJPC_SYNC,
  OBJPC_INVAL,
  OBJPC_NOSYNC,
};
export const OBJPR_CLEANONLY = 0x1;
export const OBJPR_NOTMAPPED = 0x2;

/** ioflags (sys/sys/vnode.h). */
export const IO_ASYNC = 0x0010;
export const IO_VMIO = 0x0020;
export const IO_INVAL = 0x0040;
export const IO_SYNC = 0x0080;
export const IO_NOREUSE = 0x0200;
export const IO_SEQMAX = 0x7f;
export const IO_SEQSHIFT = 16;

/** v_vflag / v_iflag (sys/sys/vnode.h). */
export const VV_TEXT = 0x0020;
export const VI_DOOMED = 0x0080;

/** lockmgr request flags (sys/sys/lockmgr.h). */
export const LK_SHARED = 0x200000;
export const LK_EXCLUSIVE = 0x080000;
export const LK_NOWAIT = 0x010000;
export const LK_RETRY = 0x000400;

/** vm_fault results (sys/vm/vm_param.h). */
export const KERN_SUCCESS = 'KERN_SUCCESS';
export const KERN_PROTECTION_FAILURE = 'KERN_PROTECTION_FAILURE';
export const KERN_FAILURE = 'KERN_FAILURE';

/** The file the contract's KASSERT convention names: FreeBSD's KASSERT prints only its message. */
export const SEED_PATH = 'sys/vm/vnode_pager.c';
