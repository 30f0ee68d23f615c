/**
 * The page's entry: it starts the simulation worker and sends it the first command (the saved session,
 * the default scenario or the link) before React and the panels are even fetched (src/mount.tsx, its own
 * chunk), so the worker loads and answers while the page's big chunk downloads and compiles: the first
 * render is then often the first state itself, not an empty shell laid out once more when the state comes.
 */
import { readSaved, SAVED_FALLBACK_NOTE, SAVED_ORIGIN, savedRaw, setAside, startSaving } from './app/persistence';
import { openTeachingLink } from './app/teach-link';
import { createLab, simWorker } from './client/sim-client';
import { blankStart } from './app/library';
import { HASH_PREFIX, linkParams } from './scenario/link';
import { showLinkOpening } from './app/link-opening';
import type { OpenFallback } from './protocol/messages';
import type { LabState } from './store/store';
import { fetchSeed } from './panels/Source/seeds';
import './styles.css';

const lab = createLab(simWorker);
/** `?embed=1`: the read-only viewer for iframes; it neither restores nor saves the learner's own session. */
const embed = new URLSearchParams(location.search).get('embed') === '1';

/**
 * The longest React waits for the first answer before it mounts anyway: a worker that is slow to start (or
 * never answers) still gets a page, with its progress or its error.
 */
const MOUNT_WAIT_MS = 1500;
/**
 * The same when the first state prerendered at build is on screen (a plain first visit): mounting before the
 * answer would replace that state with an empty shell, so React waits for the answer, up to this long (a worker
 * that never answers still gets its error shown).
 */
const PRERENDERED_MOUNT_WAIT_MS = 10_000;

/** Call `then` once, when the store's state is `ready` (now or later). */
function whenState(ready: (state: LabState) => boolean, then: (state: LabState) => void): void {
  const now = lab.store.getState();
  if (ready(now)) return then(now);
  // Unsubscribed before `then` runs: a `then` that sets the store (a notice) must not call itself again.
  const stop = lab.store.subscribe((state) => {
    if (!ready(state)) return;
    stop();
    then(state);
  });
}

/** Call `then` once the worker has answered command `id` (loaded it or refused it). */
function whenAnswered(id: number, then: (state: LabState) => void): void {
  whenState((state) => state.answered >= id, then);
}

/**
 * A save the worker refuses (an impossible step) is set aside. The open whose fallback it is may be refused
 * first (a link), so it is told by its message, which names its origin; the first state shown ends the watch.
 */
function setAsideIfRefused(id: number, raw: string): void {
  const stop = lab.store.subscribe((state) => {
    if (state.refused === id && state.notice?.text.startsWith(`${SAVED_ORIGIN}:`)) {
      stop();
      setAside(raw);
    } else if (state.answered > id || (state.answered === id && state.snapshot !== null)) stop();
  });
}

/**
 * Fetch the seed an open will show once the worker names it (with the open's progress), while the worker still
 * replays: the render of the open's state then has it.
 */
function fetchSeedEarly(id: number): void {
  const stop = lab.store.subscribe((state) => {
    const seed = state.busy?.id === id ? state.busy.seed : undefined;
    if (seed !== undefined) fetchSeed(seed).catch(() => undefined); // the Source asks again, and shows the error
    if (seed !== undefined || state.answered >= id) stop();
  });
}

/**
 * Open a link: at its `&at=N` step (else its last) with its `&thread=T` selected. It is read once: when the
 * worker has answered, the hash leaves the address, so a reload restores the session saved since (the work
 * done after opening the link), not the link again. Other hashes are teaching links.
 */
function openLink(hash: string, fallback?: OpenFallback, from?: string): number | null {
  if (!hash.startsWith(HASH_PREFIX)) {
    openTeachingLink(lab.store, hash, from);
    return null;
  }
  const params = linkParams(hash);
  const id = lab.store.getState().dispatch({
    type: 'open',
    source: { kind: 'link', hash },
    origin: 'Shared link',
    ...(params?.at != null ? { cursor: params.at } : {}),
    ...(params?.thread ? { select: params.thread } : {}),
    ...(fallback ? { fallback } : {}),
  });
  if (id !== null) fetchSeedEarly(id);
  const ignored = params?.ignored ?? [];
  if (id !== null && ignored.length > 0)
    whenAnswered(id, (state) => {
      if (state.refused !== id)
        state.notify({
          kind: 'info',
          text: `Ignored in the link: ${ignored.join('; ')}.${params?.at == null ? ' It opens at its last step.' : ''}`,
        });
    });
  if (id !== null && !embed)
    whenAnswered(id, () => {
      if (location.hash === hash) history.replaceState(history.state, '', location.pathname + location.search);
    });
  return id;
}

/**
 * Send the first commands: the id of the first open and whether it is a link's. A link visit opens the link
 * alone, with the saved session (or the library's start) as its fallback: a refused or cancelled link leaves
 * that in place, as when it was opened first, but the worker replays the link at once and the page renders
 * nothing else meanwhile.
 */
