/** Module-level selectors: each panel reads only what it shows. */
import type { AppState } from './store';

export const selectPages = (s: AppState) => s.snapshot?.pages;
export const selectThreads = (s: AppState) => s.snapshot?.threads;
export const selectVnodes = (s: AppState) => s.snapshot?.vnodes;
export const selectIo = (s: AppState) => s.snapshot?.io;
export const selectLocks = (s: AppState) => s.snapshot?.locks;
export const selectPanic = (s: AppState) => s.snapshot?.panic ?? null;
export const selectFreePages = (s: AppState) => s.snapshot?.freePages ?? 0;
export const selectActiveQueue = (s: AppState) => s.snapshot?.activeQueue;
export const selectInactiveQueue = (s: AppState) => s.snapshot?.inactiveQueue;
export const selectTimeline = (s: AppState) => s.timeline;
export const selectCursor = (s: AppState) => s.cursor;
export const selectLength = (s: AppState) => s.length;
export const selectSelectedVnode = (s: AppState) => s.selectedVnode;
export const selectSelectedThread = (s: AppState) => s.selectedThread;
export const selectNotice = (s: AppState) => s.notice;
export const selectHelpOpen = (s: AppState) => s.helpOpen;
export const selectWorkerState = (s: AppState) => s.workerState;
export const selectTitle = (s: AppState) => s.title;
