/**
 * Predict-then-reveal questions. A question never carries its answer: it
 * names where the answer is read (a digest path, or the seed line a thread
 * stands at) and the state it is read in; the engine's state gives the
 * answer, and every offered choice is judged against it the same way.
 */
import { lookup } from './digest-path';
import type { JudgeState } from './state';
import { answerMatches, formatValue, readAnswer, sameValue, type Value } from './values';

/** Where an answer is read. */
export type AnswerSource =
  /** The value at a digest path (`threads[id=t3].wait`, `vnodes[0].uvn.pages[offset=0].flags`). */
  | { readonly kind: 'path'; readonly path: string }
  /** The seed line the thread stands at (from its thread view; null when it is outside the seed). */
  | { readonly kind: 'line'; readonly thread: string };

export interface Question {
  readonly ask: string;
  readonly source: AnswerSource;
  /** The digest step whose state answers it. */
  readonly at: number;
  /** Multiple choice: the offered answers, as written; null for a typed answer. */
  readonly choices: readonly string[] | null;
}

export type Answer = { ok: true; value: Value } | { ok: false; reason: string };

/** The answer in `state` (the state at the question's `at`). */
export function answerIn(source: AnswerSource, state: JudgeState): Answer {
  if (source.kind === 'path') {
    const l = lookup(state.digest, source.path);
    return l.found ? { ok: true, value: l.value } : { ok: false, reason: l.reason };
  }
  if (!state.threads) return { ok: false, reason: 'no thread views for this state' };
  const t = state.threads.find((x) => x.id === source.thread);
  if (!t) return { ok: false, reason: `no thread ${source.thread}` };
  return { ok: true, value: t.line };
}

/** Each choice, judged against the answer: exactly the ones that read as the same value are right. */
export function judgeChoices(choices: readonly string[], answer: Value): boolean[] {
  return choices.map((c) => answerMatches(c, answer));
}

/** Whether a choice reads as a value of the answer's kind at all (a flag list, a number…). */
export function choiceReadable(choice: string, answer: Value): boolean {
  return readAnswer(choice, answer) !== undefined;
}

export interface Reveal {
  /** The engine's answer, as the lab prints it. */
  readonly answer: string;
  readonly value: Value;
  /** Whether the learner's answer (typed text or the chosen choice) is right. */
  readonly correct: boolean;
  /** For multiple choice: each choice and whether it is right. */
  readonly choices: readonly { readonly text: string; readonly correct: boolean }[] | null;
}

/**
 * Reveal a question: the answer in `state`, and whether `given` (typed text,
 * or the index of the chosen choice) is right. Null when the state cannot
 * answer it (a lesson test makes sure every shipped question can be).
 */
export function reveal(question: Question, state: JudgeState, given: string | number | null): Reveal | null {
  const a = answerIn(question.source, state);
  if (!a.ok) return null;
  const marks = question.choices ? judgeChoices(question.choices, a.value) : null;
  let correct = false;
  if (typeof given === 'number') correct = marks?.[given] ?? false;
  else if (typeof given === 'string') correct = answerMatches(given, a.value);
  return {
    answer: formatValue(a.value),
    value: a.value,
    correct,
    choices: marks ? question.choices!.map((text, i) => ({ text, correct: marks[i]! })) : null,
  };
}

export { sameValue };
