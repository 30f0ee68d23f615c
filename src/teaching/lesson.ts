/**
 * Lessons (docs/teaching.md, "Lessons"): Markdown narration bound to a
 * scenario, cut into scenes. Each scene names the digest step it shows, the
 * thread and seed line to point at, what to look at, the panels to
 * highlight, and may ask a question before the state that answers it.
 *
 *   ---
 *   title: Two faults on one page
 *   scenario: two-threads-fault-same-page
 *   ---
 *   Intro Markdown.
 *
 *   ## A scene's title
 *   ```scene
 *   step: 5
 *   thread: t3
 *   line: 1057
 *   look: PG_WANTED set on page 0x0
 *   highlight: page-bits vn1:0x0 PG_WANTED
 *   ```
 *   The scene's Markdown.
 *   ```question
 *   ask: Where will t3 stand when t2's read is done and t2 has run?
 *   line-of: t3
 *   choice: 1057
 *   choice: 1126
 *   ```
 *
 * parseLesson turns the text into plain data (no Markdown is rendered here);
 * checkLesson checks it against the trace of its scenario.
 */
import type { Scenario } from '../protocol/scenario';
import { parseScenario, formatScenarioError } from '../scenario/schema';
import { parsePath, lookup } from './digest-path';
import { answerIn, choiceReadable, judgeChoices, type AnswerSource, type Question } from './question';
import { digestIo, digestThreads } from './state';
import { stateAt, type Trace } from './trace';
import { formatValue } from './values';

/** The panels a highlight can name (the lab's panels). */
export const PANELS = [
  'source',
  'threads',
  'io',
  'page-tree',
  'page-bits',
  'page-queues',
  'object',
  'locks',
  'timeline',
] as const;
export type PanelName = (typeof PANELS)[number];

/** What a highlight points at, read from its target text. */
export type HighlightTarget =
  | { kind: 'lines'; from: number; to: number }
  | { kind: 'thread'; thread: string }
  | { kind: 'request'; id: number }
  | { kind: 'page'; vnode: string; offset: number; column: string | null }
  | { kind: 'object'; vnode: string; field: string | null }
  | { kind: 'lock'; lock: string }
  | { kind: 'step'; step: number };

export interface Highlight {
  readonly panel: PanelName;
  /** The target as written ("vn1:0x1000 PG_WANTED"). */
  readonly what: string;
  readonly target: HighlightTarget;
}

export interface Scene {
  readonly title: string;
  /** Digest step shown (the runner's `"step"`; -1 is the state before the first step). */
  readonly step: number;
  readonly thread: string;
  /** Seed line to point at: where the thread stands at `step`, or one it went through in that step. */
  readonly line: number;
  /** What to look at, in a line ("PG_WANTED set on 0x0"). */
  readonly look: string | null;
  readonly highlights: readonly Highlight[];
  /** Asked before moving on; answered by the state at `question.at`. */
  readonly question: Question | null;
  /** The scene's Markdown, scene and question blocks removed. */
  readonly body: string;
  /** Line of the lesson file where the scene starts (for messages). */
  readonly sourceLine: number;
}

export interface Lesson {
  readonly name: string;
  readonly title: string;
  readonly summary: string | null;
  /** A library scenario by name, or one written in the lesson. */
  readonly scenario: { readonly library: string } | { readonly inline: Scenario };
  readonly intro: string;
  readonly scenes: readonly Scene[];
}

export interface LessonProblem {
  /** Line of the lesson file (1-based), or 0 for the file as a whole. */
  readonly line: number;
  readonly reason: string;
}

export type LessonParse = { ok: true; lesson: Lesson } | { ok: false; problems: LessonProblem[] };

