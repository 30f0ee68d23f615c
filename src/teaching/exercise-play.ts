/**
 * Building blocks of exercises: a scenario grown step by step on a live
 * engine (only possible, panic-free steps are kept), random calls and moves
 * from a seeded PRNG, and the candidate questions a finished schedule offers.
 */
import { PagerEngine } from '../engine/engine';
import type { Scenario, Setup, Step } from '../protocol/scenario';
import type { Prng } from './prng';
import { digestIo, digestThreads, type Digest } from './state';

export const PAGE = 4096;
export const hex = (n: number) => `0x${n.toString(16)}`;

/** A scenario being built: steps are tried on a live engine and kept only when possible and panic-free. */
export class Play {
  readonly steps: Step[] = [];
  readonly digests: Digest[] = [];
  readonly engine: PagerEngine;
  readonly initial: Digest;
  /** What each thread was started to do, for questions ("t3, the write fault at 0x1000 of vn1"). */
  readonly about = new Map<string, string>();

  constructor(readonly setup: Setup) {
    this.engine = new PagerEngine(setup);
    this.initial = this.engine.digest();
  }

  get last(): Digest {
    return this.digests.at(-1) ?? this.initial;
  }

  /** Apply a step if the engine accepts it and the kernel does not panic; false (and nothing kept) otherwise. */
  try(step: Step): boolean | 'panic' {
    if (this.engine.apply(step) !== null) return false;
    this.steps.push(step);
    this.digests.push(this.engine.digest());
    return this.engine.digest().panic === null ? true : 'panic';
  }

  ready(filter: (id: string) => boolean = () => true): string[] {
    return digestThreads(this.last)
      .filter((t) => t.status === 'ready' && filter(t.id))
      .map((t) => t.id);
  }

  inFlight(filter: (thread: string) => boolean = () => true): number[] {
    return digestIo(this.last)
      .filter((r) => filter(r.thread as string))
      .map((r) => r.id as number);
  }

  /** The scenario, keys in the contract's order. */
  scenario(title: string): Scenario {
    const { pager, machine, mounts, vnodes } = this.setup;
    return {
      format: 'pager-scenario/1',
      pager,
      title,
      ...(machine ? { machine } : {}),
      ...(mounts ? { mounts } : {}),
      vnodes,
      steps: [...this.steps],
    };
  }
}

export type CallPick = { call: string; args: Record<string, unknown>; about: string };

export function faultPick(rng: Prng, vnode: string, pages: number, offsets?: readonly number[]): CallPick {
  const offset = offsets ? rng.pick(offsets) : rng.int(pages) * PAGE;
  const access = rng.chance(1, 2) ? 'read' : 'write';
  return { call: 'fault', args: { vnode, offset, access }, about: `the ${access} fault at ${hex(offset)} of ${vnode}` };
}

/** msync flag sets that never reach a panic by themselves (no PGO_NOWAIT, no async FREE with DEACTIVATE). */
export const MSYNC_FLAGS: readonly (readonly string[])[] = [
  ['PGO_CLEANIT', 'PGO_SYNCIO', 'PGO_ALLPAGES'],
  ['PGO_CLEANIT', 'PGO_SYNCIO', 'PGO_FREE', 'PGO_ALLPAGES'],
  ['PGO_CLEANIT', 'PGO_SYNCIO', 'PGO_DEACTIVATE', 'PGO_ALLPAGES'],
  ['PGO_DEACTIVATE', 'PGO_ALLPAGES'],
  ['PGO_FREE', 'PGO_ALLPAGES'],
];

export function msyncPick(rng: Prng, vnode: string): CallPick {
  const flags = rng.pick(MSYNC_FLAGS);
  return {
    call: 'uvn_flush',
    args: { vnode, flags: [...flags] },
    about: `the msync of ${vnode} with ${flags.join('|')}`,
  };
}

