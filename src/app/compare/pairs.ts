/**
 * Kernel pairs: an OpenBSD and a FreeBSD library scenario that tell the same
 * story, with the story's steps lined up. The index is data
 * (scenarios/compare/pairs.json, format `pager-compare/1`): per pair its two
 * scenarios and its story steps, and per story step and kernel the step index
 * (`at`, steps applied: 0 is the setup), what that kernel did there, in the
 * C's words (`says`), and claims over that step's contract digest (`holds`,
 * goals of the teaching language, src/teaching/goal.ts;
 * test/compare-pairs.test.ts runs both scenarios and checks every claim). Read strictly: a damaged index is
 * refused with a message naming the field, never half used.
 */

export const PAIR_FORMAT = 'pager-compare/1';

/** The two kernels, in the order the compare view shows them. */
export const KERNELS = ['openbsd', 'freebsd'] as const;
export type Kernel = (typeof KERNELS)[number];

/** Where one kernel's scenario stands at a story step. */
export interface StoryPoint {
  /** Steps applied (the cursor): 0 is the setup. */
  readonly at: number;
  /** What this kernel did to get here, in the C's words. */
  readonly says: string;
  /** Claims over the digest at `at` (checked by the unit test, not by the lab). */
  readonly holds: readonly unknown[];
}

export interface StoryStep {
  /** Kernel-neutral: "The read is in flight". */
  readonly title: string;
  readonly openbsd: StoryPoint;
  readonly freebsd: StoryPoint;
}

export interface KernelPair {
  /** The link's name: `#compare=ID`. */
  readonly id: string;
  readonly title: string;
  readonly summary: string;
  /** Library scenario names (scenarios/NAME.json). */
  readonly openbsd: string;
  readonly freebsd: string;
  readonly story: readonly StoryStep[];
}

export type PairIndexRead = { ok: true; pairs: KernelPair[] } | { ok: false; error: string };

type Obj = Record<string, unknown>;

class IndexError extends Error {}

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

function fields(v: unknown, where: string, required: readonly string[]): Obj {
  if (!isObj(v)) throw new IndexError(`${where}: expected an object`);
  for (const k of Object.keys(v))
    if (!required.includes(k)) throw new IndexError(`${where}.${k}: unknown key (expected ${required.join(', ')})`);
  for (const k of required) if (!(k in v)) throw new IndexError(`${where}.${k}: missing`);
  return v;
}

function text(v: unknown, where: string): string {
  if (typeof v !== 'string' || v.trim() === '') throw new IndexError(`${where}: expected a non-empty string`);
  return v;
}

const NAME = /^[a-z0-9]+(-[a-z0-9]+)*$/;

function name(v: unknown, where: string): string {
  const s = text(v, where);
  if (!NAME.test(s)) throw new IndexError(`${where}: "${s}" is not a lower-case-dashed name`);
  return s;
}

function point(v: unknown, where: string): StoryPoint {
  const o = fields(v, where, ['at', 'says', 'holds']);
  if (typeof o.at !== 'number' || !Number.isSafeInteger(o.at) || o.at < 0)
    throw new IndexError(`${where}.at: expected a step index (an integer, 0 or more)`);
  if (!Array.isArray(o.holds) || o.holds.length === 0)
    throw new IndexError(`${where}.holds: expected a non-empty list of claims`);
  return { at: o.at, says: text(o.says, `${where}.says`), holds: o.holds };
}

function pair(v: unknown, where: string): KernelPair {
  const o = fields(v, where, ['id', 'title', 'summary', 'openbsd', 'freebsd', 'story']);
  if (!Array.isArray(o.story) || o.story.length < 2)
    throw new IndexError(`${where}.story: expected a list of at least two story steps`);
  const story = o.story.map((s, i) => {
    const at = `${where}.story[${i}]`;
    const step = fields(s, at, ['title', ...KERNELS]);
    return {
      title: text(step.title, `${at}.title`),
      openbsd: point(step.openbsd, `${at}.openbsd`),
      freebsd: point(step.freebsd, `${at}.freebsd`),
    };
  });
  // Each kernel's story moves forward: story step k+1 is a later step of the scenario than k.
  for (const k of KERNELS)
    for (let i = 1; i < story.length; i++)
      if (story[i]![k].at <= story[i - 1]![k].at)
        throw new IndexError(`${where}.story[${i}].${k}.at: must come after story step ${i - 1}'s`);
  return {
    id: name(o.id, `${where}.id`),
    title: text(o.title, `${where}.title`),
    summary: text(o.summary, `${where}.summary`),
    openbsd: name(o.openbsd, `${where}.openbsd`),
    freebsd: name(o.freebsd, `${where}.freebsd`),
    story,
  };
}

