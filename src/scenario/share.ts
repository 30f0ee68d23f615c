/**
 * Scenario files and links. A link is the URL hash `#scenario=` followed by
 * lz-string's compressToEncodedURIComponent of the scenario JSON (as the
 * TypeScript playground shares code). Everything read is validated first.
 */
import { compressToEncodedURIComponent, decompressFromEncodedURIComponent } from 'lz-string';
import type { Scenario } from '../protocol/scenario';
import { formatScenarioError, parseScenario } from './schema';

export const HASH_PREFIX = '#scenario=';

export type ReadResult = { ok: true; scenario: Scenario } | { ok: false; message: string };

export function readScenarioText(text: string, origin: string): ReadResult {
  const parsed = parseScenario(text);
  if (!parsed.ok) return { ok: false, message: `${origin}: ${formatScenarioError(parsed.error)}` };
  if (parsed.scenario.pager !== 'openbsd')
    return { ok: false, message: `${origin}: the ${parsed.scenario.pager} pager is not modelled yet` };
  return { ok: true, scenario: parsed.scenario };
}

export function scenarioToText(scenario: Scenario): string {
  return `${JSON.stringify(scenario, null, 2)}\n`;
}

export function scenarioToHash(scenario: Scenario): string {
  return HASH_PREFIX + compressToEncodedURIComponent(JSON.stringify(scenario));
}

/** null when the hash is not a scenario link at all. */
export function readScenarioHash(hash: string): ReadResult | null {
  if (!hash.startsWith(HASH_PREFIX)) return null;
  const text = decompressFromEncodedURIComponent(hash.slice(HASH_PREFIX.length));
  if (!text) return { ok: false, message: 'Shared link: the #scenario= data is not a valid compressed scenario' };
  return readScenarioText(text, 'Shared link');
}
