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
  /** Story step, 1-based (0 and past the story's end are said by the view); null when absent. */
  readonly step: number | null;
  /** `&step=` that is not a step number, as written (the view says so and opens the first). */
  readonly badStep: string | null;
}

export function isCompareHash(hash: string): boolean {
  return hash.startsWith(COMPARE_PREFIX);
}

/** The parts of a `#compare=` hash; null when the hash is not a compare link. */
export function compareParams(hash: string): CompareParams | null {
  if (!isCompareHash(hash)) return null;
  const [pair = '', ...rest] = hash.slice(COMPARE_PREFIX.length).split('&');
  let step: number | null = null;
  let badStep: string | null = null;
  for (const part of rest) {
    const [key, value = ''] = part.split('=');
    if (key !== 'step') continue;
    if (/^\d{1,9}$/.test(value)) step = Number(value);
    else badStep = decodeOrKeep(value).slice(0, 40);
  }
  return { pair: decodeOrKeep(pair), step, badStep };
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