export function resultPick(rng: Prng, length: number, errors: boolean): string {
  if (!errors) return 'ok';
  const r = rng.weighted([
    ['ok', 8],
    ['eio', 1],
    ['short', 1],
  ] as const);
  return r === 'short' ? `short:${rng.int(Math.max(1, length))}` : r;
}

/** Spawn a thread (and usually run it at once), run a ready one, or complete a request. */
export function randomMove(
  play: Play,
  rng: Prng,
  pick: () => CallPick,
  opts: { maxThreads: number; prefix: string; errors: boolean },
): boolean | 'panic' {
  const threads = digestThreads(play.last).length;
  const ready = play.ready();
  const io = digestIo(play.last);
  const moves: ['spawn' | 'run' | 'complete', number][] = [];
  if (threads < opts.maxThreads) moves.push(['spawn', 4]);
  if (ready.length) moves.push(['run', 3]);
  if (io.length) moves.push(['complete', 3]);
  if (moves.length === 0) return false;
  const move = rng.weighted(moves);
  if (move === 'spawn') {
    const id = `${opts.prefix}${threads + 1}`;
    const p = pick();
    const ok = play.try({ spawn: id, call: p.call, args: p.args });
    if (ok !== true) return ok;
    play.about.set(id, p.about);
    return rng.chance(3, 4) ? play.try({ run: id }) : true;
  }
  if (move === 'run') return play.try({ run: rng.pick(ready) });
  const req = rng.pick(io);
  return play.try({ complete: req.id as number, result: resultPick(rng, req.length as number, opts.errors) });
}

export interface Candidate {
  readonly step: number;
  readonly path: string;
  readonly ask: string;
  /** Questions on one subject are asked once. */
  readonly topic: string;
}

const after = (k: number) => `After step ${k}`;

/** Questions on pages and counters that changed at some step (state kind). */
export function stateCandidates(play: Play): Candidate[] {
  const out: Candidate[] = [];
  play.digests.forEach((cur, k) => {
    const prev = k === 0 ? play.initial : play.digests[k - 1]!;
    type V = { name: string; uvn: Record<string, unknown> & { pages: Record<string, unknown>[] } };
    const pv = prev.vnodes as V[];
    (cur.vnodes as V[]).forEach((v, vi) => {
      const old = pv[vi]!;
      v.uvn.pages.forEach((pg, pi) => {
        const before = old.uvn.pages.find((x) => x.offset === pg.offset);
        const where = `page ${hex(pg.offset as number)} of ${v.name}`;
        const base = `vnodes[${vi}].uvn.pages[${pi}]`;
        const ask: Record<string, string> = {
          flags: `${after(k)}, which PG_ flags does ${where} have?`,
          queue: `${after(k)}, which paging queue is ${where} on (active, inactive or none)?`,
          mapped: `${after(k)}, is ${where} mapped (true or false)?`,
          modified: `${after(k)}, is the pmap modified bit of ${where} set (true or false)?`,
        };
        for (const field of ['flags', 'queue', 'mapped', 'modified'])
          if (!before || JSON.stringify(before[field]) !== JSON.stringify(pg[field]))
            out.push({ step: k, path: `${base}.${field}`, ask: ask[field]!, topic: `${field}:${v.name}:${pg.offset}` });
      });
      const counters: Record<string, string> = {
        flags: `which UVM_VNODE_ flags does the uvn of ${v.name} have?`,
        refs: `what is the reference count (uo_refs) of ${v.name}'s uvn?`,
        nio: `how many I/Os are in progress on ${v.name}'s uvn (u_nio)?`,
        npages: `how many pages does ${v.name}'s uvn hold (uo_npages)?`,
      };
      for (const field of Object.keys(counters))
        if (JSON.stringify(old.uvn[field]) !== JSON.stringify(v.uvn[field]))
          out.push({
            step: k,
            path: `vnodes[${vi}].uvn.${field}`,
            ask: `${after(k)}, ${counters[field]}`,
            topic: `uvn-${field}:${v.name}`,
          });
    });
    if (cur.freePages !== prev.freePages)
      out.push({
        step: k,
        path: 'freePages',
        ask: `${after(k)}, how many physical pages are free?`,
        topic: 'freePages',
      });
  });
  return [...out, ...threadCandidates(play, ['ret'])];
}

