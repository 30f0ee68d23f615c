/**
 * What the teaching text claims, checked against the seed and the engine:
 * - a code name quoted beside a seed line number ("`uvm_pagealloc` (1037)",
 *   "`vrefact` at 268") is on that line or within three lines of it, or names
 *   the seed function the line is in (lessons and challenge stories, both
 *   pagers);
 * - a lesson saying "page 0xN is FLAGS" names exactly the page's flags in the
 *   digest at its scene's step ("has FLAGS" says some of them);
 * - a lesson names a timeline step as the lab numbers it ("the lab's step N",
 *   the digest's step + 1), never by a bare number a reader would take for the
 *   pane's "The lab shows step N".
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Scenario } from '../src/protocol/scenario';
import { parseScenario } from '../src/scenario/schema';
import { lessonScenario, parseLesson, type Lesson } from '../src/teaching/lesson';
import { stateAt, traceScenario } from '../src/teaching/trace';

type Pager = 'openbsd' | 'freebsd';
const SEEDS: Record<Pager, string[]> = {
  openbsd: readFileSync('public/seeds/uvm_vnode.c', 'utf8').replace(/\n$/, '').split('\n'),
  freebsd: readFileSync('public/seeds/vnode_pager.c', 'utf8').replace(/\n$/, '').split('\n'),
};

const library = (name: string): Scenario | null => {
  try {
    const parsed = parseScenario(readFileSync(`scenarios/${name}.json`, 'utf8'));
    return parsed.ok ? parsed.scenario : null;
  } catch {
    return null;
  }
};

/** The seed function a line is in: the nearest definition above it (`name(` at the start of a line). */
function enclosing(seed: readonly string[], line: number): string | null {
  for (let i = line - 1; i >= 0; i--) {
    const m = /^([a-z_][a-z0-9_]*)\(/.exec(seed[i]!);
    if (m) return m[1]!;
  }
  return null;
}

// A quoted name right before its line: "`X` (N)", "`X` (N-M)", "`X` (line N)", "`X`, line N", "`X` at line N".
const CITATION =
  /`([^`\n]+)`\s*(?:\((?:lines? )?(\d{3,4})(?:\s*-\s*(\d{3,4}))?(?=[,;)])|(?:at|, lines?) (?:line )?(\d{3,4})\b)/g;
// Values, not names: a line returning `retval` may well be where `FALSE` is returned.
const VALUES = new Set(['TRUE', 'FALSE', 'NULL']);

/** Citations in `text` whose quoted name is not where the seed has it, as "`X` (N): line N is …". */
function misplacedCitations(text: string, seed: readonly string[]): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(CITATION)) {
    const cited = m[0].includes('(') ? `${m[0]})` : m[0];
    const from = Number(m[2] ?? m[4]);
    const to = m[3] === undefined ? from : Number(m[3]);
    const names = (m[1]!.match(/[A-Za-z_][A-Za-z0-9_]{2,}/g) ?? []).filter((n) => !VALUES.has(n));
    if (names.length === 0) continue;
    if (to < from || to > seed.length) {
      out.push(`${cited}: the seed has ${seed.length} lines`);
      continue;
    }
    const window = seed.slice(Math.max(0, from - 4), to + 3).join('\n');
    // A flag may be quoted by its last part (`ALOCK` for UVM_VNODE_ALOCK).
    const near = (n: string) => new RegExp(`(^|[^A-Za-z0-9_]|[A-Z0-9]_)${n}(?![A-Za-z0-9_])`).test(window);
    const fn = enclosing(seed, from);
    if (!names.some((n) => near(n) || n === fn)) out.push(`${cited}: line ${from} is "${seed[from - 1]!.trim()}"`);
  }
  return out;
}

const lessonNames = readdirSync('lessons')
  .filter((f) => f.endsWith('.md'))
  .map((f) => f.replace(/\.md$/, ''))
  .sort();

function load(name: string): { lesson: Lesson; scenario: Scenario } {
  const parsed = parseLesson(name, readFileSync(`lessons/${name}.md`, 'utf8'));
  if (!parsed.ok) throw new Error(`${name}.md does not parse`);
  const scenario = lessonScenario(parsed.lesson, library);
  if (!scenario) throw new Error(`${name}.md: no scenario`);
  return { lesson: parsed.lesson, scenario };
}

const narration = (lesson: Lesson) => [lesson.intro, ...lesson.scenes.map((s) => s.body)].join('\n\n');

describe('seed line citations', () => {
  it('finds a name cited at the wrong line, and passes it at the right one', () => {
    const seed = SEEDS.openbsd;
    expect(misplacedCitations('so `uvm_pagealloc` (1037) makes a new page', seed)).toEqual([]);
    expect(misplacedCitations('`uvm_wait("uvn_getpage")` (1042), then `rw_exit` at 1125', seed)).toEqual([]);
    // the function the line is in, and a flag by its last part
    expect(misplacedCitations('`uvn_put` (904) calls uvn_io; `ALOCK` (194)', seed)).toEqual([]);
    expect(misplacedCitations('so `uvm_pagealloc` (1057) makes a new page', seed)).toEqual([
      '`uvm_pagealloc` (1057): line 1057 is "uvm_pagewait(ptmp, uobj->vmobjlock, "uvn_get");"',
    ]);
    expect(misplacedCitations('`vrefact` at line 268, `relpbuf`, line 1053', SEEDS.freebsd)).toEqual([]);
    expect(misplacedCitations('(`relpbuf`, line 1063)', SEEDS.freebsd)).toHaveLength(1);
    expect(misplacedCitations('`vrefact` at line 148', SEEDS.freebsd)).toHaveLength(1);
    expect(misplacedCitations('`bwait` (1046-1047) and `relpbuf` (9999)', SEEDS.freebsd)).toEqual([
      '`relpbuf` (9999): the seed has 1423 lines',
    ]);
  });

  it.each(lessonNames)('lesson %s quotes each name at its seed line', (name) => {
    const { lesson, scenario } = load(name);
    expect(misplacedCitations(narration(lesson), SEEDS[scenario.pager as Pager])).toEqual([]);
  });

  it('challenge stories quote each name at its seed line', () => {
    const problems: string[] = [];
    for (const file of readdirSync('challenges').filter((f) => f.endsWith('.json'))) {
      const c = JSON.parse(readFileSync(`challenges/${file}`, 'utf8')) as {
        story: string;
        setup: { pager?: Pager };
      };
      for (const p of misplacedCitations(c.story, SEEDS[c.setup.pager ?? 'openbsd'])) problems.push(`${file}: ${p}`);
    }
    expect(problems).toEqual([]);
  });
});

// "page 0x2000 is PG_BUSY|PG_CLEAN|PG_FAKE", "page 0x0 is just PG_CLEAN", "page 0x0 is now `PG_BUSY|PG_WANTED`".
const PAGE_IS = /page (0x[0-9a-f]+) is (?:now |just |back, |still )?`?(PG_[A-Z]+(?:\|PG_[A-Z]+)*)`?(?![|A-Z_])/g;

/** "page 0xN is FLAGS" claims in a scene's look and narration that the digest at its step does not bear out. */
function wrongFlagClaims(name: string): string[] {
  const { lesson, scenario } = load(name);
  if (scenario.pager !== 'openbsd') return [];
  const trace = traceScenario(scenario);
  const out: string[] = [];
  for (const scene of lesson.scenes) {
    const digest = stateAt(trace, scene.step)!.digest as unknown as {
      vnodes: { name: string; uvn: { pages: { offset: number; flags: string[] }[] } }[];
    };
    const named = new Set(scene.highlights.map((h) => ('vnode' in h.target ? h.target.vnode : null)));
    for (const m of `${scene.look ?? ''}\n${scene.body}`.matchAll(PAGE_IS)) {
      const offset = Number(m[1]);
      let holders = digest.vnodes.filter((v) => v.uvn.pages.some((p) => p.offset === offset));
      if (holders.length > 1) holders = holders.filter((v) => named.has(v.name));
      if (holders.length !== 1) {
        out.push(`${scene.title}: "${m[0]}": ${holders.length} vnodes hold page ${m[1]} at step ${scene.step}`);
        continue;
      }
      const flags = holders[0]!.uvn.pages.find((p) => p.offset === offset)!.flags;
      const said = m[2]!.split('|');
      if (said.length !== flags.length || !said.every((f) => flags.includes(f)))
        out.push(`${scene.title}: "${m[0]}", but at step ${scene.step} it is ${flags.join('|') || 'none'}`);
    }
  }
  return out;
}

describe('lesson claims about page flags', () => {
  it.each(lessonNames)('lesson %s: "page 0xN is FLAGS" is the whole flag set at the scene', (name) => {
    expect(wrongFlagClaims(name)).toEqual([]);
  });
});

describe('step numbers in lessons', () => {
  it.each(lessonNames)("lesson %s names a step as the lab's step N, within the lesson's steps", (name) => {
    const { lesson, scenario } = load(name);
    const problems: string[] = [];
    // A quoted "step 1" is the C's own comment, not a timeline step.
    for (const m of narration(lesson).matchAll(/(?<!")(\b\S+\s+)?\bsteps? (\d+)\b/g)) {
      const n = Number(m[2]);
      if (m[1]?.trim() !== "lab's")
        problems.push(`"${m[0].trim()}": name it as "the lab's step N", N the digest's step + 1`);
      else if (n < 1 || n > scenario.steps.length)
        problems.push(`"${m[0]}": the lab has steps 1-${scenario.steps.length}`);
    }
    expect(problems).toEqual([]);
  });
});
