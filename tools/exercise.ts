/**
 * Seeded exercises: `npm run --silent exercise -- --seed N [--kind K] [--answers] [--json]`.
 * The same seed (and kind) prints the same bytes on every machine. --json
 * prints one document `{"seed","kind","scenario","questions"}` (compact, keys
 * in that order); --answers adds each question's answer, the value the
 * runner prints at its step and path. Without --json: the steps and the
 * questions as text. Exit 2 on a bad command line.
 */
import { pathToFileURL } from 'node:url';
import { isOption, usageError } from './argv';
import { endQuietlyOnClosedPipe } from './closed-pipe';
import {
  EXERCISE_KIND_TITLES,
  EXERCISE_KINDS,
  makeExercise,
  MAX_SEED,
  withoutAnswers,
  type ExerciseKind,
} from '../src/teaching/exercise';
import { formatValue } from '../src/teaching/values';
import { exerciseMachineText, exerciseStepText } from '../src/protocol/exercise-text';

export const USAGE = `usage: npm run --silent exercise -- --seed N [--kind ${EXERCISE_KINDS.join('|')}] [--answers] [--json]\n  N: an integer 0..${MAX_SEED}`;

interface ExerciseArgs {
  seed: number;
  kind: ExerciseKind | undefined;
  answers: boolean;
  json: boolean;
}

/** The arguments, or what is wrong with them. */
export function parseArgs(argv: readonly string[]): ExerciseArgs | string {
  let seed: number | null = null;
  let kind: ExerciseKind | undefined;
  let answers = false;
  let json = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    // `--` ends the options; an exercise takes nothing after them.
    if (a === '--') {
      if (i + 1 < argv.length) return `unexpected argument ${JSON.stringify(argv[i + 1])}: an exercise reads no file`;
    } else if (a === '--answers') answers = true;
    else if (a === '--json') json = true;
    else if (a === '--seed' || a === '--kind') {
      // Said twice: refused rather than one of them taken silently.
      if (a === '--seed' ? seed !== null : kind !== undefined) return `${a} given twice`;
      const value = argv[++i];
      const got = value === undefined ? 'nothing' : JSON.stringify(value);
      if (a === '--seed') {
        if (value === undefined || !/^(0|[1-9]\d*)$/.test(value) || Number(value) > MAX_SEED)
          return `--seed needs an integer 0..${MAX_SEED}, got ${got}`;
        seed = Number(value);
      } else {
        if (!(EXERCISE_KINDS as readonly string[]).includes(value ?? ''))
          return `--kind needs one of ${EXERCISE_KINDS.join(', ')}, got ${got}`;
        kind = value as ExerciseKind;
      }
    } else if (isOption(a)) return `unknown option ${a}`;
    else return `unexpected argument ${JSON.stringify(a)}: an exercise reads no file`;
  }
  return seed === null ? '--seed N is required' : { seed, kind, answers, json };
}

export interface ExerciseIo {
  stdout(text: string): void;
  stderr(text: string): void;
}

/** The command: the exercise on standard output; 2 and the problem with the usage on a bad command line. */
export function main(argv: readonly string[], io: ExerciseIo): number {
  const args = parseArgs(argv);
  if (typeof args === 'string') {
    io.stderr(usageError(args, USAGE));
    return 2;
  }
  const exercise = makeExercise(args.seed, args.kind);
  if (args.json) {
    io.stdout(`${JSON.stringify(args.answers ? exercise : withoutAnswers(exercise))}\n`);
    return 0;
  }
  const s = exercise.scenario;
  const lines = [
    `Exercise ${exercise.seed} (${exercise.kind}: ${EXERCISE_KIND_TITLES[exercise.kind]})`,
    s.title ?? '',
    exerciseMachineText(s),
    'Steps:',
    ...s.steps.map((st, i) => `${String(i).padStart(4)}  ${exerciseStepText(st)}`),
    'Questions:',
  ];
  exercise.questions.forEach((q, i) => {
    lines.push(`${String(i + 1).padStart(4)}. ${q.ask}`);
    lines.push(`      [step ${q.step}, ${q.path}]`);
    if (args.answers) lines.push(`      answer: ${formatValue(q.answer)}`);
  });
  io.stdout(`${lines.join('\n')}\n`);
  return 0;
}

// Run as a script (not when a test imports the functions above).
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  endQuietlyOnClosedPipe();
  process.exitCode = main(process.argv.slice(2), {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
  });
}
