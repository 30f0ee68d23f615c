/**
 * Check a parsed lesson against its scenario as the engine runs it: what the
 * lesson test asserts for every shipped lesson, and what a lesson author
 * runs while writing one.
 */
import { lookup, type Lookup } from './digest-path';
import type { Highlight } from './highlight';
import type { Lesson, LessonProblem, Scene } from './lesson';
import { answerIn, choiceReadable, judgeChoices } from './question';
import { digestIo, digestThreads } from './state';
import { stateAt, type Trace } from './trace';
import { formatValue } from './values';

/** What checkLesson found about one scene's line: where the thread stands, or a line it went through. */
export type LineCheck = 'current' | 'passed';

/**
 * Check a parsed lesson against the trace of its scenario (traced with
 * `lines`): every scene's step exists and its thread exists there; its line
 * is where the thread stands or one it went through in that step; every
 * highlight names something present; every question is answerable at its
 * step, after the scene, and a multiple-choice one has exactly one right
 * choice, each choice readable as a value of the answer's kind.
 */
export function checkLesson(lesson: Lesson, trace: Trace): LessonProblem[] {
  const problems: LessonProblem[] = [];
  if (trace.refused)
    problems.push({ line: 0, reason: `the scenario stops at step ${trace.refused.step}: ${trace.refused.reason}` });
  for (const scene of lesson.scenes) {
    const at = scene.sourceLine;
    const state = stateAt(trace, scene.step);
    if (!state) {
      problems.push({
        line: at,
        reason: `step ${scene.step} does not exist (the scenario ends at step ${trace.states.length - 2})`,
      });
      continue;
    }
    const view = state.threads.find((t) => t.id === scene.thread);
    if (!view) problems.push({ line: at, reason: `no thread ${scene.thread} at step ${scene.step}` });
    else if (lineCheck(scene, trace) === null)
      problems.push({
        line: at,
        reason: `${scene.thread} is not at line ${scene.line} at step ${scene.step} (it stands at ${view.line ?? view.callerStmt ?? 'no line'}${state.ran === scene.thread && state.passed.length ? `; the step went through ${state.passed.join(' ')}` : ''})`,
      });
    for (const h of scene.highlights) {
      const why = highlightProblem(h, state, trace);
      if (why) problems.push({ line: at, reason: `highlight "${h.panel} ${h.what}": ${why}` });
    }
    const q = scene.question;
    if (!q) continue;
    if (q.at <= scene.step)
      problems.push({
        line: at,
        reason: `the question is answered at step ${q.at}, not after the scene's step ${scene.step}`,
      });
    const answerState = stateAt(trace, q.at);
    if (!answerState) {
      problems.push({ line: at, reason: `the question's step ${q.at} does not exist` });
      continue;
    }
    const a = answerIn(q.source, answerState);
    if (!a.ok) {
      problems.push({ line: at, reason: `the question cannot be answered at step ${q.at}: ${a.reason}` });
      continue;
    }
    if (q.choices) {
      const unreadable = q.choices.filter((c) => !choiceReadable(c, a.value));
      if (unreadable.length)
        problems.push({ line: at, reason: `choices not of the answer's kind: ${unreadable.join(', ')}` });
      const right = judgeChoices(q.choices, a.value).filter(Boolean).length;
      if (right !== 1)
        problems.push({
          line: at,
          reason: `${right} choices are right (the engine's answer is ${formatValue(a.value)}); exactly one must be`,
        });
    }
  }
  return problems;
}

/** Whether a scene's line is where its thread stands, one it went through in the step, or neither (null). */
export function lineCheck(scene: Scene, trace: Trace): LineCheck | null {
  const state = stateAt(trace, scene.step);
  const view = state?.threads.find((t) => t.id === scene.thread);
  if (!state || !view) return null;
  if (view.line === scene.line) return 'current';
  // Only the lines of the thread the step ran: another thread passing the line proves nothing.
  return state.ran === scene.thread && state.passed.includes(scene.line) ? 'passed' : null;
}

function highlightProblem(h: Highlight, state: NonNullable<ReturnType<typeof stateAt>>, trace: Trace): string | null {
  const d = state.digest;
  const t = h.target;
  switch (t.kind) {
    case 'lines':
      return null;
    case 'thread':
      return digestThreads(d).some((x) => x.id === t.thread) ? null : `no thread ${t.thread} at this step`;
    case 'request':
      return digestIo(d).some((r) => r.id === t.id) ? null : `request ${t.id} is not in flight at this step`;
    case 'page': {
      const vn = lookup(d, `vnodes[name=${t.vnode}]`);
      if (!vn.found) return `no vnode ${t.vnode}`;
      const freebsd = freebsdPage(d, t.vnode, t.offset);
      const page = freebsd ?? lookup(d, `vnodes[name=${t.vnode}].uvn.pages[offset=${t.offset}]`);
      if (!page.found) return `page ${t.offset} of ${t.vnode} is not resident at this step`;
      if (t.column) {
        const p = page.value as Record<string, unknown>;
        // An OpenBSD page's column may be one of its PG_* flags; a FreeBSD page has only its digest fields.
        const known = Object.hasOwn(p, t.column) || (freebsd === null && /^PG_[A-Z]+$/.test(t.column));
        if (!known) return `no column ${t.column}`;
      }
      return null;
    }
    case 'object': {
      const vn = lookup(d, `vnodes[name=${t.vnode}]`);
      if (!vn.found) return `no vnode ${t.vnode}`;
      // A flag of the object's flag word, or a field the object panel or the digest names.
      if (
        t.field &&
        !/^(UVM_VNODE_[A-Z]+|OBJ_[A-Z]+|(u|uo|v)_[a-z]+|refs|size|nio|npages|usecount|state|vflag)$/.test(t.field)
      )
        return `${t.field} is neither a flag nor a field of the object panel`;
      return null;
    }
    case 'lock':
      return state.threads.some((x) => x.locksHeld.includes(t.lock) || (x.status === 'lock' && x.wait === t.lock))
        ? null
        : `nobody holds or waits for ${t.lock} at this step`;
    case 'step':
      return stateAt(trace, t.step) ? null : `step ${t.step} does not exist`;
  }
}

/**
 * A FreeBSD digest keeps a vnode's pages under `objects[]`, found through the vnode's `object` number, by
 * pindex (offset / 4096). Null for an OpenBSD digest (its vnodes have no `object` field).
 */
function freebsdPage(d: Record<string, unknown>, vnode: string, offset: number): Lookup | null {
  const object = lookup(d, `vnodes[name=${vnode}].object`);
  if (!object.found) return null;
  if (typeof object.value !== 'number' || offset % 4096 !== 0) return { found: false, reason: 'no object' };
  return lookup(d, `objects[id=${object.value}].pages[pindex=${offset / 4096}]`);
}
