/**
 * The teaching layer, for the lab and the tools: plain data in, plain data
 * out, no DOM. See docs/teaching.md for the formats.
 */
export { lookup, parsePath, type Lookup, type PathPart } from './digest-path';
export { answerFormHint, answerMatches, formatValue, readAnswer, sameValue } from './values';
export { isHung, type JudgeState } from './state';
export { describeGoal, explainGoal, goalHolds, goalShortfall, readGoal, type Goal } from './goal';
export { diffDigests, formatChange, type Change } from './diff';
export { stateAt, traceScenario, type Trace, type TracedState } from './trace';
export { answerIn, reveal, type AnswerSource, type Question, type Reveal } from './question';
export { lessonScenario, parseLesson, type Lesson, type LessonProblem, type Scene } from './lesson';
export { PANELS, readHighlight, type Highlight, type HighlightTarget, type PanelName } from './highlight';
export { checkLesson, lineCheck, type LineCheck } from './lesson-check';
export {
  challengeScenario,
  parseChallenge,
  parseSolution,
  ruleRefusal,
  solutionOf,
  type Challenge,
  type FileError,
  type Solution,
} from './challenge';
export { gradeSolution, playChallenge, type Verdict } from './grade';
export {
  defaultKind,
  EXERCISE_KIND_TITLES,
  EXERCISE_KINDS,
  makeExercise,
  withoutAnswers,
  type Exercise,
  type ExerciseKind,
  type ExerciseQuestion,
} from './exercise';
export { exerciseLink, lessonLink, parseTeachingLink, teachingLinkProblem, type TeachingLink } from './links';