const FENCE = /^(```+|~~~+)\s*([A-Za-z-]*)\s*$/;

interface Block {
  info: string;
  lines: { text: string; line: number }[];
  start: number;
}

/** Split a section into its fenced blocks of the given kinds and the remaining Markdown. */
function takeBlocks(
  lines: { text: string; line: number }[],
  kinds: readonly string[],
): { blocks: Block[]; rest: string[] } {
  const blocks: Block[] = [];
  const rest: string[] = [];
  let open: { fence: string; block: Block | null } | null = null;
  for (const l of lines) {
    const m = FENCE.exec(l.text);
    if (open) {
      if (m && l.text.trim().startsWith(open.fence) && m[2] === '') {
        if (!open.block) rest.push(l.text);
        open = null;
      } else if (open.block) open.block.lines.push(l);
      else rest.push(l.text);
      continue;
    }
    if (m) {
      const info = m[2]!;
      const block = kinds.includes(info) ? { info, lines: [], start: l.line } : null;
      if (block) blocks.push(block);
      else rest.push(l.text);
      open = { fence: m[1]!, block };
      continue;
    }
    rest.push(l.text);
  }
  return { blocks, rest };
}

/** `key: value` lines; keys may repeat. */
function fields(
  block: Block,
  problems: LessonProblem[],
  allowed: readonly string[],
): Map<string, { value: string; line: number }[]> {
  const out = new Map<string, { value: string; line: number }[]>();
  for (const l of block.lines) {
    if (l.text.trim() === '') continue;
    const m = /^\s*([a-z-]+)\s*:\s*(.*?)\s*$/.exec(l.text);
    if (!m) {
      problems.push({ line: l.line, reason: `expected "key: value" in the ${block.info} block` });
      continue;
    }
    if (!allowed.includes(m[1]!)) {
      problems.push({
        line: l.line,
        reason: `unknown key "${m[1]}" in the ${block.info} block; one of ${allowed.join(', ')}`,
      });
      continue;
    }
    out.set(m[1]!, [...(out.get(m[1]!) ?? []), { value: m[2]!, line: l.line }]);
  }
  return out;
}

function single(
  f: Map<string, { value: string; line: number }[]>,
  key: string,
  block: Block,
  problems: LessonProblem[],
  required: boolean,
): { value: string; line: number } | null {
  const all = f.get(key) ?? [];
  if (all.length > 1) problems.push({ line: all[1]!.line, reason: `"${key}" given twice` });
  if (all.length === 0 && required)
    problems.push({ line: block.start, reason: `the ${block.info} block needs "${key}"` });
  return all[0] ?? null;
}

function int(v: { value: string; line: number }, problems: LessonProblem[], min: number): number | null {
  if (!/^-?\d+$/.test(v.value) || Number(v.value) < min) {
    problems.push({ line: v.line, reason: `expected an integer of at least ${min}, got "${v.value}"` });
    return null;
  }
  return Number(v.value);
}

const OFFSET = /^(0x[0-9a-f]+|\d+)$/i;

/** Read a highlight: `PANEL TARGET` as docs/teaching.md lists them. */
export function readHighlight(text: string): Highlight | string {
  const m = /^(\S+)\s+(.+)$/.exec(text.trim());
  if (!m) return `expected "panel target", got "${text}"`;
  const panel = m[1] as PanelName;
  const what = m[2]!.trim();
  if (!PANELS.includes(panel)) return `unknown panel "${m[1]}"; one of ${PANELS.join(', ')}`;
  const words = what.split(/\s+/);
  const bad = (form: string) => `a ${panel} highlight is "${panel} ${form}", got "${what}"`;
  switch (panel) {
    case 'source': {
      const r = /^(\d+)(?:-(\d+))?$/.exec(what);
      if (!r) return bad('LINE or LINE-LINE');
      const from = Number(r[1]);
      const to = r[2] === undefined ? from : Number(r[2]);
      if (from < 1 || to < from) return bad('LINE or LINE-LINE');
      return { panel, what, target: { kind: 'lines', from, to } };
    }
    case 'threads':
      if (words.length !== 1) return bad('THREAD');
      return { panel, what, target: { kind: 'thread', thread: what } };
    case 'io':
      if (!/^[1-9]\d*$/.test(what)) return bad('REQUEST-ID');
      return { panel, what, target: { kind: 'request', id: Number(what) } };
    case 'page-tree':
    case 'page-bits':
    case 'page-queues': {
      const p = /^([A-Za-z0-9_.-]+):(\S+)$/.exec(words[0]!);
      if (!p || !OFFSET.test(p[2]!) || words.length > (panel === 'page-bits' ? 2 : 1))
        return bad(panel === 'page-bits' ? 'VNODE:OFFSET [COLUMN]' : 'VNODE:OFFSET');
      return { panel, what, target: { kind: 'page', vnode: p[1]!, offset: Number(p[2]), column: words[1] ?? null } };
    }
    case 'object':
      if (words.length > 2) return bad('VNODE [FLAG-OR-FIELD]');
      return { panel, what, target: { kind: 'object', vnode: words[0]!, field: words[1] ?? null } };
    case 'locks':
      if (words.length !== 1) return bad('LOCK');
      return { panel, what, target: { kind: 'lock', lock: what } };
    case 'timeline':
      if (!/^-?\d+$/.test(what)) return bad('STEP');
      return { panel, what, target: { kind: 'step', step: Number(what) } };
  }
}

/** Raw HTML is never rendered; a lesson must not rely on it. Code spans and fences may hold anything. */
function htmlProblems(body: { text: string; line: number }[]): LessonProblem[] {
  const out: LessonProblem[] = [];
  let fence: string | null = null;
  for (const l of body) {
    const m = FENCE.exec(l.text);
    if (fence) {
      if (m && l.text.trim().startsWith(fence) && m[2] === '') fence = null;
      continue;
    }
    if (m) {
      fence = m[1]!;
      continue;
    }
    const prose = l.text.replace(/`+[^`]*`+/g, '');
    if (/<[A-Za-z!/]/.test(prose))
      out.push({ line: l.line, reason: 'raw HTML (the lab renders Markdown only); quote code in backticks' });
  }
  return out;
}

