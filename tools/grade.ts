/**
 * The challenge grader: `npm run --silent grade -- CHALLENGE.json SOLUTION.json... [--csv]`.
 * One line per solution: `PASS NAME steps=N` or `FAIL NAME: reason` on
 * standard output; an invalid solution gets `FILE: step N: field: reason` on
 * standard error instead, as the scenario runner reports. With --csv:
 * `file,verdict,steps,reason` rows (verdict PASS, FAIL or INVALID).
 * Exit 0 if all pass, 1 if some fail, 2 if a file is invalid (or unreadable).
 */
import { readFileSync } from 'node:fs';
import { endQuietlyOnClosedPipe } from './closed-pipe';
import { fromCaller } from './caller-path';
import { formatFileError, parseChallenge } from '../src/teaching/challenge';
import { gradeSolution, verdictLine } from '../src/teaching/grade';

const USAGE = 'usage: npm run --silent grade -- CHALLENGE.json SOLUTION.json... [--csv]\n';

function csvField(s: string): string {
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function read(file: string): string | Error {
  try {
    return readFileSync(fromCaller(file), 'utf8');
  } catch (e) {
    return e as Error;
  }
}

function main(argv: string[]): number {
  const csv = argv.includes('--csv');
  const unknown = argv.filter((a) => a.startsWith('--') && a !== '--csv');
  const files = argv.filter((a) => !a.startsWith('--'));
  if (unknown.length > 0 || files.length < 2) {
    process.stderr.write(USAGE);
    return 2;
  }
  const [challengeFile, ...solutionFiles] = files as [string, ...string[]];
  const text = read(challengeFile);
  if (text instanceof Error) {
    process.stderr.write(`${challengeFile}: step -1: cannot read: ${text.message}\n`);
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
    const solution = read(file);
    const v =
      solution instanceof Error
        ? ({ verdict: 'INVALID', error: { step: -1, field: '', reason: `cannot read: ${solution.message}` } } as const)
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
