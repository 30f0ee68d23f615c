/**
 * Headless runner: `npm run --silent scenario -- FILE.json [--final]`.
 * Prints one digest a line (scenario-format.md, "Headless runner").
 * Exit 0: all steps applied; 2: invalid scenario or impossible step; 3: unsupported pager.
 */
import { readFileSync } from 'node:fs';
import { runScenario } from '../src/engine/run-scenario';
import { formatScenarioError, parseScenario } from '../src/scenario/schema';

function main(argv: string[]): number {
  const files = argv.filter((a) => !a.startsWith('--'));
  const finalOnly = argv.includes('--final');
  const unknown = argv.filter((a) => a.startsWith('--') && a !== '--final');
  if (files.length !== 1 || unknown.length > 0) {
    process.stderr.write('usage: npm run --silent scenario -- FILE.json [--final]\n');
    return 2;
  }
  let text: string;
  try {
    text = readFileSync(files[0]!, 'utf8');
  } catch (e) {
    process.stderr.write(`step -1: cannot read ${files[0]}: ${(e as Error).message}\n`);
    return 2;
  }
  const parsed = parseScenario(text);
  if (!parsed.ok) {
    process.stderr.write(`${formatScenarioError(parsed.error)}\n`);
    return 2;
  }
  if (parsed.scenario.pager !== 'openbsd') {
    process.stderr.write(`step -1: pager: the ${parsed.scenario.pager} model is not supported yet\n`);
    return 3;
  }
  const run = runScenario(parsed.scenario);
  const lines = run.digests.map((d) => JSON.stringify(d));
  process.stdout.write((finalOnly ? lines.slice(-1) : lines).map((l) => `${l}\n`).join(''));
  if (run.refused) {
    process.stderr.write(`step ${run.refused.step}: ${run.refused.reason}\n`);
    return 2;
  }
  return 0;
}

process.exitCode = main(process.argv.slice(2));
