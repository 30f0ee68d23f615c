/** Where branches part from the current one, for the timeline's fork marks (pure). */
import type { BranchView } from '../../protocol/debug';

/** The branches on the way from `id` up to the first branch, `id` first. */
function ancestry(byId: ReadonlyMap<number, BranchView>, id: number): BranchView[] {
  const path: BranchView[] = [];
  for (let b = byId.get(id); b; b = b.parent === null ? undefined : byId.get(b.parent)) path.push(b);
  return path;
}

/**
 * The step count each other branch shares with `current` (a branch shares
 * `forkAt` steps with the one it was made from; two branches share the
 * fewest of the fork points between them and their nearest common branch).
 */
export function sharedSteps(branches: readonly BranchView[], current: number): Map<number, number> {
  const byId = new Map(branches.map((b) => [b.id, b]));
  const up = ancestry(byId, current);
  const shared = new Map<number, number>();
  for (const b of branches) {
    if (b.id === current) continue;
    const other = ancestry(byId, b.id);
    const common = other.find((x) => up.includes(x));
    if (!common) continue;
    let n = Infinity;
    for (const x of up) {
      if (x === common) break;
      n = Math.min(n, x.forkAt);
    }
    for (const x of other) {
      if (x === common) break;
      n = Math.min(n, x.forkAt);
    }
    shared.set(b.id, n === Infinity ? 0 : n);
  }
  return shared;
}

/** Timeline row (steps applied) -> the other branches that part from the current one after it. */
export function forkMarks(branches: readonly BranchView[], current: number): Map<number, BranchView[]> {
  const marks = new Map<number, BranchView[]>();
  for (const [id, at] of sharedSteps(branches, current)) {
    const b = branches.find((x) => x.id === id)!;
    marks.set(at, [...(marks.get(at) ?? []), b]);
  }
  return marks;
}
