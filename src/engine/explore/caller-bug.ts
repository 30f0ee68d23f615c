/**
 * The first caller bug of a schedule, as its pager's `callerBug` hook calls one: a call made when its caller
 * could not have made it (a reference given back that was never taken). The contract runs such calls as
 * written and the explorer searches them like any order; a finding they lead to is named as theirs, so a
 * learner can tell the kernel's own bugs from its callers'.
 */
import type { Setup, Step } from '../../protocol/scenario';
import { PagerEngine } from '../engine';

/** Why the first thread of `steps` that starts with a caller bug has one, or null when none does. */
export function callerBugIn(setup: Setup, steps: readonly Step[]): string | null {
  const engine = new PagerEngine(setup);
  const hook = engine.model.callerBug;
  if (!hook) return null;
  const started = new Set<string>();
  for (const step of steps) {
    const id = 'run' in step ? step.run : 'step' in step ? step.step : null;
    const th = id === null || started.has(id) ? undefined : engine.k.thread(id);
    if (th) {
      started.add(th.id);
      const bug = hook(engine.k, th);
      if (bug !== null) return bug;
    }
    if (engine.apply(step) !== null) return null;
  }
  return null;
}
