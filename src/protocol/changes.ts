/**
 * What one step changed: the snapshot after it against the snapshot before
 * it, so every panel can mark what the last step did (a bit set, a counter
 * moved, a thread blocked, a page freed) until the next step. Pure, on
 * protocol types; the worker computes it for the step at the cursor.
 */
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

function pageChanges(before: PageView, after: PageView): string[] {
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
 */
function queueChange(before: readonly number[], after: readonly number[]): QueueChange {
  if (before === after) return { joined: NONE, left: NONE };
  const at = new Map(before.map((id, i) => [id, i]));
  const inAfter = new Set(after);
  const joined: number[] = [];
  let next = 0;
  for (const id of after) {
    const i = at.get(id);
    if (i !== undefined && i >= next) next = i + 1;
    else joined.push(id);
  }
  return { joined, left: before.filter((id) => !inAfter.has(id)) };
}

/** What the step from `before` to `after` changed; `before` null (the setup) changes nothing. */
export function changesBetween(before: ViewSnapshot | null, after: ViewSnapshot): ChangeSet {
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
  const sameOrder =
    before.pages.length === after.pages.length && before.pages.every((p, i) => p.id === after.pages[i]!.id);
  if (sameOrder) {
    after.pages.forEach((p, i) => {
      const old = before.pages[i]!;
      if (old !== p) compare(old, p);
    });
  } else {
    const was = new Map(before.pages.map((p) => [p.id, p]));
    for (const p of after.pages) {
      const old = was.get(p.id);
      if (!old) added.push(p.id);
      else if (old !== p) compare(old, p);
      was.delete(p.id);
    }
    removed.push(...was.values());
  }

  const threads: Record<string, readonly string[]> = {};
  if (after.threads !== before.threads) {
    const was = new Map(before.threads.map((t) => [t.id, t]));
    for (const t of after.threads) {
      const old = was.get(t.id);
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
