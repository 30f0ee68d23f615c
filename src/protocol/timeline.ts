/**
 * A long timeline on the wire (link-open3). Opening the 16,387-step link sent 16,387 entries each with its
 * own trail object: 3.3 MB of a 5 MB answer, serialised in the worker and read back on the page before
 * anything is shown. Packed, the labels stay a list of strings and every trail's seed lines go in one
 * typed array (a structured clone copies it as one block); the client (sim-client.ts) makes the entries the
 * store keeps, each decoding its trail the first time a panel reads it (the timeline shows a window of
 * entries and the one at the cursor; the Markdown export reads them all).
 */
import type { TimelineEntry } from './messages';
import type { TrailView } from './snapshot';

export interface PackedTimeline {
  /** Each entry's label, in order. */
  readonly labels: readonly string[];
  /** Every entry's seed lines, one entry after another (16 bits each while every line fits). */
  readonly lines: Uint16Array | Int32Array;
  /** Where entry i's lines end in `lines` (they begin where entry i - 1's end). */
  readonly ends: Int32Array;
  /** Each entry's `omitted`. */
  readonly omitted: Int32Array;
}

/** Entries from this many on are sent packed; a few (a Step's one) go as they are. */
export const PACK_FROM = 512;

/**
 * Trails packed as they come, one entry after another (an open's replay adds each step's lines as the engine
 * ran them, with no TrailView object per step); `finish` gives the packed timeline with the labels.
 */
export class TrailPacker {
  private lines: Int32Array;
  private ends: Int32Array;
  private omitted: Int32Array;
  private n = 0;
  private total = 0;
  private small = true;

  constructor(entries = 64, lines = entries * 8) {
    this.ends = new Int32Array(Math.max(entries, 1));
    this.omitted = new Int32Array(Math.max(entries, 1));
    this.lines = new Int32Array(Math.max(lines, 1));
  }

  /** The next entry's seed lines and how many were left out. */
  add(lines: readonly number[], omitted: number): void {
    const n = this.n;
    if (n === this.ends.length) {
      this.ends = grown(this.ends, n * 2);
      this.omitted = grown(this.omitted, n * 2);
    }
    let at = this.total;
    const end = at + lines.length;
    if (end > this.lines.length) this.lines = grown(this.lines, Math.max(end, this.lines.length * 2));
    const out = this.lines;
    for (const line of lines) {
      if (line < 0 || line > 0xffff) this.small = false;
      out[at++] = line;
    }
    this.total = end;
    this.ends[n] = end;
    this.omitted[n] = omitted;
    this.n = n + 1;
  }

  /** Entry i's trail, as a TrailView. */
  trail(i: number): TrailView {
    const from = i === 0 ? 0 : this.ends[i - 1]!;
    return Object.freeze({
      lines: Object.freeze(Array.from(this.lines.subarray(from, this.ends[i]!))),
      omitted: this.omitted[i]!,
    });
  }

  /** The packed timeline of the entries added, the i-th labelled `labels[i]`. */
  finish(labels: readonly string[]): PackedTimeline {
    const lines = this.lines.subarray(0, this.total);
    return {
      labels,
      lines: this.small ? new Uint16Array(lines) : lines.slice(),
      ends: this.ends.slice(0, this.n),
      omitted: this.omitted.slice(0, this.n),
    };
  }
}

function grown(a: Int32Array, size: number): Int32Array {
  const out = new Int32Array(size);
  out.set(a);
  return out;
}

/** `labels.length` entries, the i-th with `labels[i]` and `trail(i)`, packed. */
export function packTimeline(labels: readonly string[], trail: (i: number) => TrailView): PackedTimeline {
  const packer = new TrailPacker(labels.length);
  for (let i = 0; i < labels.length; i++) {
    const t = trail(i);
    packer.add(t.lines, t.omitted);
  }
  return packer.finish(labels);
}

/** A timeline entry whose trail is decoded from the packed lines the first time it is read. */
class PackedEntry implements TimelineEntry {
  private decoded: TrailView | null = null;
  constructor(
    readonly index: number,
    readonly label: string,
    private readonly packed: PackedTimeline,
    private readonly at: number,
  ) {}

  get trail(): TrailView {
    if (this.decoded) return this.decoded;
    const { lines, ends, omitted } = this.packed;
    const from = this.at === 0 ? 0 : ends[this.at - 1]!;
    const trail: TrailView = Object.freeze({
      lines: Object.freeze(Array.from(lines.subarray(from, ends[this.at]!))),
      omitted: omitted[this.at]!,
    });
    return (this.decoded = trail);
  }
}

/** The entries of a packed timeline whose first entry is step `from + 1`. */
export function unpackTimeline(from: number, packed: PackedTimeline): TimelineEntry[] {
  return packed.labels.map((label, i) => new PackedEntry(from + i + 1, label, packed, i));
}
