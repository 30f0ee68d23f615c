/**
 * A lab link to a finding: `#scenario=` and lz-string's
 * compressToEncodedURIComponent of the scenario JSON (the lab's share-link
 * format, src/scenario/share.ts), then `&at=N` to put the cursor after step N.
 */
import LZString from 'lz-string';
import type { Scenario } from '../../protocol/scenario';

export function findingLink(scenario: Scenario, at: number): string {
  return `#scenario=${LZString.compressToEncodedURIComponent(JSON.stringify(scenario))}&at=${at}`;
}
