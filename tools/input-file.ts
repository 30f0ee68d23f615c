/**
 * The one rule for a file a command-line tool reads (scenario, explore, grade): at most the scenario reader's
 * 16 MiB (LIMITS.textBytes), refused before it is read when its size is known, and strictly UTF-8. Each tool
 * puts its own prefix before the reason (`step -1: `, `FILE: step -1: `).
 */
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { LIMITS, notUtf8 } from '../src/scenario/schema';
import { decodeUtf8 } from '../src/scenario/utf8';
import { fromCaller } from './caller-path';

export interface InputFiles {
  /** The file's size in bytes (checked against the limit before it is read); 0 when unknown (a pipe). */
  size(path: string): number;
  /** Its bytes, at most `max` of them (more would be refused anyway). */
  read(path: string, max: number): Uint8Array;
}

/** Up to `max` bytes of the file descriptor's stream, read until its end. */
function readUpTo(fd: number, max: number): Uint8Array {
  const chunks: Buffer[] = [];
  let total = 0;
  while (total < max) {
    const chunk = Buffer.allocUnsafe(Math.min(1 << 20, max - total));
    const n = readSync(fd, chunk, 0, chunk.length, null);
    if (n === 0) break;
    chunks.push(chunk.subarray(0, n));
    total += n;
  }
  return Buffer.concat(chunks, total);
}

export const diskFiles: InputFiles = {
  size(path) {
    const st = statSync(fromCaller(path));
    return st.isFile() ? st.size : 0;
  },
  read(path, max) {
    const fd = openSync(fromCaller(path), 'r');
    try {
      return readUpTo(fd, max);
    } finally {
      closeSync(fd);
    }
  },
};

const count = (n: number): string => n.toLocaleString('en-US');

/** One line, whatever the error holds. */
export const oneLine = (text: string): string => text.replace(/\s+/g, ' ').trim();

export interface InputNames {
  /** The file in the size message: "scenario file", "challenge file". */
  what: string;
  /** Named after "cannot read" when the tool's own prefix does not name the file already. */
  nameUnreadable: boolean;
}

/**
 * The bytes of `path`, or why it is refused. A file whose size the system does not know (a pipe, /dev/stdin)
 * is read to one byte past the limit, never further.
 */
export function readInputBytes(
  path: string,
  names: InputNames,
  files: InputFiles = diskFiles,
): Uint8Array | { reason: string } {
  const what = names.what;
  try {
    const size = files.size(path);
    if (size > LIMITS.textBytes)
      return { reason: `the ${what} is ${count(size)} bytes, more than the limit of ${count(LIMITS.textBytes)}` };
    const bytes = files.read(path, LIMITS.textBytes + 1);
    if (bytes.length > LIMITS.textBytes)
      return { reason: `the ${what} is more than ${count(LIMITS.textBytes)} bytes, the limit` };
    return bytes;
  } catch (e) {
    const name = names.nameUnreadable ? ` ${path}` : '';
    return { reason: `cannot read${name}: ${oneLine(String((e as Error)?.message ?? e))}` };
  }
}

/** As readInputBytes, then the text, or the first byte that is not UTF-8 (the scenario reader's message). */
export function readInputText(
  path: string,
  names: InputNames,
  files: InputFiles = diskFiles,
): string | { reason: string } {
  const bytes = readInputBytes(path, names, files);
  if (!(bytes instanceof Uint8Array)) return bytes;
  const decoded = decodeUtf8(bytes);
  if ('text' in decoded) return decoded.text;
  return { reason: notUtf8(bytes, decoded.badByte) };
}
