/**
 * A C 64-bit integer (daddr_t, off_t) held exactly. The contract's sizes, offsets and disk addresses end at
 * 2^53 - 1, where a JavaScript number stops being exact, but the C adds to them (FreeBSD's b_blkno: a block
 * address plus the offset into the block). An Int64 is a number while it is a safe integer and a bigint
 * beyond, so the usual case stays a number, `===` compares two Int64s by value, and the digest
 * (stringifyDigest) prints a bigint with every digit, as C's %jd does.
 */
export type Int64 = number | bigint;

const MAX = BigInt(Number.MAX_SAFE_INTEGER);

/** a + b, exactly. */
export function add64(a: Int64, b: Int64): Int64 {
  if (typeof a === 'number' && typeof b === 'number') {
    const sum = a + b;
    // A sum past 2^53 - 1 rounds to a double at or past 2^53, which is not a safe integer.
    if (Number.isSafeInteger(sum)) return sum;
  }
  const sum = BigInt(a) + BigInt(b);
  return sum >= -MAX && sum <= MAX ? Number(sum) : sum;
}

/** For the lab's panels and locals, which hold no bigint: a bigint as its digits. */
export const shown64 = (v: Int64): number | string => (typeof v === 'bigint' ? v.toString() : v);
