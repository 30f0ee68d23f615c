/**
 * Values from OpenBSD's headers (shared/reference/openbsd-uvm-facts.md §1): sys/uvm/uvm_vnode.h,
 * sys/uvm/uvm_pager.h, sys/uvm/uvm_page.h, sys/sys/vnode.h, sys/sys/lock.h.
 */
import type { FlagInfo } from '../../protocol/profile';

export const MAXBSIZE = 65536;

/** pg_flags bits (sys/uvm/uvm_page.h). */
export const PG_BUSY = 0x001;
export const PG_WANTED = 0x002;
export const PG_TABLED = 0x004;
export const PG_CLEAN = 0x008;
export const PG_CLEANCHK = 0x010;
export const PG_RELEASED = 0x020;
export const PG_FAKE = 0x040;
export const PG_RDONLY = 0x080;
export const PG_ZERO = 0x100;

/** Every pg_flags bit a digest names (never PG_TABLED: every resident page has it). */
export const PG_INFO: readonly FlagInfo[] = [
  { bit: PG_BUSY, name: 'PG_BUSY', meaning: 'a thread owns the page (I/O or a change in progress); others wait' },
  { bit: PG_WANTED, name: 'PG_WANTED', meaning: 'a thread sleeps until the page is unbusied' },
  { bit: PG_CLEAN, name: 'PG_CLEAN', meaning: 'the page matches the file (unless modified through a mapping)' },
  { bit: PG_CLEANCHK, name: 'PG_CLEANCHK', meaning: 'uvn_flush has checked it (clustering hint)' },
  { bit: PG_RELEASED, name: 'PG_RELEASED', meaning: 'free the page when its I/O is done' },
  { bit: PG_FAKE, name: 'PG_FAKE', meaning: 'contents not valid yet: a read is on its way' },
  { bit: PG_RDONLY, name: 'PG_RDONLY', meaning: 'map read-only' },
  { bit: PG_ZERO, name: 'PG_ZERO', meaning: 'known to be zero-filled' },
];

/** v_flag bits (sys/sys/vnode.h). */
export const VTEXT = 0x0002;

/** vn_lock flags (sys/sys/lock.h). */
export const LK_EXCLUSIVE = 0x0001;
export const LK_NOWAIT = 0x0040;
export const LK_RECURSEFAIL = 0x0080;
export const LK_RETRY = 0x2000;

export const UVM_VNODE_VALID = 0x001;
export const UVM_VNODE_CANPERSIST = 0x002;
export const UVM_VNODE_ALOCK = 0x004;
export const UVM_VNODE_DYING = 0x008;
export const UVM_VNODE_RELKILL = 0x010;
export const UVM_VNODE_WANTED = 0x020;
export const UVM_VNODE_VNISLOCKED = 0x040;
export const UVM_VNODE_IOSYNC = 0x080;
export const UVM_VNODE_IOSYNCWANTED = 0x100;
export const UVM_VNODE_WRITEABLE = 0x200;
export const UVM_VNODE_IOERROR = 0x400;
export const UVM_VNODE_BLOCKED = UVM_VNODE_ALOCK | UVM_VNODE_DYING | UVM_VNODE_RELKILL;

export const UVN_FLAG_INFO: readonly FlagInfo[] = [
  { bit: UVM_VNODE_VALID, name: 'UVM_VNODE_VALID', meaning: 'the uvn is attached to its vnode' },
  {
    bit: UVM_VNODE_CANPERSIST,
    name: 'UVM_VNODE_CANPERSIST',
    meaning: 'may stay cached, pages kept, after the last reference goes',
  },
  { bit: UVM_VNODE_ALOCK, name: 'UVM_VNODE_ALOCK', meaning: 'an attach is in progress; others wait' },
  { bit: UVM_VNODE_DYING, name: 'UVM_VNODE_DYING', meaning: 'final detach or terminate is running' },
  { bit: UVM_VNODE_RELKILL, name: 'UVM_VNODE_RELKILL', meaning: 'kill the uvn once its last I/O finishes' },
  {
    bit: UVM_VNODE_WANTED,
    name: 'UVM_VNODE_WANTED',
    meaning: 'a thread sleeps on the uvn for ALOCK/DYING/RELKILL to clear',
  },
  { bit: UVM_VNODE_VNISLOCKED, name: 'UVM_VNODE_VNISLOCKED', meaning: 'the caller already holds the vnode lock' },
  { bit: UVM_VNODE_IOSYNC, name: 'UVM_VNODE_IOSYNC', meaning: 'a thread waits on &u_nio for I/O to drain' },
  {
    bit: UVM_VNODE_IOSYNCWANTED,
    name: 'UVM_VNODE_IOSYNCWANTED',
    meaning: 'a thread waits on &u_flags for IOSYNC to clear',
  },
  { bit: UVM_VNODE_WRITEABLE, name: 'UVM_VNODE_WRITEABLE', meaning: 'the uvn is on uvn_wlist' },
  { bit: UVM_VNODE_IOERROR, name: 'UVM_VNODE_IOERROR', meaning: 'defined, unused by rev 1.129' },
];

export const PGO_CLEANIT = 0x001;
export const PGO_SYNCIO = 0x002;
export const PGO_DEACTIVATE = 0x004;
export const PGO_FREE = 0x008;
export const PGO_ALLPAGES = 0x010;
export const PGO_DOACTCLUST = 0x020;
export const PGO_LOCKED = 0x040;
export const PGO_PDFREECLUST = 0x080;
export const PGO_REALLOCSWAP = 0x100;
export const PGO_NOWAIT = 0x200;

export const PGO_FLAGS: Readonly<Record<string, number>> = {
  PGO_CLEANIT,
  PGO_SYNCIO,
  PGO_DEACTIVATE,
  PGO_FREE,
  PGO_ALLPAGES,
  PGO_DOACTCLUST,
  PGO_LOCKED,
  PGO_PDFREECLUST,
  PGO_REALLOCSWAP,
  PGO_NOWAIT,
};

export const VM_PAGER_OK = 0;
export const VM_PAGER_BAD = 1;
export const VM_PAGER_FAIL = 2;
export const VM_PAGER_PEND = 3;
export const VM_PAGER_ERROR = 4;
export const VM_PAGER_AGAIN = 5;
export const VM_PAGER_UNLOCK = 6;

export const VM_PAGER_NAMES = [
  'VM_PAGER_OK',
  'VM_PAGER_BAD',
  'VM_PAGER_FAIL',
  'VM_PAGER_PEND',
  'VM_PAGER_ERROR',
  'VM_PAGER_AGAIN',
  'VM_PAGER_UNLOCK',
] as const;
