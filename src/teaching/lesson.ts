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
 * checkLesson (lesson-check.ts) checks it against the trace of its scenario.
 */
import type { Scenario } from '../protocol/scenario';
import { formatScenarioError, parseScenario } from '../scenario/schema';
import { parsePath } from './digest-path';
import { readHighlight, type Highlight } from './highlight';
import type { AnswerSource, Question } from './question';

export { PANELS, readHighlight, type Highlight, type HighlightTarget, type PanelName } from './highlight';

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

/** The scenario a lesson plays: its inline one, or the library's by name (null when the library has none). */
export function lessonScenario(lesson: Lesson, library: (name: string) => Scenario | null): Scenario | null {
  return 'inline' in lesson.scenario ? lesson.scenario.inline : library(lesson.scenario.library);
}
