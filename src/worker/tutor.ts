/// <reference types="vite/client" />
/**
 * The teaching layer in the lab's worker: lessons, predict-then-reveal,
 * challenges and exercises, judged by src/teaching on the digests of the
 * session the lab shows. It runs here, beside the engine, rather than in a
 * second worker: a challenge's rules must refuse a step before the session
 * applies it, and its goal is judged on the very state the learner sees, so
 * the teaching checks need the session itself, not a copy replayed elsewhere.
 * The chunk (teaching code and the lesson and challenge files) is loaded on
 * the first `teach.*` command, so the lab's first load does not grow.
 */
import { exerciseMachineText } from '../protocol/exercise-text';
import { PROTOCOL_VERSION } from '../protocol/messages';
import type { Scenario, Step } from '../protocol/scenario';
import type { Catalog, ChallengeView, ExerciseView, TeachCommand, TeachEvent, TeachMode } from '../protocol/teach';
import {
  answerFormHint,
  answerMatches,
  challengeScenario,
  describeGoal,
  EXERCISE_KIND_TITLES,
  EXERCISE_KINDS,
  formatValue,
  goalHolds,
  goalShortfall,
  makeExercise,
  parseChallenge,
  parseTeachingLink,
  teachingLinkProblem,
  ruleRefusal,
  solutionOf,
  type Challenge,
  type Exercise,
  type ExerciseKind,
} from '../teaching';
import { LessonPlayer, lessonFiles, openLesson } from './tutor-lesson';
import type { LabPort, Tutor } from './tutor-port';

const challengeFiles = import.meta.glob('/challenges/*.json', {
  query: '?raw',
  import: 'default',
  eager: true,
}) as Record<string, string>;

const fileName = (path: string) => path.replace(/^.*\//, '').replace(/\.[a-z]+$/, '');

/** A challenge file by name, parsed (the files are ours and checked by test/teaching-grade.test.ts). */
function loadChallenge(name: string): Challenge | string {
  const text = challengeFiles[`/challenges/${name}.json`];
  if (text === undefined) return `There is no challenge "${name}".`;
  const parsed = parseChallenge(text);
  return parsed.ok ? parsed.challenge : `Challenge ${name}: ${parsed.error.field} ${parsed.error.reason}`;
}

function challengeView(c: Challenge): ChallengeView {
  return {
    kind: 'challenge',
    name: c.name,
    title: c.title,
    pager: c.setup.pager,
    story: c.story,
    goal: describeGoal(c.goal),
    par: c.par,
    calls: c.allow.calls,
    threads: c.allow.threads,
    results: c.allow.results,
  };
}

function exerciseView(e: Exercise): ExerciseView {
  const s = e.scenario;
  return {
    kind: 'exercise',
    exercise: e.kind,
    seed: e.seed,
    about: EXERCISE_KIND_TITLES[e.kind],
    title: s.title ?? '',
    machine: exerciseMachineText(s),
    steps: s.steps,
    questions: e.questions.map((q) => ({ ask: q.ask, step: q.step })),
  };
}

type Open =
  | { kind: 'lesson'; player: LessonPlayer }
  | { kind: 'challenge'; challenge: Challenge }
  | { kind: 'exercise'; exercise: Exercise; shownTo: number };

/**
 * The order a course meets the lessons in: a uvn's life first, then one fault, two on one page, writing out,
 * sizes, the end of a vnode; FreeBSD's after. A lesson not listed comes after these, by name.
 */
const LESSON_ORDER = [
  'uvn-life-cycle',
  'a-fault',
  'two-faults-one-page',
  'msync',
  'truncate-and-sync',
  'terminate-and-revoke',
  'freebsd-read-ahead',
  'freebsd-sendfile-async',
  'freebsd-vgone-drain',
];

function byLessonOrder(a: string, b: string): number {
  const rank = (name: string) => {
    const i = LESSON_ORDER.indexOf(name);
    return i < 0 ? LESSON_ORDER.length : i;
  };
  return rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0);
}

class LabTutor implements Tutor {
  private open: Open | null = null;

  constructor(private readonly port: LabPort) {}

  private send(event: TeachEvent): void {
    this.port.post(event);
  }

