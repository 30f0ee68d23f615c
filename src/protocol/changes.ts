/**
 * What one step changed: the snapshot after it against the snapshot before
 * it, so every panel can mark what the last step did (a bit set, a counter
 * moved, a thread blocked, a page freed) until the next step. Pure, on
 * protocol types; the worker computes it for the step at the cursor.
 */
import { matchById, type ListHint } from './delta';
import type { CellValue, IoView, ObjectView, PageView, ThreadView, ViewSnapshot } from './snapshot';

export interface ObjectChange {
  /** The object did not exist before the step. */
  readonly added: boolean;
  /** Bits of the flag word that flipped (before XOR after). */
  readonly flags: number;
  /** Labels of the fields whose value changed. */
  readonly fields: readonly string[];
}

export interface QueueChange {
  /** Pages that joined the queue, or were moved to its tail, by this step. */
  readonly joined: readonly number[];
  /** Pages that left it. */
  readonly left: readonly number[];
}

export interface ChangeSet {
  /** The step whose changes these are (its snapshot's `step`); 0, the setup, changes nothing. */
  readonly step: number;
  /**
   * Pages resident before and after whose view changed, by id: the Page bits column keys that changed
   * (cells, and 'queue', 'mapped', 'modified', 'owner', 'state').
   */
  readonly pages: Readonly<Record<number, readonly string[]>>;
  /** Bits of a page's flag word (`flagWord`) the step flipped, by id, when any did: its 'flag' columns. */
  readonly pageFlags: Readonly<Record<number, number>>;
  /** Pages resident after the step and not before. */
  readonly added: readonly number[];
  /** Pages resident before the step and not after (freed or taken out of their object), as they were. */
  readonly removed: readonly PageView[];
  /**
   * Threads that changed, by id, and what: 'new', 'status', 'line' (moved), 'wait', 'locks', 'ret'.
   */
  readonly threads: Readonly<Record<string, readonly string[]>>;
  readonly objects: Readonly<Record<string, ObjectChange>>;
  /** Objects that existed before the step and not after, by key. */
  readonly objectsGone: readonly string[];
  /** Machine counters whose value changed, by label. */
  readonly counters: readonly string[];
  /** After minus before. */
  readonly freePages: number;
  /** Per paging queue, in the profile's order. */
  readonly queues: readonly QueueChange[];
  /** Disk requests the step started. */
  readonly ioStarted: readonly number[];
  /** Disk requests the step finished, as they were. */
  readonly ioFinished: readonly IoView[];
  /** Vnodes whose state, use count or size changed, by name, with the field names. */
  readonly vnodes: Readonly<Record<string, readonly string[]>>;
}

const NONE: readonly never[] = Object.freeze([]);

/** Nothing changed: the setup, or a snapshot compared with itself. */
export function noChanges(step: number, queues: number): ChangeSet {
  return {
    step,
    pages: {},
    pageFlags: {},
    added: NONE,
    removed: NONE,
    threads: {},
    objects: {},
    objectsGone: NONE,
    counters: NONE,
    freePages: 0,
    queues: Array.from({ length: queues }, () => ({ joined: NONE, left: NONE })),
    ioStarted: NONE,
    ioFinished: NONE,
    vnodes: {},
  };
}

function sameCell(a: CellValue | undefined, b: CellValue | undefined): boolean {
  return a === b;
}

/** The page's own fields a Page bits column shows by name (the rest are its cells or flag bits). */
const PAGE_FIELDS = ['queue', 'mapped', 'modified', 'owner', 'state'] as const;

export function pageChanges(before: PageView, after: PageView): string[] {
  const out: string[] = [];
  for (const key of Object.keys(after.cells)) if (!sameCell(before.cells[key], after.cells[key])) out.push(key);
  for (const key of PAGE_FIELDS) if (before[key] !== after[key]) out.push(key);
  return out;
}

function threadChanges(before: ThreadView, after: ThreadView): string[] {
  const out: string[] = [];
  if (before.status !== after.status) out.push('status');
  if (before.line !== after.line || before.callerStmt !== after.callerStmt) out.push('line');
  if (before.wait !== after.wait || before.chan !== after.chan) out.push('wait');
  if (before.locksHeld.join() !== after.locksHeld.join()) out.push('locks');
  if (JSON.stringify(before.ret) !== JSON.stringify(after.ret)) out.push('ret');
  return out;
}

function objectChange(before: ObjectView | undefined, after: ObjectView): ObjectChange | null {
  if (!before) return { added: true, flags: 0, fields: after.fields.map((f) => f.label) };
  const was = new Map(before.fields.map((f) => [f.label, f.value]));
  const fields = after.fields.filter((f) => was.get(f.label) !== f.value).map((f) => f.label);
  const flags = before.flags ^ after.flags;
  return flags === 0 && fields.length === 0 ? null : { added: false, flags, fields };
}

/**
 * A kernel takes a page off a queue anywhere and puts it back at the tail:
 * walking `after`, a page found further on in `before` stayed (the ones
 * skipped over moved); one not found from there on joined, or moved to the tail.
 *
 * The ids both lists start and end with are skipped first (without a map): they stayed, and no id of the
 * middles can be among them (ids are distinct), so the walk over the middles says the same. A step that
 * appends one page to a queue of 4,096 then builds maps of nothing.
 */
