/** React and the lab's components, mounted once the entry (src/main.tsx) has started the worker. */
import { StrictMode, useLayoutEffect } from 'react';
import { createRoot, hydrateRoot } from 'react-dom/client';
import { Root } from './Root';
import type { Lab } from '../client/sim-client';

/** The marks the build puts on the prerendered copy of the first state (tools/prerender-plugin.ts). */
const PRERENDERED_MARKS = ['data-prerendered', 'inert', 'aria-busy'] as const;

/** Once React owns the prerendered markup (its first commit), it is the live lab: the marks go. */
function Unmark({ root }: { root: HTMLElement }) {
  useLayoutEffect(() => {
    const app = root.firstElementChild;
    for (const mark of PRERENDERED_MARKS) app?.removeAttribute(mark);
  }, [root]);
  return null;
}

export function mount(root: HTMLElement, lab: Lab, embed: boolean): void {
  const copy = root.firstElementChild;
  if (!embed && copy?.hasAttribute('data-prerendered')) {
    // The first state prerendered at build is on screen: React takes that markup over (hydration) instead of
    // building the same DOM again, which the browser would then style and lay out a second time. Its first
    // render must read what the build read: the store's answered state, also as the "server" snapshot that
    // zustand takes from the store's initial state. A mismatch is recovered from by React rendering the root
    // afresh (as createRoot would), so nothing breaks.
    const shown: Lab = { ...lab, store: { ...lab.store, getInitialState: lab.store.getState } };
    hydrateRoot(
      root,
      <StrictMode>
        <Root lab={shown} embed={false} />
        <Unmark root={root} />
      </StrictMode>,
    );
    return;
  }
  createRoot(root).render(
    <StrictMode>
      <Root lab={lab} embed={embed} />
    </StrictMode>,
  );
}
