import { lazy, Suspense, useRef, useState } from 'react';
import { useOnceTrue } from '../panels/common/useOnceTrue';
import { LIBRARY, LIBRARY_GROUPS, loadText, START_HERE_ENTRY, type LibraryEntry } from './library';
import { scenarioToHash, scenarioToText } from '../scenario/link';
import { useDispatch, useLab, useLabStore } from '../store/context';
import { selectTitle } from '../store/selectors';
import { currentScenario, type LabAction } from '../store/store';

/** Asked only when Reset is pressed: fetched then, and kept (see useOnceTrue). */
const ResetDialog = lazy(() => import('./ResetDialog').then((m) => ({ default: m.ResetDialog })));

/** Opening a library scenario (its `text`): at step 0, its first thread selected, its explanation open. */
export function openLibraryAction(entry: LibraryEntry, text: string): LabAction {
  return {
    type: 'open',
    source: { kind: 'text', text },
    origin: `Library ${entry.name}`,
    cursor: 0,
    about: true,
    ...(entry.firstThread ? { select: entry.firstThread } : {}),
  };
}

let lastPick = 0;

/**
 * Fetch `entry`'s text (its own chunk), then open it; if another scenario was picked meanwhile, only the
 * last pick opens. A failed fetch (offline, a stale deploy) says so and changes nothing.
 */
export async function openLibrary(
  entry: LibraryEntry,
  dispatch: (action: LabAction) => void,
  notify: (text: string) => void,
): Promise<void> {
  const pick = ++lastPick;
  let text: string;
  try {
    text = await loadText(entry);
  } catch (e) {
    if (pick === lastPick) notify(`Could not load ${entry.label} from the library (${String(e)}); reload the page.`);
    return;
  }
  if (pick === lastPick) dispatch(openLibraryAction(entry, text));
}

/** What a shared link opens at, in words. */
function linkText(at: number, thread: string | null): string {
  return `step ${at}${thread ? ` with ${thread} selected` : ''}`;
}

/** Open from the library, import and export a file, share a link, reset. */
export function ScenarioBar() {
  const title = useLab(selectTitle);
  const store = useLabStore();
  const dispatch = useDispatch();
  const fileInput = useRef<HTMLInputElement>(null);
  const [libraryChoice, setLibraryChoice] = useState('');
  // What a reset would drop, read when it is asked for (the bar need not re-render on every step).
  const [confirmReset, setConfirmReset] = useState<{ steps: number; branches: number } | null>(null);
  const askedReset = useOnceTrue(confirmReset !== null);
  const notifyError = (text: string) => store.getState().notify({ kind: 'error', text });

  const importFile = async (file: File) => {
    const origin = `Import of ${file.name}`;
    // The bytes, read as the runner reads a file: `file.text()` would put U+FFFD for a bad byte and drop a
    // byte order mark, so a file the runner refuses would load here.
    const bytes = new Uint8Array(await file.arrayBuffer());
    const { decodeUtf8 } = await import('../scenario/utf8');
    const decoded = decodeUtf8(bytes);
    if ('badByte' in decoded) {
      const hex = bytes[decoded.badByte]!.toString(16).padStart(2, '0');
      return notifyError(`${origin}: the file is not valid UTF-8 at byte ${decoded.badByte} (0x${hex})`);
    }
    dispatch({ type: 'open', source: { kind: 'text', text: decoded.text }, origin });
  };

  const exportFile = () => {
    const scenario = currentScenario(store.getState());
    if (!scenario) return;
    const url = URL.createObjectURL(new Blob([scenarioToText(scenario)], { type: 'application/json' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = 'pager-lab-scenario.json';
    a.click();
    URL.revokeObjectURL(url);
  };

  const share = async () => {
    const state = store.getState();
    const scenario = currentScenario(state);
    if (!scenario) return;
    // The link carries every step of the current branch, the cursor and the selected thread.
    const thread = state.selectedThread;
    const hash = await scenarioToHash(scenario, state.cursor, thread);
    const url = `${location.origin}${location.pathname}${hash}`;
    // In the address until the lab moves on: then a reload restores the session, not the link.
    void import('./link-in-address').then((m) => m.showLinkInAddress(store, hash));
    try {
      await navigator.clipboard.writeText(url);
      state.notify({ kind: 'info', text: `Link copied: it opens this scenario at ${linkText(state.cursor, thread)}.` });
    } catch {
      state.notify({ kind: 'info', text: `Share this link (it opens at ${linkText(state.cursor, thread)}): ${url}` });
    }
  };

  return (
    <>
      <div className="scenario-bar" role="toolbar" aria-label="Scenario">
        <span className="scenario-title" title={title}>
          {title || 'Untitled scenario'}
        </span>
        <button
          type="button"
          disabled={!START_HERE_ENTRY}
          title={START_HERE_ENTRY ? `Open ${START_HERE_ENTRY.label}: the suggested first scenario` : undefined}
          onClick={() => START_HERE_ENTRY && void openLibrary(START_HERE_ENTRY, dispatch, notifyError)}
        >
          Start here
        </button>
        <label>
          <span className="visually-hidden">Open from library</span>
          <select
            aria-label="Open from library"
            value={libraryChoice}
            onChange={(e) => {
              const entry = LIBRARY.find((x) => x.name === e.target.value);
              setLibraryChoice('');
              if (entry) void openLibrary(entry, dispatch, notifyError);
            }}
          >
            <option value="">Open from library…</option>
            {LIBRARY_GROUPS.map((group) => (
              <optgroup key={group.topic} label={group.topic}>
                {group.entries.map((entry, i) => (
                  <option key={entry.name} value={entry.name} title={entry.title}>
                    {group.entries.length > 1 ? `${i + 1}. ` : ''}
                    {entry.label}
                  </option>
                ))}
              </optgroup>
            ))}
          </select>
        </label>
        <button type="button" onClick={() => fileInput.current?.click()}>
          Import…
        </button>
        <input
          ref={fileInput}
          type="file"
          accept="application/json,.json"
          aria-label="Import scenario file"
          // Reached through "Import…", never by Tab: a hidden control must not take focus.
          tabIndex={-1}
          className="visually-hidden"
          onChange={(e) => {
            const file = e.target.files?.[0];
            e.target.value = '';
            if (file) void importFile(file);
          }}
        />
        <button type="button" onClick={exportFile}>
          Export
        </button>
        <button type="button" onClick={() => void share()}>
          Share link
        </button>
        <button
          type="button"
          onClick={() => {
            const { length, branches } = store.getState();
            setConfirmReset({ steps: length, branches: branches.length });
          }}
        >
          Reset
        </button>
        <button type="button" onClick={() => store.getState().setHelpOpen(true)} aria-keyshortcuts="?">
          Help
        </button>
      </div>
      {askedReset && (
        <Suspense fallback={null}>
          <ResetDialog
            open={confirmReset !== null}
            steps={confirmReset?.steps ?? 0}
            branches={confirmReset?.branches ?? 0}
            onReset={() => dispatch({ type: 'reset' })}
            onClose={() => setConfirmReset(null)}
          />
        </Suspense>
      )}
    </>
  );
}
