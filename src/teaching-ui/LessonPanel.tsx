/**
 * A lesson, scene by scene, beside the lab: the narration (Markdown), what
 * to look at, and, before moving on, a prediction. The answer comes from the
 * worker only once the learner has committed to one; the lab then shows the
 * answering state, what changed, and the learner's answer marked.
 */
import { useEffect, useId, useState } from 'react';
import type { LessonView, RevealView, SceneView } from '../protocol/teach';
import { useDispatch, useLab } from '../store/context';
import type { LabState } from '../store/store';
import { Markdown } from './Markdown';
import { Marks } from './Marks';
import { updateLesson } from './progress';
import { FOCUS_TARGET } from './useFocusKept';

const selectScene = (s: LabState) => s.teach.scene;
const selectReveals = (s: LabState) => s.teach.reveals;
const selectCursor = (s: LabState) => s.cursor;

const PANEL_NAMES: Readonly<Record<string, string>> = {
  source: 'Source',
  threads: 'Threads',
  io: 'I/O in flight',
  'page-tree': 'Page tree',
  'page-bits': 'Page bits',
  'page-queues': 'Page queues',
  object: 'Object',
  locks: 'Locks (Threads)',
  timeline: 'Timeline',
};

export function lessonHash(name: string, scene: number): string {
  return `#lesson=${name}&scene=${scene}`;
}

export function LessonPanel({ lesson }: { lesson: LessonView }) {
  const dispatch = useDispatch();
  const k = useLab(selectScene);
  const reveals = useLab(selectReveals);
  const scene = lesson.scenes[k - 1];
  const count = lesson.scenes.length;
  const reveal = reveals[k] ?? null;
  const answered = !scene?.question || reveal !== null;

  // The address bar names the scene, so a reload or a copied link comes back here.
  useEffect(() => {
    if (!scene) return;
    const hash = lessonHash(lesson.name, k);
    if (location.hash !== hash) history.replaceState(null, '', `${location.pathname}${location.search}${hash}`);
    updateLesson(lesson.name, (p) => ({
      ...p,
      scene: k,
      furthest: Math.max(p.furthest, k),
      done: p.done || (k === count && answered),
    }));
  }, [lesson.name, k, count, scene, answered]);

  useEffect(() => {
    if (reveal) updateLesson(lesson.name, (p) => ({ ...p, answers: { ...p.answers, [reveal.scene]: reveal.correct } }));
  }, [lesson.name, reveal]);

  if (!scene) return null;
  const go = (to: number) => dispatch({ type: 'teach', command: { type: 'teach.scene', scene: to } });

  return (
    <section className="teach-lesson" aria-label={`Lesson: ${lesson.title}`}>
      <h2>{lesson.title}</h2>
      <nav className="teach-nav" aria-label="Scenes">
        <button type="button" onClick={() => go(k - 1)} disabled={k <= 1}>
          Previous
        </button>
        <span className="teach-count" role="status">
          Scene {k} of {count}
        </span>
        <button
          type="button"
          onClick={() => go(k + 1)}
          disabled={k >= count || !answered}
          title={answered ? undefined : 'Answer the question first'}
        >
          Next
        </button>
      </nav>
      <progress className="teach-progress" max={count} value={k} aria-label="Lesson progress" />
      {k === 1 && lesson.intro && (
        <div className="teach-intro">
          <Markdown text={lesson.intro} />
        </div>
      )}
      <Scene key={k} scene={scene} k={k} reveal={reveal} />
      {k === count && answered && (
        <p className="teach-done" role="status">
          End of the lesson. Pick another from the menu, or explore this state in the lab.
        </p>
      )}
    </section>
  );
}

