/**
 * A seeded exercise (`#exercise=KIND:SEED`, the same as `npm run exercise`):
 * the schedule, and questions about the states it passes through. Answers
 * are checked by the worker as they are typed; a right answer (or one the
 * learner gives up on) plays the schedule in the lab up to that question's
 * step, so the learner sees the state that answers it.
 */
import { useEffect, useMemo, useState } from 'react';
import { exerciseStepText } from '../protocol/exercise-text';
import type { CheckView, ExerciseView } from '../protocol/teach';
import type { Step } from '../protocol/scenario';
import { useDispatch, useLab } from '../store/context';
import type { LabState } from '../store/store';
import { progressStore, revealExercise, updateExercise, useProgress } from './progress';
import { FOCUS_TARGET } from './useFocusKept';

const selectChecks = (s: LabState) => s.teach.checks;
const selectShownTo = (s: LabState) => s.teach.shownTo;
const selectCursor = (s: LabState) => s.cursor;
const selectSteps = (s: LabState) => s.steps;

/** What the lab shows, in the exercise's numbering: the state after step k, the setup, or the learner's own. */
function labPlace(schedule: readonly Step[], steps: readonly Step[], cursor: number): string {
  const onSchedule =
    cursor <= schedule.length &&
    steps.slice(0, cursor).every((s, i) => JSON.stringify(s) === JSON.stringify(schedule[i]));
  if (!onSchedule) return '; the lab has left the schedule (steps of your own)';
  return cursor === 0 ? '; the lab shows the setup' : `; the lab shows the state after step ${cursor - 1}`;
}

export function exerciseHash(kind: string, seed: number): string {
  return `#exercise=${kind}:${seed}`;
}

export function ExercisePanel({ exercise }: { exercise: ExerciseView }) {
  const dispatch = useDispatch();
  const checks = useLab(selectChecks);
  const shownTo = useLab(selectShownTo);
  const cursor = useLab(selectCursor);
  const steps = useLab(selectSteps);
  const key = `${exercise.exercise}:${exercise.seed}`;
  const questions = exercise.questions.length;
  // Opened again (a reload, the menu): the answers as the learner left them are typed back and checked anew.
  const saved = useMemo(() => progressStore.getState().exercises[key], [key]);
  const revealed = useProgress().exercises[key]?.revealed;
  useEffect(() => {
    if (!saved) return;
    for (let q = 0; q < questions; q++) {
      if (saved.revealed.includes(q)) dispatch({ type: 'teach', command: { type: 'teach.show', question: q } });
      const text = saved.answers[q];
      if (text) dispatch({ type: 'teach', command: { type: 'teach.check', question: q, text } });
    }
  }, [saved, questions, dispatch]);

  useEffect(() => {
    const hash = exerciseHash(exercise.exercise, exercise.seed);
    if (location.hash !== hash) history.replaceState(null, '', `${location.pathname}${location.search}${hash}`);
  }, [exercise.exercise, exercise.seed]);

  useEffect(() => updateExercise(key, questions, Object.values(checks)), [checks, key, questions]);

  // An answer typed after "Show answer" is marked right, but is not counted as the learner's.
  const right = Object.values(checks).filter((c) => c.correct && !revealed?.includes(c.question)).length;
  const shown = revealed?.length ?? 0;
  return (
    <section className="teach-exercise" aria-label={`Exercise ${key}`}>
      <h2 {...FOCUS_TARGET}>
        Exercise <span className="mono">{key}</span>
      </h2>
      <p className="teach-meta">{exercise.about}</p>
      <p>{exercise.title}</p>
      <p className="muted">{exercise.machine}</p>
      <details className="teach-schedule" open>
        <summary>Steps ({exercise.steps.length})</summary>
        <ol start={0} className="mono">
          {exercise.steps.map((s, i) => (
            <li key={i} className={i <= shownTo ? 'step-shown' : undefined} value={i}>
              {exerciseStepText(s)}
            </li>
          ))}
        </ol>
      </details>
      <p className="muted">
        Step numbers are the runner&apos;s (from 0): after step k the lab&apos;s timeline reads step k+1. Answers are
        checked as you type; a right answer plays the steps up to its question.
      </p>
      <p role="status" className="teach-count">
        {right} of {questions} answered right
        {shown > 0 ? ` (${shown} answer${shown === 1 ? '' : 's'} shown)` : ''}
        {labPlace(exercise.steps, steps, cursor)}
      </p>
      <ol className="teach-questions">
        {exercise.questions.map((q, i) => (
          <ExerciseQuestion
            key={`${key}-${i}`}
            index={i}
            ask={q.ask}
            check={checks[i] ?? null}
            initial={saved?.answers[i] ?? ''}
            onShow={() => revealExercise(key, questions, i)}
          />
        ))}
      </ol>
    </section>
  );
}

function ExerciseQuestion({
  index,
  ask,
  check,
  initial,
  onShow,
}: {
  index: number;
  ask: string;
  check: CheckView | null;
  /** The answer the learner left here last time. */
  initial: string;
  onShow: () => void;
}) {
  const dispatch = useDispatch();
  const [text, setText] = useState(initial);
  const current = check && check.text === text.trim() ? check : null;
  // "Show answer" answers with no text: the answer is shown, and nothing is being checked.
  const shown = check !== null && check.text === '' && check.answer !== null;
  const verdict =
    text.trim() === '' || (shown && !current) ? null : current ? (current.correct ? 'right' : 'not yet') : 'checking…';
  return (
    <li className="teach-exq">
      <p>{ask}</p>
      <label>
        <span className="visually-hidden">Answer {index + 1}</span>
        <input
          type="text"
          aria-label={`Answer ${index + 1}`}
          value={text}
          autoComplete="off"
          spellCheck={false}
          onChange={(e) => {
            setText(e.target.value);
            dispatch({
              type: 'teach',
              command: { type: 'teach.check', question: index, text: e.target.value.trim() },
            });
          }}
        />
      </label>{' '}
      {verdict && (
        <span className={`teach-mark ${verdict === 'right' ? 'is-right' : 'is-wrong'}`} aria-live="polite">
          {verdict === 'right' ? '✓ right' : verdict}
          {verdict === 'not yet' && current?.hint ? ` (${current.hint})` : ''}
        </span>
      )}{' '}
      {check?.answer && !check.correct ? (
        <span className="teach-answer">
          Answer: <strong className="mono">{check.answer}</strong>
        </span>
      ) : (
        !check?.answer && (
          <button
            type="button"
            onClick={() => {
              onShow();
              dispatch({ type: 'teach', command: { type: 'teach.show', question: index } });
            }}
          >
            Show answer
          </button>
        )
      )}
    </li>
  );
}
