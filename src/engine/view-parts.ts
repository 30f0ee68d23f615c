/**
 * The kernel-neutral parts of a view snapshot, as functions of the kernel:
 * thread frames, locks, the wait-for graph, and the comparisons that let a
 * snapshot keep the last one's unchanged views.
 */
import { sameItems } from '../protocol/delta';
import { hex } from '../protocol/format';
import type { FrameView, LockView, ThreadView, WaitView } from '../protocol/snapshot';
import type { Kernel } from './kernel/kernel';
import { readLocals, type LocalValue } from './kernel/sched';
import type { KThread } from './kernel/types';
import type { ModelViews } from './model';

export const NONE: readonly never[] = Object.freeze([]);

/** A local's value as the locals pane shows it. */
const shown = (value: LocalValue): string =>
  value === null ? 'NULL' : typeof value === 'boolean' ? (value ? 'TRUE' : 'FALSE') : String(value);

/** Each frame's locals in words; a frame whose locals read as in `old`'s is `old`'s (no new objects). */
export function frameViews(t: KThread, old: readonly FrameView[] = NONE): readonly FrameView[] {
  const stack = t.stack;
  if (stack.length === 0) return NONE;
  const values = readLocals(t);
  let same = old.length === stack.length;
  const frames: FrameView[] = [];
  for (let i = 0; i < stack.length; i++) {
    const fn = stack[i]!;
    const read = values[i];
    const was = old[i];
    // Compared in place first: a step changes the locals of one frame at most, and reading the others
    // again must cost no new objects.
    if (was && was.fn === fn && sameLocals(was.locals, read)) {
      frames.push(was);
      continue;
    }
    same = false;
    const locals: { name: string; value: string }[] = [];
    for (const name in read) locals.push({ name, value: shown(read[name]!) });
    frames.push({ fn, locals });
  }
  return same ? old : frames;
}

/** Whether `read` (a frame's locals now) shows as `locals`, name for name, in order. */
function sameLocals(locals: FrameView['locals'], read: Readonly<Record<string, LocalValue>> | undefined): boolean {
  let j = 0;
  for (const name in read) {
    const was = locals[j++];
    if (was === undefined || was.name !== name || was.value !== shown(read[name]!)) return false;
  }
  return j === locals.length;
}

function sameFrames(a: readonly FrameView[], b: readonly FrameView[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x.fn !== y.fn || x.locals.length !== y.locals.length) return false;
    for (let j = 0; j < x.locals.length; j++)
      if (x.locals[j]!.name !== y.locals[j]!.name || x.locals[j]!.value !== y.locals[j]!.value) return false;
  }
  return true;
}

export function sameThreadView(a: ThreadView, b: ThreadView): boolean {
  return (
    a.status === b.status &&
    a.wait === b.wait &&
    a.chan === b.chan &&
    a.blockedOn === b.blockedOn &&
    a.ret === b.ret &&
    a.line === b.line &&
    a.callerStmt === b.callerStmt &&
    a.focusPage === b.focusPage &&
    sameItems(a.stack, b.stack) &&
    sameFrames(a.frames, b.frames) &&
    sameItems(a.locksHeld, b.locksHeld) &&
    sameItems(a.unblockers, b.unblockers)
  );
}

/** Plain data (JSON values) equal in every field: lets a snapshot keep the last one's unchanged parts. */
export function sameData(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameData(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  // Keys counted, not listed: this runs on every part of every step's snapshot.
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  let n = 0;
  for (const key in x) {
    if (!Object.hasOwn(y, key) || !sameData(x[key], y[key])) return false;
    n++;
  }
  for (const key in y) if (Object.hasOwn(y, key) && --n < 0) return false;
  return n === 0;
}

export function lockViews(k: Kernel, lockNames: readonly string[], live: readonly KThread[]): LockView[] {
  const s = k.s;
  const views: LockView[] = [];
  for (const name of lockNames) {
    const lock = s.locks[name]!;
    const waiters = live.filter((t) => t.status === 'lock' && t.wait === name).map((t) => t.id);
    if (lock.owner === null && lock.shared.length === 0 && waiters.length === 0) continue;
    views.push({ name, owner: lock.owner, count: lock.count, shared: [...lock.shared], waiters });
  }
  return views;
}

/** The wait-for graph: what each blocked thread waits on and who (or which request) can wake it. */
export function waitViews(k: Kernel, views: ModelViews<Kernel>, live: readonly KThread[]): readonly WaitView[] {
  const s = k.s;
  const out: WaitView[] = [];
  for (const t of live) {
    if (t.status === 'ready' || t.status === 'done' || t.wait === null) continue;
    if (t.status === 'lock') {
      const lock = s.locks[t.wait];
      const holders = lock ? [...(lock.owner !== null ? [lock.owner] : []), ...lock.shared] : [];
      out.push({
        thread: t.id,
        kind: 'lock',
        on: `lock:${t.wait}`,
        label: t.wait,
        wakers: holders,
        requests: NONE,
      });
    } else if (t.status === 'io') {
      const id = Number(t.wait.slice(3));
      out.push({
        thread: t.id,
        kind: 'io',
        on: t.wait,
        label: `disk request ${id}`,
        wakers: NONE,
        requests: [id],
      });
    } else if (t.chan?.startsWith('page:')) {
      const id = Number(t.chan.slice(5));
      const pg = views.isResident?.(k, id) && views.page ? views.page(k, id) : null;
      const key = pg
        ? pg.object === pg.vnode
          ? `${pg.vnode} page ${hex(pg.offset)}`
          : `${pg.object}[${pg.offset / 4096}]`
        : `page #${id}`;
      out.push({
        thread: t.id,
        kind: 'page',
        on: t.chan,
        label: key,
        // The thread that busied the page unbusies it, unless it has returned (an async read's completion does).
        wakers: pg?.owner && pg.owner !== t.id && live.some((o) => o.id === pg.owner) ? [pg.owner] : NONE,
        requests: s.io.filter((r) => r.pages.includes(id)).map((r) => r.id),
      });
    } else {
      const known = views.wakers?.(k, t);
      out.push({
        thread: t.id,
        kind: 'channel',
        on: `channel:${t.chan ?? t.wait}`,
        label: `${t.wait}${t.chan && t.chan !== t.wait ? ` on ${views.channelName?.(t.chan) ?? t.chan}` : ''}`,
        wakers: known ? known.threads.filter((id) => id !== t.id) : NONE,
        requests: known?.requests ?? NONE,
      });
    }
  }
  return out;
}
