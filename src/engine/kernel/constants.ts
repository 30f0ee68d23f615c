/** Values both kernels share on amd64 (page size, errno numbers), and bit-word helpers. */

export const PAGE_SHIFT = 12;
export const PAGE_SIZE = 1 << PAGE_SHIFT;

/** errno values (the same in OpenBSD and FreeBSD). */
export const ENOENT = 2;
export const EIO = 5;
export const EBADF = 9;
export const EDEADLK = 11;
export const EBUSY = 16;
export const EINVAL = 22;
export const EOPNOTSUPP = 45;

export const ERRNO_NAMES: Readonly<Record<number, string>> = {
  0: '0',
  [ENOENT]: 'ENOENT',
  [EIO]: 'EIO',
  [EBADF]: 'EBADF',
  [EDEADLK]: 'EDEADLK',
  [EBUSY]: 'EBUSY',
  [EINVAL]: 'EINVAL',
  [EOPNOTSUPP]: 'EOPNOTSUPP',
};

export const PROT_READ = 0x1;
export const PROT_WRITE = 0x2;

export function round_page(x: number): number {
  return Math.ceil(x / PAGE_SIZE) * PAGE_SIZE;
}

export function trunc_page(x: number): number {
  return Math.floor(x / PAGE_SIZE) * PAGE_SIZE;
}

/** Names of the set bits of `value`, in ascending bit order. */
export function bitNames(value: number, table: readonly { readonly bit: number; readonly name: string }[]): string[] {
  const names: string[] = [];
  for (const { bit, name } of table) if (value & bit) names.push(name);
  return names;
}

/** The first index of sorted `xs` whose item is not below `x` (where `x` is or would be). */
export function lowerBound(xs: readonly number[], x: number): number {
  let lo = 0;
  let hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (xs[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
