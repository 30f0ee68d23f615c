/**
 * How the command-line tools read their words: options before or after the files, `--` ends the options (a
 * file named like one goes after it), and a word that starts with `-` (not `-` alone) is an option, so a
 * mistyped one is named (`unknown option --finall`) rather than read as a file. A refusal is the problem on
 * one line, then the usage; the tools exit 2 for it.
 */

/** Whether `word` is written as an option. */
export const isOption = (word: string): boolean => word.length > 1 && word.startsWith('-');

/** The files and the flags of `argv` when every option is one of `flags`; otherwise the problem. */
export function splitArgs(
  argv: readonly string[],
  flags: readonly string[],
): { files: string[]; flags: Set<string> } | string {
  const files: string[] = [];
  const given = new Set<string>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') {
      files.push(...argv.slice(i + 1));
      break;
    }
    if (!isOption(a)) files.push(a);
    else if (flags.includes(a)) given.add(a);
    else return `unknown option ${a}`;
  }
  return { files, flags: given };
}

/** What a tool prints for a command line it refuses: the problem, then how to call it. */
export const usageError = (problem: string, usage: string): string => `${problem}\n${usage.trimEnd()}\n`;
