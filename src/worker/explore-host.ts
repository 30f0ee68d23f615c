/**
 * The explorer worker's logic without the worker API (as sim-host.ts is for the simulation): commands in,
 * events out through `post`, so it runs and is tested in Node. The search (engine/explore/search.ts) is a
 * generator that hands back control every `progressMs`; the host runs it one slice at a time through
 * `schedule`, so a cancel posted meanwhile is heard between two slices.
 */
import { PagerEngine } from '../engine/engine';
import { callerBugIn } from '../engine/explore/caller-bug';
import { scenarioOf } from '../engine/explore/findings';
import { findingLink } from '../engine/explore/link';
import { exploreSteps, type ExploreFinding, type ExploreResult, type ExploreStats } from '../engine/explore/search';
import {
  callerBugNote,
  CHOICE_LIMITS,
  EXPLORE_PROTOCOL_VERSION,
  type ExploreChoice,
  type ExploreCommand,
  type ExploreEvent,
  type ExploreFindingView,
  SAMPLE_SCHEDULES,
} from '../protocol/explore';
import { setupOf, type Scenario, type Setup, type SpawnStep, type Step } from '../protocol/scenario';
import { formatScenarioError, parseScenario, resultProblem } from '../scenario/schema';

type Body = ExploreEvent extends infer E ? (E extends ExploreEvent ? Omit<E, 'version' | 'run'> : never) : never;

interface Running {
  run: number;
  search: Generator<ExploreStats, ExploreResult>;
  stop: boolean;
}

/** What is wrong with a choice of options, or null (the CLI's rules). */
export function choiceError(choice: ExploreChoice): string | null {
  const { results, preempt, maxSchedules, maxDepth } = choice;
  const readable = (r: unknown) => typeof r === 'string' && resultProblem(r) === null;
  if (!Array.isArray(results) || results.length === 0 || !results.every(readable))
    return 'Results must be a list of ok, eio, short:B.';
  const whole = (n: unknown, lo: number, hi: number) =>
    typeof n === 'number' && Number.isSafeInteger(n) && n >= lo && n <= hi;
  if (!whole(preempt, 0, CHOICE_LIMITS.preempt))
    return `The preemption bound must be a whole number from 0 to ${CHOICE_LIMITS.preempt}.`;
  if (!whole(maxSchedules, 1, CHOICE_LIMITS.maxSchedules))
    return `Max schedules must be a whole number from 1 to ${CHOICE_LIMITS.maxSchedules}.`;
  if (!whole(maxDepth, 1, CHOICE_LIMITS.maxDepth))
    return `Max depth must be a whole number from 1 to ${CHOICE_LIMITS.maxDepth}.`;
  return null;
}

/**
 * The thread a finding is about, in its final state: the one that panicked, else the first (in spawn order)
 * that waits, else the last thread the schedule ran (a leak).
 */
export function culprit(setup: Setup, steps: readonly Step[]): string | null {
  const engine = new PagerEngine(setup);
  for (const step of steps) if (engine.apply(step) !== null) break;
  const k = engine.k;
  if (k.s.panic) return k.s.panic.thread;
  const waiting = k.s.threads.find((t) => t.status === 'lock' || t.status === 'sleep' || t.status === 'io');
  if (waiting) return waiting.id;
  for (let i = steps.length - 1; i >= 0; i--) {
    const s = steps[i]!;
    if ('run' in s) return s.run;
    if ('step' in s) return s.step;
  }
  return null;
}

export class ExploreHost {
  private running: Running | null = null;

  constructor(
    private readonly post: (event: ExploreEvent) => void,
    /** Runs the next slice later, after pending messages (setTimeout 0 in the worker). */
    private readonly schedule: (slice: () => void) => void = (slice) => setTimeout(slice, 0),
    private readonly now: () => number = () => performance.now(),
  ) {}

