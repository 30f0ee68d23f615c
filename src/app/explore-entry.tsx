/**
 * The explorer's foothold in the lab's first load: the "Explore" button. The dialog, its client and the
 * explorer's worker are fetched on the first click (the initial bundle stays as it was); once opened the
 * dialog stays mounted, so closing it keeps a running search and its findings.
 */
import { lazy, Suspense, useState } from 'react';

const ExploreDialog = lazy(() => import('./explore/ExploreDialog'));

export function ExploreButton() {
  const [open, setOpen] = useState(false);
  const [mounted, setMounted] = useState(false);
  return (
    <>
      <button
        type="button"
        aria-haspopup="dialog"
        title="Search every schedule of these threads for panics, hangs and leaks"
        onClick={() => {
          setMounted(true);
          setOpen(true);
        }}
      >
        Explore…
      </button>
      {mounted && (
        <Suspense fallback={null}>
          <ExploreDialog open={open} onClose={() => setOpen(false)} />
        </Suspense>
      )}
    </>
  );
}
