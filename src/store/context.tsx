/**
 * The lab a component belongs to: its store, provided by context (one per
 * lab, so two labs can sit side by side). Components read it with small
 * module-level selectors (store/selectors.ts).
 */
import { createContext, useContext, type ReactNode } from 'react';
import { useStore } from 'zustand';
import type { LabAction, LabState, LabStore } from './store';

const LabContext = createContext<LabStore | null>(null);

export function LabProvider({ store, children }: { store: LabStore; children: ReactNode }) {
  return <LabContext.Provider value={store}>{children}</LabContext.Provider>;
}

/** The lab's store itself, for reading state in event handlers (`useLabStore().getState()`). */
export function useLabStore(): LabStore {
  const store = useContext(LabContext);
  if (!store) throw new Error('useLab outside a <LabProvider>');
  return store;
}

/** Read a slice of the lab's state; the component re-renders when it changes. */
export function useLab<T>(selector: (state: LabState) => T): T {
  return useStore(useLabStore(), selector);
}

/** Dispatch a user action (spawn, run, step, complete, seek, open, load, reset). */
export function useDispatch(): (action: LabAction) => void {
  const store = useLabStore();
  return store.getState().dispatch;
}
