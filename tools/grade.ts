/**
 * The challenge grader: `npm run --silent grade -- CHALLENGE.json SOLUTION.json... [--csv]`.
 * One line per solution: `PASS NAME steps=N` or `FAIL NAME: reason` on
 * standard output; an invalid solution gets `FILE: step N: field: reason` on
 * standard error instead, as the scenario runner reports. With --csv:
 * `file,verdict,steps,reason` rows (verdict PASS, FAIL or INVALID).
 * Exit 0 if all pass, 1 if some fail, 2 if a file is invalid (or unreadable).
 */
import { splitArgs, usageError } from './argv';
import { endQuietlyOnClosedPipe } from './closed-pipe';
import { readInputText } from './input-file';
import { formatFileError, parseChallenge } from '../src/teaching/challenge';
import { gradeSolution, verdictLine } from '../src/teaching/grade';

const USAGE = 'usage: npm run --silent grade -- CHALLENGE.json SOLUTION.json... [--csv]\n';

function csvField(s: string): string {
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** A challenge or solution file's text under the runner's rule (16 MiB, UTF-8), or why it is refused. */
function read(file: string, what: string): string | { reason: string } {
  return readInputText(file, { what, nameUnreadable: false });
}

function main(argv: string[]): number {
  const args = splitArgs(argv, ['--csv']);
  if (typeof args === 'string' || args.files.length < 2) {
    process.stderr.write(
      usageError(typeof args === 'string' ? args : 'a challenge and at least one solution, please', USAGE),
    );
    return 2;
  }
  const csv = args.flags.has('--csv');
  const [challengeFile, ...solutionFiles] = args.files as [string, ...string[]];
  const text = read(challengeFile, 'challenge file');
  if (typeof text !== 'string') {
    process.stderr.write(`${challengeFile}: step -1: ${text.reason}\n`);
    return 2;
  }
  const parsed = parseChallenge(text);
  if (!parsed.ok) {
    process.stderr.write(`${challengeFile}: ${formatFileError(parsed.error)}\n`);
    return 2;
  }
  const challenge = parsed.challenge;
  const say = (line: string) => process.stdout.write(`${line}\n`);
  if (csv) say('file,verdict,steps,reason');
  let worst = 0;
  for (const file of solutionFiles) {
    const solution = read(file, 'solution file');
    const v =
      typeof solution !== 'string'
        ? ({ verdict: 'INVALID', error: { step: -1, field: '', reason: solution.reason } } as const)
        : gradeSolution(challenge, solution);
    if (v.verdict === 'INVALID') {
      worst = 2;
      if (csv) say([file, 'INVALID', '', formatFileError(v.error)].map(csvField).join(','));
      else process.stderr.write(`${file}: ${formatFileError(v.error)}\n`);
      continue;
    }
    if (v.verdict === 'FAIL') worst = Math.max(worst, 1);
    if (csv) say([file, v.verdict, String(v.steps), v.verdict === 'FAIL' ? v.reason : ''].map(csvField).join(','));
    else say(verdictLine(challenge, v));
  }
  return worst;
}

endQuietlyOnClosedPipe();
process.exitCode = main(process.argv.slice(2));
