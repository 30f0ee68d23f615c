/**
 * The schedule explorer's command line (docs/explorer.md):
 *
 *   npm run --silent explore -- FILE.json [--results ok,eio] [--preempt K] [--max-depth N]
 *                                         [--max-schedules N] [--json]
 *
 * Keeps the scenario's setup and spawns, searches the orders of run and complete (and up to K
 * single-statement steps) for panics, hangs and leaks. With --json: a line per distinct finding,
 * {"kind","message","steps","scenario","link","callerBug"}, then {"schedules","states","findings","ms","exhaustive"}.
 * Without: the same as text, with a progress bar on standard error when it is a terminal.
 * Exit 0: no finding; 1: findings; 2: invalid arguments or scenario (the runner's `step N: field: reason`).
 */
import { isOption, usageError } from './argv';
import { endQuietlyOnClosedPipe } from './closed-pipe';
import { readInputBytes } from './input-file';
import { performance } from 'node:perf_hooks';
import { callerBugIn } from '../src/engine/explore/caller-bug';
import { findingLink } from '../src/engine/explore/link';
import { exploreSteps, type ExploreResult, type ExploreStats } from '../src/engine/explore/search';
import { stepLabel } from '../src/engine/explore/steps';
import { callerBugNote } from '../src/protocol/explore';
import { setupOf } from '../src/protocol/scenario';
import { formatScenarioError, parseScenarioBytes, resultProblem } from '../src/scenario/schema';

const USAGE =
  'usage: npm run --silent explore -- FILE.json [--results ok,eio] [--preempt K] [--max-depth N] [--max-schedules N] [--json]';

/** With no --max-schedules: enough for every library scenario's first findings, bounded for the rest. */
export const DEFAULT_MAX_SCHEDULES = 100_000;

export interface ExploreArgs {
  file: string;
  results: string[];
  preempt: number;
  maxDepth: number;
  maxSchedules: number;
  json: boolean;
}

/** The arguments, or why they are wrong. */
export function parseArgs(argv: readonly string[]): ExploreArgs | string {
  const files: string[] = [];
  const args: ExploreArgs = {
    file: '',
    results: ['ok', 'eio'],
    preempt: 0,
    maxDepth: 60,
    maxSchedules: DEFAULT_MAX_SCHEDULES,
    json: false,
  };
  const count = (flag: string, value: string | undefined, min: number): number | string => {
    if (value === undefined || !/^\d+$/.test(value) || Number(value) < min || !Number.isSafeInteger(Number(value)))
      return `${flag} needs a whole number from ${min} to 2^53 - 1, got ${value === undefined ? 'nothing' : JSON.stringify(value)}`;
    return Number(value);
  };
  const given = new Set<string>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    let n: number | string;
    // Said twice: refused rather than one of them taken silently.
    if (isOption(a) && a !== '--json') {
      if (given.has(a)) return `${a} given twice`;
      given.add(a);
    }
    switch (a) {
      case '--json':
        args.json = true;
        break;
      case '--results': {
        const value = argv[++i];
        const results = value?.split(',') ?? [];
        if (results.length === 0) return '--results needs a list of ok, eio, short:B';
        // As the scenario reader takes a completion's result: a finding's scenario and link hold these words,
        // so one the reader refuses (short:007, a B above 2^53 - 1) would print findings the lab cannot open.
        const wrong = results.find((r) => resultProblem(r) !== null);
        if (wrong !== undefined)
          return `--results needs a list of ok, eio, short:B (B a whole number of bytes up to 2^53 - 1, no leading zero), got ${JSON.stringify(wrong)}`;
        args.results = [...new Set(results)];
        break;
      }
      case '--preempt':
        if (typeof (n = count(a, argv[++i], 0)) === 'string') return n;
        args.preempt = n;
        break;
      case '--max-depth':
        if (typeof (n = count(a, argv[++i], 1)) === 'string') return n;
        args.maxDepth = n;
        break;
      case '--max-schedules':
        if (typeof (n = count(a, argv[++i], 1)) === 'string') return n;
        args.maxSchedules = n;
        break;
      case '--':
        files.push(...argv.slice(i + 1));
        i = argv.length;
        break;
      default:
        if (isOption(a)) return `unknown option ${a}`;
        files.push(a);
    }
  }
  if (files.length !== 1) return 'one scenario file, please';
  args.file = files[0]!;
  return args;
}

export interface Output {
  out(line: string): void;
  err(text: string): void;
  /** Whether standard error is a terminal (draw the progress bar). */
  tty: boolean;
  /** Polled during the search: true stops it (Ctrl-C). */
  interrupted(): boolean;
}

