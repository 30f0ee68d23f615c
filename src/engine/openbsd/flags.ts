/** Values from sys/uvm/uvm_vnode.h and sys/uvm/uvm_pager.h (reference §1.1, §1.4, §1.5). */

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

export const UVN_FLAG_INFO: readonly (readonly [number, string, string])[] = [
  [UVM_VNODE_VALID, 'UVM_VNODE_VALID', 'the uvn is attached to its vnode'],
  [UVM_VNODE_CANPERSIST, 'UVM_VNODE_CANPERSIST', 'may stay cached, pages kept, after the last reference goes'],
  [UVM_VNODE_ALOCK, 'UVM_VNODE_ALOCK', 'an attach is in progress; others wait'],
  [UVM_VNODE_DYING, 'UVM_VNODE_DYING', 'final detach or terminate is running'],
  [UVM_VNODE_RELKILL, 'UVM_VNODE_RELKILL', 'kill the uvn once its last I/O finishes'],
  [UVM_VNODE_WANTED, 'UVM_VNODE_WANTED', 'a thread sleeps on the uvn for ALOCK/DYING/RELKILL to clear'],
  [UVM_VNODE_VNISLOCKED, 'UVM_VNODE_VNISLOCKED', 'the caller already holds the vnode lock'],
  [UVM_VNODE_IOSYNC, 'UVM_VNODE_IOSYNC', 'a thread waits on &u_nio for I/O to drain'],
  [UVM_VNODE_IOSYNCWANTED, 'UVM_VNODE_IOSYNCWANTED', 'a thread waits on &u_flags for IOSYNC to clear'],
  [UVM_VNODE_WRITEABLE, 'UVM_VNODE_WRITEABLE', 'the uvn is on uvn_wlist'],
  [UVM_VNODE_IOERROR, 'UVM_VNODE_IOERROR', 'defined, unused by rev 1.129'],
];

export const UVN_FLAG_NAMES: readonly (readonly [number, string])[] = UVN_FLAG_INFO.map(
  ([bit, name]) => [bit, name] as const,
);

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
