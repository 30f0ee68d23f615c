/**
 * The scenario library: every scenarios/*.json, bundled at build time as
 * text, grouped by topic in a suggested order (library-index.ts). The worker
 * reads and validates an entry when it is opened; here only its pager, title
 * and first thread are read (the files are ours, and checked by
 * test/scenarios.test.ts).
 */
import { LIBRARY_TOPICS, START_HERE } from './library-index';

const files = import.meta.glob('/scenarios/*.json', { eager: true, query: '?raw', import: 'default' }) as Record<
  string,
  string
>;

export interface LibraryEntry {
  /** The file name without `.json`. */
  readonly name: string;
  readonly pager: string;
  /** The scenario's own title: its explanation. */
  readonly title: string;
  /** A short name for the picker. */
  readonly label: string;
  readonly topic: string;
  /** The first thread it starts, selected when it opens. */
  readonly firstThread: string | null;
  readonly text: string;
}

export interface LibraryGroup {
  readonly topic: string;
  readonly entries: readonly LibraryEntry[];
}

function entryOf(path: string, text: string): Omit<LibraryEntry, 'label' | 'topic'> {
  const { pager, title, steps } = JSON.parse(text) as { pager: string; title?: string; steps?: unknown[] };
  const name = path.replace(/^.*\//, '').replace(/\.json$/, '');
  const spawn = steps?.find((s): s is { spawn: string } => typeof (s as { spawn?: unknown }).spawn === 'string');
  return { name, pager, title: title ?? name, firstThread: spawn?.spawn ?? null, text };
}

const byName = new Map(
  Object.entries(files)
    .map(([path, text]) => entryOf(path, text))
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

/** A library entry's setup with no steps, as text: the lab's blank start. */
export function withoutSteps(entry: LibraryEntry): string {
  return JSON.stringify({ ...(JSON.parse(entry.text) as object), steps: [] });
}
