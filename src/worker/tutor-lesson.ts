/// <reference types="vite/client" />
/**
 * Playing a lesson in the lab: each scene moves the session's cursor to the
 * scene's step; a question is answered before the state that answers it is
 * shown, and the reveal is judged on the lesson's trace (the states of its
 * scenario, as the lesson test checks them), never on anything the lesson
 * file says.
 */
import { PROTOCOL_VERSION } from '../protocol/messages';
import type { Scenario, Step } from '../protocol/scenario';
import type { LessonView, TeachEvent } from '../protocol/teach';
import { readScenarioText } from '../scenario/share';
import {
  diffDigests,
  formatChange,
  parseLesson,
  reveal,
  stateAt,
  traceScenario,
  type Lesson,
  type Trace,
} from '../teaching';
import type { LabPort } from './tutor-port';

export const lessonFiles = import.meta.glob('/lessons/*.md', {
  query: '?raw',
  import: 'default',
  eager: true,
}) as Record<string, string>;

/** Library scenarios a lesson may name, each fetched when first needed. */
const scenarioFiles = import.meta.glob('/scenarios/*.json', { query: '?raw', import: 'default' }) as Record<
  string,
  () => Promise<string>
>;

/** Read lesson `name` and its scenario; a message when either is missing or wrong. */
export async function openLesson(name: string): Promise<{ lesson: Lesson; scenario: Scenario } | string> {
  const text = lessonFiles[`/lessons/${name}.md`];
  if (text === undefined) return `There is no lesson "${name}".`;
  const parsed = parseLesson(name, text);
  if (!parsed.ok) return `Lesson ${name}: line ${parsed.problems[0]!.line}: ${parsed.problems[0]!.reason}`;
  const lesson = parsed.lesson;
  if ('inline' in lesson.scenario) return { lesson, scenario: lesson.scenario.inline };
  const load = scenarioFiles[`/scenarios/${lesson.scenario.library}.json`];
  if (!load) return `Lesson ${name}: there is no library scenario "${lesson.scenario.library}".`;
  const read = readScenarioText(await load(), `Lesson ${name}: scenario ${lesson.scenario.library}`);
  return read.ok ? { lesson, scenario: read.scenario } : read.message;
}

function lessonView(lesson: Lesson, pager: string): LessonView {
  return {
    kind: 'lesson',
    name: lesson.name,
    title: lesson.title,
    summary: lesson.summary,
    pager,
    intro: lesson.intro,
    scenes: lesson.scenes.map((s) => ({
      title: s.title,
      step: s.step,
      thread: s.thread,
      line: s.line,
      look: s.look,
      highlights: s.highlights,
      // The answer's source (a digest path or a thread) stays here: it would give the answer away.
      question: s.question ? { ask: s.question.ask, choices: s.question.choices, at: s.question.at } : null,
      body: s.body,
    })),
  };
}

export class LessonPlayer {
  readonly view: LessonView;
  private trace: Trace | null = null;

  constructor(
    private readonly port: LabPort,
    private readonly lesson: Lesson,
    private readonly scenario: Scenario,
  ) {
    this.view = lessonView(lesson, scenario.pager);
  }

  /** Every state of the lesson's scenario, traced on first use. */
  private states(): Trace {
    this.trace ??= traceScenario(this.scenario);
    return this.trace;
  }

  /**
   * Show digest step `step` of the lesson's scenario on a branch that holds the lesson's steps (the one shown
   * first): a branch the learner made by acting stays, in the Timeline's branch list, as any branch does. Only
   * when none holds them (another scenario was opened, the lab was reset) is the lesson's scenario loaded again.
   */
  private showStep(id: number, step: number): boolean {
    const session = this.port.session();
    const steps = this.scenario.steps;
    const lesson = JSON.stringify(steps);
    const holdsLesson = (h: readonly Step[]) =>
      h.length >= steps.length && JSON.stringify(h.slice(0, steps.length)) === lesson;
    if (session !== null && JSON.stringify(session.setup) === JSON.stringify(this.setup())) {
      const branch = holdsLesson(session.history)
        ? session.branch
        : session.otherBranches().find((b) => holdsLesson(b.steps))?.id;
      if (branch !== undefined) {
        if (branch !== session.branch) this.port.switchBranch(id, branch);
        this.port.seek(id, step + 1);
        return true;
      }
    }
    return this.port.load(id, this.scenario, step + 1);
  }

  private setup() {
    const { pager, machine, mounts, vnodes } = this.scenario;
    return { pager, ...(machine ? { machine } : {}), ...(mounts ? { mounts } : {}), vnodes };
  }

  /** Show scene `k` (from 1); false if the scenario could not be loaded. */
  show(id: number, k: number): boolean {
    return this.showStep(id, this.lesson.scenes[k - 1]!.step);
  }

  goTo(id: number, k: number): TeachEvent | string {
    if (!Number.isInteger(k) || k < 1 || k > this.lesson.scenes.length)
      return `Lesson ${this.lesson.name} has scenes 1 to ${this.lesson.scenes.length}, not ${k}.`;
    if (!this.show(id, k)) return `Lesson ${this.lesson.name}: its scenario did not load.`;
    return { type: 'teach.scene', version: PROTOCOL_VERSION, scene: k };
  }

  /** Answer scene `k`'s question with `given`; the lab then shows the answering state. */
  reveal(id: number, k: number, given: string | number): TeachEvent | string {
    const scene = this.lesson.scenes[k - 1];
    const q = scene?.question;
    if (!scene || !q) return `Scene ${k} of lesson ${this.lesson.name} asks no question.`;
    if (typeof given === 'number' && (!q.choices || !Number.isInteger(given) || given < 0 || given >= q.choices.length))
      return `Choose one of the ${q.choices?.length ?? 0} answers offered.`;
    const before = stateAt(this.states(), scene.step);
    const after = stateAt(this.states(), q.at);
    const r = after ? reveal(q, after, given) : null;
    if (!before || !after || !r) return `Scene ${k}'s question cannot be answered from the lesson's scenario.`;
    this.showStep(id, q.at);
    return {
      type: 'teach.revealed',
      version: PROTOCOL_VERSION,
      reveal: {
        scene: k,
        given,
        answer: r.answer,
        correct: r.correct,
        choices: r.choices,
        changes: diffDigests(before.digest, after.digest).map(formatChange),
      },
    };
  }
}