  handle(cmd: ExploreCommand): void {
    if (cmd.type === 'explore.cancel') {
      if (this.running?.run === cmd.run) this.running.stop = true;
      return;
    }
    if (cmd.type !== 'explore.start') return;
    // A new search replaces the old one, which ends without a word.
    if (this.running) {
      this.running.search.return(undefined as never);
      this.running = null;
    }
    const emit = (body: Body) =>
      this.post({ ...body, version: EXPLORE_PROTOCOL_VERSION, run: cmd.run } as ExploreEvent);
    const bad = choiceError(cmd.choice);
    if (bad) return emit({ type: 'explore.error', message: bad });
    const parsed = parseScenario(cmd.scenario as unknown);
    if (!parsed.ok)
      return emit({
        type: 'explore.error',
        message: `The scenario cannot be explored: ${formatScenarioError(parsed.error)}`,
      });
    const scenario = parsed.scenario;
    const spawns = scenario.steps.filter((s): s is SpawnStep => 'spawn' in s);
    if (spawns.length === 0)
      return emit({ type: 'explore.error', message: 'There are no threads to explore: spawn some calls first.' });

    const setup = setupOf(scenario);
    /** A schedule as a whole scenario: the spawns done at boot, then the schedule (its deferred spawns in it). */
    const fullSteps = (schedule: readonly Step[]): Step[] => {
      const later = new Set(schedule.filter((s): s is SpawnStep => 'spawn' in s).map((s) => s.spawn));
      return [...spawns.filter((s) => !later.has(s.spawn)), ...schedule];
    };
    let sampled = 0;
    const running: Running = {
      run: cmd.run,
      stop: false,
      search: exploreSteps(scenario, {
        results: cmd.choice.results,
        preempt: cmd.choice.preempt,
        maxSchedules: cmd.choice.maxSchedules,
        maxDepth: cmd.choice.maxDepth,
        now: this.now,
        progressMs: 100,
        shouldStop: () => running.stop,
        onSchedule: (schedule, found) => {
          if (sampled >= SAMPLE_SCHEDULES) return;
          const index = ++sampled;
          const steps = fullSteps(schedule);
          const outcome =
            found.length === 0 ? 'every thread done' : found.map((f) => `${f.kind}: ${f.message}`).join('; ');
          const sample = scenarioOf(setup, steps, `Explore: schedule ${index}: ${outcome}`.slice(0, 400));
          const thread = culprit(setup, steps);
          const link = findingLink(sample, steps.length) + (thread ? `&thread=${thread}` : '');
          emit({ type: 'explore.schedule', schedule: { index, steps: steps.length, outcome, thread, link } });
        },
        onFinding: (f) => {
          // As found (it is minimised when the search ends).
          const steps = fullSteps(f.schedule);
          const title = `Found by explore: ${f.kind}: ${f.message}`.slice(0, 400);
          emit({
            type: 'explore.finding',
            finding: view(setup, { ...f, scenario: scenarioOf(setup, steps, title), steps: steps.length }, false),
          });
        },
      }),
    };
    this.running = running;
    const slice = () => {
      if (this.running !== running) return;
      let r: IteratorResult<ExploreStats, ExploreResult>;
      try {
        r = running.search.next();
      } catch (e) {
        this.running = null;
        return emit({
          type: 'explore.error',
          message: `The search failed: ${e instanceof Error ? e.message : String(e)}`,
        });
      }
      if (r.done) {
        this.running = null;
        const { stats, findings } = r.value;
        return emit({
          type: 'explore.done',
          stats: {
            schedules: stats.schedules,
            states: stats.states,
            findings: findings.length,
            ms: Math.round(stats.ms),
            exhaustive: stats.exhaustive,
            stopped: stats.stopped,
          },
          findings: findings.map((f) => view(setup, f, true)),
        });
      }
      const p = r.value;
      emit({
        type: 'explore.progress',
        schedules: p.schedules,
        states: p.states,
        findings: p.findings,
        ms: Math.round(p.ms),
      });
      this.schedule(slice);
    };
    this.schedule(slice);
  }
}

function view(
  setup: Setup,
  f: Pick<ExploreFinding, 'kind' | 'message' | 'scenario' | 'steps'>,
  final: boolean,
): ExploreFindingView {
  const thread = culprit(setup, f.scenario.steps);
  const callerBug = callerBugIn(setup, f.scenario.steps.slice(0, f.steps));
  // The lab the link opens says it too ("About this scenario"), where the panic or the leak is in view.
  const scenario = callerBug
    ? { ...f.scenario, title: [f.scenario.title, callerBugNote(callerBug)].filter(Boolean).join('. ') }
    : f.scenario;
  const link = findingLink(scenario as Scenario, f.steps) + (thread ? `&thread=${thread}` : '');
  return { kind: f.kind, message: f.message, steps: f.steps, thread, link, final, callerBug };
}
