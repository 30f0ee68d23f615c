/** Module-level selectors: each panel reads only what it shows. */
import type { ChangeSet } from '../protocol/changes';
import type { LabState } from './store';

export const selectPages = (s: LabState) => s.snapshot?.pages;
export const selectThreads = (s: LabState) => s.snapshot?.threads;
export const selectVnodes = (s: LabState) => s.snapshot?.vnodes;
export const selectObjects = (s: LabState) => s.snapshot?.objects;
export const selectIo = (s: LabState) => s.snapshot?.io;
export const selectLocks = (s: LabState) => s.snapshot?.locks;
export const selectPanic = (s: LabState) => s.snapshot?.panic ?? null;
export const selectFreePages = (s: LabState) => s.snapshot?.freePages ?? 0;
export const selectQueues = (s: LabState) => s.snapshot?.queues;
export const selectCounters = (s: LabState) => s.snapshot?.counters;
export const selectProfile = (s: LabState) => s.profile;
export const selectTimeline = (s: LabState) => s.timeline;
export const selectCursor = (s: LabState) => s.cursor;
export const selectLength = (s: LabState) => s.length;
export const selectSelectedVnode = (s: LabState) => s.selectedVnode;
export const selectSelectedThread = (s: LabState) => s.selectedThread;
export const selectNotice = (s: LabState) => s.notice;
export const selectHelpOpen = (s: LabState) => s.helpOpen;
export const selectWorkerState = (s: LabState) => s.workerState;
export const selectBusy = (s: LabState) => s.busy;
export const selectTitle = (s: LabState) => s.title;
export const selectBreakpoints = (s: LabState) => s.breakpoints;
export const selectChosenLine = (s: LabState) => s.chosenLine;
export const selectLastStop = (s: LabState) => s.lastStop;
export const selectPrevious = (s: LabState) => s.previous;
export const selectBranches = (s: LabState) => s.branches;
export const selectBranch = (s: LabState) => s.branch;
export const selectComparison = (s: LabState) => s.comparison;
export const selectAboutOpen = (s: LabState) => s.aboutOpen;
export const selectSetup = (s: LabState) => s.setup;
export const selectPreviewLine = (s: LabState) => s.previewLine;
export const selectChanges = (s: LabState) => s.changes;
export const selectHung = (s: LabState) => s.snapshot?.hung ?? false;
const NO_LEAKS: readonly string[] = [];
export const selectLeaks = (s: LabState) => s.snapshot?.leaks ?? NO_LEAKS;
export const selectWaits = (s: LabState) => s.snapshot?.waits;
export const selectTrail = (s: LabState) => s.snapshot?.trail;
export const selectWaitGraph = (s: LabState) => s.waitGraph;

/**
 * The seed line a lesson's scene is about, while the lab stands on that scene's step: the Source shows it
 * rather than the followed thread's line (a `run` can carry the thread well past the line the scene explains).
 */
export const selectSceneLine = (s: LabState): number | null => {
  const { open, mode, scene } = s.teach;
  if (!open || mode?.kind !== 'lesson') return null;
  const view = mode.scenes[scene - 1];
  return view && s.cursor === view.step + 1 ? view.line : null;
};

/*
 * Each panel's part of the last step's changes. The store keeps a part's identity while it stays the same
 * (src/protocol/keep-equal.ts): a panel that reads only its own part is not rendered again for a step that
 * changed nothing it shows, where reading the whole change set (new on every step) rendered every panel.
 */
const NO_RECORD = Object.freeze({});
const NONE: readonly never[] = Object.freeze([]);
export const selectPageChanges = (s: LabState): ChangeSet['pages'] => s.changes?.pages ?? NO_RECORD;
export const selectPageFlagChanges = (s: LabState): ChangeSet['pageFlags'] => s.changes?.pageFlags ?? NO_RECORD;
export const selectAddedPages = (s: LabState): ChangeSet['added'] => s.changes?.added ?? NONE;
export const selectRemovedPages = (s: LabState): ChangeSet['removed'] => s.changes?.removed ?? NONE;
export const selectQueueChanges = (s: LabState): ChangeSet['queues'] => s.changes?.queues ?? NONE;
export const selectFreePagesChange = (s: LabState): number => s.changes?.freePages ?? 0;
export const selectIoStarted = (s: LabState): ChangeSet['ioStarted'] => s.changes?.ioStarted ?? NONE;
export const selectIoFinished = (s: LabState): ChangeSet['ioFinished'] => s.changes?.ioFinished ?? NONE;
export const selectObjectChanges = (s: LabState): ChangeSet['objects'] => s.changes?.objects ?? NO_RECORD;
export const selectObjectsGone = (s: LabState): ChangeSet['objectsGone'] => s.changes?.objectsGone ?? NONE;

/**
 * The threads' ids in order, as one key: it changes only when a thread comes or goes, and thread colours go
 * by position (the list itself is new on every step that moves a thread).
 */
export const selectThreadOrderKey = (s: LabState) => {
  const threads = s.snapshot?.threads;
  return threads ? `${threads.length}:${threads[0]?.id ?? ''}:${threads.at(-1)?.id ?? ''}` : '';
};
