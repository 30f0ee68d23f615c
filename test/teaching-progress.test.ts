/**
 * The learner's exercise progress as kept in localStorage: what each question holds, which answers are right
 * now (a right answer changed to a wrong one is no longer counted), and which answers were shown.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { progressStore, readProgress, revealExercise, updateExercise } from '../src/teaching-ui/progress';

const check = (question: number, text: string, correct: boolean) => ({ question, text, correct });

describe('exercise progress', () => {
  beforeEach(() => progressStore.setState({ lessons: {}, challenges: {}, exercises: {} }));
  const saved = () => progressStore.getState().exercises['state:42'];

  it('keeps each answer as typed and counts what is right now', () => {
    updateExercise('state:42', 6, [check(0, 'PG_BUSY', true), check(2, '3', false)]);
    expect(saved()).toEqual({ questions: 6, right: [0], answers: { 0: 'PG_BUSY', 2: '3' }, revealed: [] });
    // The right answer changed to a wrong one, and the other cleared.
    updateExercise('state:42', 6, [check(0, 'PG_CLEAN', false), check(2, '', false)]);
    expect(saved()).toEqual({ questions: 6, right: [], answers: { 0: 'PG_CLEAN' }, revealed: [] });
  });

  it('does not count an answer typed after it was shown', () => {
    updateExercise('state:42', 6, [check(1, '1', true)]);
    revealExercise('state:42', 6, 4);
    updateExercise('state:42', 6, [check(1, '1', true), check(4, 'true', true)]);
    expect(saved()).toMatchObject({ right: [1], revealed: [4], answers: { 1: '1', 4: 'true' } });
  });

  it('reads back what was saved, and drops what is damaged (an entry from before answers were kept too)', () => {
    const raw = JSON.stringify({
      exercises: {
        'state:42': { questions: 6, right: [0], answers: { 0: 'PG_BUSY', x: 'no', 1: 7 }, revealed: [4, -1, 'a'] },
        'block:1': { questions: 3, right: [2] },
      },
    });
    expect(readProgress(raw).exercises).toEqual({
      'state:42': { questions: 6, right: [0], answers: { 0: 'PG_BUSY' }, revealed: [4] },
      'block:1': { questions: 3, right: [2], answers: {}, revealed: [] },
    });
  });
});
