/**
 * The bundled pair index (scenarios/compare/pairs.json), read once. Its
 * scenarios must be in the library; test/compare-pairs.test.ts checks the
 * file itself, so a refusal here means a broken build, said plainly.
 */
import { LIBRARY, type LibraryEntry } from '../library';
import { readPairIndex, type KernelPair } from './pairs';

const files = import.meta.glob('/scenarios/compare/pairs.json', {
  eager: true,
  query: '?raw',
  import: 'default',
}) as Record<string, string>;

function load(): { pairs: readonly KernelPair[]; error: string | null } {
  const raw = Object.values(files)[0];
  if (raw === undefined) return { pairs: [], error: 'The pair index scenarios/compare/pairs.json is missing.' };
  const read = readPairIndex(JSON.parse(raw));
  if (!read.ok) return { pairs: [], error: `The pair index is invalid: ${read.error}` };
  const missing = read.pairs.flatMap((p) =>
    [p.openbsd, p.freebsd].filter((n) => !LIBRARY.some((e) => e.name === n)).map((n) => `${p.id}: ${n}`),
  );
  if (missing.length)
    return { pairs: [], error: `The pair index names scenarios not in the library: ${missing.join('; ')}` };
  return { pairs: read.pairs, error: null };
}

const loaded = load();

export const PAIRS: readonly KernelPair[] = loaded.pairs;
export const PAIRS_ERROR: string | null = loaded.error;
export const DEFAULT_PAIR = PAIRS[0]?.id ?? '';

export function findPair(id: string): KernelPair | undefined {
  return PAIRS.find((p) => p.id === id);
}

export function libraryEntry(name: string): LibraryEntry | undefined {
  return LIBRARY.find((e) => e.name === name);
}
