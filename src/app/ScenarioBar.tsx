import { useRef, useState } from 'react';
import { LIBRARY } from './library';
import { scenarioToHash, scenarioToText } from '../scenario/link';
import { useDispatch, useLab, useLabStore } from '../store/context';
import { selectTitle } from '../store/selectors';
import { currentScenario } from '../store/store';

/** Open from the library, import and export a file, share a link, reset. */
export function ScenarioBar() {
  const title = useLab(selectTitle);
  const store = useLabStore();
  const dispatch = useDispatch();
  const fileInput = useRef<HTMLInputElement>(null);
  const [libraryChoice, setLibraryChoice] = useState('');

  const importFile = async (file: File) => {
    dispatch({ type: 'open', source: { kind: 'text', text: await file.text() }, origin: `Import of ${file.name}` });
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
    const scenario = currentScenario(store.getState());
    if (!scenario) return;
    const hash = await scenarioToHash(scenario);
    const url = `${location.origin}${location.pathname}${hash}`;
    history.replaceState(null, '', hash);
    try {
      await navigator.clipboard.writeText(url);
      store.getState().notify({ kind: 'info', text: 'Link copied: it opens this scenario at its last step.' });
    } catch {
      store.getState().notify({ kind: 'info', text: `Share this link: ${url}` });
    }
  };

  return (
    <div className="scenario-bar" role="toolbar" aria-label="Scenario">
      <span className="scenario-title" title={title}>
        {title || 'Untitled scenario'}
      </span>
      <label>
        <span className="visually-hidden">Open from library</span>
        <select
          aria-label="Open from library"
          value={libraryChoice}
          onChange={(e) => {
            const entry = LIBRARY.find((x) => x.name === e.target.value);
            setLibraryChoice('');
            if (entry)
              dispatch({ type: 'open', source: { kind: 'text', text: entry.text }, origin: `Library ${entry.name}` });
          }}
        >
          <option value="">Open from library…</option>
          {LIBRARY.map((entry) => (
            <option key={entry.name} value={entry.name} title={entry.title}>
              {entry.name}
            </option>
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
      <button type="button" onClick={() => dispatch({ type: 'reset' })}>
        Reset
      </button>
      <button type="button" onClick={() => store.getState().setHelpOpen(true)} aria-keyshortcuts="?">
        Help
      </button>
    </div>
  );
}
