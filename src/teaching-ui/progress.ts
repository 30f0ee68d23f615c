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
  /** Questions answered right (indexes). */
  readonly right: readonly number[];
  readonly questions: number;
}

export interface Progress {
  readonly lessons: Readonly<Record<string, LessonProgress>>;
  readonly challenges: Readonly<Record<string, ChallengeProgress>>;
  readonly exercises: Readonly<Record<string, ExerciseProgress>>;
}

const EMPTY: Progress = { lessons: {}, challenges: {}, exercises: {} };

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
        ? { questions: x.questions, right: x.right as number[] }
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

export function updateExercise(key: string, questions: number, right: number): void {
  const p = progressStore.getState();
  const old = p.exercises[key] ?? { questions, right: [] };
  if (old.right.includes(right)) return;
  progressStore.setState({
    exercises: { ...p.exercises, [key]: { questions, right: [...old.right, right].sort((a, b) => a - b) } },
  });
}
