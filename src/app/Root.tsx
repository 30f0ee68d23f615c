import { lazy, Suspense, useEffect, useState } from 'react';
import type { Lab } from '../client/sim-client';
import { LabProvider } from '../store/context';
import { App } from './App';
import { isCompareHash } from './compare/link';

const Embed = lazy(() => import('./Embed'));
// Both kernels side by side: its own chunk, fetched only for a `#compare=` link.
const CompareView = lazy(() => import('./compare/CompareView').then((m) => ({ default: m.CompareView })));

/** The page: the lab, the read-only embed (`?embed=1`), or (for a `#compare=` link) both kernels side by side. */
export function Root({ lab, embed }: { lab: Lab; embed: boolean }) {
  const [hash, setHash] = useState(() => location.hash);
  useEffect(() => {
    const follow = () => setHash(location.hash);
    window.addEventListener('hashchange', follow);
    return () => window.removeEventListener('hashchange', follow);
  }, []);
  if (isCompareHash(hash))
    return (
      <Suspense fallback={null}>
        <CompareView hash={hash} />
      </Suspense>
    );
  return (
    <LabProvider store={lab.store}>
      {embed ? (
        <Suspense fallback={null}>
          <Embed />
        </Suspense>
      ) : (
        <App />
      )}
    </LabProvider>
  );
}
