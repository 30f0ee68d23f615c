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
 * - `reach`: three schedules of the same calls on three copies of one file;
 *   the learner works out which one reaches a stated state, one copy at a time;
 * - `freebsd`: one mapped file on FreeBSD's vnode pager (exercise-freebsd.ts):
 *   valid and dirty bitmaps, busy, queues, pbufs, waits and return values.
 */
import type { Scenario } from '../protocol/scenario';
import {
  attach,
  faultPick,
  hex,
  msyncPick,
  MSYNC_FLAGS,
  PAGE,
  Play,
  randomMove,
  setupOf,
  stateCandidates,
  threadCandidates,
  type CallPick,
  type Candidate,
} from './exercise-play';
import { makeFreebsd } from './exercise-freebsd';
import { Prng } from './prng';
import { digestThreads } from './state';

export const EXERCISE_KINDS = ['state', 'block', 'reach', 'freebsd'] as const;
export type ExerciseKind = (typeof EXERCISE_KINDS)[number];

/**
 * The kinds a seed picks from when no kind is asked for: the OpenBSD ones the lab first shipped, so a seed
 * given out without a kind keeps its exercise; `freebsd` is asked for by name.
 */
export const DEFAULT_KINDS = ['state', 'block', 'reach'] as const satisfies readonly ExerciseKind[];

/** What each kind asks, in a line. */
export const EXERCISE_KIND_TITLES: Readonly<Record<ExerciseKind, string>> = {
  state: 'the state after a schedule',
  block: 'where a thread blocks',
  reach: 'which schedule reaches a state',
  freebsd: 'FreeBSD: pages, pbufs and threads after a schedule',
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

/** The value at an exercise's index path (`vnodes[0].uvn.pages[1].flags`) in a digest: how an answer is read. */
export function valueAtPath(digest: unknown, path: string): unknown {
  let v: unknown = digest;
  for (const part of path.split(/\.|(?=\[)/)) {
    const m = /^\[(\d+)\]$/.exec(part);
    v = m ? (v as unknown[])[Number(m[1])] : (v as Record<string, unknown>)[part];
  }
  return v;
}

function answerAt(play: Play, c: Candidate): ExerciseQuestion {
  return { ask: c.ask, step: c.step, path: c.path, answer: valueAtPath(play.digests[c.step], c.path) };
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

/**
 * A reach target in words, the same for every copy that ends in that state: a request by what it is, not its
 * number (numbers run on from copy to copy), a lock as its file's, not by the copy's file. Null: not a
 * state worth reaching (merely runnable, or not blocked).
 */
export function reachState(name: 'status' | 'wait', value: unknown): string | null {
  if (name === 'status') return value === 'ready' || value === null ? null : `in status ${String(value)}`;
  if (value === null) return null;
  const text = String(value);
  if (/^io:\d+$/.test(text)) return 'waiting on a disk request';
  const lock = /^(.+):vn\d+$/.exec(text);
  return lock ? `waiting on its file's ${lock[1]}` : `waiting on ${text}`;
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

  // The deciding field: one role's status or wait that exactly one copy ends with, compared as the title
  // words it (a request's number or a copy's file would tell the copies apart without any reasoning).
  const field = (ci: number, r: number, name: 'status' | 'wait') => {
    const threads = digestThreads(play.digests[ranges[ci]!.to]!);
    const ti = threads.findIndex((t) => t.id === `${COPY[ci]!.toLowerCase()}${r}`);
    return { ti, value: threads[ti]![name] };
  };
  const options: { r: number; name: 'status' | 'wait'; winner: number }[] = [];
  const differing: { r: number; name: 'status' | 'wait' }[] = [];
  for (let r = 1; r <= roles; r++)
    for (const name of ['wait', 'status'] as const) {
      const values = [0, 1, 2].map((ci) => reachState(name, field(ci, r, name).value));
      for (let ci = 0; ci < 3; ci++)
        // A target worth reaching: blocked somewhere, or finished; never merely runnable.
        if (values[ci] !== null && values.filter((v) => v === values[ci]).length === 1)
          options.push({ r, name, winner: ci });
      if (new Set(values).size > 1) differing.push({ r, name });
    }
  if (options.length === 0) return null;
  const target = rng.pick(options);
  const want = reachState(target.name, field(target.winner, target.r, target.name).value)!;
  // The second question per copy: preferably another field the orders leave differently.
  const others = differing.filter((d) => d.r !== target.r || d.name !== target.name);
  const other = others.length
    ? rng.pick(others)
    : { r: rng.range(1, roles), name: rng.pick(['status', 'wait'] as const) };
  const span = (ci: number) => `${COPY[ci]} on vn${ci + 1}, steps ${ranges[ci]!.from}-${ranges[ci]!.to}`;
  const title =
    `Three schedules of the same calls on three copies of one file (${[0, 1, 2].map(span).join('; ')}). ` +
    `Which schedule leaves its thread ${target.r} (${rolePick(plot[target.r - 1]!, '').about}) ${want}?`;
  const questions: Candidate[] = [];
  for (let ci = 0; ci < 3; ci++) {
    const k = ranges[ci]!.to;
    const ask = (r: number, name: 'status' | 'wait') => {
      const id = `${COPY[ci]!.toLowerCase()}${r}`;
      return name === 'wait'
        ? `Schedule ${COPY[ci]}: after step ${k}, what does ${id} wait for (a lock as the Threads panel names it, vnlock:vn1 or pageq…; a wait message; io:N; or null if it is not blocked)?`
        : `Schedule ${COPY[ci]}: after step ${k}, what is the status of ${id} (ready, lock, sleep, io or done)?`;
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
  return DEFAULT_KINDS[new Prng(seed).int(DEFAULT_KINDS.length)]!;
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
    const made = k === 'state' ? makeState(rng) : k === 'block' ? makeBlock(rng) : makeFreebsd(rng);
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
