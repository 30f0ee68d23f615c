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

/** `labels.length` entries, the i-th with `labels[i]` and `trail(i)`, packed. */
export function packTimeline(labels: readonly string[], trail: (i: number) => TrailView): PackedTimeline {
  const n = labels.length;
  const trails: TrailView[] = new Array<TrailView>(n);
  let total = 0;
  let small = true;
  for (let i = 0; i < n; i++) {
    const t = (trails[i] = trail(i));
    total += t.lines.length;
    for (const line of t.lines) if (line < 0 || line > 0xffff) small = false;
  }
  const lines = small ? new Uint16Array(total) : new Int32Array(total);
  const ends = new Int32Array(n);
  const omitted = new Int32Array(n);
  let at = 0;
  for (let i = 0; i < n; i++) {
    const t = trails[i]!;
    lines.set(t.lines, at);
    at += t.lines.length;
    ends[i] = at;
    omitted[i] = t.omitted;
  }
  return { labels, lines, ends, omitted };
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
