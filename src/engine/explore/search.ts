/**
 * The schedule explorer: from a scenario's setup and spawns, search the
 * orders of `run T` and `complete N R` (and, with a preemption bound, up to K
 * single-statement `step`s) for panics, hangs and leaks.
 *
 * Iterative deepening: depth-first passes with a growing depth bound, so the
 * short schedules are all tried before any long one and a search stopped by
 * its budget still holds every finding within the bound it finished. Each
 * pass replays a path from boot whenever it needs an engine at a node it has
 * left (generators cannot be copied). Two reductions, both sound
 * (docs/explorer.md says why neither can hide a finding):
 *
 * - sleep sets: after exploring step a at a node, a sibling b's subtree need
 *   not try a again wherever a and b commute (they touch nothing in common,
 *   per the access log); a is "asleep" there until a step that conflicts
 *   with it runs;
 * - a state cache, only at states where every thread is either not started or
 *   done, where the kernel data is the whole state: such a state reached
 *   again, no shallower, with no more preemptions used and a sleep set no
 *   smaller, has nothing new below it.
 *
 * Pure: no clock or I/O of its own (pass `now`), a progress callback and a
 * stop check, so a worker can run it and report.
 */
import type { Scenario, Setup, SpawnStep, Step } from '../../protocol/scenario';
import { setupOf } from '../../protocol/scenario';
import type { InvariantMemo } from '../model';
import { conflicts, UNTRACKED_KERNEL_FIELDS, type Footprint } from './access';
import { findingsAt, minimise, scenarioOf, type FindingKind } from './findings';
import { kernelInvariants } from './invariants';
import { DEFAULT_RESULTS, enabledStepsOf, stepLabel } from './steps';
import { TrackedEngine } from './tracked';

export interface ExploreOptions {
  /** Results a request may complete with (default ok, eio; "short:B" allowed). */
  results?: readonly string[];
  /** Up to this many single-statement `step`s per schedule (default 0: `run` only). */
  preempt?: number;
  /** Longest schedule, in steps after the spawns (default 60). A path cut here makes the search not exhaustive. */
  maxDepth?: number;
  /** Stop after this many schedules (default: no limit). */
  maxSchedules?: number;
  /** Partial-order reduction by sleep sets (default true). */
  reduce?: boolean;
  /** The state cache at states where every thread is not started or done (default true). */
  cache?: boolean;
  /** Most states the cache keeps (default 50000; the oldest go first, which only loses pruning). */
  cacheLimit?: number;
  /** Check the kernel's invariants after every step and throw on a broken one (default false). */
  checkInvariants?: boolean;
  /** Shrink each finding's schedule by dropping steps while it stays (default true). */
  minimise?: boolean;
  /** Milliseconds since some origin (Date.now, performance.now); default Date.now. */
  now?: () => number;
  /** Told how the search goes (by `explore`), at most every `progressMs` (default 100). */
  onProgress?: (progress: ExploreStats) => void;
  progressMs?: number;
  /** Polled as the search goes: true stops it (not exhaustive). */
  shouldStop?: () => boolean;
  /** Told of each new finding as it is found (its schedule so far, not minimised, not yet the shortest). */
  onFinding?: (finding: { kind: FindingKind; message: string; schedule: readonly Step[] }) => void;
  /**
   * Told of each path that ends (not one cut at the depth limit): its schedule (live: copy what you keep)
   * and what its last state shows (none when every thread finished cleanly). The lab shows the first few.
   */
  onSchedule?: (schedule: readonly Step[], findings: readonly { kind: FindingKind; message: string }[]) => void;
}

export interface ExploreStats {
  /** Paths that ended: every thread done, a panic, a hang, or the depth limit. */
  schedules: number;
  /** Steps applied at the frontier of the search (each a new node of the search tree). */
  states: number;
  /** Distinct findings (kind and message). */
  findings: number;
  ms: number;
  /** True when the search ended with no path cut short by a limit or a stop. */
  exhaustive: boolean;
  /** True when `maxSchedules` or `shouldStop` ended the search before it was done. */
  stopped: boolean;
  /** Nodes left because every possible step was asleep (sleep sets). */
  sleepPruned: number;
  /** Nodes left because the state cache had seen the state. */
  cacheHits: number;
  /** Paths cut at the depth limit. */
  depthCuts: number;
  /** Engines rebuilt from boot, and the steps replayed to rebuild them. */
  replays: number;
  replaySteps: number;
  /** When the first finding was found (ms), or null. */
  firstFindingMs: number | null;
}