function boot(): { first: number | null; link: boolean } {
  const { dispatch } = lab.store.getState();
  if (embed) lab.store.getState().setReadOnly(true);
  // Read once: if the worker refuses it, this text is what is set aside (the store may save over it first).
  const raw = embed ? null : savedRaw();
  const saved = readSaved(raw);
  const libraryStart: OpenFallback = { source: { kind: 'text', text: blankStart() }, origin: 'Library' };
  // The saved session (else the library's start); a save the worker refuses (an impossible step, a bad setup)
  // gives way to the library, never an empty lab.
  const start: OpenFallback = saved?.ok
    ? {
        source: { kind: 'text', text: saved.saved.text },
        origin: SAVED_ORIGIN,
        cursor: saved.saved.cursor,
        ...(saved.saved.thread !== undefined ? { select: saved.saved.thread } : {}),
        ...(saved.saved.branches !== undefined ? { branches: saved.saved.branches } : {}),
        fallback: { ...libraryStart, note: SAVED_FALLBACK_NOTE },
      }
    : libraryStart;
  const hash = location.hash;
  const link = hash.startsWith(HASH_PREFIX);
  const first = link
    ? openLink(hash, start)
    : dispatch({
        type: 'open',
        source: start.source,
        origin: start.origin,
        ...(start.cursor !== undefined ? { cursor: start.cursor } : {}),
        ...(start.select !== undefined ? { select: start.select } : {}),
        ...(start.branches ? { branches: start.branches } : {}),
        ...(start.fallback ? { fallback: start.fallback } : {}),
      });
  if (saved?.ok && first !== null && raw !== null) setAsideIfRefused(first, raw);
  if (saved && !saved.ok && raw !== null) {
    // On a link visit the link's open is what is said (the library's start is only its fallback).
    if (!link)
      lab.store.getState().notify({ kind: 'error', text: `${SAVED_ORIGIN}: ${saved.reason}; ${SAVED_FALLBACK_NOTE}` });
    setAside(raw);
  }
  if (!link && hash) openLink(hash);
  if (!embed) startSaving(lab.store);
  window.addEventListener('hashchange', (e) => openLink(location.hash, undefined, e.oldURL));
  return { first, link };
}

const { first, link } = boot();
/**
 * The built page loads this entry `async` (tools/prerender-plugin.ts): it runs as soon as it is fetched, so the
 * worker starts while the HTML (with the prerendered first state) is still parsed and laid out. React mounts
 * only once the whole document is in.
 */
const parsed = new Promise<void>((resolve) => {
  if (document.readyState !== 'loading') resolve();
  else document.addEventListener('DOMContentLoaded', () => resolve(), { once: true });
});
// A link visit shows "Opening the shared link…" (progress, Cancel) until the link's state (or its fallback's)
// is in: React and the lab mount only then, so the page does not render a first state the link replaces.
const opening = link
  ? (() => {
      const root = document.getElementById('root');
      return root
        ? Promise.resolve(showLinkOpening(root, lab.store))
        : parsed.then(() => showLinkOpening(document.getElementById('root')!, lab.store));
    })()
  : null;
/**
 * On a link visit: the link's state is in, or its fallback's after a refusal or Cancel (the refusal comes first);
 * an open the store did not send (no worker) has nothing to wait for.
 */
const linkShown = (state: LabState) => first === null || (state.answered >= first && state.snapshot !== null);
if (link) {
  // The lab mounts at once, out of the page, while the worker replays; it takes the opening line's place in the
  // commit that renders the link's state (src/app/mount.tsx), so the answer costs that render, not the mount.
  void Promise.all([import('./app/mount'), parsed, opening]).then(([{ mountAside }, , stopOpening]) => {
    const place = mountAside(document.getElementById('root')!, lab, embed, linkShown, () => {
      stopOpening?.();
      for (const copy of document.querySelectorAll('script[data-first-state]')) copy.remove();
    });
    // A worker that says nothing for this long (no progress) still gets the lab shown, with its message.
    const silent = () => (lab.store.getState().busy === null ? place() : setTimeout(silent, PRERENDERED_MOUNT_WAIT_MS));
    setTimeout(silent, PRERENDERED_MOUNT_WAIT_MS);
  });
} else {
  // React mounts once the first open is answered: its first render is then the first state itself, laid out and
  // painted once, instead of an empty shell laid out and painted and then the state rendered and laid out again
  // (on two busy cores the shell's layout and paint ran just when the answer came). A long open (a saved
  // session of thousands of steps) mounts at its first progress report, so the page shows how far it is; not
  // while the prerendered first state is shown, whose open reports progress only while the kernel is fetched.
  // Read when needed: the entry may run while the HTML is still parsed (it is `async`, see below).
  const prerenderedShown = () => document.querySelector('#root > [data-prerendered]') !== null;
  const answered = new Promise<void>((resolve) => {
    if (first === null) return resolve();
    whenState(
      (state) => state.answered >= first || (state.busy?.id === first && !prerenderedShown()),
      () => resolve(),
    );
    setTimeout(() => {
      if (!prerenderedShown()) resolve();
    }, MOUNT_WAIT_MS);
    setTimeout(resolve, PRERENDERED_MOUNT_WAIT_MS);
  });
  // On a plain first visit `#root` already shows the first state, prerendered at build (tools/prerender-plugin.ts),
  // inert until now: React takes that markup over (src/app/mount.tsx hydrates it), and the copies for the other
  // screen sizes are dropped.
  void Promise.all([import('./app/mount'), answered, parsed]).then(([{ mount }]) => {
    for (const copy of document.querySelectorAll('script[data-first-state]')) copy.remove();
    mount(document.getElementById('root')!, lab, embed);
  });
}