/** Read the pair index (already parsed JSON). */
export function readPairIndex(json: unknown): PairIndexRead {
  try {
    const o = fields(json, 'index', ['format', 'pairs']);
    if (o.format !== PAIR_FORMAT) throw new IndexError(`index.format: expected "${PAIR_FORMAT}"`);
    if (!Array.isArray(o.pairs) || o.pairs.length === 0) throw new IndexError('index.pairs: expected a non-empty list');
    const pairs = o.pairs.map((p, i) => pair(p, `pairs[${i}]`));
    const seen = new Set<string>();
    for (const p of pairs) {
      if (seen.has(p.id)) throw new IndexError(`pairs: "${p.id}" is listed twice`);
      seen.add(p.id);
    }
    return { ok: true, pairs };
  } catch (e) {
    if (e instanceof IndexError) return { ok: false, error: e.message };
    throw e;
  }
}

/**
 * Which story step a lab stands at, from its cursor: `exact` when the cursor
 * is a story step's `at`, else the last story step before it (`after`), or
 * none yet (-1). `shared`: the steps the lab's branch shares with the story's
 * (`stepsOnStory`); past them the lab has left the story (`off`), and the
 * step it left after is the last it passed.
 */
export function storyPosition(
  pair: KernelPair,
  kernel: Kernel,
  cursor: number,
  shared = Infinity,
): { index: number; exact: boolean; off: boolean } {
  const off = cursor > shared;
  const upTo = off ? shared : cursor;
  let index = -1;
  for (let i = 0; i < pair.story.length; i++) if (pair.story[i]![kernel].at <= upTo) index = i;
  return { index, exact: !off && index >= 0 && pair.story[index]![kernel].at === cursor, off };
}

/**
 * What the story bar's Previous and Next do, from where each lab stands (`storyPosition`): `both`, the story
 * step both labs stand on exactly (-1: none); `previous` and `next`, the story step each moves both labs to
 * (null: the button is off). With the labs apart, Next lines them up one past the furthest either has got
 * and Previous at the earliest, so that neither moves a lab the other way.
 */
export function storyMoves(
  pair: KernelPair,
  at: readonly { index: number; exact: boolean }[],
): { both: number; previous: number | null; next: number | null } {
  const both = at.every((p) => p.exact && p.index === at[0]!.index) ? at[0]!.index : -1;
  const furthest = Math.max(...at.map((p) => p.index));
  const earliest = Math.min(...at.map((p) => p.index));
  const last = pair.story.length - 1;
  return {
    both,
    previous: both === 0 || furthest < 0 ? null : Math.max(0, both >= 0 ? both - 1 : earliest),
    next: both === last || (both < 0 && furthest >= last) ? null : Math.min(last, both >= 0 ? both + 1 : furthest + 1),
  };
}

/** A branch as the lab's history lists it (src/protocol/debug.ts BranchView). */
interface BranchLink {
  readonly id: number;
  readonly parent: number | null;
  readonly forkAt: number;
}

/**
 * The steps the lab's current branch shares with the story's (the first branch, the scenario as opened):
 * every step when it is that one. A branch made from a branch shares no more than its parent does.
 */
export function stepsOnStory(branches: readonly BranchLink[], branch: number): number {
  let shared = Infinity;
  let b = branches.find((x) => x.id === branch);
  while (b && b.parent !== null) {
    shared = Math.min(shared, b.forkAt);
    const parent = b.parent;
    b = branches.find((x) => x.id === parent);
  }
  return shared;
}

/** The story's branch: the first, the one with no parent. */
export function storyBranch(branches: readonly BranchLink[]): number | null {
  return branches.find((b) => b.parent === null)?.id ?? null;
}
