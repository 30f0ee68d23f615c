/**
 * A PagerEngine whose kernel logs what each step touches (access.ts): built
 * from a setup and its spawns, it applies steps quietly (replaying a prefix)
 * or recording the step's footprint.
 */
import type { Setup, SpawnStep, Step } from '../../protocol/scenario';
import { PagerEngine } from '../engine';
import type { Kernel } from '../kernel/kernel';
import { AccessTracker, type Footprint } from './access';

/** Who a step belongs to: its thread, or `io:N` for a completion. */
export function actorOf(step: Step): string {
  if ('spawn' in step) return step.spawn;
  if ('run' in step) return step.run;
  if ('step' in step) return step.step;
  return `io:${step.complete}`;
}

export class TrackedEngine {
  readonly engine: PagerEngine;
  /** Null for an engine built with `track: false` (a plain one: `record` is then unavailable). */
  readonly tracker: AccessTracker | null;
  /** Spawns of the setup the contract refused at boot (their preconditions do not hold yet), in order. */
  readonly deferred: SpawnStep[] = [];

  /** Boot `setup` and spawn `spawns` in order; a refused spawn is kept in `deferred`. */
  constructor(setup: Setup, spawns: readonly SpawnStep[], options: { track?: boolean } = {}) {
    let tracker: AccessTracker | null = null;
    this.engine =
      options.track === false
        ? new PagerEngine(setup)
        : new PagerEngine(setup, {
            wrapKernel: (k) => {
              tracker = new AccessTracker(k);
              return tracker.wrap();
            },
          });
    // Assigned in the callback above, which TypeScript cannot follow.
    this.tracker = tracker as AccessTracker | null;
    for (const spawn of spawns) if (this.apply(spawn) !== null) this.deferred.push(spawn);
    this.tracker?.bootDone();
  }

  /** The kernel itself, unlogged: for reading state between steps. */
  get k(): Kernel {
    return this.tracker?.raw ?? this.engine.k;
  }

  /** Apply a step without logging; null, or why it is impossible (nothing changed). */
  apply(step: Step): string | null {
    const tracker = this.tracker;
    if (!tracker) return this.engine.apply(step);
    tracker.quiet(actorOf(step));
    const mark = tracker.mark();
    const refusal = this.engine.apply(step);
    if (refusal !== null) tracker.rollback(mark);
    return refusal;
  }

  /** Apply a step and log what it touched; the refusal (nothing changed) or its footprint. */
  record(step: Step): string | Footprint {
    const tracker = this.tracker;
    if (!tracker) throw new Error('record() needs a tracked engine');
    const before = this.k.s.threads.map((t) => t.chan);
    tracker.begin(actorOf(step));
    const mark = tracker.mark();
    const refusal = this.engine.apply(step);
    const chans = new Set<string>();
    this.k.s.threads.forEach((t, i) => {
      const was = before[i] ?? null;
      if (t.chan !== was) {
        if (was !== null) chans.add(was);
        if (t.chan !== null) chans.add(t.chan);
      }
    });
    const footprint = tracker.end(chans);
    if (refusal === null) return footprint;
    tracker.rollback(mark);
    return refusal;
  }
}
