/**
 * List hints (ListHint in protocol/delta.ts): for a snapshot a builder copied out after another, where their
 * lists differ, so a diff of the two looks at those places only instead of at every page. A builder tells
 * its ListHintTracker what each step set; `listHint` answers for any two snapshots.
 */
import type { ListHint } from '../protocol/delta';
import type { ThreadView, ViewSnapshot } from '../protocol/snapshot';
import type { BuildChange } from './build-change';

/**
 * For each snapshot a builder copied out after another: the other's number, and where their lists differ
 * (see ListHint). Kept beside the snapshots, which are plain protocol data; by number, so that a snapshot
 * does not keep the one before it (and that one its own) alive.
 */
const since = new WeakMap<ViewSnapshot, { readonly from: number; readonly hint: ListHint }>();
const serial = new WeakMap<ViewSnapshot, number>();
let serials = 0;
const numberOf = (snapshot: ViewSnapshot): number => {
  let n = serial.get(snapshot);
  if (n === undefined) serial.set(snapshot, (n = ++serials));
  return n;
};

/** Where `to`'s lists differ from `from`'s, if the builder that made `to` made it from `from`; else null. */
export function listHint(from: ViewSnapshot | null, to: ViewSnapshot): ListHint | null {
  const link = since.get(to);
  return from !== null && link !== undefined && serial.get(from) === link.from ? link.hint : null;
}

const ascending = (set: ReadonlySet<number>): number[] => [...set].sort((a, b) => a - b);

/** One builder's list places set since the last snapshot it copied out. */
export class ListHintTracker {
  /** The last snapshot copied out, and the list places set since (null: a page or thread came or went). */
  private lastOut: ViewSnapshot | null = null;
  private pagesSet: Set<number> | null = null;
  private threadsSet: Set<number> | null = null;

  /** Count from `snapshot`, which the builder's working state now shows (resumed from, or copied out). */
  from(snapshot: ViewSnapshot): void {
    this.lastOut = snapshot;
    this.pagesSet = new Set();
    this.threadsSet = new Set();
  }

  /** Remember which list places this step set (what the next snapshot's ListHint says). */
  note(pages: BuildChange['pages'], threads: readonly (number | ThreadView)[]): void {
    const p = this.pagesSet;
    // A page put past the end of the last list copied out (a fault that brings the page after the last) keeps the
    // hint: the lists then differ at the places set and past that end (ListHint).
    const end = this.lastOut?.pages.length ?? 0;
    if (p !== null) {
      if (pages === 'all') this.pagesSet = null;
      else
        for (let i = 0; i < pages.length;) {
          const at = pages[i] as number;
          const remove = pages[i + 1] as number;
          const count = pages[i + 2] as number;
          if (count !== 1 || (remove !== 1 && !(remove === 0 && at >= end && end > 0))) {
            this.pagesSet = null;
            break;
          }
          if (remove === 1) p.add(at);
          i += 4;
        }
    }
    const t = this.threadsSet;
    const known = this.lastOut?.threads.length ?? 0;
    if (t !== null)
      for (let i = 0; i < threads.length; i += 2) {
        const at = threads[i] as number;
        if (at >= known) {
          this.threadsSet = null;
          break;
        }
        t.add(at);
      }
  }

  /** `out` was copied out: link it to the last one copied out, if the places set since are known. */
  copiedOut(out: ViewSnapshot): void {
    const from = this.lastOut;
    if (from !== null && this.pagesSet !== null && this.threadsSet !== null)
      since.set(out, {
        from: numberOf(from),
        hint: { pages: ascending(this.pagesSet), threads: ascending(this.threadsSet) },
      });
    this.from(out);
  }
}
