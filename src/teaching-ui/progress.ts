/**
 * A learner's progress through lessons, challenges and exercises, kept in
 * localStorage. What is read back is checked field by field: a damaged or
 * foreign entry is dropped, never trusted.
 */
import { createStore } from 'zustand/vanilla';
import { useStore } from 'zustand';

const KEY = 'pager-lab/teaching/v1';

export interface LessonProgress {
  /** The scene last shown (from 1). */
  readonly scene: number;
  /** The furthest scene reached. */
  readonly furthest: number;
  /** Reached the last scene with every question answered. */
  readonly done: boolean;
  /** By scene: whether the last answer revealed was right. */
  readonly answers: Readonly<Record<string, boolean>>;
}

export interface ChallengeProgress {
  readonly solved: boolean;
  /** Fewest steps of a solve. */
  readonly best: number | null;
}

export interface ExerciseProgress {
  /** Questions answered right now, without their answer shown first (indexes). */
  readonly right: readonly number[];
  readonly questions: number;
  /** Each question's answer as last typed, by index: typed back into the exercise when it is opened again. */
  readonly answers: Readonly<Record<string, string>>;
  /** Questions whose answer the learner asked to see ("Show answer"). */
  readonly revealed: readonly number[];
}

export interface Progress {
  readonly lessons: Readonly<Record<string, LessonProgress>>;
  readonly challenges: Readonly<Record<string, ChallengeProgress>>;
  readonly exercises: Readonly<Record<string, ExerciseProgress>>;
}

const EMPTY: Progress = { lessons: {}, challenges: {}, exercises: {} };

/** The longest answer kept (an answer is a value, a flag list or a queue: far shorter). */
const MAX_ANSWER = 400;

const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
const count = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;

function entries<T>(v: unknown, read: (x: Record<string, unknown>) => T | null): Record<string, T> {
  const out: Record<string, T> = {};
  if (!isRecord(v)) return out;
  for (const [k, x] of Object.entries(v)) {
    const r = isRecord(x) && /^[A-Za-z0-9_.:-]{1,80}$/.test(k) ? read(x) : null;
    if (r) out[k] = r;
  }
  return out;
}

/** Read saved progress; anything that does not have the expected shape is left out. */
export function readProgress(raw: string | null): Progress {
  if (!raw) return EMPTY;
  let doc: unknown;
  try {
    doc = JSON.parse(raw);
  } catch {
    return EMPTY;
  }
  if (!isRecord(doc)) return EMPTY;
  return {
    lessons: entries(doc.lessons, (x) =>
      count(x.scene) && count(x.furthest) && typeof x.done === 'boolean'
        ? {
            scene: x.scene,
            furthest: x.furthest,
            done: x.done,
            answers: Object.fromEntries(
              Object.entries(isRecord(x.answers) ? x.answers : {}).filter(
                ([k, a]) => /^\d{1,4}$/.test(k) && typeof a === 'boolean',
              ),
            ) as Record<string, boolean>,
          }
        : null,
    ),
    challenges: entries(doc.challenges, (x) =>
      typeof x.solved === 'boolean' && (x.best === null || count(x.best))
        ? { solved: x.solved, best: x.best as number | null }
        : null,
    ),
    exercises: entries(doc.exercises, (x) =>
      count(x.questions) && Array.isArray(x.right) && x.right.every(count)
        ? {
            questions: x.questions,
            right: x.right as number[],
            answers: Object.fromEntries(
              Object.entries(isRecord(x.answers) ? x.answers : {}).filter(
                ([k, a]) => /^\d{1,3}$/.test(k) && typeof a === 'string' && a.length <= MAX_ANSWER,
              ),
            ) as Record<string, string>,
            revealed: Array.isArray(x.revealed) ? (x.revealed.filter(count) as number[]) : [],
          }
        : null,
    ),
  };
}

function load(): Progress {
  try {
    return readProgress(localStorage.getItem(KEY));
  } catch {
    return EMPTY;
  }
}

export const progressStore = createStore<Progress>()(() => load());

progressStore.subscribe((p) => {
  try {
    localStorage.setItem(KEY, JSON.stringify(p));
  } catch {
    // Storage full or disabled: progress just won't survive a reload.
  }
});

export function useProgress(): Progress {
  return useStore(progressStore);
}

export function updateLesson(name: string, change: (p: LessonProgress) => LessonProgress): void {
  const p = progressStore.getState();
  const old = p.lessons[name] ?? { scene: 1, furthest: 1, done: false, answers: {} };
  const next = change(old);
  if (JSON.stringify(next) !== JSON.stringify(old)) progressStore.setState({ lessons: { ...p.lessons, [name]: next } });
}

export function updateChallenge(name: string, steps: number): void {
  const p = progressStore.getState();
  const old = p.challenges[name];
  const best = old?.best == null ? steps : Math.min(old.best, steps);
  if (old?.solved && old.best === best) return;
  progressStore.setState({ challenges: { ...p.challenges, [name]: { solved: true, best } } });
}

const NO_EXERCISE = (questions: number): ExerciseProgress => ({ questions, right: [], answers: {}, revealed: [] });

/** Exercise `key` as the learner left it: what each question holds now, and which answers are right. */
export function updateExercise(
  key: string,
  questions: number,
  checks: readonly { question: number; text: string; correct: boolean }[],
): void {
  const p = progressStore.getState();
  const old = p.exercises[key] ?? NO_EXERCISE(questions);
  const answers = { ...old.answers };
  for (const c of checks) {
    if (c.text === '' || c.text.length > MAX_ANSWER) delete answers[c.question];
    else answers[c.question] = c.text;
  }
  const right = checks
    .filter((c) => c.correct && !old.revealed.includes(c.question))
    .map((c) => c.question)
    .sort((a, b) => a - b);
  const next = { questions, right, answers, revealed: old.revealed };
  if (JSON.stringify(next) !== JSON.stringify(old))
    progressStore.setState({ exercises: { ...p.exercises, [key]: next } });
}

/** The learner asked to see question `question`'s answer: a right answer to it later is not counted as theirs. */
export function revealExercise(key: string, questions: number, question: number): void {
  const p = progressStore.getState();
  const old = p.exercises[key] ?? NO_EXERCISE(questions);
  if (old.revealed.includes(question)) return;
  const revealed = [...old.revealed, question].sort((a, b) => a - b);
  const next = { ...old, right: old.right.filter((q) => q !== question), revealed };
  progressStore.setState({ exercises: { ...p.exercises, [key]: next } });
}
