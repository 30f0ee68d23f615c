/**
 * What a snapshot event changes in a lab's store: the snapshot and its changes, the timeline and the steps
 * (appended in place to the store's own lists), the branches, and on a load the setup, selection and notices.
 * The store (store.ts) has already settled what every answer settles (busy, answered, stale events).
 */
import { keepEqual } from '../protocol/keep-equal';
import { applyDelta } from '../protocol/delta';
import type { SimEvent } from '../protocol/messages';
import { setupOf, type Step } from '../protocol/scenario';
import type { LabState } from './lab-state';

export const NO_BRANCHES: ReadonlyMap<number, readonly Step[]> = new Map();

/** The other branches' steps once the lab moves to branch `to`: the one it leaves keeps the steps it had. */
function leftBranch(state: LabState, to: number): ReadonlyMap<number, readonly Step[]> {
  const others = new Map(state.otherBranches);
  others.set(state.branch, state.steps);
  others.delete(to);
  return others;
}

/** Lists this module made (never one a caller handed in), the only ones it appends to in place. */
const ownLists = new WeakSet<readonly unknown[]>();
function ownList<T>(list: T[]): T[] {
  ownLists.add(list);
  return list;
}

/**
 * `list`'s first `from` entries, then `entries`. Added at the end of the store's own list they go in place:
 * a copy per step of a 16k-entry list is a 128 KB array, which V8 puts in its large-object space; it lives
 * until the next step, so collections promote it and the old generation grew by 128 KB a step, a major
 * collection every ~100 steps in the slowest clicks (bench-browser's trace). Anything else takes a fresh
 * list (slice + concat: copies as blocks).
 */
function withEntries<T>(list: T[], from: number, entries: readonly T[]): T[] {
  if (from !== list.length || !ownLists.has(list)) return ownList(list.slice(0, from).concat(entries));
  for (const entry of entries) list.push(entry);
  return list;
}

/**
 * The store's patch for snapshot `event`, on top of `answer` (what any answer changes); null when its delta
 * does not apply to the snapshot held. `reset` is the store's memory of the last reset: an undo's answer
 * selects the thread it kept (the store forgets it once that answer is in).
 */
export function snapshotPatch(
  state: LabState,
  event: Extract<SimEvent, { type: 'sim.snapshot' }>,
  answer: Partial<LabState>,
  reset: { readonly thread: string | null; readonly undoing: boolean },
): Partial<LabState> | null {
  const sameSession = event.epoch === state.epoch;
  const base = sameSession ? state.snapshot : null;
  const snapshot = applyDelta(base, event.delta);
  if (!snapshot) return null;
  // A step adds its entry in place; the Timeline renders anyway (cursor and length change).
  const timeline = withEntries(state.timeline, event.timelineFrom, event.timeline);
  const patch: Partial<LabState> = {
    ...answer,
    snapshot,
    previous: base,
    // Each part keeps its identity while it stays the same (empty, mostly), so a panel whose part of the
    // step's changes did not change is not rendered again.
    changes: sameSession ? keepEqual(state.changes, event.changes) : event.changes,
    epoch: event.epoch,
    seq: event.seq,
    timeline,
    cursor: event.cursor,
    length: event.length,
    branches: event.branches,
    branch: event.branch,
    otherBranches: event.otherBranches
      ? new Map(event.otherBranches.map((b) => [b.id, b.steps]))
      : event.loaded
        ? NO_BRANCHES
        : sameSession && event.branch !== state.branch
          ? leftBranch(state, event.branch)
          : state.otherBranches,
    lastStop: event.stop,
    workerState: 'ready',
  };
  if (event.delta.profile) patch.profile = event.delta.profile;
  const loaded = event.loaded;
  if (loaded) {
    // Breakpoints are seed lines: they mean nothing in another pager's seed.
    if (state.setup && state.setup.pager !== loaded.pager) patch.breakpoints = [];
    if (state.setup?.pager !== loaded.pager) patch.chosenLine = null;
    patch.setup = setupOf(loaded);
    patch.steps = loaded.steps;
    patch.title = loaded.title ?? '';
    // An undone reset brings back the thread selected before it, with the rest of the session.
    patch.selectedThread = reset.undoing ? reset.thread : event.select;
    patch.previewLine = event.selectLine;
    // A link naming a thread its scenario never starts: said, not silently dropped.
    if (event.select !== null && !loaded.steps.some((s) => 'spawn' in s && s.spawn === event.select)) {
      patch.selectedThread = null;
      patch.notice = {
        kind: 'info',
        text: `The link selects ${event.select}, a thread this scenario never starts.`,
      };
    }
    patch.selectedVnode = loaded.vnodes[0]?.name ?? null;
    patch.comparison = null;
    if (event.undoable)
      patch.notice = {
        kind: 'info',
        text: 'The lab was reset to its setup.',
        action: { label: 'Undo reset', action: { type: 'undoReset' } },
      };
    else if (state.notice?.action?.action.type === 'undoReset') patch.notice = null;
  } else if (event.history) {
    patch.steps = ownList(state.steps.slice(0, event.history.from).concat(event.history.steps));
  } else if (event.applied.length > 0) {
    // Steps the branch took next (the worker followed it, the length unchanged) leave its list as it is.
    // Added at its end (the cursor was there), they go in place: the list keeps its identity then; the
    // cursor, which every reader of the list reads with it, moves on every such step.
    const followed = sameSession && event.branch === state.branch && event.length === state.steps.length;
    if (!followed) patch.steps = withEntries(state.steps, event.cursor - event.applied.length, event.applied);
    const first = event.applied[0]!;
    if ('spawn' in first) patch.selectedThread = first.spawn;
  }
  if (event.notice) patch.notice = { kind: 'error', text: event.notice };
  if (!loaded && sameSession && !event.otherBranches && event.branches.length > state.branches.length) {
    // Acting on a past step made a branch: say where the old future went, once.
    const made = event.branches.find((b) => b.id === event.branch);
    const old = event.branches.find((b) => b.id === made?.parent);
    if (made && old)
      patch.notice = {
        kind: 'info',
        text: `Acting on step ${made.forkAt} started ${made.name}; ${old.name} keeps its ${old.length - made.forkAt} later steps (Timeline: Branch).`,
      };
  }
  return patch;
}
