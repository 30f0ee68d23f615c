/** React and the lab's components, mounted once the entry (src/main.tsx) has started the worker. */
import { StrictMode, useLayoutEffect, type ReactNode } from 'react';
import { flushSync } from 'react-dom';
import { createRoot, hydrateRoot } from 'react-dom/client';
import { Root } from './Root';
import { screenSize } from './layout';
import type { Lab } from '../client/sim-client';

/** The marks the build puts on the prerendered copy of the first state (tools/prerender-plugin.ts). */
const PRERENDERED_MARKS = ['data-prerendered', 'inert', 'aria-busy'] as const;

/**
 * Once React owns the prerendered markup (its first commit), it is the live lab: the marks go. A parent of the
 * root, not a sibling: `useId` numbers by the tree's shape, and a sibling would make every id the app draws
 * differ from the build's, which hydration keeps as they are (it does not patch attributes).
 */
function Unmark({ root, children }: { root: HTMLElement; children: ReactNode }) {
  useLayoutEffect(() => {
    const app = root.firstElementChild;
    for (const mark of PRERENDERED_MARKS) app?.removeAttribute(mark);
  }, [root]);
  return children;
}

/**
 * `sync`: render and commit the first state in this task (a link visit, whose state is in and whose worker builds
 * the history behind it meanwhile): a first render left to the scheduler yields every few ms, and on two busy
 * cores each yield can hand the core to the worker or another process for tens of ms.
 */
export function mount(root: HTMLElement, lab: Lab, embed: boolean, sync = false): void {
  const copy = root.firstElementChild;
  // A window resized since the copy was chosen would lay the lab out for another size than the copy's, and
  // hydration keeps the copy's attributes: React then renders afresh instead.
  if (copy?.hasAttribute('data-prerendered') && copy.getAttribute('data-size') !== screenSize(innerWidth, innerHeight))
    root.replaceChildren();
  if (!embed && copy?.hasAttribute('data-prerendered') && copy.isConnected) {
    // The first state prerendered at build is on screen: React takes that markup over (hydration) instead of
    // building the same DOM again, which the browser would then style and lay out a second time. Its first
    // render must read what the build read: the store's answered state, also as the "server" snapshot that
    // zustand takes from the store's initial state. Different text makes React render the root afresh (as
    // createRoot would); different attributes it keeps as they are, which is why the ids (`Unmark`) and the
    // size (above) must be the build's.
    const shown: Lab = { ...lab, store: { ...lab.store, getInitialState: lab.store.getState } };
    hydrateRoot(
      root,
      <StrictMode>
        <Unmark root={root}>
          <Root lab={shown} embed={false} />
        </Unmark>
      </StrictMode>,
    );
    return;
  }
  const reactRoot = createRoot(root);
  const render = () =>
    reactRoot.render(
      <StrictMode>
        <Root lab={lab} embed={embed} />
      </StrictMode>,
    );
  if (sync) flushSync(render);
  else render();
}
