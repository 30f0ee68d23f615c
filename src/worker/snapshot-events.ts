/**
 * The `sim.snapshot` events the host answers with, built from a session (or an open's quick replay) and the
 * snapshot the UI holds: pure, so what a command answers is read in one place.
 */
import type { QuickReplay } from '../engine/quick-replay';
import { branchView, type Session } from '../engine/session';
import { listHint } from '../engine/list-hints';
import { changesBetween } from '../protocol/changes';
import type { StopInfo } from '../protocol/debug';
import { diffSnapshots } from '../protocol/delta';
import { PROTOCOL_VERSION, type SimEvent, type TimelineEntry } from '../protocol/messages';
import type { Scenario, Step } from '../protocol/scenario';
import type { TrailView, ViewSnapshot } from '../protocol/snapshot';
import { PACK_FROM, packTimeline, type PackedTimeline } from '../protocol/timeline';

/** Which answer an event is: the session's epoch, the host's sequence number, the command's id. */
export interface EventStamp {
  epoch: number;
  seq: number;
  id: number;
}

/** What a snapshot event says besides the state. */
export interface Emitted {
  timelineFrom: number;
  applied?: readonly Step[];
  history?: { from: number; steps: readonly Step[] } | null;
  loaded?: Scenario | null;
  select?: string | null;
  selectLine?: number | null;
  undoable?: boolean;
  stop?: StopInfo | null;
  /** Send every other branch's steps (the history was made anew with its branches). */
  otherBranches?: boolean;
  notice?: string;
}

/** Timeline entries from step `from + 1` on, as the event carries them: packed when there are many. */
function timelineOf(
  from: number,
  labels: readonly string[],
  trail: (i: number) => TrailView,
): { timeline: TimelineEntry[]; packed?: PackedTimeline } {
  if (labels.length >= PACK_FROM) return { timeline: [], packed: packTimeline(labels, trail) };
  return { timeline: labels.map((label, i) => ({ index: from + i + 1, label, trail: trail(i) })) };
}

/** The answer to an open, from the engine's replay: the state at `target`, the whole timeline, one branch. */
export function answerEvent(
  stamp: EventStamp,
  scenario: Scenario,
  target: number,
  quick: QuickReplay,
  select: string | undefined,
  selectLine: number | null,
): SimEvent {
  const { snapshot, before, labels } = quick;
  return {
    type: 'sim.snapshot',
    version: PROTOCOL_VERSION,
    ...stamp,
    delta: diffSnapshots(null, snapshot, quick.profile, null),
    length: labels.length,
    cursor: target,
    timelineFrom: 0,
    // Packed as the replay went when long (timelineOf would pack the same entries).
    ...(labels.length >= PACK_FROM
      ? { timeline: [], packed: quick.packed }
      : timelineOf(0, labels, (i) => quick.trail(i))),
    applied: [],
    history: null,
    loaded: scenario,
    select: select ?? null,
    selectLine,
    undoable: false,
    // The Session the history is built into starts with its one branch, id 1.
    branches: [branchView(1, labels.length, null, 0, labels[0] ?? null)],
    branch: 1,
    stop: null,
    changes: changesBetween(before, snapshot, before === null ? null : listHint(before, snapshot)),
  };
}

/**
 * The session's state as a delta against `shown` (the UI's copy; null: the UI holds none, so the whole
 * state and the pager's profile go), with the timeline from `e.timelineFrom` on. `shown` is the snapshot the
 * next delta is taken against.
 */
export function snapshotEvent(
  stamp: EventStamp,
  session: Session,
  shown: ViewSnapshot | null,
  e: Emitted,
): { event: SimEvent; shown: ViewSnapshot } {
  const snapshot = session.snapshot();
  const delta = diffSnapshots(shown, snapshot, shown ? null : session.profile, listHint(shown, snapshot));
  const timelineFrom = Math.min(e.timelineFrom, session.length);
  const timeline = timelineOf(timelineFrom, session.labelsFrom(timelineFrom), (i) =>
    session.trailAt(timelineFrom + i + 1),
  );
  const event: SimEvent = {
    type: 'sim.snapshot',
    version: PROTOCOL_VERSION,
    ...stamp,
    delta,
    length: session.length,
    cursor: session.cursor,
    timelineFrom,
    ...timeline,
    applied: e.applied ?? [],
    history: e.history ?? null,
    loaded: e.loaded ?? null,
    select: e.select ?? null,
    selectLine: e.selectLine ?? null,
    undoable: e.undoable ?? false,
    branches: session.branches,
    branch: session.branch,
    ...(e.otherBranches && session.branches.length > 1 ? { otherBranches: session.otherBranches() } : {}),
    ...(e.notice ? { notice: e.notice } : {}),
    stop: e.stop ?? null,
    changes: session.changes(),
  };
  return { event, shown: snapshot };
}
