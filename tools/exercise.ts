/**
 * Seeded exercises: `npm run --silent exercise -- --seed N [--kind K] [--answers] [--json]`.
 * The same seed (and kind) prints the same bytes on every machine. --json
 * prints one document `{"seed","kind","scenario","questions"}` (compact, keys
 * in that order); --answers adds each question's answer, the value the
 * runner prints at its step and path. Without --json: the steps and the
 * questions as text. Exit 2 on a bad command line.
 */
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
import type { Step } from '../src/protocol/scenario';

const USAGE = `usage: npm run --silent exercise -- --seed N [--kind ${EXERCISE_KINDS.join('|')}] [--answers] [--json]\n`;

/** Byte offsets and lengths in hex, as the lab shows them; counts (FreeBSD's pindex, behind, ahead) in decimal. */
const BYTES = new Set(['offset', 'length', 'start', 'end']);

function argText(key: string, v: unknown): string {
  if (typeof v === 'number') return BYTES.has(key) ? `0x${v.toString(16)}` : String(v);
  if (Array.isArray(v)) return v.length ? v.join('|') : 'none';
  return String(v);
}

function stepText(step: Step): string {
  if ('spawn' in step) {
    const args = Object.entries(step.args)
      .map(([k, v]) => `${k}=${argText(k, v)}`)
      .join(' ');
    return `spawn ${step.spawn}: ${step.call} ${args}`;
  }
  if ('complete' in step) return `complete ${step.complete} ${step.result}`;
  return 'run' in step ? `run ${step.run}` : `step ${step.step}`;
}

function parseArgs(
  argv: string[],
): { seed: number; kind: ExerciseKind | undefined; answers: boolean; json: boolean } | null {
  let seed: number | null = null;
  let kind: ExerciseKind | undefined;
  let answers = false;
  let json = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--answers') answers = true;
    else if (a === '--json') json = true;
    else if (
      a === '--seed' &&
      seed === null &&
      /^(0|[1-9]\d*)$/.test(argv[i + 1] ?? '') &&
      Number(argv[i + 1]) <= MAX_SEED
    )
      seed = Number(argv[++i]);
    else if (a === '--kind' && kind === undefined && (EXERCISE_KINDS as readonly string[]).includes(argv[i + 1] ?? ''))
      kind = argv[++i] as ExerciseKind;
    else return null;
  }
  return seed === null ? null : { seed, kind, answers, json };
}

function main(argv: string[]): number {
  const args = parseArgs(argv);
  if (!args) {
    process.stderr.write(USAGE);
    process.stderr.write(`  N: an integer 0..${MAX_SEED}\n`);
    return 2;
  }
  const exercise = makeExercise(args.seed, args.kind);
  if (args.json) {
    process.stdout.write(`${JSON.stringify(args.answers ? exercise : withoutAnswers(exercise))}\n`);
    return 0;
  }
  const s = exercise.scenario;
  const lines = [
    `Exercise ${exercise.seed} (${exercise.kind}: ${EXERCISE_KIND_TITLES[exercise.kind]})`,
    s.title ?? '',
    `Machine: ${s.machine?.physPages ?? 64} free pages; ${s.vnodes.map((v) => `${v.name} of ${v.size} bytes`).join(', ')}` +
      `${(s.mounts ?? []).map((m) => `; mount ${m.name} with ${m.iosize ?? 4096}-byte blocks`).join('')}` +
      // FreeBSD's questions may ask the pbuf counters, and pageout_free_min decides when a pageout goes sync.
      (s.pager === 'freebsd'
        ? `; pbufs ${s.machine?.pbufs ?? 129}, async pbufs ${s.machine?.asyncPbufs ?? 128},` +
          ` pageout_free_min ${s.machine?.pageoutFreeMin ?? 34}.`
        : '.'),
    'Steps:',
    ...s.steps.map((st, i) => `${String(i).padStart(4)}  ${stepText(st)}`),
    'Questions:',
  ];
  exercise.questions.forEach((q, i) => {
    lines.push(`${String(i + 1).padStart(4)}. ${q.ask}`);
    lines.push(`      [step ${q.step}, ${q.path}]`);
    if (args.answers) lines.push(`      answer: ${formatValue(q.answer)}`);
  });
  process.stdout.write(`${lines.join('\n')}\n`);
  return 0;
}

endQuietlyOnClosedPipe();
process.exitCode = main(process.argv.slice(2));
