/**
 * The scenario library: every scenarios/*.json, bundled at build time as
 * text. The worker reads and validates an entry when it is opened; here only
 * its name, pager and title are read (the files are ours, and checked by
 * test/scenarios.test.ts).
 */
const files = import.meta.glob('/scenarios/*.json', { eager: true, query: '?raw', import: 'default' }) as Record<
  string,
  string
>;

export interface LibraryEntry {
  readonly name: string;
  readonly pager: string;
  readonly title: string;
  readonly text: string;
}

export const LIBRARY: readonly LibraryEntry[] = Object.entries(files)
  .map(([path, text]) => {
    const { pager, title } = JSON.parse(text) as { pager: string; title?: string };
    const name = path.replace(/^.*\//, '').replace(/\.json$/, '');
    return { name, pager, title: title ?? name, text };
  })
  .sort((a, b) => a.name.localeCompare(b.name));

export const DEFAULT_SCENARIO_NAME = 'lecture-walkthrough';

/** A library entry's setup with no steps, as text: the lab's blank start. */
export function withoutSteps(entry: LibraryEntry): string {
  return JSON.stringify({ ...(JSON.parse(entry.text) as object), steps: [] });
}