function Scene({ scene, k, reveal }: { scene: SceneView; k: number; reveal: RevealView | null }) {
  const dispatch = useDispatch();
  const cursor = useLab(selectCursor);
  // "Try again" hides the reveal and puts the lab back on the scene's step; the reveal stays in the store.
  const [retrying, setRetrying] = useState(false);
  const revealed = reveal !== null && !retrying && scene.question !== null;
  // Timeline steps are the lab's (the digest's step + 1). The text holds at the scene's step, and after a reveal
  // the answer's step is shown beside it. The learner may move the lab elsewhere (the timeline, a step, a reset,
  // Previous back to a revealed scene): say where it is, and offer the way back, which the worker takes on a
  // branch that holds the lesson's steps (loading the lesson again only when none does).
  const step = scene.step + 1;
  const answerAt = revealed ? scene.question!.at + 1 : null;
  const onScene = cursor === step;
  // A scene's line may be one its thread only went through in the step (a run passes many lines): the Source
  // then marks where the thread stands, and its locals are past the line, so the pane says where that is.
  const stands = useLab((s) => {
    const t = s.snapshot?.threads.find((x) => x.id === scene.thread);
    return t === undefined ? undefined : t.status === 'done' ? 'done' : t.line;
  });
  const onAnswer = answerAt !== null && cursor === answerAt;
  const takeBack = () =>
    dispatch({
      type: 'teach',
      command: revealed ? { type: 'teach.reveal', scene: k, given: reveal.given } : { type: 'teach.scene', scene: k },
    });
  const at = (
    <>
      thread <strong className="mono">{scene.thread}</strong>, seed line <strong className="mono">{scene.line}</strong>
    </>
  );
  return (
    <article className="teach-scene" aria-labelledby={`scene-${k}`}>
      <h3 id={`scene-${k}`} {...(revealed ? {} : FOCUS_TARGET)}>
        {scene.title}
      </h3>
      <p className="teach-where">
        {onScene && stands !== undefined && stands !== scene.line ? (
          <>
            The lab shows step {step}; seed line <strong className="mono">{scene.line}</strong> ran during it, for
            thread <strong className="mono">{scene.thread}</strong>, which{' '}
            {stands === 'done' ? (
              'has returned'
            ) : stands === null ? (
              'now runs outside the seed'
            ) : (
              <>
                now stands at line <strong className="mono">{stands}</strong>
              </>
            )}
            .{answerAt !== null && ` The answer is at step ${answerAt}.`}
          </>
        ) : onScene ? (
          <>
            The lab shows step {step}; {at}.{answerAt !== null && ` The answer is at step ${answerAt}.`}
          </>
        ) : onAnswer ? (
          <>
            This scene is set at step {step} ({at}); the lab now shows step {answerAt}.
          </>
        ) : (
          <>
            This scene is set at step {step} ({at}){answerAt !== null && ` and answered at step ${answerAt}`}; the lab
            has moved to step {cursor}.
          </>
        )}
      </p>
      {!onAnswer && (answerAt !== null || !onScene) && (
        <p className="teach-where">
          <button type="button" onClick={takeBack}>
            Show step {answerAt ?? step}
          </button>
        </p>
      )}
      {scene.look && (
        <p className="teach-look">
          <strong>Look:</strong> {scene.look}
        </p>
      )}
      {scene.highlights.length > 0 && (
        <ul className="teach-highlights" aria-label="Highlighted">
          {scene.highlights.map((h, i) => (
            <li key={i}>
              <span className="teach-panel-name">{PANEL_NAMES[h.panel] ?? h.panel}</span>{' '}
              <span className="mono">{h.what}</span>
            </li>
          ))}
        </ul>
      )}
      <Marks scene={scene} />
      <Markdown text={scene.body} />
      {scene.question && <Question scene={scene} k={k} reveal={reveal} retrying={retrying} setRetrying={setRetrying} />}
    </article>
  );
}

interface QuestionProps {
  scene: SceneView;
  k: number;
  reveal: RevealView | null;
  retrying: boolean;
  setRetrying: (retrying: boolean) => void;
}

function Question({ scene, k, reveal, retrying, setRetrying }: QuestionProps) {
  const q = scene.question!;
  const dispatch = useDispatch();
  const [choice, setChoice] = useState<number | null>(null);
  const [typed, setTyped] = useState('');
  const id = useId();
  const shown = reveal !== null && !retrying;

  const submit = () => {
    const given = q.choices ? choice : typed.trim();
    if (given === null || given === '') return;
    setRetrying(false);
    dispatch({ type: 'teach', command: { type: 'teach.reveal', scene: k, given } });
  };
  const again = () => {
    setRetrying(true);
    setChoice(null);
    setTyped('');
    dispatch({ type: 'teach', command: { type: 'teach.scene', scene: k } });
  };

  return (
    <form
      className="teach-question"
      aria-labelledby={`${id}-ask`}
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
    >
      <p className="teach-kicker">Predict, then reveal</p>
      <p id={`${id}-ask`} className="teach-ask">
        {q.ask}
      </p>
      {q.choices ? (
        <fieldset className="teach-choices" disabled={shown}>
          <legend className="visually-hidden">{q.ask}</legend>
          {q.choices.map((c, i) => {
            const mark = shown ? reveal.choices?.[i] : undefined;
            return (
              <label key={i} className={mark ? (mark.correct ? 'choice-right' : 'choice-wrong') : undefined}>
                <input
                  type="radio"
                  name={`${id}-choice`}
                  checked={shown ? reveal.given === i : choice === i}
                  onChange={() => setChoice(i)}
                />{' '}
                <span className="mono">{c}</span>
                {mark && <span className="choice-mark">{mark.correct ? ' ✓ right' : ' ✗'}</span>}
              </label>
            );
          })}
        </fieldset>
      ) : (
        <label className="teach-typed">
          Your answer{' '}
          <input
            type="text"
            value={shown ? String(reveal.given) : typed}
            readOnly={shown}
            onChange={(e) => setTyped(e.target.value)}
            autoComplete="off"
            spellCheck={false}
          />
        </label>
      )}
      {!shown ? (
        <button type="submit" disabled={q.choices ? choice === null : typed.trim() === ''}>
          Reveal
        </button>
      ) : (
        <RevealBox reveal={reveal} at={q.at} onRetry={again} />
      )}
    </form>
  );
}

function RevealBox({ reveal, at, onRetry }: { reveal: RevealView; at: number; onRetry: () => void }) {
  return (
    <div className={`teach-reveal ${reveal.correct ? 'is-right' : 'is-wrong'}`} role="status" {...FOCUS_TARGET}>
      <p className="teach-verdict">
        {reveal.correct ? 'Right!' : 'Not quite.'} The engine says: <strong className="mono">{reveal.answer}</strong>
      </p>
      <p className="muted">Step {at + 1} is the state that answers it.</p>
      {reveal.changes.length > 0 && (
        <details open>
          <summary>What changed ({reveal.changes.length})</summary>
          <ul className="teach-changes mono">
            {reveal.changes.slice(0, 40).map((c, i) => (
              <li key={i}>{c}</li>
            ))}
          </ul>
        </details>
      )}
      {!reveal.correct && (
        <button type="button" onClick={onRetry}>
          Try again
        </button>
      )}
    </div>
  );
}
