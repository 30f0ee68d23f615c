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
import type { LabState } from './store/store';
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

/** Call `then` once the worker has answered command `id` (loaded it or refused it) or, with `orBusy`, reported progress on it. */
function whenAnswered(id: number, then: (state: LabState) => void, orBusy = false): void {
  const check = (state: LabState) => {
    if (state.answered < id && !(orBusy && state.busy?.id === id)) return false;
    then(state);
    return true;
  };
  if (check(lab.store.getState())) return;
  const stop = lab.store.subscribe((state) => {
    if (check(state)) stop();
  });
}

/** Send the first commands; the id of the first open (the saved session or the library's start), if sent. */
function boot(): number | null {
  const { dispatch } = lab.store.getState();
  if (embed) lab.store.getState().setReadOnly(true);
  // Read once: if the worker refuses it, this text is what is set aside (the store may save over it first).
  const raw = embed ? null : savedRaw();
  const saved = readSaved(raw);
  const library = { kind: 'text' as const, text: blankStart() };
  // The saved session (or the default) loads first, so that a link the worker refuses
  // leaves that session in place instead of nothing.
  let first: number | null;
  if (saved?.ok) {
    const id = (first = dispatch({
      type: 'open',
      source: { kind: 'text', text: saved.saved.text },
      origin: SAVED_ORIGIN,
      cursor: saved.saved.cursor,
      // A save the worker refuses (an impossible step, a bad setup) gives way to the library, never an empty lab.
      fallback: { source: library, origin: 'Library', note: SAVED_FALLBACK_NOTE },
    }));
    if (id !== null && raw !== null) whenAnswered(id, (state) => state.refused === id && setAside(raw));
  } else {
    first = dispatch({ type: 'open', source: library, origin: 'Library' });
    if (saved && raw !== null) {
      lab.store.getState().notify({ kind: 'error', text: `${SAVED_ORIGIN}: ${saved.reason}; ${SAVED_FALLBACK_NOTE}` });
      setAside(raw);
    }
  }
  // A link opens at its `&at=N` step (else its last) with its `&thread=T` selected. It is read once:
  // when the worker has answered, the hash leaves the address, so a reload restores the session saved
  // since (the work done after opening the link), not the link again.
  const openLink = () => {
    const hash = location.hash;
    if (hash.startsWith(HASH_PREFIX)) {
      const params = linkParams(hash);
      const id = dispatch({
        type: 'open',
        source: { kind: 'link', hash },
        origin: 'Shared link',
        ...(params?.at != null ? { cursor: params.at } : {}),
        ...(params?.thread ? { select: params.thread } : {}),
      });
      if (id !== null && !embed)
        whenAnswered(id, () => {
          if (location.hash === hash) history.replaceState(history.state, '', location.pathname + location.search);
        });
    } else openTeachingLink(lab.store, hash);
  };
  openLink();
  if (!embed) startSaving(lab.store);
  window.addEventListener('hashchange', openLink);
  return first;
}

const first = boot();
// React mounts once the first open is answered: its first render is then the first state itself, laid out and
// painted once, instead of an empty shell laid out and painted and then the state rendered and laid out again
// (on two busy cores the shell's layout and paint ran just when the answer came). A long open (a saved
// session of thousands of steps) mounts at its first progress report, so the page shows how far it is.
const answered = new Promise<void>((resolve) => {
  if (first === null) return resolve();
  whenAnswered(first, () => resolve(), true);
  // Read when the wait is over: the entry may run while the HTML is still parsed (it is `async`, see below).
  setTimeout(() => {
    if (!document.querySelector('#root > [data-prerendered]')) resolve();
  }, MOUNT_WAIT_MS);
  setTimeout(resolve, PRERENDERED_MOUNT_WAIT_MS);
});
/**
 * The built page loads this entry `async` (tools/prerender-plugin.ts): it runs as soon as it is fetched, so the
 * worker starts while the HTML (with the prerendered first state) is still parsed and laid out. React mounts
 * only once the whole document is in.
 */
const parsed = new Promise<void>((resolve) => {
  if (document.readyState !== 'loading') resolve();
  else document.addEventListener('DOMContentLoaded', () => resolve(), { once: true });
});
// On a plain first visit `#root` already shows the first state, prerendered at build (tools/prerender-plugin.ts),
// inert until now: React takes that markup over (src/app/mount.tsx hydrates it), and the copies for the other
// screen sizes are dropped.
void Promise.all([import('./app/mount'), answered, parsed]).then(([{ mount }]) => {
  for (const copy of document.querySelectorAll('script[data-first-state]')) copy.remove();
  mount(document.getElementById('root')!, lab, embed);
});
