import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App';
import { savedSession, startSaving } from './app/persistence';
import { DEFAULT_SCENARIO_NAME, LIBRARY } from './scenario/library';
import { readScenarioHash } from './scenario/share';
import { useStore } from './store/store';
import { sim } from './worker/client';
import './styles.css';

function boot(): void {
  sim.start();
  const fromLink = readScenarioHash(location.hash);
  const saved = savedSession();
  const fallback = LIBRARY.find((e) => e.name === DEFAULT_SCENARIO_NAME) ?? LIBRARY[0];
  if (fromLink && !fromLink.ok) useStore.getState().notify({ kind: 'error', text: fromLink.message });
  // The saved session (or the default) loads first, so that a link the worker refuses
  // (a step impossible in its state) leaves that session in place instead of nothing.
  if (saved) sim.load(saved.scenario, saved.cursor);
  else if (fallback) sim.load({ ...fallback.scenario, steps: [] });
  if (fromLink?.ok) sim.load(fromLink.scenario, undefined, 'Shared link');
  startSaving();
  window.addEventListener('hashchange', () => {
    const link = readScenarioHash(location.hash);
    if (link?.ok) sim.load(link.scenario, undefined, 'Shared link');
    else if (link) useStore.getState().notify({ kind: 'error', text: link.message });
  });
}

boot();
createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
