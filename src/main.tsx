import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { savedSession, startSaving } from './app/persistence';
import { Root } from './app/Root';
import { openTeachingLink } from './app/teach-entry';
import { createLab, simWorker } from './client/sim-client';
import { blankStart } from './app/library';
import { HASH_PREFIX, linkParams } from './scenario/link';
import './styles.css';

const lab = createLab(simWorker);
/** `?embed=1`: the read-only viewer for iframes; it neither restores nor saves the learner's own session. */
const embed = new URLSearchParams(location.search).get('embed') === '1';

function boot(): void {
  const { dispatch } = lab.store.getState();
  if (embed) lab.store.getState().setReadOnly(true);
  const saved = embed ? null : savedSession();
  // The saved session (or the default) loads first, so that a link the worker refuses
  // leaves that session in place instead of nothing.
  if (saved)
    dispatch({
      type: 'open',
      source: { kind: 'text', text: saved.text },
      origin: 'Saved session',
      cursor: saved.cursor,
    });
  else dispatch({ type: 'open', source: { kind: 'text', text: blankStart() }, origin: 'Library' });
  // A link opens at its `&at=N` step (else its last) with its `&thread=T` selected.
  const openLink = () => {
    if (location.hash.startsWith(HASH_PREFIX)) {
      const params = linkParams(location.hash);
      dispatch({
        type: 'open',
        source: { kind: 'link', hash: location.hash },
        origin: 'Shared link',
        ...(params?.at != null ? { cursor: params.at } : {}),
        ...(params?.thread ? { select: params.thread } : {}),
      });
    } else openTeachingLink(lab.store, location.hash);
  };
  openLink();
  if (!embed) startSaving(lab.store);
  window.addEventListener('hashchange', openLink);
}

boot();
createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <Root lab={lab} embed={embed} />
  </StrictMode>,
);
