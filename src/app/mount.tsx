/** React and the lab's components, mounted once the entry (src/main.tsx) has started the worker. */
import { StrictMode, useLayoutEffect, useSyncExternalStore, type ReactNode } from 'react';
import { createRoot, hydrateRoot } from 'react-dom/client';
import { Root } from './Root';
import { screenSize } from './layout';
import type { Lab } from '../client/sim-client';
import type { LabState, LabStore } from '../store/store';

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

export function mount(root: HTMLElement, lab: Lab, embed: boolean): void {
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
  createRoot(root).render(
    <StrictMode>
      <Root lab={lab} embed={embed} />
    </StrictMode>,
  );
}

/**
 * Put the lab in the page in the commit that first renders a state `ready` says is in. It comes before the
 * lab in the tree, so its layout effect runs before the lab's own (the Timeline's scroll to the current step
 * needs the lab in the page), and the page never shows the lab without that state.
 */
function PlaceWhenReady({
  store,
  ready,
  place,
}: {
  store: LabStore;
  ready: (state: LabState) => boolean;
  place: () => void;
}) {
  const isReady = useSyncExternalStore(store.subscribe, () => ready(store.getState()));
  useLayoutEffect(() => {
    if (isReady) place();
  }, [isReady, place]);
  return null;
}

/**
 * A link visit: mount the lab now, while the worker replays the link, into a box that is not in the page, and
 * move the box into `root` (replacing the "Opening the shared link" line) in the commit that renders the
 * link's state, or its fallback's (`ready`). The answer then costs the state's render, not the lab's mount;
 * the page never shows the lab without that state. The returned function places the box at once (a worker
 * that reports nothing for long); `placed` is called once, when the box goes in.
 */
export function mountAside(
  root: HTMLElement,
  lab: Lab,
  embed: boolean,
  ready: (state: LabState) => boolean,
  placed: () => void,
): () => void {
  const box = document.createElement('div');
  // Out of the layout: the lab's own elements lay out as if they were the root's children.
  box.style.display = 'contents';
  let inPage = false;
  const place = () => {
    if (inPage) return;
    inPage = true;
    root.replaceChildren(box);
    placed();
  };
  createRoot(box).render(
    <StrictMode>
      <PlaceWhenReady store={lab.store} ready={ready} place={place} />
      <Root lab={lab} embed={embed} />
    </StrictMode>,
  );
  return place;
}
