/**
 * The teaching part of the worker protocol (`teach.*`): lessons, predict-then-
 * reveal questions, challenges and exercises. The lab's own worker runs the
 * teaching checks (src/teaching) on its session's digests, so the UI thread
 * never holds an engine and never sees an answer before it is revealed:
 * questions cross the boundary without their answers, and a reveal or a
 * check comes back as a verdict. Plain data only, like the rest of the
 * protocol (docs/teaching.md gives the file formats behind these views).
 */
import type { PROTOCOL_VERSION } from './messages';
import type { Step } from './scenario';

type V = typeof PROTOCOL_VERSION;

/** What a lesson highlight points at (src/teaching/highlight.ts reads it from `PANEL TARGET`). */
export type HighlightTargetView =
  | { readonly kind: 'lines'; readonly from: number; readonly to: number }
  | { readonly kind: 'thread'; readonly thread: string }
  | { readonly kind: 'request'; readonly id: number }
  | { readonly kind: 'page'; readonly vnode: string; readonly offset: number; readonly column: string | null }
  | { readonly kind: 'object'; readonly vnode: string; readonly field: string | null }
  | { readonly kind: 'lock'; readonly lock: string }
  | { readonly kind: 'step'; readonly step: number };

export interface HighlightView {
  /** A lab panel: source, threads, io, page-tree, page-bits, page-queues, object, locks, timeline. */
  readonly panel: string;
  /** The target as the lesson writes it ("vn1:0x0 PG_WANTED"). */
  readonly what: string;
  readonly target: HighlightTargetView;
}

/** A scene's question, without its answer. */
export interface QuestionView {
  readonly ask: string;
  /** Offered answers; null: the learner types one. */
  readonly choices: readonly string[] | null;
  /** The digest step whose state answers it (the lab shows that state with the reveal). */
  readonly at: number;
}

export interface SceneView {
  readonly title: string;
  /** Digest step shown: the lab's cursor is `step + 1` (step -1 is the setup). */
  readonly step: number;
  readonly thread: string;
  readonly line: number;
  readonly look: string | null;
  readonly highlights: readonly HighlightView[];
  readonly question: QuestionView | null;
  /** Markdown, rendered by the lab (never as raw HTML). */
  readonly body: string;
}

export interface LessonView {
  readonly kind: 'lesson';
  readonly name: string;
  readonly title: string;
  readonly summary: string | null;
  readonly pager: string;
  /** Markdown. */
  readonly intro: string;
  readonly scenes: readonly SceneView[];
}

export interface ChallengeView {
  readonly kind: 'challenge';
  readonly name: string;
  readonly title: string;
  readonly pager: string;
  /** Markdown. */
  readonly story: string;
  /** The goal in words (describeGoal). */
  readonly goal: string;
  readonly par: number;
  /** The rules: calls allowed ("all" or names), most threads (null: any), results allowed (null: any). */
  readonly calls: readonly string[] | 'all';
  readonly threads: number | null;
  readonly results: readonly string[] | null;
}

export interface ExerciseQuestionView {
  readonly ask: string;
  /** The runner's digest step the question is about. */
  readonly step: number;
}

export interface ExerciseView {
  readonly kind: 'exercise';
  readonly exercise: string;
  readonly seed: number;
  /** What this kind asks, in a line. */
  readonly about: string;
  readonly title: string;
  /** The machine and files, in a line: "Machine: …." as `npm run exercise` prints it. */
  readonly machine: string;
  /** The whole schedule (the lab plays it up to a question's step once that question is answered). */
  readonly steps: readonly Step[];
  readonly questions: readonly ExerciseQuestionView[];
}

export type TeachMode = LessonView | ChallengeView | ExerciseView;

export interface CatalogLesson {
  readonly name: string;
  readonly title: string;
  readonly summary: string | null;
  readonly pager: string;
  readonly scenes: number;
  readonly questions: number;
}

export interface CatalogChallenge {
  readonly name: string;
  readonly title: string;
  readonly pager: string;
  readonly par: number;
}

export interface Catalog {
  readonly lessons: readonly CatalogLesson[];
  readonly challenges: readonly CatalogChallenge[];
  readonly exercises: readonly { readonly kind: string; readonly about: string }[];
}

