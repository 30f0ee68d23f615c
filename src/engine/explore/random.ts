/**
 * Random steps read against a live engine, so that most are possible (run a
 * ready thread, complete a request in flight, start a call) and some are
 * deliberately impossible. A choice is a handful of numbers read against the
 * state reached, so a shrinker that drops choices keeps the rest meaningful
 * (the property test feeds fast-check's choices; the bench a seeded PRNG).
 *
 * The run / step / complete part is the same for every pager; what calls to
 * start and which steps the contract makes impossible come from the pager's
 * random caller (random-openbsd.ts), found by `scenario.pager`.
 */
import type { Setup, Step } from '../../protocol/scenario';
import { PagerEngine } from '../engine';
import { OpenBsdCaller } from './random-openbsd';

/** One random decision: `kind` (0..99) picks what to do, the rest pick among what fits. */
export interface Choice {
  kind: number;
  a: number;
  b: number;
  c: number;
  d: number;
}

/** What a pager brings to the random steps: its calls, its spawn preconditions, what its callers know. */
export interface RandomCaller {
  /** The thread name the next spawn takes. */
  readonly nextThread: number;
  /** A spawn of some call, read from `ch` against the state. */
  spawnStep(e: PagerEngine, ch: Choice): Step;
  /** A step the contract makes impossible now (never applied by the engine: it must refuse it). */
  impossibleStep(e: PagerEngine, ch: Choice): Step;
  /** Whether the contract makes `step` impossible in the engine's state. */
  impossible(e: PagerEngine, step: Step): boolean;
  /** Tell the caller a step was applied. */
  accepted(e: PagerEngine, step: Step): void;
}

/**
 * A random caller for `setup`'s pager. A chaotic one calls anything on anything (the caller bugs the
 * contract lets through); a disciplined one behaves like the kernel's real callers.
 */
export function randomCaller(setup: Setup, disciplined: boolean): RandomCaller {
  if (setup.pager === 'openbsd') return new OpenBsdCaller(setup, disciplined);
  throw new Error(`no random caller for pager ${setup.pager}`);
}

/** Read one choice against the live state: mostly a possible step. */
export function chooseStep(e: PagerEngine, caller: RandomCaller, ch: Choice): Step {
  const s = e.k.s;
  const ready = s.threads.filter((t) => t.status === 'ready');
  if (ch.kind < 7) return caller.impossibleStep(e, ch);
  if (ch.kind < 40 && ready.length > 0) return { run: ready[ch.a % ready.length]!.id };
  if (ch.kind < 50 && ready.length > 0) return { step: ready[ch.a % ready.length]!.id };
  if (ch.kind < 66 && s.io.length > 0) {
    const req = s.io[ch.a % s.io.length]!;
    const r = ch.b % 20;
    const result = r < 14 ? 'ok' : r < 17 ? 'eio' : `short:${ch.c % req.length}`;
    return { complete: req.id, result };
  }
  return caller.spawnStep(e, ch);
}

/** mulberry32: a small seeded PRNG, numbers in [0, 1). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A choice from a PRNG, with fast-check's ranges (kind 0..99, the rest 0..2^31-1). */
export function randomChoice(rand: () => number): Choice {
  const nat = () => Math.floor(rand() * 0x8000_0000);
  return { kind: Math.floor(rand() * 100), a: nat(), b: nat(), c: nat(), d: nat() };
}

/**
 * `n` random steps from `setup`, each accepted by the engine (refused ones are dropped): a schedule to
 * replay, time or check. Stops early at a panic.
 */
export function randomSteps(setup: Setup, n: number, seed: number, disciplined = true): Step[] {
  const rand = prng(seed);
  const caller = randomCaller(setup, disciplined);
  const e = new PagerEngine(setup);
  const out: Step[] = [];
  while (out.length < n && !e.k.s.panic) {
    const step = chooseStep(e, caller, randomChoice(rand));
    if (e.apply(step) !== null) continue;
    caller.accepted(e, step);
    out.push(step);
  }
  return out;
}