/** Let the event loop turn (a signal handler can run) between slices of the search. */
const breathe = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** The command: what it prints goes to `io`; resolves to the exit code. */
export async function runExplore(argv: readonly string[], io: Output): Promise<number> {
  const args = parseArgs(argv);
  if (typeof args === 'string') {
    io.err(usageError(args, USAGE));
    return 2;
  }
  // The runner's rule: the size refused before the file is read, the bytes strictly UTF-8.
  const bytes = readInputBytes(args.file, { what: 'scenario file', nameUnreadable: true });
  if (!(bytes instanceof Uint8Array)) {
    io.err(`step -1: ${bytes.reason}\n`);
    return 2;
  }
  const parsed = parseScenarioBytes(bytes);
  if (!parsed.ok) {
    io.err(`${formatScenarioError(parsed.error)}\n`);
    return 2;
  }
  const scenario = parsed.scenario;
  const spawns = scenario.steps.filter((s) => 'spawn' in s).length;
  if (!args.json)
    io.out(
      `explore ${args.file}: ${spawns} thread${spawns === 1 ? '' : 's'}, results ${args.results.join(',')}, ` +
        `preempt ${args.preempt}, max depth ${args.maxDepth}, max schedules ${args.maxSchedules}`,
    );
  const bar = !args.json && io.tty;
  const search = exploreSteps(scenario, {
    results: args.results,
    preempt: args.preempt,
    maxDepth: args.maxDepth,
    maxSchedules: args.maxSchedules,
    now: () => performance.now(),
    shouldStop: io.interrupted,
  });
  let result: ExploreResult;
  for (;;) {
    const r = search.next();
    if (r.done) {
      result = r.value;
      break;
    }
    if (bar) io.err(`\r${progressLine(r.value, args.maxSchedules)}`);
    await breathe();
  }
  if (bar) io.err(`\r${' '.repeat(78)}\r`);
  const { findings, stats } = result;
  const setup = setupOf(scenario);
  for (const f of findings) {
    // A caller bug's finding says so as the lab's Explore dialog does, and its scenario's title says it too (as
    // the dialog's link does), so the lab the link opens shows it under "About this scenario".
    const callerBug = callerBugIn(setup, f.scenario.steps.slice(0, f.steps));
    const titled = callerBug
      ? { ...f.scenario, title: [f.scenario.title, callerBugNote(callerBug)].filter(Boolean).join('. ') }
      : f.scenario;
    const link = findingLink(titled, f.steps);
    if (args.json) {
      io.out(JSON.stringify({ kind: f.kind, message: f.message, steps: f.steps, scenario: titled, link, callerBug }));
      continue;
    }
    io.out('');
    io.out(`${f.kind}: ${f.message}`);
    if (callerBug) io.out(`  ${callerBugNote(callerBug)}`);
    io.out(`  in ${f.steps} steps: ${f.scenario.steps.map(stepLabel).join(', ')}`);
    io.out(`  link: ${link}`);
  }
  const summary = {
    schedules: stats.schedules,
    states: stats.states,
    findings: stats.findings,
    ms: Math.round(stats.ms),
    exhaustive: stats.exhaustive,
  };
  if (args.json) io.out(JSON.stringify(summary));
  else {
    const why = stats.exhaustive
      ? 'exhaustive'
      : stats.stopped
        ? `not exhaustive: stopped after ${stats.schedules} schedules`
        : `not exhaustive: ${stats.depthCuts} paths cut at depth ${args.maxDepth}`;
    io.out('');
    io.out(
      `${summary.schedules} schedules, ${summary.states} states, ${summary.findings} finding${summary.findings === 1 ? '' : 's'} ` +
        `in ${(summary.ms / 1000).toFixed(1)} s (${why}; ${stats.cacheHits} cached states, ${stats.sleepPruned} sleep-set prunes)`,
    );
  }
  return findings.length > 0 ? 1 : 0;
}

function progressLine(p: ExploreStats, max: number): string {
  const width = 24;
  const done = Math.min(width, Math.floor((p.schedules / max) * width));
  return (
    `[${'#'.repeat(done)}${'.'.repeat(width - done)}] ${p.schedules} schedules, ${p.states} states, ` +
    `${p.findings} finding${p.findings === 1 ? '' : 's'}, ${(p.ms / 1000).toFixed(1)} s`
  ).slice(0, 78);
}

// Run when executed (not when a test imports it). Ctrl-C stops the search and prints what it found so far
// (not exhaustive); a second Ctrl-C quits at once.
if (process.argv[1] && /explore\.ts$/.test(process.argv[1])) {
  endQuietlyOnClosedPipe();
  let stop = false;
  process.on('SIGINT', () => {
    if (stop) process.exit(130);
    stop = true;
  });
  void runExplore(process.argv.slice(2), {
    out: (line) => process.stdout.write(`${line}\n`),
    err: (t) => process.stderr.write(t),
    tty: process.stderr.isTTY === true,
    interrupted: () => stop,
  }).then((code) => {
    process.exitCode = code;
  });
}
