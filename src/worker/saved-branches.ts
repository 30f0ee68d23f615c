/**
 * A saved session's branches made again: read as strictly as a file (each branch's steps through the same
 * reader, with the scenario's setup), then replayed in the order they were made, so each gets the id, the name
 * and the fork point it had. What cannot be used is said and the branch shown opens alone: its own steps are
 * the scenario the open read, and it never depends on the others.
 */
import type { SavedBranches } from '../protocol/messages';
import type { Scenario, Step } from '../protocol/scenario';
import type { Session } from '../engine/session';
import { grouped as count } from '../protocol/format';
import { readScenarioText } from '../scenario/share';

/** The most branches a save is read with: a session of a lecture makes a few. */
const MAX_BRANCHES = 100;
/**
 * The most steps read for the other branches (each is read whole, with the steps it shares): a damaged or
 * hand-made save must not hold the worker for minutes before its answer.
 */
const MAX_READ_STEPS = 500_000;

/** Every branch in the order it was made: the branch it came from, where, and its own steps after that. */
export interface BranchPlan {
  readonly lines: readonly { readonly parent: number; readonly forkAt: number; readonly own: readonly Step[] }[];
  /** The branch shown (1-based). */
  readonly current: number;
}

const isIndex = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
const sameSteps = (a: readonly Step[], b: readonly Step[]) => JSON.stringify(a) === JSON.stringify(b);

/**
 * The plan to make `saved`'s branches again, the branch shown being `scenario` (already read); or why they
 * cannot be made ("Branch 3: step 2: …").
 */
export function readBranches(saved: SavedBranches, scenario: Scenario): BranchPlan | string {
  const raw = saved as unknown as { lines?: unknown; current?: unknown };
  if (typeof raw !== 'object' || raw === null || !Array.isArray(raw.lines)) return 'expected a list of branches';
  const lines = raw.lines as unknown[];
  if (lines.length < 1 || lines.length > MAX_BRANCHES)
    return `expected 1 to ${MAX_BRANCHES} branches, got ${lines.length}`;
  const current = raw.current;
  if (!isIndex(current) || current < 1 || current > lines.length)
    return `the branch shown: expected 1 to ${lines.length}, got ${String(current)}`;
  const full: Step[][] = [];
  const plan: BranchPlan['lines'][number][] = [];
  let read = 0;
  for (const [i, value] of lines.entries()) {
    const id = i + 1;
    const at = `Branch ${id}`;
    const line = value as { parent?: unknown; forkAt?: unknown; steps?: unknown };
    if (typeof line !== 'object' || line === null) return `${at}: expected an object`;
    const { parent, forkAt } = line;
    if (id === 1 ? parent !== null || forkAt !== 0 : !isIndex(parent) || parent < 1 || parent >= id)
      return `${at}: parent: expected ${id === 1 ? 'none' : `a branch made before it (1 to ${id - 1})`}`;
    if (!isIndex(forkAt)) return `${at}: forkAt: expected a step number`;
    const before = id === 1 ? [] : full[(parent as number) - 1]!;
    // A branch starts by acting on a step its parent had a future after.
    if (id > 1 && forkAt >= before.length)
      return `${at}: forkAt: step ${forkAt} is not before the last step of Branch ${String(parent)} (${before.length})`;
    const shared = before.slice(0, forkAt);
    let steps: Step[];
    if (id === current) {
      if (line.steps !== null && !Array.isArray(line.steps)) return `${at}: steps: expected a list or null`;
      if (!sameSteps(shared, scenario.steps.slice(0, forkAt)) || scenario.steps.length <= forkAt)
        return `${at}: it is not the branch the session shows`;
      if (line.steps !== null && !sameSteps(line.steps as Step[], scenario.steps.slice(forkAt)))
        return `${at}: it is not the branch the session shows`;
      steps = scenario.steps;
    } else {
      if (!Array.isArray(line.steps) || (id > 1 && line.steps.length === 0))
        return `${at}: steps: expected a list of ${id === 1 ? '' : 'one or more '}steps`;
      read += shared.length + line.steps.length;
      if (read > MAX_READ_STEPS)
        return `${at}: the branches hold more than ${count(MAX_READ_STEPS)} steps to read; the save is too big to restore`;
      const text = JSON.stringify({ ...scenario, steps: [...shared, ...line.steps] });
      const result = readScenarioText(text, at);
      if (!result.ok) return result.message;
      steps = result.scenario.steps;
    }
    full.push(steps);
    plan.push({ parent: id === 1 ? 0 : (parent as number), forkAt, own: steps.slice(forkAt) });
  }
  return { lines: plan, current };
}

/** One branch: the scenario's steps, as an open without a saved history makes it. */
export const oneBranch = (steps: readonly Step[]): BranchPlan => ({
  lines: [{ parent: 0, forkAt: 0, own: steps }],
  current: 1,
});

/**
 * Apply `plan` to a new `session`, branch by branch, yielding the steps applied so far after each; null, or why
 * a step was refused ("Branch 2, step 7: …", numbered as the timeline numbers steps). Ends on the branch shown.
 */
export function* replayBranches(session: Session, plan: BranchPlan): Generator<number, string | null, void> {
  let done = 0;
  for (const [i, line] of plan.lines.entries()) {
    if (i > 0) {
      session.switchBranch(line.parent);
      session.seek(line.forkAt);
    }
    for (const [j, step] of line.own.entries()) {
      const refusal = session.apply(step, { loading: true });
      if (refusal !== null) return `Branch ${i + 1}, step ${line.forkAt + j + 1}: ${refusal}`;
      yield ++done;
    }
    if (session.branch !== i + 1) return `Branch ${i + 1} was made as branch ${session.branch}`;
  }
  session.switchBranch(plan.current);
  return null;
}
