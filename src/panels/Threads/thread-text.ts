/** What the Threads panel says about a thread, in words (pure). */
import type { LockView, PageView, ThreadView } from '../../protocol/snapshot';
import { pageLabel } from '../../viz/pages';
import { HEX_ARGS } from '../../protocol/format';
import { hex } from '../format';

function argValue(key: string, v: unknown): string {
  if (typeof v === 'number') return HEX_ARGS.has(key) ? hex(v) : String(v);
  if (Array.isArray(v)) return v.length ? v.join('|') : '0';
  if (typeof v === 'string') return v;
  return JSON.stringify(v);
}

/** `vnode=vn1, offset=0x1000, access=write`; flags as `PGO_CLEANIT|PGO_SYNCIO`. */
export function formatArgs(args: Readonly<Record<string, unknown>>): string {
  return Object.entries(args)
    .map(([k, v]) => `${k}=${argValue(k, v)}`)
    .join(', ');
}

/** Where the thread stands: a seed line, a caller statement, or neither. */
export function positionText(t: ThreadView, seedFile: string): string {
  if (t.line !== null) {
    const fn = t.stack[t.stack.length - 1];
    return `${seedFile}:${t.line}${fn ? ` in ${fn}` : ''}`;
  }
  if (t.callerStmt) return `in the caller: ${t.callerStmt}`;
  if (t.status === 'done') return 'returned';
  return 'the start (not run yet)';
}

export function returnText(ret: ThreadView['ret']): string {
  if (ret === null) return '(void)';
  return typeof ret === 'object' ? JSON.stringify(ret) : String(ret);
}

export function isBlocked(t: ThreadView): boolean {
  return t.status === 'lock' || t.status === 'sleep' || t.status === 'io';
}

/**
 * A sleep channel in words: `page:7` names the page (by offset, or by object and pindex as FreeBSD
 * does: `obj1[0]`), its vnode and busy owner.
 */
export function channelText(
  chan: string,
  pages: readonly PageView[],
  key: 'offset' | 'pindex' = 'offset',
  threads: readonly ThreadView[] = [],
): string {
  if (chan.startsWith('page:')) {
    const id = Number(chan.slice(5));
    const pg = pages.find((p) => p.id === id);
    if (!pg) return `page #${id}`;
    // A thread that busied a page for an asynchronous read may return first: the completion unbusies it.
    const returned = pg.owner !== null && threads.some((o) => o.id === pg.owner && o.status === 'done');
    const owner = pg.owner ? `, busied by ${pg.owner}${returned ? ', which has returned' : ''}` : '';
    if (key === 'pindex') return `page ${pageLabel(pg, 'pindex')} (${pg.vnode}${owner})`;
    return `page #${id} (${pg.vnode} offset ${hex(pg.offset)}${owner})`;
  }
  return chan;
}

/** What a blocked thread waits for, in words; null when it is not blocked. */
export function waitText(
  t: ThreadView,
  locks: readonly LockView[],
  pages: readonly PageView[],
  key: 'offset' | 'pindex' = 'offset',
  threads: readonly ThreadView[] = [],
): string | null {
  if (!t.wait) return null;
  switch (t.status) {
    case 'lock': {
      const owner = locks.find((l) => l.name === t.wait)?.owner;
      return `lock ${t.wait}${owner ? ` (held by ${owner})` : ''}`;
    }
    case 'sleep': {
      // A page channel names its page; any other the pager's own words say what it is.
      const on = t.chan?.startsWith('page:') ? channelText(t.chan, pages, key, threads) : (t.blockedOn ?? t.chan);
      return `sleep "${t.wait}"${on ? ` on ${on}` : ''}`;
    }
    case 'io':
      return `disk request ${t.wait.slice(3)} (${t.wait})`;
    default:
      return null;
  }
}

/** The lowest free name t1, t2, … not already taken. */
export function nextThreadName(taken: Iterable<string>): string {
  const used = new Set(taken);
  let i = 1;
  while (used.has(`t${i}`)) i++;
  return `t${i}`;
}