export interface ExploreFinding {
  kind: FindingKind;
  message: string;
  /** The scenario that shows it: setup, spawns, schedule; minimised unless `minimise: false`. */
  scenario: Scenario;
  /** Its step count (spawns included): where the lab's cursor goes to show it. */
  steps: number;
  /** The schedule as first found, shortest of those found (steps after the spawns). */
  schedule: Step[];
}

export interface ExploreResult {
  findings: ExploreFinding[];
  stats: ExploreStats;
}

interface SleepEntry {
  label: string;
  fp: Footprint;
}

interface CacheEntry {
  depth: number;
  preempts: number;
  sleep: ReadonlySet<string>;
}

class Stop extends Error {}

/** A step listed an object's properties: start again, with property order counted (see `conflicts`). */
class KeyOrderMatters extends Error {}

/** Explore the schedules of `scenario`'s spawns (its other steps are ignored), to the end. */
export function explore(scenario: Scenario, options: ExploreOptions = {}): ExploreResult {
  const steps = exploreSteps(scenario, options);
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
    options.onProgress?.(r.value);
  }
}

/**
 * The same search, handing back control every `progressMs` with how it goes: a worker (or the command
 * line) drives it a slice at a time, so messages and signals are heard between slices. Returning early
 * (`return()`) abandons it.
 */
export function* exploreSteps(
  scenario: Scenario,
  options: ExploreOptions = {},
): Generator<ExploreStats, ExploreResult> {
  return yield* new Search(scenario, options).run();
}

class Search {
  private readonly setup: Setup;
  private readonly spawns: SpawnStep[];
  private readonly results: readonly string[];
  private readonly preempt: number;
  private readonly maxDepth: number;
  private readonly maxSchedules: number;
  private readonly reduce: boolean;
  private readonly useCache: boolean;
  private readonly now: () => number;
  private readonly started: number;
  private lastProgress: number;
  private readonly path: Step[] = [];
  /** Run or step count per thread along the path: a thread with none has not started. */
  private readonly runs = new Map<string, number>();
  private readonly found = new Map<string, { kind: FindingKind; message: string; schedule: Step[] }>();
  private readonly cache = new Map<string, CacheEntry[]>();
  private stopped = false;
  private ticks = 0;
  /** This pass's depth bound, its paths cut there, and the length up to which the last pass told `onSchedule`. */
  private bound = 0;
  private passCuts = 0;
  private toldUpTo = -1;
  /** Whether some step has listed an object's properties, so that their order matters (`conflicts`). */
  private keyOrder = false;
  private readonly stats: ExploreStats = {
    schedules: 0,
    states: 0,
    findings: 0,
    ms: 0,
    exhaustive: false,
    stopped: false,
    sleepPruned: 0,
    cacheHits: 0,
    depthCuts: 0,
    replays: 0,
    replaySteps: 0,
    firstFindingMs: null,
  };

  constructor(
    scenario: Scenario,
    private readonly options: ExploreOptions,
  ) {
    this.setup = setupOf(scenario);
    this.spawns = scenario.steps.filter((s): s is SpawnStep => 'spawn' in s);
    this.results = options.results ?? DEFAULT_RESULTS;
    this.preempt = options.preempt ?? 0;
    this.maxDepth = options.maxDepth ?? 60;
    this.maxSchedules = options.maxSchedules ?? Infinity;
    this.reduce = options.reduce ?? true;
    this.useCache = options.cache ?? true;
    this.now = options.now ?? Date.now;
    this.started = this.now();
    this.lastProgress = this.started;
  }

  *run(): Generator<ExploreStats, ExploreResult> {
    for (;;) {
      try {
        yield* this.deepen();
      } catch (e) {
        if (e instanceof KeyOrderMatters) {
          // Everything found so far was found honestly; the pruning was not. Search again from the top.
          this.keyOrder = true;
          this.restart();
          continue;
        }
        if (!(e instanceof Stop)) throw e;
      }
      break;
    }
    this.stats.ms = this.now() - this.started;
    this.stats.stopped = this.stopped;
    this.stats.exhaustive = !this.stopped && this.stats.depthCuts === 0;
    const findings = [...this.found.values()].map((f) => this.report(f));
    return { findings, stats: { ...this.stats } };
  }