/** How a lock answer is written: its digest name, as the Threads panel shows it. */
const LOCK_FORM = '(named as the Threads panel names it: vnlock:vn1, pageq…)';

/** Questions on threads: where one blocks, what it waits for, what it returns. */
export function threadCandidates(play: Play, fields: readonly ('status' | 'wait' | 'ret')[]): Candidate[] {
  const out: Candidate[] = [];
  play.digests.forEach((cur, k) => {
    const prev = k === 0 ? play.initial : play.digests[k - 1]!;
    digestThreads(cur).forEach((t, ti) => {
      const before = digestThreads(prev).find((x) => x.id === t.id);
      const who = `${t.id} (${play.about.get(t.id) ?? t.call})`;
      // The attach every exercise starts with returns "obj": not worth a question; nor is a void call's null (the
      // contract's ret for void), which the lab shows as "(void)": the call's type tells it, not the schedule.
      if (
        fields.includes('ret') &&
        t.status === 'done' &&
        t.ret !== null &&
        before &&
        before.status !== 'done' &&
        t.call !== 'uvn_attach'
      )
        out.push({
          step: k,
          path: `threads[${ti}].ret`,
          ask: `${who} returns at step ${k}: what does it return?`,
          topic: `ret:${t.id}`,
        });
      if (!before || (before.status === t.status && before.wait === t.wait)) return;
      // Runnable again because its own request completed: nothing to work out.
      const ownCompletion =
        t.status === 'ready' &&
        before.status === 'io' &&
        'complete' in play.steps[k]! &&
        before.wait === `io:${play.steps[k]!.complete}`;
      if (fields.includes('status') && t.status !== 'done' && !ownCompletion)
        out.push({
          step: k,
          path: `threads[${ti}].status`,
          ask: `${after(k)}, what is the status of ${who} (ready, lock, sleep, io or done)?`,
          topic: `status:${t.id}:${k}`,
        });
      // With its status asked too, a wait question must not tell the status (lock, sleep or io) by its wording.
      if (fields.includes('wait') && fields.includes('status') && t.status !== 'ready' && t.status !== 'done')
        out.push({
          step: k,
          path: `threads[${ti}].wait`,
          ask: `${after(k)}, what does ${who} wait for: a lock ${LOCK_FORM}, a wait message, or a request (io:N)?`,
          topic: `wait:${t.id}:${k}`,
        });
      else if (fields.includes('wait') && (t.status === 'lock' || t.status === 'sleep'))
        out.push({
          step: k,
          path: `threads[${ti}].wait`,
          ask: `${after(k)}, ${who} is blocked: on which lock ${LOCK_FORM}, or with which wait message?`,
          topic: `wait:${t.id}:${k}`,
        });
      else if (fields.includes('wait') && t.status === 'io')
        out.push({
          step: k,
          path: `threads[${ti}].wait`,
          ask: `${after(k)}, which request must complete for ${who} to run (answer io:N)?`,
          topic: `wait:${t.id}:${k}`,
        });
    });
  });
  return out;
}

export function setupOf(rng: Prng, vnodes: number, pages: number, physPages: number): Setup {
  const size = pages * PAGE - (rng.chance(1, 3) ? rng.range(1, PAGE - 1) : 0);
  return {
    pager: 'openbsd',
    machine: { physPages },
    vnodes: Array.from({ length: vnodes }, (_, i) => ({ name: `vn${i + 1}`, size })),
  };
}

export function attach(play: Play, id: string, vnode: string): void {
  play.try({ spawn: id, call: 'uvn_attach', args: { vnode, prot: 'rw' } });
  play.try({ run: id });
  play.about.set(id, `the attach of ${vnode}`);
}
