/** Module-level selectors: each panel reads only what it shows. */
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
export const selectTitle = (s: LabState) => s.title;
export const selectChanges = (s: LabState) => s.changes;
export const selectHung = (s: LabState) => s.snapshot?.hung ?? false;
export const selectWaits = (s: LabState) => s.snapshot?.waits;
export const selectTrail = (s: LabState) => s.snapshot?.trail;
export const selectWaitGraph = (s: LabState) => s.waitGraph;