  private fail(message: string): void {
    this.send({ type: 'teach.error', version: PROTOCOL_VERSION, message });
  }

  private opened(mode: TeachMode | null, scene = 0): void {
    this.send({ type: 'teach.opened', version: PROTOCOL_VERSION, mode, scene });
  }

  async handle(cmd: TeachCommand): Promise<void> {
    switch (cmd.type) {
      case 'teach.catalog':
        return this.send({ type: 'teach.catalog', version: PROTOCOL_VERSION, catalog: await this.catalog() });
      case 'teach.lesson':
        return this.openLesson(cmd.id, cmd.lesson, cmd.scene);
      case 'teach.scene':
      case 'teach.reveal': {
        if (this.open?.kind !== 'lesson') return this.fail('No lesson is open.');
        const player = this.open.player;
        const event =
          cmd.type === 'teach.scene' ? player.goTo(cmd.id, cmd.scene) : player.reveal(cmd.id, cmd.scene, cmd.given);
        return typeof event === 'string' ? this.fail(event) : this.send(event);
      }
      case 'teach.challenge':
        return this.openChallenge(cmd.id, cmd.challenge);
      case 'teach.exercise': {
        if (!(EXERCISE_KINDS as readonly string[]).includes(cmd.kind))
          return this.fail(`There is no exercise kind "${cmd.kind}"; one of ${EXERCISE_KINDS.join(', ')}.`);
        return this.openExercise(cmd.id, cmd.kind as ExerciseKind, cmd.seed);
      }
      case 'teach.link': {
        const link = parseTeachingLink(cmd.hash);
        if (!link) return this.fail(`Teaching link "${cmd.hash.slice(0, 80)}": ${teachingLinkProblem(cmd.hash)}.`);
        if (link.kind === 'lesson') return this.openLesson(cmd.id, link.lesson, link.scene);
        return this.openExercise(cmd.id, link.exercise, link.seed);
      }
      case 'teach.check':
      case 'teach.show':
        return this.answer(cmd.id, cmd.question, cmd.type === 'teach.check' ? cmd.text : null);
      case 'teach.leave':
        this.open = null;
        return this.opened(null);
    }
  }

  private async catalog(): Promise<Catalog> {
    const lessons: Catalog['lessons'][number][] = [];
    for (const name of Object.keys(lessonFiles).map(fileName).sort(byLessonOrder)) {
      const opened = await openLesson(name);
      if (typeof opened === 'string') continue; // a broken lesson is reported when it is opened
      const { lesson, scenario } = opened;
      lessons.push({
        name,
        title: lesson.title,
        summary: lesson.summary,
        pager: scenario.pager,
        scenes: lesson.scenes.length,
        questions: lesson.scenes.filter((s) => s.question).length,
      });
    }
    const challenges: Catalog['challenges'][number][] = [];
    for (const name of Object.keys(challengeFiles).map(fileName).sort()) {
      const c = loadChallenge(name);
      if (typeof c !== 'string') challenges.push({ name, title: c.title, pager: c.setup.pager, par: c.par });
    }
    return {
      lessons,
      challenges,
      exercises: EXERCISE_KINDS.map((kind) => ({ kind, about: EXERCISE_KIND_TITLES[kind] })),
    };
  }

  private async openLesson(id: number, name: string, scene: number): Promise<void> {
    const opened = await openLesson(name);
    if (typeof opened === 'string') return this.fail(opened);
    const player = new LessonPlayer(this.port, opened.lesson, opened.scenario);
    const count = player.view.scenes.length;
    const k = Math.min(Math.max(1, scene), count);
    if (!player.show(id, k)) return this.fail(`Lesson ${name}: its scenario did not load.`);
    this.open = { kind: 'lesson', player };
    this.opened(player.view, k);
    // A link past the lesson's end opens its last scene, and says so (as a compare link past its story does).
    if (k !== scene) this.fail(`Lesson ${name} has ${count} scenes, not ${scene}: showing scene ${k}.`);
  }

