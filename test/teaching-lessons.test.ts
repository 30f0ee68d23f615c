/**
 * Lessons: every shipped lesson parses, has 8-20 scenes, and checks against
 * its scenario as the engine runs it (each scene's step exists, its thread
 * exists there, its seed line is where the thread stands or a line its step
 * went through, every highlight names something present, every question is
 * answerable after the scene with exactly one right choice). Then the lesson
 * format itself: what the parser accepts, refuses, and how reveals judge.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Scenario } from '../src/protocol/scenario';
import { parseScenario } from '../src/scenario/schema';
import { lessonScenario, parseLesson, readHighlight, type Lesson } from '../src/teaching/lesson';
import { checkLesson, lineCheck } from '../src/teaching/lesson-check';
import { exerciseLink, lessonLink, parseTeachingLink } from '../src/teaching/links';
import { reveal } from '../src/teaching/question';
import { stateAt, traceScenario } from '../src/teaching/trace';

const library = (name: string): Scenario | null => {
  try {
    const parsed = parseScenario(readFileSync(`scenarios/${name}.json`, 'utf8'));
    return parsed.ok ? parsed.scenario : null;
  } catch {
    return null;
  }
};

const names = readdirSync('lessons')
  .filter((f) => f.endsWith('.md'))
  .map((f) => f.replace(/\.md$/, ''))
  .sort();

function load(name: string, text = readFileSync(`lessons/${name}.md`, 'utf8')): Lesson {
  const parsed = parseLesson(name, text);
  if (!parsed.ok) throw new Error(parsed.problems.map((p) => `${name}.md:${p.line}: ${p.reason}`).join('\n'));
  return parsed.lesson;
}

describe('shipped lessons', () => {
  it('cover the six topics of the issue', () => {
    expect(names).toEqual(
      expect.arrayContaining([
        'uvn-life-cycle',
        'a-fault',
        'two-faults-one-page',
        'msync',
        'terminate-and-revoke',
        'truncate-and-sync',
      ]),
    );
  });

  it("cover FreeBSD: a fault with read-around, sendfile's asynchronous reads, vgone draining an object", () => {
    const freebsd = names.filter((name) => lessonScenario(load(name), library)?.pager === 'freebsd');
    expect(freebsd).toEqual(
      expect.arrayContaining(['freebsd-read-ahead', 'freebsd-sendfile-async', 'freebsd-vgone-drain']),
    );
  });

  it.each(names)('%s checks against its scenario', (name) => {
    const lesson = load(name);
    expect(lesson.scenes.length).toBeGreaterThanOrEqual(8);
    expect(lesson.scenes.length).toBeLessThanOrEqual(20);
    const scenario = lessonScenario(lesson, library);
    expect(scenario, 'the scenario resolves').not.toBeNull();
    const trace = traceScenario(scenario!, { lines: true });
    expect(checkLesson(lesson, trace).map((p) => `${name}.md:${p.line}: ${p.reason}`)).toEqual([]);
    // Every scene quotes seed lines by number and asks at least one question in the lesson.
    for (const s of lesson.scenes) expect(s.body, s.title).toMatch(/\b\d{3,4}\b/);
    expect(lesson.scenes.filter((s) => s.question).length).toBeGreaterThanOrEqual(3);
  });
});

const SCENARIO = 'two-threads-fault-same-page';
const lessonText = (scenes: string, front = `title: T\nscenario: ${SCENARIO}`) =>
  `---\n${front}\n---\nIntro.\n${scenes}`;
const scene = (meta: string, body = 'Line 1057 does it.', extra = '') =>
  `\n## A scene\n\`\`\`scene\n${meta}\n\`\`\`\n${body}\n${extra}`;

describe('the lesson format', () => {
  it('parses front matter, scenes, highlights and questions into plain data', () => {
    const text = lessonText(
      scene(
        'step: 5\nthread: t3\nline: 1057\nlook: PG_WANTED on 0x0\nhighlight: page-bits vn1:0x0 PG_WANTED\nhighlight: source 1056-1057\nhighlight: io 1',
        'It sleeps at line 1057.\n\n```c\n## not a heading inside code\n```',
        '```question\nask: What is t3 now?\npath: threads[id=t3].status\nchoice: ready\nchoice: sleep\n```',
      ) + scene('step: 6\nthread: t2\nline: 1239'),
    );
    const lesson = load('x', text);
    expect(lesson.scenario).toEqual({ library: SCENARIO });
    expect(lesson.intro).toBe('Intro.');
    expect(lesson.scenes).toHaveLength(2);
    const s = lesson.scenes[0]!;
    expect(s).toMatchObject({ title: 'A scene', step: 5, thread: 't3', line: 1057, look: 'PG_WANTED on 0x0' });
    expect(s.body).toBe('It sleeps at line 1057.\n\n```c\n## not a heading inside code\n```');
    expect(s.highlights).toEqual([
      {
        panel: 'page-bits',
        what: 'vn1:0x0 PG_WANTED',
        target: { kind: 'page', vnode: 'vn1', offset: 0, column: 'PG_WANTED' },
      },
      { panel: 'source', what: '1056-1057', target: { kind: 'lines', from: 1056, to: 1057 } },
      { panel: 'io', what: '1', target: { kind: 'request', id: 1 } },
    ]);
    // The question is answered at the next scene's step unless it says "at".
    expect(s.question).toEqual({
      ask: 'What is t3 now?',
      source: { kind: 'path', path: 'threads[id=t3].status' },
      at: 6,
      choices: ['ready', 'sleep'],
    });
    const trace = traceScenario(library(SCENARIO)!, { lines: true });
    expect(checkLesson(lesson, trace)).toEqual([]);
    expect(lineCheck(s, trace)).toBe('current');
  });

  it('reports problems with their lines', () => {
    const bad = parseLesson(
      'x',
      lessonText(
        scene('step: five\nthread: t3\nline: 1057\ncolour: red\nhighlight: pages 0x0') +
          '\n## No metadata\nJust text with <b>html</b>.\n',
      ),
    );
    expect(bad.ok).toBe(false);
    if (bad.ok) return;
    expect(bad.problems).toEqual([
      { line: 9, reason: 'expected an integer of at least -1, got "five"' },
      { line: 12, reason: 'unknown key "colour" in the scene block; one of step, thread, line, look, highlight' },
      {
        line: 13,
        reason:
          'unknown panel "pages"; one of source, threads, io, page-tree, page-bits, page-queues, object, locks, timeline',
      },
      { line: 17, reason: 'a scene has one scene block, this one has 0' },
      { line: 18, reason: 'raw HTML (the lab renders Markdown only); quote code in backticks' },
    ]);
    const noFront = parseLesson('x', '## S\n');
    expect(noFront.ok === false && noFront.problems[0]).toEqual({
      line: 1,
      reason: 'a lesson starts with front matter between "---" lines',
    });
  });

  it('refuses a last question without "at", a lone choice, and both answer sources', () => {
    const q = (body: string) => {
      const r = parseLesson(
        'x',
        lessonText(scene('step: 5\nthread: t3\nline: 1057', 'Text 1057.', `\`\`\`question\n${body}\n\`\`\``)),
      );
      return r.ok ? [] : r.problems.map((p) => p.reason);
    };
    expect(q('ask: A?\npath: freePages')).toEqual([
      'the last scene\'s question needs "at" (no next scene gives the step)',
    ]);
    expect(q('ask: A?\npath: freePages\nat: 6\nchoice: 7')).toEqual([
      'a multiple-choice question offers at least two choices',
    ]);
    expect(q('ask: A?\npath: freePages\nline-of: t3\nat: 6')).toEqual([
      'a question has exactly one of "path" or "line-of"',
    ]);
    expect(q('ask: A?\npath: threads[\nat: 6')).toEqual(['bad path: a "[" at character 7 is never closed']);
  });

  it('checks scenes against the engine: lines, threads, highlights and answers', () => {
    const check = (meta: string, question = '') => {
      const lesson = load('x', lessonText(scene(meta, 'Line 1057.', question)));
      return checkLesson(lesson, traceScenario(library(SCENARIO)!, { lines: true })).map((p) => p.reason);
    };
    expect(check('step: 5\nthread: t3\nline: 1068')).toEqual([
      't3 is not at line 1068 at step 5 (it stands at 1057; the step went through 927 931 936 943 945 949 953 956 958 960 961 945 992 993 996 927 931 1007 1012 1031 1033 1036 1056 1057)',
    ]);
    // t3 went through 1057 in step 5, t2 did not: a line counts only for the thread that ran.
    expect(check('step: 5\nthread: t2\nline: 1057')).toEqual(['t2 is not at line 1057 at step 5 (it stands at 1239)']);
    expect(check('step: 2\nthread: t3\nline: 1057')).toEqual(['no thread t3 at step 2']);
    expect(check('step: 12\nthread: t3\nline: 1057')).toEqual([
      'step 12 does not exist (the scenario ends at step 11)',
    ]);
    expect(
      check(
        'step: 5\nthread: t3\nline: 1057\nhighlight: io 2\nhighlight: page-tree vn1:0x1000\nhighlight: locks vmobjlock:vn1',
      ),
    ).toEqual([
      'highlight "io 2": request 2 is not in flight at this step',
      'highlight "page-tree vn1:0x1000": page 4096 of vn1 is not resident at this step',
      'highlight "locks vmobjlock:vn1": nobody holds or waits for vmobjlock:vn1 at this step',
    ]);
    // Two choices read as the engine's answer (flag lists compare as sets): ambiguous.
    expect(
      check(
        'step: 5\nthread: t3\nline: 1057',
        '```question\nask: Flags?\npath: vnodes[0].uvn.pages[0].flags\nat: 7\nchoice: PG_CLEAN\nchoice: PG_CLEAN\nchoice: 12\n```',
      ),
    ).toEqual(["2 choices are right (the engine's answer is PG_CLEAN); exactly one must be"]);
    expect(check('step: 5\nthread: t3\nline: 1057', '```question\nask: Where?\nline-of: t9\nat: 7\n```')).toEqual([
      'the question cannot be answered at step 7: no thread t9',
    ]);
    expect(check('step: 5\nthread: t3\nline: 1057', '```question\nask: Free?\npath: freePages\nat: 5\n```')).toEqual([
      "the question is answered at step 5, not after the scene's step 5",
    ]);
  });

  it("credits an asynchronous completion's lines to the thread that started the request", () => {
    const scenario = (steps: string) =>
      `\`\`\`scenario\n${JSON.stringify({
        format: 'pager-scenario/1',
        pager: 'freebsd',
        vnodes: [{ name: 'vn1', size: 8192 }],
        steps: [
          { spawn: 't1', call: 'vnode_create_vobject', args: { vnode: 'vn1' } },
          { run: 't1' },
          { spawn: 't2', call: 'sendfile', args: { vnode: 'vn1', offset: 0, length: 0 } },
          { run: 't2' },
          { spawn: 't3', call: 'vref', args: { vnode: 'vn1' } },
          ...JSON.parse(steps),
        ],
      })}\n\`\`\``;
    const check = (steps: string, meta: string) => {
      const lesson = load('x', `---\ntitle: T\n---\n${scenario(steps)}\n${scene(meta, 'Line 1110.')}`);
      const trace = traceScenario(lessonScenario(lesson, library)!, { lines: true });
      return { problems: checkLesson(lesson, trace).map((p) => p.reason), line: lineCheck(lesson.scenes[0]!, trace) };
    };
    // Step 5 completes t2's read: the done function's lines (1110, 1131...) count for t2, which is done.
    expect(
      check(
        '[{"complete": 1, "result": "ok"}]',
        'step: 5\nthread: t2\nline: 1110\nhighlight: page-bits vn1:0x1000 valid',
      ),
    ).toEqual({
      problems: [],
      line: 'passed',
    });
    // Not for another thread, and not for a line the completion did not run.
    expect(check('[{"complete": 1, "result": "ok"}]', 'step: 5\nthread: t3\nline: 1110').line).toBeNull();
    expect(check('[{"complete": 1, "result": "ok"}]', 'step: 5\nthread: t2\nline: 1047').line).toBeNull();
    // A FreeBSD page highlight names a page resident in the vnode's object.
    expect(
      check('[{"complete": 1, "result": "ok"}]', 'step: 5\nthread: t2\nline: 1110\nhighlight: page-bits vn1:0x2000')
        .problems,
    ).toEqual(['highlight "page-bits vn1:0x2000": page 8192 of vn1 is not resident at this step']);
    expect(
      check(
        '[{"complete": 1, "result": "ok"}]',
        'step: 5\nthread: t2\nline: 1110\nhighlight: page-bits vn1:0x0 PG_BUSY',
      ).problems,
    ).toEqual(['highlight "page-bits vn1:0x0 PG_BUSY": no column PG_BUSY']);
  });

  it('reveals answers the engine computes, and marks the learner right or wrong', () => {
    const lesson = load('two-faults-one-page');
    const trace = traceScenario(library(SCENARIO)!, { lines: true });
    const q = lesson.scenes[1]!.question!;
    const state = stateAt(trace, q.at)!;
    const right = q.choices!.indexOf('uvn_get');
    expect(reveal(q, state, right)).toMatchObject({ answer: 'uvn_get', correct: true });
    expect(reveal(q, state, right === 0 ? 1 : 0)?.correct).toBe(false);
    expect(reveal(q, state, 'uvn_get')?.correct).toBe(true);
    expect(reveal(q, state, 'uvn_getpage')?.correct).toBe(false);
    expect(
      reveal(q, state, null)
        ?.choices?.filter((c) => c.correct)
        .map((c) => c.text),
    ).toEqual(['uvn_get']);
    const line = reveal(
      { ask: 'Where?', source: { kind: 'line', thread: 't3' }, at: 5, choices: null },
      stateAt(trace, 5)!,
      '1057',
    );
    expect(line).toMatchObject({ answer: '1057', correct: true });
  });

  it('reads every highlight form and refuses malformed ones', () => {
    expect(readHighlight('threads t3')).toMatchObject({ target: { kind: 'thread', thread: 't3' } });
    expect(readHighlight('object vn1 UVM_VNODE_RELKILL')).toMatchObject({
      target: { kind: 'object', vnode: 'vn1', field: 'UVM_VNODE_RELKILL' },
    });
    expect(readHighlight('locks vnlock:vn1')).toMatchObject({ target: { kind: 'lock', lock: 'vnlock:vn1' } });
    expect(readHighlight('timeline 4')).toMatchObject({ target: { kind: 'step', step: 4 } });
    expect(readHighlight('page-queues vn1:4096')).toMatchObject({
      target: { kind: 'page', vnode: 'vn1', offset: 4096, column: null },
    });
    expect(readHighlight('page-tree 0x1000')).toBe('a page-tree highlight is "page-tree VNODE:OFFSET", got "0x1000"');
    expect(readHighlight('source 12-3')).toBe('a source highlight is "source LINE or LINE-LINE", got "12-3"');
    expect(readHighlight('io x')).toBe('a io highlight is "io REQUEST-ID", got "x"');
  });
});

describe('teaching links', () => {
  it('round-trip lesson and exercise links', () => {
    expect(lessonLink('msync', 4)).toBe('#lesson=msync&scene=4');
    expect(parseTeachingLink('#lesson=msync&scene=4')).toEqual({ kind: 'lesson', lesson: 'msync', scene: 4 });
    expect(parseTeachingLink('lesson=msync')).toEqual({ kind: 'lesson', lesson: 'msync', scene: 1 });
    // Scene 0 is read as a number, as 99 is: the tutor says the lesson has no such scene and shows the nearest.
    expect(parseTeachingLink('#lesson=msync&scene=0')).toEqual({ kind: 'lesson', lesson: 'msync', scene: 0 });
    expect(exerciseLink('block', 42)).toBe('#exercise=block:42');
    expect(parseTeachingLink('#exercise=block:42')).toEqual({ kind: 'exercise', exercise: 'block', seed: 42 });
  });

  it('refuse anything else', () => {
    for (const bad of [
      '',
      '#scenario=abc',
      '#lesson=../x',
      '#lesson=msync&scene=-1',
      '#lesson=msync&scene=x',
      '#exercise=fly:1',
      '#exercise=state:-1',
      '#exercise=state:4294967296',
      '#exercise=state:01',
      '#lesson=msync&exercise=state:1',
    ])
      expect(parseTeachingLink(bad), bad).toBeNull();
  });
});
