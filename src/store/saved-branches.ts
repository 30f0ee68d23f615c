/** What a save and a restarted worker keep of the branches the lab does not show. */
import type { SavedBranches } from '../protocol/messages';
import type { LabState } from './store';

/**
 * Every branch of the session as a save keeps it (`SavedBranches`): the branch shown is the saved scenario, so
 * its own steps are left out; undefined with one branch, or if another branch's steps are not known.
 */
export function branchesToSave(s: Pick<LabState, 'branches' | 'branch' | 'otherBranches'>): SavedBranches | undefined {
  if (s.branches.length < 2) return undefined;
  const lines: SavedBranches['lines'][number][] = [];
  for (const [i, b] of [...s.branches].sort((x, y) => x.id - y.id).entries()) {
    if (b.id !== i + 1) return undefined;
    const steps = b.id === s.branch ? null : s.otherBranches.get(b.id);
    if (steps === undefined) return undefined;
    lines.push({ parent: b.parent, forkAt: b.forkAt, steps: steps?.slice(b.forkAt) ?? null });
  }
  return { lines, current: s.branch };
}
