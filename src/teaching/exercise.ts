/**
 * Seeded exercises (docs/teaching.md, "Exercises"): a fresh problem from a
 * seed, the same on every machine: a scenario (setup and schedule) and
 * questions about the states it passes through. Every question names a
 * digest step and an index path into that step's digest, and its answer is
 * the value the engine puts there, so `npm run --silent scenario` checks it.
 *
 * Kinds:
 * - `state`: a schedule of faults, msyncs and completions; what a page, a
 *   counter or a return value is after some step;
 * - `block`: contention on a small file and little memory; where each thread
 *   blocks and which request must complete for it to run;
 * - `reach`: three orders of the same steps on three copies of one file; the
 *   learner works out which order reaches a stated state, one copy at a time.
 */
import { PagerEngine } from '../engine/engine';
import type { Scenario, Setup, Step } from '../protocol/scenario';
import { Prng } from './prng';
import { digestIo, digestThreads, type Digest } from './state';

export const EXERCISE_KINDS = ['state', 'block', 'reach'] as const;
export type ExerciseKind = (typeof EXERCISE_KINDS)[number];

/** What each kind asks, in a line. */
export const EXERCISE_KIND_TITLES: Readonly<Record<ExerciseKind, string>> = {
  state: 'the state after a schedule',
  block: 'where a thread blocks',
  reach: 'which schedule reaches a state',
};

export const MAX_SEED = 2 ** 32 - 1;

export interface ExerciseQuestion {
  readonly ask: string;
  /** The runner's digest step whose state answers it. */
  readonly step: number;
  /** Index path into that digest (`vnodes[0].uvn.pages[1].flags`). */
  readonly path: string;
  /** The value at `path` in the digest of `step`. */
  readonly answer: unknown;
}

export interface Exercise {
  readonly seed: number;
  readonly kind: ExerciseKind;
  readonly scenario: Scenario;
  readonly questions: readonly ExerciseQuestion[];
}

const PAGE = 4096;
const hex = (n: number) => `0x${n.toString(16)}`;

/** A scenario being built: steps are tried on a live engine and kept only when possible and panic-free. */
class Play {
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
    const { pager, machine, vnodes } = this.setup;
    return {
      format: 'pager-scenario/1',
      pager,
      title,
      ...(machine ? { machine } : {}),
      vnodes,
      steps: [...this.steps],
    };
  }
}

type CallPick = { call: string; args: Record<string, unknown>; about: string };

function faultPick(rng: Prng, vnode: string, pages: number, offsets?: readonly number[]): CallPick {
  const offset = offsets ? rng.pick(offsets) : rng.int(pages) * PAGE;
  const access = rng.chance(1, 2) ? 'read' : 'write';
  return { call: 'fault', args: { vnode, offset, access }, about: `the ${access} fault at ${hex(offset)} of ${vnode}` };
}

/** msync flag sets that never reach a panic by themselves (no PGO_NOWAIT, no async FREE with DEACTIVATE). */
const MSYNC_FLAGS: readonly (readonly string[])[] = [
  ['PGO_CLEANIT', 'PGO_SYNCIO', 'PGO_ALLPAGES'],
  ['PGO_CLEANIT', 'PGO_SYNCIO', 'PGO_FREE', 'PGO_ALLPAGES'],
  ['PGO_CLEANIT', 'PGO_SYNCIO', 'PGO_DEACTIVATE', 'PGO_ALLPAGES'],
  ['PGO_DEACTIVATE', 'PGO_ALLPAGES'],
  ['PGO_FREE', 'PGO_ALLPAGES'],
];

function msyncPick(rng: Prng, vnode: string): CallPick {
  const flags = rng.pick(MSYNC_FLAGS);
  return {
    call: 'uvn_flush',
    args: { vnode, flags: [...flags] },
    about: `the msync of ${vnode} with ${flags.join('|')}`,
  };
}

function resultPick(rng: Prng, length: number, errors: boolean): string {
  if (!errors) return 'ok';
  const r = rng.weighted([
    ['ok', 8],
    ['eio', 1],
    ['short', 1],
  ] as const);
  return r === 'short' ? `short:${rng.int(Math.max(1, length))}` : r;
}

