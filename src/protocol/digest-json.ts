/**
 * A digest as one compact JSON line (scenario-format.md, "Digest"). A digest is plain JSON data, except that a
 * number the C holds in a 64-bit unsigned type (size_t) and that is above 2^53 - 1 is a bigint: a JSON number
 * cannot hold it exactly, and JSON.stringify refuses it. Here it is written as the C prints it, every digit.
 */
export function stringifyDigest(digest: unknown): string {
  const big: string[] = [];
  const text = JSON.stringify(digest, (_key, value: unknown) =>
    typeof value === 'bigint' ? `\u0000${big.push(value.toString()) - 1}\u0000` : value,
  );
  // No digest string holds a NUL (names are [A-Za-z0-9_.-], the rest are the kernel's own words).
  return big.length === 0 ? text : text.replace(/"\\u0000(\d+)\\u0000"/g, (_m, i: string) => big[Number(i)]!);
}
