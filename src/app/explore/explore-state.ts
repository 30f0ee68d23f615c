/**
 * What the Explore dialog shows, folded from the explorer worker's events (pure, so it is tested in Node):
 * the search's state, its progress, its findings as they come and, at the end, the minimised ones.
 */
import type { ExploreEvent, ExploreFindingView, ExploreProgress, ExploreScheduleView } from '../../protocol/explore';
import { firstSentence, grouped } from '../../protocol/format';
import type { Scenario } from '../../protocol/scenario';

export interface ExploreView {
  status: 'idle' | 'running' | 'done' | 'error';
  /** Cancel was asked for and the search has not ended yet. */
  cancelling: boolean;
  progress: ExploreProgress | null;
  findings: readonly ExploreFindingView[];
  /** The first few schedules that ended, to open one and watch it. */
  schedules: readonly ExploreScheduleView[];
  /** Once done: every schedule was searched (no limit cut a path, nobody stopped it). */
  exhaustive: boolean;
  /** Once done: Cancel or the schedule limit ended it early. */
  stopped: boolean;
  error: string | null;
}

export const IDLE: ExploreView = {
  status: 'idle',
  cancelling: false,
  progress: null,
  findings: [],
  schedules: [],
  exhaustive: false,
  stopped: false,
  error: null,
};

export const STARTED: ExploreView = {
  ...IDLE,
  status: 'running',
  progress: { schedules: 0, states: 0, findings: 0, ms: 0 },
};

export function reduceExplore(view: ExploreView, event: ExploreEvent): ExploreView {
  switch (event.type) {
    case 'explore.progress':
      if (view.status !== 'running') return view;
      return {
        ...view,
        progress: { schedules: event.schedules, states: event.states, findings: event.findings, ms: event.ms },
      };
    case 'explore.finding': {
      if (view.status !== 'running') return view;
      const f = event.finding;
      // A finding is distinct by kind and message: a second report of one replaces it in place.
      const same = (x: ExploreFindingView) => x.kind === f.kind && x.message === f.message;
      const findings = view.findings.some(same) ? view.findings.map((x) => (same(x) ? f : x)) : [...view.findings, f];
      return { ...view, findings };
    }
    case 'explore.schedule':
      if (view.status !== 'running') return view;
      return { ...view, schedules: [...view.schedules, event.schedule] };
    case 'explore.done':
      return {
        ...view,
        status: 'done',
        cancelling: false,
        progress: event.stats,
        findings: event.findings,
        exhaustive: event.stats.exhaustive,
        stopped: event.stats.stopped,
      };
    case 'explore.error':
      return { ...view, status: 'error', cancelling: false, error: event.message };
  }
}

const count = (n: number, what: string) => `${grouped(n)} ${what}${n === 1 ? '' : 's'}`;

/** The progress line: schedules, states, findings, elapsed. */
export function progressText(p: ExploreProgress): string {
  return `${count(p.schedules, 'schedule')}, ${count(p.states, 'state')}, ${count(p.findings, 'finding')}, ${(p.ms / 1000).toFixed(1)} s`;
}

/** What the status line says. */
export function statusText(view: ExploreView): string {
  const p = view.progress;
  switch (view.status) {
    case 'idle':
      return 'Not started.';
    case 'running':
      return `${view.cancelling ? 'Cancelling' : 'Searching'}: ${p ? progressText(p) : ''}`;
    case 'done':
      return `${view.exhaustive ? 'Searched every schedule' : view.stopped ? 'Stopped early (not exhaustive)' : 'Done, some paths cut at the depth limit (not exhaustive)'}: ${p ? progressText(p) : ''}`;
    case 'error':
      return view.error ?? 'The search failed.';
  }
}

/** A finding as one line: kind, message, steps. */
export function findingText(f: ExploreFindingView): string {
  return `${f.kind}: ${f.message} (${count(f.steps, 'step')}${f.thread ? `, ${f.thread}` : ''})`;
}

/** A sample schedule as one line. */
export function scheduleText(s: ExploreScheduleView): string {
  return `Schedule ${s.index}: ${s.outcome} (${count(s.steps, 'step')}${s.thread ? `, ${s.thread}` : ''})`;
}

/** What a search took from the lab: the setup and the spawns (the explorer ignores other steps), comparable. */
export function searchKey(scenario: Scenario | null): string | null {
  if (!scenario) return null;
  const { pager, machine, mounts, vnodes } = scenario;
  return JSON.stringify([pager, machine, mounts, vnodes, scenario.steps.filter((s) => 'spawn' in s)]);
}

/** The search the dialog's results come from, and whether one of them was opened (the lab's epoch before). */
export interface Searched {
  readonly title: string;
  readonly key: string | null;
  readonly openedAt: number | null;
}

/**
 * Where the results came from, once the lab shows something else (null while it shows what was searched):
 * the results stay for another to be opened, but "None: no schedule panics" is not about the lab's new
 * threads. `epoch` is the lab's session: opening a finding loads one session, and a later load or reset another.
 */
export function searchedNote(searched: Searched | null, now: { key: string | null; epoch: number }): string | null {
  if (!searched) return null;
  const where = searched.title ? `“${firstSentence(searched.title)}”` : 'the scenario searched';
  if (searched.openedAt !== null && now.epoch <= searched.openedAt + 1)
    return `Found in ${where}; the lab now shows one of its schedules, so Explore again searches that one's threads.`;
  if (searched.openedAt !== null || now.key !== searched.key)
    return `Found in ${where}; the lab shows other threads or another setup now, so Explore again searches those.`;
  return null;
}
