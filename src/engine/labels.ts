/**
 * A branch's timeline labels, packed: one byte per character (a character
 * past 254 as 255 and two bytes) in a ByteLog. 100,000 labels of ~40
 * characters take ~4 MB instead of ~18 MB of strings (a label built by
 * concatenation is a tree of string pieces). A branch made by acting on a past
 * step shares its parent's labels up to there.
 */
import { ByteLog } from './history-ops';

export class LabelList {
  private readonly log = new ByteLog();
  /** Labels a branch made from this one shares: dropping them would change that branch. */
  private pinned = 0;

  constructor(
    private readonly base: LabelList | null = null,
    private readonly shared = 0,
  ) {}

  get length(): number {
    return this.shared + this.log.length;
  }

  push(label: string): void {
    const { bytes, at } = this.log.reserve(label.length * 3);
    let end = at;
    for (let i = 0; i < label.length; i++) {
      const c = label.charCodeAt(i);
      if (c < 255) bytes[end++] = c;
      else {
        bytes[end++] = 255;
        bytes[end++] = c >> 8;
        bytes[end++] = c & 255;
      }
    }
    this.log.commit(end);
  }

  /** Label `i` (undefined past the end, as an array would say). */
  at(i: number): string | undefined {
    if (i < 0 || i >= this.length) return undefined;
    if (i < this.shared) return this.base!.at(i);
    const bytes = this.log.read(i - this.shared);
    const codes: number[] = [];
    for (let b = 0; b < bytes.length; b++) {
      const c = bytes[b]!;
      if (c < 255) codes.push(c);
      else {
        codes.push((bytes[b + 1]! << 8) | bytes[b + 2]!);
        b += 2;
      }
    }
    // In slices: a spread of a very long label's codes would pass too many arguments.
    let out = '';
    for (let c = 0; c < codes.length; c += 8192) out += String.fromCharCode(...codes.slice(c, c + 8192));
    return out;
  }

  /** Labels `from`..the end. */
  slice(from = 0): string[] {
    const out: string[] = [];
    for (let i = Math.max(0, from); i < this.length; i++) out.push(this.at(i)!);
    return out;
  }

  /** Keep labels 0..n - 1. */
  truncate(n: number): void {
    if (n < this.pinned || n < this.shared) throw new Error(`labels: the first ${n} are shared with another branch`);
    this.log.truncate(n - this.shared);
  }

  /** Labels 0..n - 1, shared (labels are only ever added after them). */
  share(n: number): LabelList {
    this.pinned = Math.max(this.pinned, n);
    return new LabelList(this, n);
  }
}
