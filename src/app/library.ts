/**
 * The scenario library: every scenarios/*.json, grouped by topic in a
 * suggested order (library-index.ts). The first page holds only the list:
 * each file's pager, its title's first sentence and its first thread (vite.config.ts's
 * `?library-meta`); a scenario's text is its own chunk, fetched when it is
 * opened (`loadText`), except the default scenario's, which the first state
 * shows. The worker reads and validates an entry when it is opened (the files
 * are ours, and checked by test/scenarios.test.ts).
 */
import { LIBRARY_TOPICS, START_HERE } from './library-index';
import startHereText from '/scenarios/lecture-walkthrough.json?raw';

/** The default scenario (START_HERE), whose text comes with the page: the blank start is its setup. */
export const START_HERE_PATH = '/scenarios/lecture-walkthrough.json';

interface Meta {
  readonly pager: string;
  readonly title: string | null;
  readonly firstThread: string | null;
}

const metas = import.meta.glob('/scenarios/*.json', {
  eager: true,
  query: '?library-meta',
  import: 'default',
}) as Record<string, Meta>;
const texts = import.meta.glob('/scenarios/*.json', { query: '?raw', import: 'default' }) as Record<
  string,
  () => Promise<string>
>;

export interface LibraryEntry {
  /** The file name without `.json`. */
  readonly name: string;
  readonly pager: string;
  /** The first sentence of the scenario's title (its explanation), for the picker's tooltip. */
  readonly title: string;
  /** A short name for the picker. */
  readonly label: string;
  readonly topic: string;
  /** The first thread it starts, selected when it opens. */
  readonly firstThread: string | null;
  /** The file's path, the key of its text. */
  readonly path: string;
}

export interface LibraryGroup {
  readonly topic: string;
  readonly entries: readonly LibraryEntry[];
}

const nameOf = (path: string) => path.replace(/^.*\//, '').replace(/\.json$/, '');

function entryOf(path: string, meta: Meta): Omit<LibraryEntry, 'label' | 'topic'> {
  const name = nameOf(path);
  return { name, pager: meta.pager, title: meta.title ?? name, firstThread: meta.firstThread, path };
}

/** An entry's scenario text: fetched (once, then cached by the module loader) when it is first opened. */
export function loadText(entry: Pick<LibraryEntry, 'name' | 'path'>): Promise<string> {
  if (entry.path === START_HERE_PATH) return Promise.resolve(startHereText);
  const load = texts[entry.path];
  return load ? load() : Promise.reject(new Error(`no scenario ${entry.name} in the library`));
}

const byName = new Map(
  Object.entries(metas)
    .map(([path, meta]) => entryOf(path, meta))
    .map((e) => [e.name, e]),
);

/** The topics in suggested order; a file the index does not list yet goes under "Other", by name. */
export const LIBRARY_GROUPS: readonly LibraryGroup[] = (() => {
  const listed = new Set<string>();
  const groups: LibraryGroup[] = LIBRARY_TOPICS.map((t) => ({
    topic: t.topic,
    entries: t.entries.flatMap(({ name, label }) => {
      const e = byName.get(name);
      if (!e) return [];
      listed.add(name);
      return [{ ...e, label, topic: t.topic }];
    }),
  })).filter((g) => g.entries.length > 0);
  const rest = [...byName.values()]
    .filter((e) => !listed.has(e.name))
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((e) => ({ ...e, label: e.name, topic: 'Other' }));
  if (rest.length > 0) groups.push({ topic: 'Other', entries: rest });
  return groups;
})();

/** Every entry, in the suggested order. */
export const LIBRARY: readonly LibraryEntry[] = LIBRARY_GROUPS.flatMap((g) => g.entries);

export const START_HERE_ENTRY: LibraryEntry | undefined = LIBRARY.find((e) => e.name === START_HERE);

export const DEFAULT_SCENARIO_NAME = START_HERE;

/** The default scenario's setup with no steps, as text: the lab's blank start (no fetch before it). */
export function blankStart(): string {
  return JSON.stringify({ ...(JSON.parse(startHereText) as object), steps: [] });
}
