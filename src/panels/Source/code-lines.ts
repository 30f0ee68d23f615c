/**
 * Which seed lines hold C code: a thread never stands on a blank or comment line, so a run to one is refused
 * (by the Run to line button and its Ctrl+F10 shortcut alike). Apart from seeds.ts, which the page's entry
 * loads: the tokenizer comes with the panels.
 */
import { tokenizeC, type Token } from '../../viz/c-highlight';
import { fetchedSeed } from './seeds';

/** A line holds C code: not blank, not only a comment. */
export const hasCode = (tokens: readonly Token[] | undefined): boolean =>
  tokens?.some((t) => t.kind !== 'comment' && t.text.trim() !== '') ?? false;

const tokenized = new Map<string, readonly (readonly Token[])[]>();

/** Whether line `n` of seed `path` holds C code; undefined while its text has not come in. */
export function seedLineHasCode(path: string, n: number): boolean | undefined {
  const text = fetchedSeed(path);
  if (text === undefined) return undefined;
  let lines = tokenized.get(path);
  if (!lines) tokenized.set(path, (lines = tokenizeC(text)));
  return hasCode(lines[n - 1]);
}
