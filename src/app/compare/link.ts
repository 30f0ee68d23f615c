/**
 * Compare links: `#compare=PAIR` opens the compare view on a kernel pair
 * (scenarios/compare/pairs.json), at its first story step; `&step=K` at story
 * step K (1-based, as the story bar numbers them).
 */
export const COMPARE_PREFIX = '#compare=';

/**
 * The pair the lab's header links to: the first of pairs.json (a unit test holds them equal), named here so
 * the first page need not load the pairs.
 */
export const FIRST_PAIR = 'one-fault';

export interface CompareParams {
  /** The pair's id as written (checked against the index by the view). */
  readonly pair: string;
  /** Story step, 1-based; null when absent or not a positive number. */
  readonly step: number | null;
}

export function isCompareHash(hash: string): boolean {
  return hash.startsWith(COMPARE_PREFIX);
}

/** The parts of a `#compare=` hash; null when the hash is not a compare link. */
export function compareParams(hash: string): CompareParams | null {
  if (!isCompareHash(hash)) return null;
  const [pair = '', ...rest] = hash.slice(COMPARE_PREFIX.length).split('&');
  let step: number | null = null;
  for (const part of rest) {
    const [key, value = ''] = part.split('=');
    if (key === 'step' && /^[1-9]\d{0,3}$/.test(value)) step = Number(value);
  }
  return { pair: decodeOrKeep(pair), step };
}

/** A malformed escape (`%`, `%ZZ`) stays as typed: the view then says no pair has that name. */
function decodeOrKeep(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** The link to `pair` at story step `step` (1-based). */
export function compareHash(pair: string, step?: number): string {
  return `${COMPARE_PREFIX}${encodeURIComponent(pair)}${step !== undefined ? `&step=${step}` : ''}`;
}
