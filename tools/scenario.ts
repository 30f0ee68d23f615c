/**
 * Headless runner: `npm run --silent scenario -- FILE.json [--final]`.
 * Prints one digest a line as each step is applied (scenario-format.md,
 * "Headless runner") and keeps none of them; with --final it makes only the
 * last one. Exit 0: all steps applied; 2: invalid scenario or impossible
 * step, with one line on standard error; 1: a bug in the engine (one line,
 * never a stack trace).
 *
 * `main` takes its file system and output as an argument, so tests run it
 * in-process exactly as the command line does.
 */
import { writeSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { runScenario } from '../src/engine/run-scenario';
import { stringifyDigest } from '../src/protocol/digest-json';
import { formatScenarioError, parseScenarioBytes } from '../src/scenario/schema';
import { splitArgs, usageError } from './argv';
import { CLOSED_PIPE_STATUS } from './closed-pipe';
import { diskFiles, oneLine, readInputBytes, type InputFiles } from './input-file';

export interface RunnerIo extends InputFiles {
  stdout(text: string): void;
  stderr(text: string): void;
}

/**
 * Write all of `text` to a file descriptor. writeSync to a pipe may take only part of it (or throw EAGAIN
 * when the pipe is full and non-blocking), so loop until the reader has taken everything.
 */
function writeAll(fd: number, text: string): void {
  const buf = Buffer.from(text, 'utf8');
  for (let at = 0; at < buf.length;) {
    try {
      at += writeSync(fd, buf, at);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EPIPE') process.exit(CLOSED_PIPE_STATUS);
      if (code !== 'EAGAIN') throw e;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1);
    }
  }
}

export const nodeIo: RunnerIo = {
  ...diskFiles,
  stdout: (text) => writeAll(1, text),
  stderr: (text) => writeAll(2, text),
};

export const USAGE = 'usage: npm run --silent scenario -- FILE.json [--final]';

/** Lines are written in batches: one write per line would cost more than the engine. */
class Out {
  private buffer: string[] = [];
  private size = 0;
  constructor(private readonly write: (text: string) => void) {}
  line(text: string): void {
    this.buffer.push(text);
    this.size += text.length;
    if (this.size > 1 << 16) this.flush();
  }
  flush(): void {
    if (this.buffer.length === 0) return;
    this.write(this.buffer.join('\n') + '\n');
    this.buffer = [];
    this.size = 0;
  }
}

export function main(argv: readonly string[], io: RunnerIo = nodeIo): number {
  const args = splitArgs(argv, ['--final']);
  if (typeof args === 'string' || args.files.length !== 1) {
    io.stderr(usageError(typeof args === 'string' ? args : 'one scenario file, please', USAGE));
    return 2;
  }
  const finalOnly = args.flags.has('--final');
  const file = args.files[0]!;
  const bytes = readInputBytes(file, { what: 'scenario file', nameUnreadable: true }, io);
  if (!(bytes instanceof Uint8Array)) {
    io.stderr(`step -1: ${bytes.reason}\n`);
    return 2;
  }
  const out = new Out((text) => io.stdout(text));
  let step = -1;
  try {
    const parsed = parseScenarioBytes(bytes);
    if (!parsed.ok) {
      io.stderr(`${formatScenarioError(parsed.error)}\n`);
      return 2;
    }
    const each = finalOnly
      ? undefined
      : (d: { step: number }) => {
          step = d.step + 1;
          out.line(stringifyDigest(d));
        };
    const run = runScenario(parsed.scenario, each);
    // The refused step changed nothing, so the engine's state is the last digest's.
    if (finalOnly) out.line(stringifyDigest(run.engine.digest()));
    out.flush();
    if (run.refused) {
      io.stderr(`step ${run.refused.step}: ${oneLine(run.refused.reason)}\n`);
      return 2;
    }
    return 0;
  } catch (e) {
    out.flush();
    const where = finalOnly ? '' : ` at step ${step}`;
    io.stderr(
      `internal error${where} (a bug in the engine, not in the scenario): ${oneLine(String((e as Error)?.message ?? e))}\n`,
    );
    return 1;
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href)
  process.exitCode = main(process.argv.slice(2));
