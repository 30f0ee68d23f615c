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

/** The decoder every runtime here has (browser, worker, Node); typed locally, as the engine's lib has no DOM. */
type Decoder = new (
  label: string,
  options: { fatal: boolean; ignoreBOM: boolean },
) => { decode(b: Uint8Array): string };
const NativeDecoder = (globalThis as { TextDecoder?: Decoder }).TextDecoder;

/** Decode bytes already known to be well-formed UTF-8, without a native decoder. */
function decodeWellFormed(bytes: Uint8Array): string {
  const units: number[] = [];
  const parts: string[] = [];
  const cont = (at: number) => bytes[at]! & 0x3f;
  for (let i = 0; i < bytes.length;) {
    const b = bytes[i]!;
    let cp: number;
    if (b < 0x80) {
      cp = b;
      i += 1;
    } else if (b < 0xe0) {
      cp = ((b & 0x1f) << 6) | cont(i + 1);
      i += 2;
    } else if (b < 0xf0) {
      cp = ((b & 0x0f) << 12) | (cont(i + 1) << 6) | cont(i + 2);
      i += 3;
    } else {
      cp = ((b & 0x07) << 18) | (cont(i + 1) << 12) | (cont(i + 2) << 6) | cont(i + 3);
      i += 4;
    }
    if (cp > 0xffff) units.push(0xd800 + ((cp - 0x10000) >> 10), 0xdc00 + ((cp - 0x10000) & 0x3ff));
    else units.push(cp);
    if (units.length >= 8192) parts.push(String.fromCharCode(...units.splice(0)));
  }
  parts.push(String.fromCharCode(...units));
  return parts.join('');
}

/** The text of well-formed UTF-8 bytes (a byte order mark kept, for the parser to name), or the offset of the first bad byte. */
export function decodeUtf8(bytes: Uint8Array, native = NativeDecoder): { text: string } | { badByte: number } {
  if (!native) {
    const bad = firstBadUtf8Byte(bytes);
    return bad >= 0 ? { badByte: bad } : { text: decodeWellFormed(bytes) };
  }
  try {
    return { text: new native('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes) };
  } catch {
    return { badByte: Math.max(0, firstBadUtf8Byte(bytes)) };
  }
}

/** Bytes of `s` in UTF-8 (a lone surrogate counts 3, as an encoder writes U+FFFD). */
export function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}
