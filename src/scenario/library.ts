/** The scenario library: every scenarios/*.json, bundled at build time. */
import type { Scenario } from '../protocol/scenario';
import { parseScenario } from './schema';

const files = import.meta.glob('/scenarios/*.json', { eager: true, query: '?raw', import: 'default' }) as Record<
  string,
  string
>;

export interface LibraryEntry {
  readonly name: string;
  readonly title: string;
  readonly scenario: Scenario;
}

export const LIBRARY: readonly LibraryEntry[] = Object.entries(files)
  .map(([path, text]) => {
    const parsed = parseScenario(text);
    if (!parsed.ok || parsed.scenario.pager !== 'openbsd') return null;
    const name = path.replace(/^.*\//, '').replace(/\.json$/, '');
    return { name, title: parsed.scenario.title ?? name, scenario: parsed.scenario };
  })
  .filter((e): e is LibraryEntry => e !== null)
  .sort((a, b) => a.name.localeCompare(b.name));

export const DEFAULT_SCENARIO_NAME = 'lecture-walkthrough';
