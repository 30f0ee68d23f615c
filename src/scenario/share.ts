/**
 * Reading scenarios from text and links, where the engine is: in the worker
 * and the Node tools. Everything read is validated first.
 */
// The default import: lz-string is CommonJS, and Node's ESM loader (the bench under tsx) sees no named exports.
import LZString from 'lz-string';
import type { Scenario } from '../protocol/scenario';
import { grouped } from '../protocol/format';
import { linkParams } from './link';
import { parseScenario, type ScenarioError } from './schema';

/** Longest compressed link accepted: far above any library scenario (the 16,387-step one is ~60 KB). */
export const MAX_LINK_LENGTH = 4 * 1024 * 1024;

export type ReadResult = { ok: true; scenario: Scenario } | { ok: false; message: string };

/**
 * A reader's error as the lab says it: steps numbered as its timeline numbers
 * them (1 for the first; the runner's `step 0`), setup fields under "setup",
 * and a fault in the file as a whole (invalid JSON before any step) with no
 * step at all (the runner's `step -1`).
 */
export function labScenarioError(e: ScenarioError): string {
  const where = e.step >= 0 ? `step ${e.step + 1}` : e.field ? 'setup' : '';
  return [where, e.field, e.reason].filter(Boolean).join(': ');
}

export function readScenarioText(text: string, origin: string): ReadResult {
  const parsed = parseScenario(text);
  if (!parsed.ok) return { ok: false, message: `${origin}: ${labScenarioError(parsed.error)}` };
  return { ok: true, scenario: parsed.scenario };
}

/** Decode and validate a link's scenario. */
export function readScenarioLink(hash: string, origin = 'Shared link'): ReadResult {
  const params = linkParams(hash);
  if (!params) return { ok: false, message: `${origin}: not a #scenario= link` };
  if (params.data.length > MAX_LINK_LENGTH)
    return {
      ok: false,
      message: `${origin}: the link holds ${grouped(params.data.length)} characters; the limit is ${grouped(MAX_LINK_LENGTH)}`,
    };
  let text: string | null;
  try {
    text = LZString.decompressFromEncodedURIComponent(params.data);
  } catch {
    // NOTE: lz-string throws (a TypeError) on some malformed data ("zz") instead of returning null; uncaught,
    // that stopped the worker on every reopen of the same link.
    text = null;
  }
  if (!text) return { ok: false, message: `${origin}: the #scenario= data is not a valid compressed scenario` };
  return readScenarioText(text, origin);
}