  /**
   * Passes with bounds FIRST_BOUND, then twice the last, up to `maxDepth`, until a pass cuts no path.
   * A pass explores every path within its bound (the cache is cleared: its entries hold for one bound), so
   * a finding's schedule is as short as any within the last finished pass. The paths that ended within the
   * last pass's bound end again in the next one, the same: `onSchedule` hears of each once.
   */
  private *deepen(): Generator<ExploreStats, void> {
    for (let bound = Math.min(FIRST_BOUND, this.maxDepth); ; bound = Math.min(bound * 2, this.maxDepth)) {
      this.bound = bound;
      this.passCuts = 0;
      this.cache.clear();
      const root = this.engine();
      yield* this.visit(root, 0, 0, [], null, root.deferred, {});
      this.stats.depthCuts = this.passCuts;
      if (this.passCuts === 0 || bound >= this.maxDepth) return;
      this.toldUpTo = bound;
    }
  }

  /** Back to the root for a new search: the path, the cache and the counts (findings are kept). */
  private restart(): void {
    this.path.length = 0;
    this.runs.clear();
    this.cache.clear();
    this.toldUpTo = -1;
    Object.assign(this.stats, { schedules: 0, states: 0, sleepPruned: 0, cacheHits: 0, depthCuts: 0 });
  }

  /** An engine at the current path: booted, spawned, the path replayed. */
  private engine(): TrackedEngine {
    const te = new TrackedEngine(this.setup, this.spawns, { track: this.reduce });
    if (this.path.length > 0) {
      this.stats.replays++;
      this.stats.replaySteps += this.path.length;
    }
    for (const step of this.path) {
      const refusal = te.apply(step);
      if (refusal !== null)
        throw new Error(`replay of ${stepLabel(step)} refused: ${refusal} (engine not deterministic?)`);
    }
    return te;
  }

  /** Every node: stop when told to; now and then, hand back control with how the search goes. */
  private *tick(): Generator<ExploreStats, void> {
    if (this.stats.schedules >= this.maxSchedules || this.options.shouldStop?.()) {
      this.stopped = true;
      throw new Stop();
    }
    if (++this.ticks % 16 !== 0) return;
    const t = this.now();
    if (t - this.lastProgress >= (this.options.progressMs ?? 100)) {
      this.lastProgress = t;
      yield { ...this.stats, ms: t - this.started, findings: this.found.size };
    }
  }

  private record(kind: FindingKind, message: string): void {
    const key = `${kind}\n${message}`;
    const known = this.found.get(key);
    if (known && known.schedule.length <= this.path.length) return;
    if (!known && this.found.size === 0) this.stats.firstFindingMs = this.now() - this.started;
    const finding = { kind, message, schedule: [...this.path] };
    this.found.set(key, finding);
    this.stats.findings = this.found.size;
    if (!known) this.options.onFinding?.(finding);
  }

  /** A path ended here: count it, and record what the state shows. */
  private end(te: TrackedEngine): void {
    this.stats.schedules++;
    const found = findingsAt(te.k, te.engine.model, this.setup);
    if (this.path.length > this.toldUpTo) this.options.onSchedule?.(this.path, found);
    for (const f of found) this.record(f.kind, f.message);
  }

