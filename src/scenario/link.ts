/**
 * Scenario links, the UI's half: a link is the URL hash `#scenario=` followed
 * by lz-string's compressToEncodedURIComponent of the scenario JSON (as the
 * TypeScript playground shares code), then optionally `&at=N` (the cursor:
 * steps applied) and `&thread=T` (the thread selected). Decompressing and
 * validating happen in the worker (scenario/share.ts).
 */
import type { Scenario } from '../protocol/scenario';

export const HASH_PREFIX = '#scenario=';

export function scenarioToText(scenario: Scenario): string {
  return `${JSON.stringify(scenario, null, 2)}\n`;
}

export interface LinkParams {
  /** Compressed scenario data (after `#scenario=`). */
  data: string;
  /** `&at=N`: steps applied, when given. */
  at: number | null;
  /** `&thread=T`: the selected thread, when given. */
  thread: string | null;
  /** The parts after the data that were not used, with why (`at=-1: not a step number`), in link order. */
  ignored: string[];
}

/** The parts of a `#scenario=` hash; null when the hash is not a scenario link. */
export function linkParams(hash: string): LinkParams | null {
  if (!hash.startsWith(HASH_PREFIX)) return null;
  const [data = '', ...rest] = hash.slice(HASH_PREFIX.length).split('&');
  let at: number | null = null;
  let thread: string | null = null;
  const ignored: string[] = [];
  for (const part of rest) {
    const [key, value = ''] = part.split('=');
    const shown = part.length > 40 ? `${part.slice(0, 40)}…` : part;
    if (key === 'at') {
      if (/^\d{1,9}$/.test(value)) at = Number(value);
      else ignored.push(`${shown}: not a step number`);
    } else if (key === 'thread') {
      if (/^[A-Za-z0-9_.-]{1,64}$/.test(value)) thread = value;
      else ignored.push(`${shown}: not a thread name`);
    } else ignored.push(`${shown}: not a part of a link`);
  }
  return { data, at, thread, ignored };
}

/** The link to `scenario`, at `at` steps with `thread` selected when given. Loads lz-string on first use. */
export async function scenarioToHash(scenario: Scenario, at?: number, thread?: string | null): Promise<string> {
  const { compressToEncodedURIComponent } = await import('lz-string');
  let hash = HASH_PREFIX + compressToEncodedURIComponent(JSON.stringify(scenario));
  if (at !== undefined) hash += `&at=${at}`;
  if (thread) hash += `&thread=${thread}`;
  return hash;
}