/** A revealed question: the engine's answer and the learner's marked right or wrong. */
export interface RevealView {
  /** 1-based scene number of the question. */
  readonly scene: number;
  /** The learner's answer: the chosen choice's index, or the typed text. */
  readonly given: string | number;
  readonly answer: string;
  readonly correct: boolean;
  /** Each offered choice and whether it is right (null for a typed answer). */
  readonly choices: readonly { readonly text: string; readonly correct: boolean }[] | null;
  /** What changed from the scene's state to the answering state, in words. */
  readonly changes: readonly string[];
}

/** A challenge's standing after every change of the lab's state. */
export interface GoalStatus {
  readonly challenge: string;
  /** Steps applied (the lab's cursor). */
  readonly steps: number;
  readonly par: number;
  readonly solved: boolean;
  /** When not solved: what the state shows instead of the goal. */
  readonly explain: string | null;
  /** When not solved: the kernel's panic message, if it panicked (no step can follow on this path). */
  readonly panic: string | null;
  /** When solved: the solution to export (`pager-solution/1`). */
  readonly solution: {
    readonly format: 'pager-solution/1';
    readonly challenge: string;
    readonly steps: readonly Step[];
  } | null;
}

/** An exercise answer, checked as it is typed. */
export interface CheckView {
  /** Index of the question (from 0). */
  readonly question: number;
  readonly text: string;
  readonly correct: boolean;
  /** The engine's answer: given once the answer is right or the learner asks for it. */
  readonly answer: string | null;
  /** How such an answer is written, when the text typed cannot be read as one ("a number: decimal or 0x hex"). */
  readonly hint?: string;
}

/** A teaching command (before the client numbers it). */
export type TeachCommand =
  /** List the lessons, challenges and exercise kinds. */
  | { readonly type: 'teach.catalog'; readonly id: number }
  /** Open a lesson at scene `scene` (from 1): its scenario replaces the session. */
  | { readonly type: 'teach.lesson'; readonly id: number; readonly lesson: string; readonly scene: number }
  /** Show scene `scene` of the open lesson (the lab moves to its step). */
  | { readonly type: 'teach.scene'; readonly id: number; readonly scene: number }
  /** Answer scene `scene`'s question: a choice's index or typed text. The lab moves to the answering state. */
  | { readonly type: 'teach.reveal'; readonly id: number; readonly scene: number; readonly given: string | number }
  /** Start a challenge: its machine replaces the session, and its rules and goal apply to every step. */
  | { readonly type: 'teach.challenge'; readonly id: number; readonly challenge: string }
  /** Open exercise `kind:seed`: the session shows its setup; its steps are played as questions are answered. */
  | { readonly type: 'teach.exercise'; readonly id: number; readonly kind: string; readonly seed: number }
  /** Open a `#lesson=…` or `#exercise=…` link, read strictly in the worker. */
  | { readonly type: 'teach.link'; readonly id: number; readonly hash: string }
  /** Check a typed exercise answer. */
  | { readonly type: 'teach.check'; readonly id: number; readonly question: number; readonly text: string }
  /** Give up on an exercise question: show its answer and its steps. */
  | { readonly type: 'teach.show'; readonly id: number; readonly question: number }
  /** Leave the lesson, challenge or exercise; the session stays as it is. */
  | { readonly type: 'teach.leave'; readonly id: number };

/** A teaching event. Teaching events follow the snapshot of the state they speak of. */
export type TeachEvent =
  | { readonly type: 'teach.catalog'; readonly version: V; readonly catalog: Catalog }
  /** The lesson, challenge or exercise now open (null: none), and the scene shown (lessons). */
  | { readonly type: 'teach.opened'; readonly version: V; readonly mode: TeachMode | null; readonly scene: number }
  /** The open lesson moved to scene `scene`. */
  | { readonly type: 'teach.scene'; readonly version: V; readonly scene: number }
  | { readonly type: 'teach.revealed'; readonly version: V; readonly reveal: RevealView }
  | { readonly type: 'teach.goal'; readonly version: V; readonly status: GoalStatus }
  /** An exercise answer checked; `shownTo` is the digest step the lab now shows the schedule through. */
  | { readonly type: 'teach.checked'; readonly version: V; readonly check: CheckView; readonly shownTo: number }
  /** A teaching command was refused (a bad link, a lesson that does not parse); nothing changed. */
  | { readonly type: 'teach.error'; readonly version: V; readonly message: string };
