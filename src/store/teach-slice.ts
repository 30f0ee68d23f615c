/**
 * The lab's teaching state: what the worker's tutor last said (the catalog,
 * the lesson, challenge or exercise open, reveals, the goal's standing,
 * checked answers) and whether the teaching pane is shown. Plain data from
 * `teach.*` events; the answers themselves only ever arrive revealed.
 */
import type { Catalog, CheckView, GoalStatus, RevealView, TeachEvent, TeachMode } from '../protocol/teach';

export interface TeachState {
  /** The teaching pane is shown. */
  readonly open: boolean;
  readonly catalog: Catalog | null;
  /** The lesson, challenge or exercise open (null: the menu). */
  readonly mode: TeachMode | null;
  /** The lesson's scene shown, from 1. */
  readonly scene: number;
  /** Reveals of the open lesson, by scene. */
  readonly reveals: Readonly<Record<number, RevealView>>;
  readonly goal: GoalStatus | null;
  /** Checked answers of the open exercise, by question index. */
  readonly checks: Readonly<Record<number, CheckView>>;
  /** The exercise's schedule is shown through this digest step (-1: the setup). */
  readonly shownTo: number;
}

export const initialTeach: TeachState = {
  open: false,
  catalog: null,
  mode: null,
  scene: 0,
  reveals: {},
  goal: null,
  checks: {},
  shownTo: -1,
};

export function isTeachEvent(event: { type: string }): event is TeachEvent {
  return event.type.startsWith('teach.');
}

/** The state after `event` (a `teach.error` is shown as a notice by the store, not kept here). */
export function reduceTeach(state: TeachState, event: TeachEvent): TeachState {
  switch (event.type) {
    case 'teach.catalog':
      return { ...state, catalog: event.catalog };
    case 'teach.opened':
      return {
        ...state,
        open: state.open || event.mode !== null,
        mode: event.mode,
        scene: event.scene,
        reveals: {},
        goal: null,
        checks: {},
        shownTo: -1,
      };
    case 'teach.scene':
      return { ...state, scene: event.scene };
    case 'teach.revealed':
      return { ...state, reveals: { ...state.reveals, [event.reveal.scene]: event.reveal } };
    case 'teach.goal':
      return { ...state, goal: event.status };
    case 'teach.checked': {
      // An answer once given stays given while the learner edits the text.
      const answer = event.check.answer ?? state.checks[event.check.question]?.answer ?? null;
      const check = { ...event.check, answer };
      return { ...state, checks: { ...state.checks, [check.question]: check }, shownTo: event.shownTo };
    }
    case 'teach.error':
      return state;
  }
}