function queueChange(before: readonly number[], after: readonly number[]): QueueChange {
  if (before === after) return { joined: NONE, left: NONE };
  let head = 0;
  while (head < before.length && head < after.length && before[head] === after[head]) head++;
  let endB = before.length;
  let endA = after.length;
  while (endB > head && endA > head && before[endB - 1] === after[endA - 1]) {
    endB--;
    endA--;
  }
  if (head === endB && head === endA) return { joined: NONE, left: NONE };
  const at = new Map<number, number>();
  for (let i = head; i < endB; i++) at.set(before[i]!, i);
  const inAfter = new Set<number>();
  const joined: number[] = [];
  let next = head;
  for (let j = head; j < endA; j++) {
    const id = after[j]!;
    inAfter.add(id);
    const i = at.get(id);
    if (i !== undefined && i >= next) next = i + 1;
    else joined.push(id);
  }
  const left: number[] = [];
  for (let i = head; i < endB; i++) if (!inAfter.has(before[i]!)) left.push(before[i]!);
  return { joined, left };
}

/** Whether two page lists hold the same pages in the same order (views compared by identity first). */
function samePageOrder(a: readonly PageView[], b: readonly PageView[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i] && a[i]!.id !== b[i]!.id) return false;
  return true;
}

/**
 * What the step from `before` to `after` changed; `before` null (the setup) changes nothing. `hint`, when
 * the producer knows where the lists differ, spares the compare of every page and thread.
 */
export function changesBetween(
  before: ViewSnapshot | null,
  after: ViewSnapshot,
  hint: ListHint | null = null,
): ChangeSet {
  if (!before) return noChanges(after.step, after.queues.length);

  // Pages: most steps keep the same pages in the same order; compare views by identity in place.
  const pages: Record<number, readonly string[]> = {};
  const pageFlags: Record<number, number> = {};
  const added: number[] = [];
  const compare = (old: PageView, p: PageView) => {
    const keys = pageChanges(old, p);
    if (keys.length) pages[p.id] = keys;
    if (old.flagWord !== p.flagWord) pageFlags[p.id] = old.flagWord ^ p.flagWord;
  };
  const removed: PageView[] = [];
  const sameOrder = hint !== null || before.pages === after.pages || samePageOrder(before.pages, after.pages);
  if (before.pages === after.pages) {
    // The same list: nothing to compare.
  } else if (hint) {
    const n = before.pages.length;
    for (const i of hint.pages)
      if (i < n && before.pages[i] !== after.pages[i]) compare(before.pages[i]!, after.pages[i]!);
    // Past the old end: pages that came (the hint says the list grew there only).
    for (let i = n; i < after.pages.length; i++) added.push(after.pages[i]!.id);
  } else if (sameOrder) {
    const was = before.pages;
    const now = after.pages;
    for (let i = 0; i < now.length; i++) if (was[i] !== now[i]) compare(was[i]!, now[i]!);
  } else {
    // A page came or went: matched by id (only between the places both lists start and end with).
    const gone = matchById(before.pages, after.pages, (old, p) => {
      if (!old) added.push(p.id);
      else if (old !== p) compare(old, p);
    });
    removed.push(...gone);
  }

  const threads: Record<string, readonly string[]> = {};
  if (hint) {
    for (const i of hint.threads) {
      const old = before.threads[i]!;
      const t = after.threads[i]!;
      if (old === t) continue;
      const keys = threadChanges(old, t);
      if (keys.length) threads[t.id] = keys;
    }
  } else if (after.threads !== before.threads) {
    // Threads keep their places (a step only adds one at the end): look each up where it stood, and
    // build a map of thousands only if one is not there.
    let was: Map<string, ThreadView> | null = null;
    const list = before.threads;
    const now = after.threads;
    for (let i = 0; i < now.length; i++) {
      const t = now[i]!;
      const there = list[i];
      const old =
        there !== undefined && there.id === t.id ? there : (was ??= new Map(list.map((x) => [x.id, x]))).get(t.id);
      if (!old) threads[t.id] = ['new'];
      else if (old !== t) {
        const keys = threadChanges(old, t);
        if (keys.length) threads[t.id] = keys;
      }
    }
  }

  const objects: Record<string, ObjectChange> = {};
  const objectsBefore = new Map(before.objects.map((o) => [o.key, o]));
  for (const o of after.objects) {
    const change = objectChange(objectsBefore.get(o.key), o);
    if (change) objects[o.key] = change;
    objectsBefore.delete(o.key);
  }

  const counterBefore = new Map(before.counters.map((c) => [c.label, c.value]));
  const counters = after.counters.filter((c) => counterBefore.get(c.label) !== c.value).map((c) => c.label);

  const ioBefore = new Set(before.io.map((r) => r.id));
  const ioAfter = new Set(after.io.map((r) => r.id));

  const vnodes: Record<string, readonly string[]> = {};
  const vnodesBefore = new Map(before.vnodes.map((v) => [v.name, v]));
  for (const v of after.vnodes) {
    const old = vnodesBefore.get(v.name);
    if (!old) continue;
    const keys = (['state', 'usecount', 'size'] as const).filter((key) => old[key] !== v[key]);
    if (keys.length) vnodes[v.name] = keys;
  }

  return {
    step: after.step,
    pages,
    pageFlags,
    added,
    removed,
    threads,
    objects,
    objectsGone: [...objectsBefore.keys()],
    counters,
    freePages: after.freePages - before.freePages,
    queues: after.queues.map((q, i) => queueChange(before.queues[i] ?? NONE, q)),
    ioStarted: after.io.filter((r) => !ioBefore.has(r.id)).map((r) => r.id),
    ioFinished: before.io.filter((r) => !ioAfter.has(r.id)),
    vnodes,
  };
}
