/**
 * The hostile-input corpus: every case is an input file, the exit code the runner must give and the one
 * line it must print on standard error (and how many digests before it). Grouped by what breaks:
 * JSON itself (json.ts), the setup (setup.ts), the steps (steps.ts), impossible steps, limits and valid
 * edges (runtime.ts), the FreeBSD setup keys (freebsd.ts).
 */
import type { HostileCase } from './build';
import { FREEBSD_CASES } from './freebsd';
import { JSON_CASES } from './json';
import { RUNTIME_CASES } from './runtime';
import { SETUP_CASES } from './setup';
import { STEP_CASES } from './steps';

export type { HostileCase };

export const HOSTILE_CASES: readonly HostileCase[] = [
  ...JSON_CASES,
  ...SETUP_CASES,
  ...STEP_CASES,
  ...RUNTIME_CASES,
  ...FREEBSD_CASES,
];

/** The case's input as the bytes of a file. */
export function inputBytes(c: HostileCase): Uint8Array {
  const input = typeof c.input === 'function' ? c.input() : c.input;
  return typeof input === 'string' ? new TextEncoder().encode(input) : input;
}