  private *visit(
    te: TrackedEngine,
    depth: number,
    preempts: number,
    sleep: readonly SleepEntry[],
    lastStepped: string | null,
    pending: readonly SpawnStep[],
    memo: InvariantMemo,
  ): Generator<ExploreStats, void> {
    yield* this.tick();
    const k = te.k;
    const model = te.engine.model;
    if (this.options.checkInvariants) {
      const broken = kernelInvariants(k, model, memo);
      if (broken.length > 0)
        throw new Error(`invariant broken after ${this.path.map(stepLabel).join(', ')}: ${broken.join('; ')}`);
    }
    if (k.s.panic) return this.end(te);
    const acts = enabledStepsOf(k, model, { results: this.results, steps: preempts < this.preempt });
    const candidates: Step[] = [...acts, ...pending];
    const asleep = new Set(sleep.map((e) => e.label));

    if (depth >= this.bound) {
      // A path ends here; it is cut (not exhaustive) unless nothing could run anyway.
      if (acts.length > 0 || pending.some((s) => te.apply(s) === null)) {
        this.stats.schedules++;
        this.passCuts++;
        return;
      }
      return this.end(te);
    }

    if (this.useCache && this.quiescent(te)) {
      const key = stateKey(te, pending);
      if (key !== null) {
        const entries = this.cache.get(key) ?? [];
        if (entries.some((e) => e.depth <= depth && e.preempts <= preempts && subset(e.sleep, asleep))) {
          this.stats.cacheHits++;
          return;
        }
        entries.push({ depth, preempts, sleep: asleep });
        if (entries.length === 1) {
          if (this.cache.size >= (this.options.cacheLimit ?? 50_000))
            this.cache.delete(this.cache.keys().next().value!);
          this.cache.set(key, entries);
        }
      }
    }

    let spare: TrackedEngine | null = te;
    let accepted = 0;
    let skipped = 0;
    const done: SleepEntry[] = [];
    for (const step of candidates) {
      const label = stepLabel(step);
      if (asleep.has(label)) {
        skipped++;
        continue;
      }
      // `step T` then `run T` is `run T` from before the step, explored there (and so is a node where that was
      // all there was to do).
      if ('run' in step && step.run === lastStepped) continue;
      const eng: TrackedEngine = spare ?? this.engine();
      spare = null;
      const outcome = this.reduce ? eng.record(step) : eng.apply(step);
      if (typeof outcome === 'string') {
        spare = eng; // refused (a spawn whose precondition does not hold yet): nothing changed
        continue;
      }
      this.stats.states++;
      // A step that ran the thread to a block or its end did what `run` did: nothing new.
      if ('step' in step && eng.k.thread(step.step)?.status !== 'ready') continue;
      accepted++;
      const fp = outcome ?? null;
      if (fp?.enumerates && !this.keyOrder) throw new KeyOrderMatters();
      const childSleep = fp === null ? [] : [...sleep, ...done].filter((e) => !conflicts(e.fp, fp, this.keyOrder));
      const thread = 'run' in step ? step.run : 'step' in step ? step.step : null;
      this.path.push(step);
      if (thread !== null) this.runs.set(thread, (this.runs.get(thread) ?? 0) + 1);
      yield* this.visit(
        eng,
        depth + 1,
        preempts + ('step' in step ? 1 : 0),
        childSleep,
        'step' in step ? step.step : null,
        'spawn' in step ? pending.filter((s) => s !== step) : pending,
        this.options.checkInvariants ? structuredCloneMemo(memo) : memo,
      );
      if (thread !== null) this.runs.set(thread, this.runs.get(thread)! - 1);
      this.path.pop();
      if (fp !== null) done.push({ label, fp });
    }
    if (accepted > 0) return;
    if (skipped > 0) this.stats.sleepPruned++;
    if (skipped > 0 || acts.length > 0) return;
    // Nothing can happen: every thread is done, or the kernel is hung.
    this.end(spare ?? this.engine());
  }

  /** Every thread done or not yet run: the kernel data is then the whole state. */
  private quiescent(te: TrackedEngine): boolean {
    return te.k.s.threads.every((t) => t.status === 'done' || !this.runs.get(t.id));
  }

  private report(f: { kind: FindingKind; message: string; schedule: Step[] }): ExploreFinding {
    const full = [...this.spawnsBefore(), ...f.schedule];
    const steps = this.options.minimise === false ? full : minimise(this.setup, full, f.kind, f.message);
    const title = `Found by explore: ${f.kind}: ${f.message}`.slice(0, 400);
    return {
      kind: f.kind,
      message: f.message,
      scenario: scenarioOf(this.setup, steps, title),
      steps: steps.length,
      schedule: f.schedule,
    };
  }

  /**
   * The spawns applied at boot: not those deferred (refused at boot), which are in the schedule where they
   * happened, or nowhere when they never did (listed at boot, the runner would refuse them).
   */
  private spawnsBefore(): SpawnStep[] {
    const deferred = new Set(new TrackedEngine(this.setup, this.spawns, { track: false }).deferred);
    return this.spawns.filter((s) => !deferred.has(s));
  }
}

/** The first pass's depth bound (steps after the spawns). */
const FIRST_BOUND = 4;

const subset = (a: ReadonlySet<string>, b: ReadonlySet<string>) => [...a].every((x) => b.has(x));

function structuredCloneMemo(memo: InvariantMemo): InvariantMemo {
  return JSON.parse(JSON.stringify(memo)) as InvariantMemo;
}

/**
 * The whole kernel as text (Maps and Sets by their entries, insertion order kept), with the spawns still to
 * come; null when it cannot be written out (then the state is not cached).
 */
function stateKey(te: TrackedEngine, pending: readonly SpawnStep[]): string | null {
  const raw = te.k as unknown as Record<string, unknown>;
  const fields: Record<string, unknown> = {};
  for (const key of Object.keys(raw)) if (!UNTRACKED_KERNEL_FIELDS.has(key)) fields[key] = raw[key];
  try {
    const text = JSON.stringify(fields, (_key, value: unknown) =>
      value instanceof Map ? { $map: [...value] } : value instanceof Set ? { $set: [...value] } : value,
    );
    return `${text}|${pending.map((s) => s.spawn).join(',')}`;
  } catch {
    return null;
  }
}