  private openChallenge(id: number, name: string): void {
    const challenge = loadChallenge(name);
    if (typeof challenge === 'string') return this.fail(challenge);
    if (!this.port.load(id, { ...challengeScenario(challenge, []), title: `Challenge: ${challenge.title}` }))
      return this.fail(`Challenge ${name}: its machine did not load.`);
    this.open = { kind: 'challenge', challenge };
    this.opened(challengeView(challenge));
    this.judge();
  }

  private openExercise(id: number, kind: ExerciseKind, seed: number): void {
    let exercise: Exercise;
    try {
      exercise = makeExercise(seed, kind);
    } catch (e) {
      return this.fail(`Exercise ${kind}:${seed}: ${(e as Error).message}`);
    }
    if (!this.port.load(id, this.exerciseScenario(exercise, -1)))
      return this.fail(`Exercise ${kind}:${seed}: its scenario did not load.`);
    this.open = { kind: 'exercise', exercise, shownTo: -1 };
    this.opened(exerciseView(exercise));
  }

  /** The exercise's scenario with its schedule cut after digest step `through` (-1: the setup alone). */
  private exerciseScenario(e: Exercise, through: number): Scenario {
    return { ...e.scenario, title: `Exercise ${e.kind}:${e.seed}`, steps: e.scenario.steps.slice(0, through + 1) };
  }

  /**
   * Check a typed answer (text), or give the answer (null); a right or given answer plays the schedule to its
   * step (or moves the lab back to it).
   */
  private answer(id: number, index: number, text: string | null): void {
    if (this.open?.kind !== 'exercise') return this.fail('No exercise is open.');
    const open = this.open;
    const q = open.exercise.questions[index];
    if (!q) return this.fail(`The exercise has no question ${index + 1}.`);
    const correct = text !== null && text.trim() !== '' && answerMatches(text, q.answer);
    if (correct || text === null) {
      // Played up to the question's step, or back to it within what is played: the lab shows the state that
      // answers it, whichever question is answered first.
      if (q.step > open.shownTo) {
        open.shownTo = q.step;
        this.port.load(id, this.exerciseScenario(open.exercise, q.step));
      } else this.port.seek(id, q.step + 1);
    }
    this.send({
      type: 'teach.checked',
      version: PROTOCOL_VERSION,
      check: {
        question: index,
        text: text ?? '',
        correct,
        answer: correct || text === null ? formatValue(q.answer) : null,
        ...(text !== null && answerFormHint(text, q.answer) ? { hint: answerFormHint(text, q.answer)! } : {}),
      },
      shownTo: open.shownTo,
    });
  }

  /** The challenge's standing at the session's cursor. */
  private judge(): void {
    if (this.open?.kind !== 'challenge') return;
    const session = this.port.session();
    if (!session) return;
    const c = this.open.challenge;
    const state = { digest: session.digest() };
    const solved = goalHolds(c.goal, state);
    const steps: Step[] = session.history.slice(0, session.cursor);
    this.send({
      type: 'teach.goal',
      version: PROTOCOL_VERSION,
      status: {
        challenge: c.name,
        steps: steps.length,
        par: c.par,
        solved,
        explain: solved ? null : goalShortfall(c.goal, state),
        panic: solved ? null : state.digest.panic,
        solution: solved ? solutionOf(c, steps) : null,
      },
    });
  }

  gate(step: Step): string | null {
    if (this.open?.kind !== 'challenge') return null;
    const session = this.port.session();
    if (!session) return null;
    const c = this.open.challenge;
    if (goalHolds(c.goal, { digest: session.digest() }))
      return 'The goal already holds: the challenge is solved. Export the solution, or go back in the timeline to try another way.';
    const steps = [...session.history.slice(0, session.cursor), step];
    const refusal = ruleRefusal(c, steps, steps.length - 1);
    return refusal ? `Challenge rules: ${refusal.reason}.` : null;
  }

  changed(command: string, reloaded: boolean): void {
    // Opening another scenario (the library, a file, a link) leaves what was open; a reset or restart keeps it.
    if (reloaded && command === 'sim.open' && this.open) {
      this.open = null;
      this.opened(null);
      return;
    }
    this.judge();
  }
}

export function createTutor(port: LabPort): Tutor {
  return new LabTutor(port);
}