function readFrontMatter(lines: string[], problems: LessonProblem[]): { meta: Map<string, string>; bodyStart: number } {
  const meta = new Map<string, string>();
  if (lines[0]?.trim() !== '---') {
    problems.push({ line: 1, reason: 'a lesson starts with front matter between "---" lines' });
    return { meta, bodyStart: 0 };
  }
  let i = 1;
  for (; i < lines.length && lines[i]!.trim() !== '---'; i++) {
    const m = /^([a-z]+)\s*:\s*(.*?)\s*$/.exec(lines[i]!);
    if (!m) {
      if (lines[i]!.trim() !== '') problems.push({ line: i + 1, reason: 'expected "key: value" in the front matter' });
      continue;
    }
    if (!['title', 'scenario', 'summary'].includes(m[1]!))
      problems.push({ line: i + 1, reason: `unknown front matter key "${m[1]}"; one of title, scenario, summary` });
    else if (meta.has(m[1]!)) problems.push({ line: i + 1, reason: `"${m[1]}" given twice` });
    else meta.set(m[1]!, m[2]!);
  }
  if (i >= lines.length) problems.push({ line: 1, reason: 'the front matter never ends (no closing "---")' });
  return { meta, bodyStart: i + 1 };
}

function readQuestion(block: Block, problems: LessonProblem[], nextStep: number | null): Question | null {
  const f = fields(block, problems, ['ask', 'path', 'line-of', 'at', 'choice']);
  const ask = single(f, 'ask', block, problems, true);
  const path = single(f, 'path', block, problems, false);
  const lineOf = single(f, 'line-of', block, problems, false);
  const atField = single(f, 'at', block, problems, false);
  let source: AnswerSource | null = null;
  if ((path === null) === (lineOf === null))
    problems.push({ line: block.start, reason: 'a question has exactly one of "path" or "line-of"' });
  else if (path) {
    const parsed = parsePath(path.value);
    if (!parsed.ok) problems.push({ line: path.line, reason: `bad path: ${parsed.error.reason}` });
    else source = { kind: 'path', path: path.value };
  } else source = { kind: 'line', thread: lineOf!.value };
  const at = atField ? int(atField, problems, 0) : nextStep;
  if (at === null) {
    if (!atField)
      problems.push({
        line: block.start,
        reason: 'the last scene\'s question needs "at" (no next scene gives the step)',
      });
    return null;
  }
  const choices = (f.get('choice') ?? []).map((c) => c.value);
  if (choices.length === 1)
    problems.push({ line: block.start, reason: 'a multiple-choice question offers at least two choices' });
  if (!ask || !source) return null;
  return { ask: ask.value, source, at, choices: choices.length ? choices : null };
}

