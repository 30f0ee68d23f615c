/**
 * Seed lines of uvm_vnode.c that no scenario can reach in this model, and why. The seed-coverage report
 * (tools/coverage-seed.ts) lists every statement line the library never reaches with its reason here; a
 * line missing from this table and never reached is a gap in the library, not in the model.
 */

const DEBUG_ONLY = 'DEBUG-only: DEBUG is off (DIAGNOSTIC is on)';
const NO_REBOOT = 'rebooting is never set: no scenario reboots the machine';
const NO_NETLOCK = 'NET_LOCK is never held: no thread faults from inside the network stack';
const DIRECT_MAP = 'uvm_pagermapin never fails: amd64 maps pager pages through the direct map';
const NO_PEND = 'VM_PAGER_PEND is never returned: uvn_io is synchronous (VOP_READ/VOP_WRITE)';

export const UNREACHABLE_SEED_LINES: Readonly<Record<number, string>> = {
  120: 'uvn_init runs once at boot, when the engine builds the kernel (src/engine/openbsd/uvn_init.ts), before any thread exists',
  122: 'uvn_init runs once at boot, when the engine builds the kernel (src/engine/openbsd/uvn_init.ts), before any thread exists',
  155: 'VBLK is always a disk: bdevsw[].d_type is D_DISK for every VBLK vnode here',
  230: DEBUG_ONLY,
  231: DEBUG_ONLY,
  276: DEBUG_ONLY,
  280: DEBUG_ONLY,
  281: DEBUG_ONLY,
  283: DEBUG_ONLY,
  441: DEBUG_ONLY,
  442: DEBUG_ONLY,
  481: DEBUG_ONLY,
  482: DEBUG_ONLY,
  483: DEBUG_ONLY,
  485: DEBUG_ONLY,
  486: DEBUG_ONLY,
  487: DEBUG_ONLY,
  518:
    'IOSYNCWANTED is only set by a uvn_io that then sleeps holding busy pages of this object (uvn_flush clears it at 852, ' +
    'and 238, 378 and 523 clear every flag); ' +
    'while it is set uo_npages > 0, so terminate cannot pass its 478 loop to reach 517',
  773: NO_PEND,
  785: NO_PEND,
  950: 'no caller passes PGO_DONTCARE: the fault asks for exactly one page',
  1014: 'the fault asks uvn_get for one page, the center, with an empty slot: there is nothing to skip',
  1180: DIRECT_MAP,
  1191: DIRECT_MAP,
  1218: NO_NETLOCK,
  1219: NO_NETLOCK,
  1252: NO_NETLOCK,
  1289: NO_REBOOT,
  1290: NO_REBOOT,
  1291: NO_REBOOT,
  1292: NO_REBOOT,
  1374: 'VFSLCKDEBUG is off',
  1375: 'VFSLCKDEBUG is off',
  1500: DEBUG_ONLY,
  1501: DEBUG_ONLY,
};