/** Spawn a thread (and usually run it at once), run a ready one, or complete a request. */
function randomMove(
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

interface Candidate {
  readonly step: number;
  readonly path: string;
  readonly ask: string;
  /** Questions on one subject are asked once. */
  readonly topic: string;
}

const after = (k: number) => `After step ${k}`;

/** Questions on pages and counters that changed at some step (state kind). */
function stateCandidates(play: Play): Candidate[] {
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

/** Questions on threads: where one blocks, what it waits for, what it returns. */
function threadCandidates(play: Play, fields: readonly ('status' | 'wait' | 'ret')[]): Candidate[] {
  const out: Candidate[] = [];
  play.digests.forEach((cur, k) => {
    const prev = k === 0 ? play.initial : play.digests[k - 1]!;
    digestThreads(cur).forEach((t, ti) => {
      const before = digestThreads(prev).find((x) => x.id === t.id);
      const who = `${t.id} (${play.about.get(t.id) ?? t.call})`;
      // The attach every exercise starts with returns "obj": not worth a question.
      if (
        fields.includes('ret') &&
        t.status === 'done' &&
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
      if (fields.includes('wait') && (t.status === 'lock' || t.status === 'sleep'))
        out.push({
          step: k,
          path: `threads[${ti}].wait`,
          ask: `${after(k)}, ${who} is blocked: on which lock, or with which wait message?`,
          topic: `wait:${t.id}:${k}`,
        });
      if (fields.includes('wait') && t.status === 'io')
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

/** Pick `n` candidates on distinct topics, then order them by step. */
function choose(rng: Prng, candidates: readonly Candidate[], n: number): Candidate[] | null {
  const seen = new Set<string>();
  const picked: { c: Candidate; i: number }[] = [];
  const order = rng.shuffle(candidates.map((c, i) => ({ c, i })));
  for (const x of order) {
    if (picked.length >= n) break;
    if (seen.has(x.c.topic)) continue;
    seen.add(x.c.topic);
    picked.push(x);
  }
  if (picked.length < n) return null;
  return picked.sort((a, b) => a.c.step - b.c.step || a.i - b.i).map((x) => x.c);
}

function answerAt(play: Play, c: Candidate): ExerciseQuestion {
  let v: unknown = play.digests[c.step];
  for (const part of c.path.split(/\.|(?=\[)/)) {
    const m = /^\[(\d+)\]$/.exec(part);
    v = m ? (v as unknown[])[Number(m[1])] : (v as Record<string, unknown>)[part];
  }
  return { ask: c.ask, step: c.step, path: c.path, answer: v };
}

function setupOf(rng: Prng, vnodes: number, pages: number, physPages: number): Setup {
  const size = pages * PAGE - (rng.chance(1, 3) ? rng.range(1, PAGE - 1) : 0);
  return {
    pager: 'openbsd',
    machine: { physPages },
    vnodes: Array.from({ length: vnodes }, (_, i) => ({ name: `vn${i + 1}`, size })),
  };
}

function attach(play: Play, id: string, vnode: string): void {
  play.try({ spawn: id, call: 'uvn_attach', args: { vnode, prot: 'rw' } });
  play.try({ run: id });
  play.about.set(id, `the attach of ${vnode}`);
}

function makeState(rng: Prng): { play: Play; title: string; candidates: Candidate[]; n: number } | null {
  const pages = rng.range(2, 5);
  const play = new Play(setupOf(rng, 1, pages, rng.range(6, 16)));
  attach(play, 't1', 'vn1');
  const length = rng.range(12, 18);
  while (play.steps.length < length) {
    const moved = randomMove(
      play,
      rng,
      () => (rng.chance(2, 3) ? faultPick(rng, 'vn1', pages) : msyncPick(rng, 'vn1')),
      {
        maxThreads: 6,
        prefix: 't',
        errors: true,
      },
    );
    if (moved === 'panic') return null;
    if (moved === false) break;
  }
  return {
    play,
    title: 'Faults, msyncs and disk completions on one file: what the state is after some steps',
    candidates: stateCandidates(play),
    n: rng.range(5, 8),
  };
}

function makeBlock(rng: Prng): { play: Play; title: string; candidates: Candidate[]; n: number } | null {
  const pages = rng.range(2, 3);
  const play = new Play(setupOf(rng, 1, pages, rng.range(1, 3)));
  attach(play, 't1', 'vn1');
  const hot = [0, PAGE];
  const pick = (): CallPick =>
    rng.weighted<() => CallPick>([
      [() => faultPick(rng, 'vn1', pages, hot), 6],
      [() => msyncPick(rng, 'vn1'), 2],
      [
        () => ({ call: 'uvm_vnp_setsize', args: { vnode: 'vn1', size: 0 }, about: 'the truncation of vn1 to 0 bytes' }),
        1,
      ],
    ])();
  const length = rng.range(12, 18);
  while (play.steps.length < length) {
    const moved = randomMove(play, rng, pick, { maxThreads: 6, prefix: 't', errors: false });
    if (moved === 'panic') return null;
    if (moved === false) break;
  }
  const candidates = threadCandidates(play, ['status', 'wait', 'ret']);
  if (candidates.filter((c) => c.topic.startsWith('wait:')).length < 3) return null;
  return {
    play,
    title: 'Threads contending for one file and a few free pages: where each one blocks',
    candidates,
    n: rng.range(5, 8),
  };
}

const COPY = ['A', 'B', 'C'] as const;

/** One thread of a reach plot: the same call on each copy. */
type Role = { kind: 'fault'; offset: number; access: 'read' | 'write' } | { kind: 'msync'; flags: readonly string[] };

function rolePick(role: Role, vnode: string): CallPick {
  if (role.kind === 'fault')
    return {
      call: 'fault',
      args: { vnode, offset: role.offset, access: role.access },
      about: `the ${role.access} fault at ${hex(role.offset)}`,
    };
  return {
    call: 'uvn_flush',
    args: { vnode, flags: [...role.flags] },
    about: `the msync with ${role.flags.join('|')}`,
  };
}

function makeReach(rng: Prng): { play: Play; title: string; questions: Candidate[] } | null {
  const play = new Play(setupOf(rng, 3, 2, 16));
  const plot: Role[] = Array.from({ length: rng.range(2, 3) }, () =>
    rng.chance(3, 4)
      ? { kind: 'fault', offset: rng.pick([0, PAGE]), access: rng.pick(['read', 'write'] as const) }
      : { kind: 'msync', flags: rng.pick(MSYNC_FLAGS.slice(0, 3)) },
  );
  const roles = plot.length;
  const ranges: { from: number; to: number }[] = [];
  const length = rng.range(4, 7);
  for (const [ci, letter] of COPY.entries()) {
    const vnode = `vn${ci + 1}`;
    const p = letter.toLowerCase();
    const mine = (id: string) => id.startsWith(p);
    const from = play.steps.length;
    attach(play, `${p}0`, vnode);
    for (const [r, role] of plot.entries()) {
      const pick = rolePick(role, vnode);
      if (play.try({ spawn: `${p}${r + 1}`, call: pick.call, args: pick.args }) !== true) return null;
      play.about.set(`${p}${r + 1}`, pick.about);
    }
    for (let i = 0; i < length; i++) {
      const ready = play.ready(mine);
      const io = play.inFlight(mine);
      const moves: ['run' | 'complete', number][] = [];
      if (ready.length) moves.push(['run', 3]);
      if (io.length) moves.push(['complete', 2]);
      if (moves.length === 0) break;
      const ok =
        rng.weighted(moves) === 'run'
          ? play.try({ run: rng.pick(ready) })
          : play.try({ complete: rng.pick(io), result: 'ok' });
      if (ok !== true) return null;
    }
    ranges.push({ from, to: play.steps.length - 1 });
  }

  // The deciding field: one role's status or wait that exactly one copy ends with.
  const field = (ci: number, r: number, name: 'status' | 'wait') => {
    const threads = digestThreads(play.digests[ranges[ci]!.to]!);
    const ti = threads.findIndex((t) => t.id === `${COPY[ci]!.toLowerCase()}${r}`);
    return { ti, value: threads[ti]![name] };
  };
  const options: { r: number; name: 'status' | 'wait'; winner: number }[] = [];
  const differing: { r: number; name: 'status' | 'wait' }[] = [];
  for (let r = 1; r <= roles; r++)
    for (const name of ['wait', 'status'] as const) {
      const values = [0, 1, 2].map((ci) => JSON.stringify(field(ci, r, name).value));
      for (let ci = 0; ci < 3; ci++)
        // A target worth reaching: blocked somewhere, or finished; never merely runnable.
        if (!['null', '"ready"'].includes(values[ci]!) && values.filter((v) => v === values[ci]).length === 1)
          options.push({ r, name, winner: ci });
      if (new Set(values).size > 1) differing.push({ r, name });
    }
  if (options.length === 0) return null;
  const target = rng.pick(options);
  const value = field(target.winner, target.r, target.name).value;
  const want = target.name === 'wait' ? `waiting on ${value}` : `in status ${value}`;
  // The second question per copy: preferably another field the orders leave differently.
  const others = differing.filter((d) => d.r !== target.r || d.name !== target.name);
  const other = others.length
    ? rng.pick(others)
    : { r: rng.range(1, roles), name: rng.pick(['status', 'wait'] as const) };
  const span = (ci: number) => `${COPY[ci]} on vn${ci + 1}, steps ${ranges[ci]!.from}-${ranges[ci]!.to}`;
  const title =
    `Three orders of the same steps on three copies of one file (${[0, 1, 2].map(span).join('; ')}). ` +
    `Which order leaves its thread ${target.r} (${rolePick(plot[target.r - 1]!, '').about}) ${want}?`;
  const questions: Candidate[] = [];
  for (let ci = 0; ci < 3; ci++) {
    const k = ranges[ci]!.to;
    const ask = (r: number, name: 'status' | 'wait') => {
      const id = `${COPY[ci]!.toLowerCase()}${r}`;
      return name === 'wait'
        ? `Order ${COPY[ci]}: after step ${k}, what does ${id} wait for (a lock, a wait message, io:N, or null if it is not blocked)?`
        : `Order ${COPY[ci]}: after step ${k}, what is the status of ${id} (ready, lock, sleep, io or done)?`;
    };
    const q = (r: number, name: 'status' | 'wait', topic: string): Candidate => ({
      step: k,
      path: `threads[${field(ci, r, name).ti}].${name}`,
      ask: ask(r, name),
      topic,
    });
    questions.push(q(target.r, target.name, `target:${ci}`));
    if (other.r !== target.r || other.name !== target.name) questions.push(q(other.r, other.name, `other:${ci}`));
  }
  if (questions.length < 5) return null;
  return { play, title, questions };
}

/** The kind a seed picks when none is asked for: so `#exercise=K:N` with that kind is the same exercise. */
export function defaultKind(seed: number): ExerciseKind {
  return EXERCISE_KINDS[new Prng(seed).int(EXERCISE_KINDS.length)]!;
}

/** Make the exercise of `seed` (0 .. 2^32 - 1); `kind` defaults to one the seed picks. */
export function makeExercise(seed: number, kind?: ExerciseKind): Exercise {
  if (!Number.isInteger(seed) || seed < 0 || seed > MAX_SEED)
    throw new RangeError(`seed must be an integer 0..${MAX_SEED}`);
  const k = kind ?? defaultKind(seed);
  const rng = new Prng(seed);
  // A draw that panics or asks too little is dropped; the PRNG goes on, so the result is still the seed's.
  for (let attempt = 0; attempt < 200; attempt++) {
    if (k === 'reach') {
      const made = makeReach(rng);
      if (!made) continue;
      return {
        seed,
        kind: k,
        scenario: made.play.scenario(made.title),
        questions: made.questions.map((c) => answerAt(made.play, c)),
      };
    }
    const made = k === 'state' ? makeState(rng) : makeBlock(rng);
    if (!made) continue;
    const chosen = choose(rng, made.candidates, made.n);
    if (!chosen) continue;
    return {
      seed,
      kind: k,
      scenario: made.play.scenario(made.title),
      questions: chosen.map((c) => answerAt(made.play, c)),
    };
  }
  throw new Error(`no ${k} exercise found for seed ${seed}`);
}

/** The exercise without its answers (what a learner is given). */
export function withoutAnswers(e: Exercise): {
  seed: number;
  kind: ExerciseKind;
  scenario: Scenario;
  questions: Omit<ExerciseQuestion, 'answer'>[];
} {
  return {
    seed: e.seed,
    kind: e.kind,
    scenario: e.scenario,
    questions: e.questions.map(({ ask, step, path }) => ({ ask, step, path })),
  };
}
