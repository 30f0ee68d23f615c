/**
 * The grader: run a solution's steps on its challenge's machine and judge the
 * goal after every step, as the lab does while the learner plays. A solution
 * passes when the goal holds after its last step and not before; one that
 * goes on after the goal held, or takes a step the lab would refuse, is
 * invalid (the lab could not have exported it).
 */
import { PagerEngine } from '../engine/engine';
import type { Step } from '../protocol/scenario';
import { challengeScenario, parseSolution, ruleRefusal, type Challenge, type FileError } from './challenge';
import { goalHolds, goalShortfall } from './goal';

export type Verdict =
  | { readonly verdict: 'PASS'; readonly steps: number }
  | { readonly verdict: 'FAIL'; readonly steps: number; readonly reason: string }
  | { readonly verdict: 'INVALID'; readonly error: FileError };

/**
 * Play `steps` on the challenge: the digest step after which the goal first
 * held (or null), and the first step refused, in order, by the challenge's
 * rules or by the engine (the runner's exit 2), as the lab refuses a step.
 */
export function playChallenge(
  challenge: Challenge,
  steps: readonly Step[],
): { heldAt: number | null; refused: FileError | null; engine: PagerEngine } {
  const engine = new PagerEngine(challengeScenario(challenge, []));
  let spawned = 0;
  for (let i = 0; i < steps.length; i++) {
    if ('spawn' in steps[i]!) spawned++;
    const broken = ruleRefusal(challenge, steps, i, spawned);
    if (broken !== null) return { heldAt: null, refused: broken, engine };
    const refusal = engine.apply(steps[i]!);
    if (refusal !== null) return { heldAt: null, refused: { step: i, field: '', reason: refusal }, engine };
    if (goalHolds(challenge.goal, { digest: engine.digest() })) {
      if (i + 1 < steps.length)
        return {
          heldAt: i,
          refused: { step: i + 1, field: '', reason: `the goal already held after step ${i}; a solution ends there` },
          engine,
        };
      return { heldAt: i, refused: null, engine };
    }
  }
  return { heldAt: null, refused: null, engine };
}

/** Grade one solution (text or parsed JSON) against its challenge. */
export function gradeSolution(challenge: Challenge, input: string | unknown): Verdict {
  const parsed = parseSolution(challenge, input);
  if (!parsed.ok) return { verdict: 'INVALID', error: parsed.error };
  const steps = parsed.solution.steps;
  const played = playChallenge(challenge, steps);
  if (played.refused) return { verdict: 'INVALID', error: played.refused };
  if (played.heldAt !== null) return { verdict: 'PASS', steps: steps.length };
  const shortfall = goalShortfall(challenge.goal, { digest: played.engine.digest() });
  const reason = `goal not reached after ${steps.length} step${steps.length === 1 ? '' : 's'}: ${shortfall}`;
  return { verdict: 'FAIL', steps: steps.length, reason };
}

/** The grader's line for a verdict: `PASS NAME steps=N` or `FAIL NAME: reason` (invalid files are the caller's). */
export function verdictLine(challenge: Challenge, v: Exclude<Verdict, { verdict: 'INVALID' }>): string {
  return v.verdict === 'PASS' ? `PASS ${challenge.name} steps=${v.steps}` : `FAIL ${challenge.name}: ${v.reason}`;
}
