/**
 * Headless runner: `npm run --silent scenario -- FILE.json [--final]`.
 * Prints one digest a line as each step is applied (scenario-format.md,
 * "Headless runner"), keeping none of them (with --final, only the last).
 * Exit 0: all steps applied; 2: invalid scenario or impossible step.
 */
import { readFileSync, writeSync } from 'node:fs';
import type { Digest } from '../src/engine/model';
import { runScenario } from '../src/engine/run-scenario';
import { formatScenarioError, parseScenario } from '../src/scenario/schema';

/** Lines are written in batches: one write per line would cost more than the engine. */
class Out {
  private buffer: string[] = [];
  private size = 0;
  line(text: string): void {
    this.buffer.push(text);
    this.size += text.length;
    if (this.size > 1 << 16) this.flush();
  }
  flush(): void {
    if (this.buffer.length === 0) return;
    writeSync(1, this.buffer.join('\n') + '\n');
    this.buffer = [];
    this.size = 0;
  }
}

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
  const out = new Out();
  let last: Digest | null = null;
  const run = runScenario(parsed.scenario, (d) => {
    if (finalOnly) last = d;
    else out.line(JSON.stringify(d));
  });
  if (last !== null) out.line(JSON.stringify(last));
  out.flush();
  if (run.refused) {
    process.stderr.write(`step ${run.refused.step}: ${run.refused.reason}\n`);
    return 2;
  }
  return 0;
}

process.exitCode = main(process.argv.slice(2));
