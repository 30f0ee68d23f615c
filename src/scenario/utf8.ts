/**
 * Scenario files are UTF-8. A decoder that silently turns bad bytes into
 * U+FFFD would let a corrupted file through with changed names; this one
 * says where the first bad byte is.
 */

/** Offset of the first byte that is not part of well-formed UTF-8 (RFC 3629), or -1. */
export function firstBadUtf8Byte(bytes: Uint8Array): number {
  for (let i = 0; i < bytes.length;) {
    const b = bytes[i]!;
    if (b < 0x80) {
      i++;
      continue;
    }
    // Lead byte: how many continuation bytes follow, and the range the first of them must be in
    // (which rules out overlong forms, surrogates and code points above U+10FFFF).
    let n: number;
    let lo = 0x80;
    let hi = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) n = 1;
    else if (b >= 0xe0 && b <= 0xef) {
      n = 2;
      if (b === 0xe0) lo = 0xa0;
      if (b === 0xed) hi = 0x9f;
    } else if (b >= 0xf0 && b <= 0xf4) {
      n = 3;
      if (b === 0xf0) lo = 0x90;
      if (b === 0xf4) hi = 0x8f;
    } else return i;
    for (let j = 1; j <= n; j++) {
      const c = bytes[i + j];
      if (c === undefined || c < (j === 1 ? lo : 0x80) || c > (j === 1 ? hi : 0xbf)) return i;
    }
    i += n + 1;
  }
  return -1;
}

/** The text of well-formed UTF-8 bytes, or the offset of the first bad byte. */
export function decodeUtf8(bytes: Uint8Array): { text: string } | { badByte: number } {
  try {
    // ignoreBOM keeps a byte order mark in the text, so the parser can name it.
    return { text: new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes) };
  } catch {
    return { badByte: Math.max(0, firstBadUtf8Byte(bytes)) };
  }
}
