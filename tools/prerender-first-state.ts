/**
 * Build time only (Node, loaded by the `prerenderFirstState` plugin in vite.config.ts): the first state of a
 * plain first visit, rendered to HTML by the real engine and the real components. A plain visit (no saved
 * session, no link, no embed, default preferences) always opens the library's blank start at step 0, so its
 * first state is known when the app is built; the page shows this markup until React has mounted.
 */
import { createElement, StrictMode } from 'react';
import { renderToString } from 'react-dom/server';
import { Root } from '../src/app/Root';
import { blankStart } from '../src/app/library';
import type { ScreenSize } from '../src/app/layout';
import { createLab, type Lab } from '../src/client/sim-client';
import type { Command, SimEvent } from '../src/protocol/messages';
import { SimHost } from '../src/worker/sim-host';

/** A viewport of each size the layout tells apart (src/app/layout.ts `screenSize`). */
export const VIEWPORTS: Record<ScreenSize, { width: number; height: number }> = {
  wide: { width: 1600, height: 900 },
  medium: { width: 1280, height: 720 },
  narrow: { width: 1024, height: 768 },
};

/** The simulation worker's stand-in: the real SimHost in this process, answering as a worker would. */
class InProcessWorker {
  onmessage: ((e: MessageEvent) => void) | null = null;
  onerror: ((e: ErrorEvent) => void) | null = null;
  private readonly host = new SimHost((event: SimEvent) => this.onmessage?.({ data: event } as MessageEvent));
  postMessage(command: Command) {
    this.host.handle(command);
  }
  terminate() {}
}

/** What the page reads before React mounts: `location` and the viewport (the layout's size). */
function withPageGlobals<T>(viewport: { width: number; height: number }, run: () => T): T {
  const g = globalThis as Record<string, unknown>;
  const before = { location: g.location, innerWidth: g.innerWidth, innerHeight: g.innerHeight };
  Object.assign(g, {
    location: { hash: '', search: '', pathname: '/' },
    innerWidth: viewport.width,
    innerHeight: viewport.height,
  });
  try {
    return run();
  } finally {
    for (const [key, value] of Object.entries(before)) {
      if (value === undefined) delete g[key];
      else g[key] = value;
    }
  }
}

/** The first state's markup for each screen size: the engine opens the blank start, the app renders it. */
export async function renderFirstState(): Promise<Record<ScreenSize, string>> {
  const lab = createLab(() => new InProcessWorker() as unknown as Worker);
  const id = lab.store
    .getState()
    .dispatch({ type: 'open', source: { kind: 'text', text: blankStart() }, origin: 'Library' });
  if (id === null) throw new Error('prerender: the blank start was not sent');
  await new Promise<void>((resolve, reject) => {
    const check = () => {
      const state = lab.store.getState();
      if (state.answered < id) return false;
      if (state.refused === id || !state.snapshot) reject(new Error('prerender: the engine refused the blank start'));
      else resolve();
      return true;
    };
    if (check()) return;
    const stop = lab.store.subscribe(() => check() && stop());
  });
  // On a server React reads a store's server snapshot, which zustand takes from the store's initial state:
  // here it must be the answered state, as the page's first render reads it.
  const shown: Lab = { ...lab, store: { ...lab.store, getInitialState: lab.store.getState } };
  const out = {} as Record<ScreenSize, string>;
  for (const [size, viewport] of Object.entries(VIEWPORTS) as [ScreenSize, { width: number; height: number }][])
    out[size] = withPageGlobals(viewport, () =>
      renderToString(createElement(StrictMode, null, createElement(Root, { lab: shown, embed: false }))),
    );
  lab.client.dispose();
  return out;
}
