/**
 * What teaching code judges: a contract digest, and (for questions about seed
 * lines) the thread views of the same state. Nothing else of the engine is
 * read, so the lab (which gets digests and snapshots from its worker) and the
 * grader (which runs the engine in Node) judge with the same code.
 */
import type { Digest } from '../engine/model';
import type { ThreadView } from '../protocol/snapshot';

export type { Digest, ThreadView };

/** One state: the digest, and the thread views when the judge has them. */
export interface JudgeState {
  readonly digest: Digest;
  readonly threads?: readonly ThreadView[];
}

/** The thread fields every pager's digest has (scenario-format.md, "Digest"). */
export interface DigestThread {
  id: string;
  call: string;
  status: string;
  wait: string | null;
  ret: unknown;
}

export function digestThreads(d: Digest): DigestThread[] {
  return Array.isArray(d.threads) ? (d.threads as DigestThread[]) : [];
}

export function digestIo(d: Digest): Record<string, unknown>[] {
  return Array.isArray(d.io) ? (d.io as Record<string, unknown>[]) : [];
}

/**
 * Hung: no thread can run, no request is in flight, and some thread is not
 * done. A panicked kernel is not hung (it has stopped; its panicking thread
 * stays "ready").
 */
export function isHung(d: Digest): boolean {
  const threads = digestThreads(d);
  if (d.panic !== null) return false;
  if (digestIo(d).length > 0) return false;
  if (threads.some((t) => t.status === 'ready')) return false;
  return threads.some((t) => t.status !== 'done');
}

/** A thread's state in a few words: "t2 io io:1", "t1 done (obj)", "t3 ready". */
export function threadSummary(t: DigestThread): string {
  if (t.status === 'done') return `${t.id} done (${typeof t.ret === 'string' ? t.ret : JSON.stringify(t.ret)})`;
  if (t.wait !== null) return `${t.id} ${t.status} ${t.wait}`;
  return `${t.id} ${t.status}`;
}
