/**
 * Values from OpenBSD's headers (see shared/reference/openbsd-uvm-facts.md §1).
 * Only what the machinery and the pager models use.
 */

export const PAGE_SHIFT = 12;
export const PAGE_SIZE = 1 << PAGE_SHIFT;
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

export const PG_NAMES: readonly (readonly [number, string])[] = [
  [PG_BUSY, 'PG_BUSY'],
  [PG_WANTED, 'PG_WANTED'],
  [PG_CLEAN, 'PG_CLEAN'],
  [PG_CLEANCHK, 'PG_CLEANCHK'],
  [PG_RELEASED, 'PG_RELEASED'],
  [PG_FAKE, 'PG_FAKE'],
  [PG_RDONLY, 'PG_RDONLY'],
  [PG_ZERO, 'PG_ZERO'],
];

/** v_flag bits (sys/sys/vnode.h). */
export const VTEXT = 0x0002;

/** errno values the machinery returns. */
export const EIO = 5;
export const EBADF = 9;
export const EDEADLK = 11;
export const EBUSY = 16;

/** vn_lock flags (sys/sys/lock.h). */
export const LK_EXCLUSIVE = 0x0001;
export const LK_NOWAIT = 0x0040;
export const LK_RECURSEFAIL = 0x0080;
export const LK_RETRY = 0x2000;

export const PROT_READ = 0x1;
export const PROT_WRITE = 0x2;

export function round_page(x: number): number {
  return Math.ceil(x / PAGE_SIZE) * PAGE_SIZE;
}

export function trunc_page(x: number): number {
  return Math.floor(x / PAGE_SIZE) * PAGE_SIZE;
}

/** Names of the set bits of `value`, in ascending bit order. */
export function bitNames(value: number, table: readonly (readonly [number, string])[]): string[] {
  const names: string[] = [];
  for (const [bit, name] of table) if (value & bit) names.push(name);
  return names;
}
