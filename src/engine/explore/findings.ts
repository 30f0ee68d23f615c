/**
 * What the explorer looks for at the end of a path, and how a finding's
 * schedule becomes a small scenario: a panic (by its message), a hang (no
 * thread can run, nothing in flight, some thread not done: which threads wait
 * on what), a leak (when every thread is done: what the calls left behind).
 */
import type { Scenario, Setup, SpawnStep, Step } from '../../protocol/scenario';
import { setupOf } from '../../protocol/scenario';
import { PagerEngine } from '../engine';
import type { Kernel } from '../kernel/kernel';
import { leaksOf } from '../leaks';
import type { PagerModel } from '../model';

export type FindingKind = 'panic' | 'hang' | 'leak';

export interface Finding {
  kind: FindingKind;
  message: string;
  /** A scenario that shows it: the setup, the spawns, the schedule (its last step shows the finding). */
  scenario: Scenario;
}

/** The threads that wait, each as `ID STATUS WAIT` (the digest's fields), in spawn order. */
export function hangMessage(k: Kernel): string {
  return k.s.threads
    .filter((t) => t.status !== 'done')
    .map((t) => `${t.id} ${t.status} ${t.wait}`)
    .join(', ');
}

/** Whether no thread can run and nothing is in flight (the kernel cannot move by itself any more). */
export function isStuck(k: Kernel): boolean {
  return !k.s.panic && k.s.io.length === 0 && k.s.threads.every((t) => t.status !== 'ready');
}

/**
 * The findings of a final state (a path that ended), each as kind and message; `pendingSpawns` says a
 * spawn of the scenario never happened (its precondition never held), which does not stop a hang.
 */
export function findingsAt(k: Kernel, model: PagerModel, _setup: Setup): { kind: FindingKind; message: string }[] {
  if (k.s.panic) return [{ kind: 'panic', message: k.s.panic.message }];
  if (!isStuck(k)) return [];
  if (k.s.threads.some((t) => t.status !== 'done')) return [{ kind: 'hang', message: hangMessage(k) }];
  return leaksOf(k, model).map((message) => ({ kind: 'leak', message }));
}

/** A scenario from a setup and steps, keys in the contract's order. */
export function scenarioOf(setup: Setup, steps: readonly Step[], title?: string): Scenario {
  const { pager, ...rest } = setupOf(setup);
  return { format: 'pager-scenario/1', pager, ...(title ? { title } : {}), ...rest, steps: [...steps] };
}

/** Whether `steps` from the setup apply in full and their last state shows the finding. */
export function reproduces(setup: Setup, steps: readonly Step[], kind: FindingKind, message: string): boolean {
  const engine = new PagerEngine(setup);
  for (const step of steps) if (engine.apply(step) !== null) return false;
  return findingsAt(engine.k, engine.model, setup).some((f) => f.kind === kind && f.message === message);
}

/**
 * Drop steps while the finding stays: first whole threads (a spawn and every step of it), then single
 * steps, from the end, until no single step can go.
 */
export function minimise(setup: Setup, steps: readonly Step[], kind: FindingKind, message: string): Step[] {
  let best = [...steps];
  const spawns = best.filter((s): s is SpawnStep => 'spawn' in s).map((s) => s.spawn);
  for (const id of spawns.reverse()) {
    const without = best.filter(
      (s) => !('spawn' in s ? s.spawn === id : 'run' in s ? s.run === id : 'step' in s && s.step === id),
    );
    if (without.length < best.length && reproduces(setup, without, kind, message)) best = without;
  }
  for (let changed = true; changed;) {
    changed = false;
    for (let i = best.length - 1; i >= 0; i--) {
      const without = [...best.slice(0, i), ...best.slice(i + 1)];
      if (reproduces(setup, without, kind, message)) {
        best = without;
        changed = true;
      }
    }
  }
  return best;
}