/** Parse a lesson file into plain data; every problem is reported with its line. */
export function parseLesson(name: string, text: string): LessonParse {
  const problems: LessonProblem[] = [];
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  const { meta, bodyStart } = readFrontMatter(lines, problems);
  if (!meta.get('title')) problems.push({ line: 1, reason: 'the front matter needs "title"' });

  // Sections: the intro, then one per "## " heading (outside fences).
  const sections: { title: string | null; line: number; lines: { text: string; line: number }[] }[] = [
    { title: null, line: bodyStart + 1, lines: [] },
  ];
  let fence: string | null = null;
  for (let i = bodyStart; i < lines.length; i++) {
    const t = lines[i]!;
    const m = FENCE.exec(t);
    if (fence) {
      if (m && t.trim().startsWith(fence) && m[2] === '') fence = null;
    } else if (m) fence = m[1]!;
    else if (t.startsWith('## ')) {
      sections.push({ title: t.slice(3).trim(), line: i + 1, lines: [] });
      continue;
    }
    sections.at(-1)!.lines.push({ text: t, line: i + 1 });
  }

  const intro = takeBlocks(sections[0]!.lines, ['scenario', 'scene', 'question']);
  let scenario: Lesson['scenario'] | null = null;
  for (const b of intro.blocks) {
    if (b.info !== 'scenario')
      problems.push({ line: b.start, reason: `a ${b.info} block belongs under a "## " scene heading` });
    else if (scenario || meta.has('scenario'))
      problems.push({ line: b.start, reason: 'the lesson names its scenario twice' });
    else {
      const parsed = parseScenario(b.lines.map((l) => l.text).join('\n'));
      if (!parsed.ok) problems.push({ line: b.start, reason: `inline scenario: ${formatScenarioError(parsed.error)}` });
      else scenario = { inline: parsed.scenario };
    }
  }
  if (meta.has('scenario')) scenario = { library: meta.get('scenario')! };
  if (!scenario)
    problems.push({ line: 1, reason: 'name a library scenario ("scenario:") or write one in a ```scenario block' });
  problems.push(...htmlProblems(sections[0]!.lines));

  const raw = sections.slice(1).map((sec) => {
    const { blocks, rest } = takeBlocks(sec.lines, ['scene', 'question', 'scenario']);
    for (const b of blocks.filter((x) => x.info === 'scenario'))
      problems.push({ line: b.start, reason: 'a scenario block belongs in the intro' });
    const sceneBlocks = blocks.filter((b) => b.info === 'scene');
    const questionBlocks = blocks.filter((b) => b.info === 'question');
    if (sceneBlocks.length !== 1)
      problems.push({ line: sec.line, reason: `a scene has one scene block, this one has ${sceneBlocks.length}` });
    if (questionBlocks.length > 1)
      problems.push({ line: questionBlocks[1]!.start, reason: 'a scene asks at most one question' });
    problems.push(...htmlProblems(sec.lines));
    return { sec, scene: sceneBlocks[0] ?? null, question: questionBlocks[0] ?? null, body: rest.join('\n').trim() };
  });

  const steps: (number | null)[] = raw.map(({ scene }) => {
    if (!scene) return null;
    const f = fields(scene, [], ['step', 'thread', 'line', 'look', 'highlight']);
    const s = f.get('step')?.[0];
    return s && /^-?\d+$/.test(s.value) ? Number(s.value) : null;
  });

  const scenes: Scene[] = [];
  raw.forEach(({ sec, scene, question, body }, i) => {
    if (!scene) return;
    const f = fields(scene, problems, ['step', 'thread', 'line', 'look', 'highlight']);
    const step = single(f, 'step', scene, problems, true);
    const thread = single(f, 'thread', scene, problems, true);
    const line = single(f, 'line', scene, problems, true);
    const look = single(f, 'look', scene, problems, false);
    const highlights: Highlight[] = [];
    for (const h of f.get('highlight') ?? []) {
      const read = readHighlight(h.value);
      if (typeof read === 'string') problems.push({ line: h.line, reason: read });
      else highlights.push(read);
    }
    const stepN = step ? int(step, problems, -1) : null;
    const lineN = line ? int(line, problems, 1) : null;
    const q = question ? readQuestion(question, problems, steps[i + 1] ?? null) : null;
    if (!sec.title) problems.push({ line: sec.line, reason: 'a scene heading needs a title' });
    if (body === '') problems.push({ line: sec.line, reason: 'a scene needs some narration' });
    if (stepN === null || lineN === null || !thread) return;
    scenes.push({
      title: sec.title ?? '',
      step: stepN,
      thread: thread.value,
      line: lineN,
      look: look?.value ?? null,
      highlights,
      question: q,
      body,
      sourceLine: sec.line,
    });
  });
  if (raw.length === 0) problems.push({ line: 0, reason: 'a lesson has at least one "## " scene' });
  for (let i = 1; i < scenes.length; i++)
    if (scenes[i]!.step < scenes[i - 1]!.step)
      problems.push({
        line: scenes[i]!.sourceLine,
        reason: `scenes go forward: step ${scenes[i]!.step} after step ${scenes[i - 1]!.step}`,
      });

  if (problems.length) return { ok: false, problems: problems.sort((a, b) => a.line - b.line) };
  return {
    ok: true,
    lesson: {
      name,
      title: meta.get('title')!,
      summary: meta.get('summary') ?? null,
      scenario: scenario!,
      intro: intro.rest.join('\n').trim(),
      scenes,
    },
  };
}

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
        reason: `${scene.thread} is not at line ${scene.line} at step ${scene.step} (it stands at ${view.line ?? view.callerStmt ?? 'no line'}${state.passed.length ? `; the step went through ${state.passed.join(' ')}` : ''})`,
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
  return state.passed.includes(scene.line) ? 'passed' : null;
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
      const page = lookup(d, `vnodes[name=${t.vnode}].uvn.pages[offset=${t.offset}]`);
      const object = lookup(d, `vnodes[name=${t.vnode}].object`);
      // FreeBSD digests keep pages under objects[]; their highlight checks come with that model's lessons.
      if (!page.found && !object.found) return `page ${t.offset} of ${t.vnode} is not resident at this step`;
      if (t.column && page.found) {
        const p = page.value as Record<string, unknown>;
        const known = Object.hasOwn(p, t.column) || /^PG_[A-Z]+$/.test(t.column);
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

/** The scenario a lesson plays: its inline one, or the library's by name (null when the library has none). */
export function lessonScenario(lesson: Lesson, library: (name: string) => Scenario | null): Scenario | null {
  return 'inline' in lesson.scenario ? lesson.scenario.inline : library(lesson.scenario.library);
}
