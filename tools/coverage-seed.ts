/**
 * Seed coverage: `npm run --silent coverage:seed`. Runs every scenario of the library through the engine,
 * unions the seed lines the threads reached, and prints, per seed function and in total, the share of the
 * seed's executable statement lines (the lines the engine tags with `yield N`) that were reached. Then it
 * lists every tagged line never reached, with its reason from src/engine/openbsd/unreachable.ts (or "NO
 * REASON": a gap in the library), and every seed statement line the engine does not tag at all.
 * Exit 1 when some line is unexplained, so the report doubles as a check.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { splitArgs, usageError } from './argv';
import { endQuietlyOnClosedPipe } from './closed-pipe';
import { pathToFileURL } from 'node:url';
import type { PagerModel } from '../src/engine/model';
import { pagerModel, pagerNames } from '../src/engine/registry';
import { runScenario } from '../src/engine/run-scenario';
import { parseScenario } from '../src/scenario/schema';
import { seedFunctions, seedStatementLines, taggedSeedLines, type SeedFunction } from './seed-lines';

const ROOT = new URL('../', import.meta.url);
const SCENARIO_DIR = new URL('scenarios/', ROOT);

export interface SeedCoverage {
  pager: string;
  /** The seed file, from the repository root. */
  seed: string;
  functions: { fn: SeedFunction; tagged: number[]; reached: number[] }[];
  tagged: number[];
  reached: number[];
  /** Tagged lines no scenario reached, each with its reason or null. */
  missed: { line: number; reason: string | null }[];
  /** Statement lines of the seed with no tag, each with its reason or null. */
  untagged: { line: number; reason: string | null }[];
  scenarios: number;
}

/** Coverage of one pager's seed by the library scenarios of that pager. */
export function measureSeedCoverage(pager = 'openbsd'): SeedCoverage {
  const model: PagerModel = pagerModel(pager)!;
  const seed = readFileSync(new URL(model.seed.file, ROOT), 'utf8');
  const engineDir = new URL(`${model.seed.sourceDir}/`, ROOT);
  const sources = readdirSync(engineDir)
    .filter((f) => f.endsWith('.ts'))
    .map((f) => readFileSync(new URL(f, engineDir), 'utf8'));
  const tagged = [...taggedSeedLines(sources)].sort((a, b) => a - b);
  const reachedSet = new Set<number>();
  let scenarios = 0;
  for (const file of readdirSync(SCENARIO_DIR).filter((f) => f.endsWith('.json'))) {
    const parsed = parseScenario(readFileSync(new URL(file, SCENARIO_DIR), 'utf8'));
    if (!parsed.ok) throw new Error(`${file}: invalid scenario`);
    if (parsed.scenario.pager !== pager) continue;
    scenarios++;
    for (const line of runScenario(parsed.scenario).engine.linesReached) reachedSet.add(line);
  }
  const reached = tagged.filter((l) => reachedSet.has(l));
  const reasonOf = (line: number): string | null => model.unreachableLines[line] ?? null;
  const taggedSet = new Set(tagged);
  return {
    pager,
    seed: model.seed.file,
    functions: seedFunctions(seed).map((fn) => {
      const inside = (l: number) => l >= fn.first && l <= fn.last;
      return { fn, tagged: tagged.filter(inside), reached: reached.filter(inside) };
    }),
    tagged,
    reached,
    missed: tagged.filter((l) => !reachedSet.has(l)).map((line) => ({ line, reason: reasonOf(line) })),
    untagged: seedStatementLines(seed)
      .filter((l) => !taggedSet.has(l))
      .map((line) => ({ line, reason: reasonOf(line) })),
    scenarios,
  };
}

const percent = (part: number, whole: number): string =>
  whole === 0 ? '  -  ' : `${((100 * part) / whole).toFixed(1).padStart(5)}%`;

export function report(c: SeedCoverage): string[] {
  const out = [`seed coverage of ${c.seed} by ${c.scenarios} library scenarios`, ''];
  for (const { fn, tagged, reached } of c.functions)
    out.push(
      `${fn.name.padEnd(18)} lines ${String(fn.first).padStart(4)}-${String(fn.last).padEnd(4)} ` +
        `${String(reached.length).padStart(3)}/${String(tagged.length).padEnd(3)} ${percent(reached.length, tagged.length)}`,
    );
  out.push(
    '',
    `total: ${c.reached.length}/${c.tagged.length} statement lines reached (${percent(c.reached.length, c.tagged.length).trim()})`,
  );
  out.push('', 'tagged lines never reached:');
  for (const { line, reason } of c.missed) out.push(`  ${line}: ${reason ?? 'NO REASON (not covered by the library)'}`);
  if (c.missed.length === 0) out.push('  (none)');
  out.push('', 'seed statement lines the engine does not tag (not tagged):');
  for (const { line, reason } of c.untagged) out.push(`  ${line}: ${reason ?? 'NO REASON'}`);
  if (c.untagged.length === 0) out.push('  (none)');
  return out;
}

/** Lines neither reached nor explained: what the library still has to cover (or the table to explain). */
export function unexplainedLines(c: SeedCoverage): number[] {
  return [...c.missed, ...c.untagged].filter((m) => m.reason === null).map((m) => m.line);
}

export const USAGE = 'usage: npm run --silent coverage:seed (it takes no arguments: it reports both seeds)';

/** The command: the report on standard output; exit 1 when some line is unexplained, 2 on a bad command line. */
export function main(argv: readonly string[], io: { stdout(text: string): void; stderr(text: string): void }): number {
  // An argument (a pager's name, a file, --help) would otherwise be ignored without a word.
  const args = splitArgs(argv, []);
  if (typeof args === 'string' || args.files.length > 0) {
    const problem = typeof args === 'string' ? args : `unexpected argument ${JSON.stringify(args.files[0])}`;
    io.stderr(usageError(problem, USAGE));
    return 2;
  }
  let unexplained = 0;
  for (const [i, pager] of pagerNames().entries()) {
    const coverage = measureSeedCoverage(pager);
    io.stdout((i > 0 ? '\n' : '') + report(coverage).join('\n') + '\n');
    unexplained += unexplainedLines(coverage).length;
  }
  return unexplained > 0 ? 1 : 0;
}

// Run as a script (not when a test imports the functions above).
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  endQuietlyOnClosedPipe();
  process.exitCode = main(process.argv.slice(2), {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
  });
}
