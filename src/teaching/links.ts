/**
 * Links into the teaching layer, as the lab's router reads them from the URL
 * hash: `#lesson=NAME&scene=K` (K counts scenes from 1) and `#exercise=K:N`
 * (kind and seed). Parsing is strict: a link that does not name a lesson or
 * exercise exactly gives null, and the router falls back to the plain lab.
 */
import { NAME } from '../scenario/checks';
import { EXERCISE_KINDS, MAX_SEED, type ExerciseKind } from './exercise';

export type TeachingLink =
  | { readonly kind: 'lesson'; readonly lesson: string; readonly scene: number }
  | { readonly kind: 'exercise'; readonly exercise: ExerciseKind; readonly seed: number };

export function lessonLink(lesson: string, scene = 1): string {
  return `#lesson=${lesson}&scene=${scene}`;
}

export function exerciseLink(kind: ExerciseKind, seed: number): string {
  return `#exercise=${kind}:${seed}`;
}

/** `a=b&c=d` into a map (no URLSearchParams: this module runs where only ES2022 is), null on a repeated key. */
function hashParams(hash: string): Map<string, string> | null {
  const out = new Map<string, string>();
  for (const part of hash.replace(/^#/, '').split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    let key: string;
    let value: string;
    try {
      key = decodeURIComponent(eq < 0 ? part : part.slice(0, eq));
      value = decodeURIComponent(eq < 0 ? '' : part.slice(eq + 1));
    } catch {
      return null;
    }
    if (out.has(key)) return null;
    out.set(key, value);
  }
  return out;
}

/** Read a hash (with or without its leading "#"); null when it is not a teaching link. */
export function parseTeachingLink(hash: string): TeachingLink | null {
  const params = hashParams(hash);
  if (params === null) return null;
  const lesson = params.get('lesson') ?? null;
  const exercise = params.get('exercise') ?? null;
  if (lesson !== null && exercise === null) {
    if (!NAME.test(lesson)) return null;
    const sceneText = params.get('scene') ?? '1';
    // 0 and past the lesson's end are numbers the tutor says it cannot show (it shows the nearest scene).
    if (!/^\d{1,4}$/.test(sceneText)) return null;
    return { kind: 'lesson', lesson, scene: Number(sceneText) };
  }
  if (exercise !== null && lesson === null) {
    const m = /^([a-z]+):(0|[1-9]\d*)$/.exec(exercise);
    if (!m || !(EXERCISE_KINDS as readonly string[]).includes(m[1]!)) return null;
    const seed = Number(m[2]);
    if (!Number.isSafeInteger(seed) || seed > MAX_SEED) return null;
    return { kind: 'exercise', exercise: m[1] as ExerciseKind, seed };
  }
  return null;
}

/**
 * Why `hash` is not a teaching link, as precisely as can be said ("there is no exercise kind \"fly\"…"), for
 * the message that refuses it.
 */
export function teachingLinkProblem(hash: string): string {
  const params = hashParams(hash);
  const generic = 'it is not #lesson=NAME&scene=K or #exercise=KIND:SEED';
  if (params === null) return `${generic} (a part is repeated or badly escaped)`;
  const lesson = params.get('lesson') ?? null;
  const exercise = params.get('exercise') ?? null;
  if ((lesson === null) === (exercise === null)) return generic;
  if (lesson !== null) {
    if (!NAME.test(lesson)) return `"${lesson.slice(0, 40)}" is not a lesson's name`;
    return `scene "${(params.get('scene') ?? '').slice(0, 20)}" is not a scene number (1, 2, …)`;
  }
  const [kind = '', seed] = exercise!.split(':');
  if (!(EXERCISE_KINDS as readonly string[]).includes(kind))
    return `there is no exercise kind "${kind.slice(0, 40)}"; the kinds are ${EXERCISE_KINDS.join(', ')}`;
  return `the seed "${(seed ?? '').slice(0, 20)}" is not a whole number from 0 to ${MAX_SEED} (written without leading zeros)`;
}
