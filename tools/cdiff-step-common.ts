/**
 * What the two step-granularity harnesses share (docs/cdiff.md, "Step granularity"; docs/cdiff-freebsd.md,
 * "Step granularity"): building the seed -O0 -g with its fake kernel and tools/cdiff/common/stepper.c, the
 * breakpoint table made from the seed's line table, the engine running `cstep`/`runto` with repeated `step`s,
 * and the op-by-op comparison of digests and attributed seed lines. Each driver keeps its line format (its
 * `toLines`), its library and its random schedules.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { PagerEngine } from '../src/engine/engine';
import { stringifyDigest } from '../src/protocol/digest-json';
import type { Scenario, Setup, Step } from '../src/protocol/scenario';
import { buildHarness, type HarnessBuild } from './cdiff-common';

/** x86-64 Linux: where stepper.c works (the trap flag, REG_RIP). */
export const STEPPER_HOST = process.arch === 'x64' && process.platform === 'linux';

/**
 * Build a stepping binary (the seed at -O0, linked -no-pie; `b.flags` should have -g) and its breakpoint
 * table, written beside the binary; [binary, table].
 */
export function buildStepHarness(b: HarnessBuild): [string, string] {
  const bin = buildHarness(b);
  const seed = b.seed;
  const name = basename(seed).replace(/[.]/g, '\\.');
  const dump = spawnSync('objdump', ['--dwarf=decodedline', bin], { encoding: 'utf8', maxBuffer: 1 << 26 });
  if (dump.status !== 0) throw new Error(`objdump: ${dump.stderr}`);
  const rows: [number, number][] = [];
  let seedEnd = 0;
  const rowRe = new RegExp(`^${name}\\s+(\\d+)\\s+(0x[0-9a-f]+)\\b`);
  for (const l of dump.stdout.split('\n')) {
    const m = rowRe.exec(l);
    if (m) seedEnd = Math.max(seedEnd, Number(m[2]));
    if (m) rows.push([Number(m[2]), statementStart(seed, Number(m[1]))]);
  }
  rows.sort((a, b) => a[0] - b[0]);
  // One breakpoint per run of rows of one line (in address order), at the run's first address.
  const starts: [number, number][] = [];
  let last = -1;
  let lastAddr = -1;
  for (const [addr, line] of rows) {
    if (addr === lastAddr) continue;
    lastAddr = addr;
    if (line !== last) starts.push([addr, line]);
    last = line;
  }
  const lineAt = (a: number): number => {
    let lo = 0;
    let hi = starts.length - 1;
    let best = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (starts[mid]![0] <= a) {
        best = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return best < 0 ? -1 : starts[best]![1];
  };
  // gcc may jump into the middle of a line's rows (an `if` whose false branch skips a `return;` row's nop): a
  // jump from another line to an address inside a line's code is a breakpoint too.
  const table = new Map(starts.map(([a, l]) => [a, l]));
  const lo = starts[0]?.[0] ?? 0;
  const hi = seedEnd; // the last function's closing brace: `leave; ret` follow
  const dis = spawnSync('objdump', ['-d', '--no-show-raw-insn', bin], { encoding: 'utf8', maxBuffer: 1 << 27 });
  for (const l of dis.stdout.split('\n')) {
    const m = /^\s*([0-9a-f]+):\s+j[a-z]+\s+([0-9a-f]+)\s</.exec(l);
    if (!m) continue;
    const from = parseInt(m[1]!, 16);
    const to = parseInt(m[2]!, 16);
    if (from < lo || from >= hi || to < lo || to >= hi || table.has(to)) continue;
    const src = lineAt(from);
    const dst = lineAt(to);
    if (src >= 0 && dst >= 0 && src !== dst) table.set(to, dst);
  }
  // A function's braces are no statements: after its last statement (a `return` jumps to the epilogue) the
  // thread goes on into its caller, and its opening brace (the prologue's row) comes before its first statement,
  // where the engine stops on entry; a stop there would end a cstep whose change the caller made before the call.
  const braces = functionBraces(seed);
  for (const [a, l] of [...table]) if (braces.has(l)) table.delete(a);
  const tablePath = `${bin}.breakpoints.txt`;
  writeFileSync(tablePath, [...table].map(([a, l]) => `${a.toString(16)} ${l}`).join('\n') + '\n');
  return [bin, tablePath];
}

const endsCache = new Map<string, Set<number>>();
/** The seed lines that open or close a function (a `{` or `}` in column 0). */
export function functionBraces(seed: string): Set<number> {
  let ends = endsCache.get(seed);
  if (ends) return ends;
  ends = new Set();
  readFileSync(seed, 'utf8')
    .split('\n')
    .forEach((l, i) => {
      if (l.trimEnd() === '}' || l.trimEnd() === '{') ends!.add(i + 1);
    });
  endsCache.set(seed, ends);
  return ends;
}

const startsCache = new Map<string, number[]>();
/**
 * The first line of the statement each seed line belongs to: a line begun inside an open parenthesis (a `for`
 * header's condition and increment, a call's arguments on the next line) continues the statement above, which
 * is where the engine tags it.
 */
export function statementStart(seed: string, line: number): number {
  let starts = startsCache.get(seed);
  if (!starts) {
    const s = [0];
    let depth = 0;
    let comment = false;
    let start = 0;
    readFileSync(seed, 'utf8')
      .split('\n')
      .forEach((text, i) => {
        if (depth === 0) start = i + 1;
        s.push(start);
        for (let j = 0; j < text.length; j++) {
          const two = text.slice(j, j + 2);
          if (comment) {
            if (two === '*/') {
              comment = false;
              j++;
            }
          } else if (two === '/*') {
            comment = true;
            j++;
          } else if (text[j] === '"' || text[j] === "'") {
            const q = text[j];
            for (j++; j < text.length && text[j] !== q; j++) if (text[j] === '\\') j++;
          } else if (text[j] === '(') depth++;
          else if (text[j] === ')') depth--;
        }
      });
    startsCache.set(seed, s);
    starts = s;
  }
  return starts[line] ?? line;
}

/** A schedule: the contract's steps, plus `cstep` (step until the digest changes, or a block, the end, a panic). */
export type Op = Step | { cstep: string } | { runto: string; line: number };

/** The engine running csteps; the digest's `step` counts ops. */
export class EngineStepper {
  readonly e: PagerEngine;
  private applied = 0;
  constructor(setup: Setup) {
    this.e = new PagerEngine(setup);
  }
  /** The line a thread stands at: its seed line, 0 in the caller. */
  lineOf(id: string): number {
    return this.e.k.thread(id)?.line ?? 0;
  }
  /** Apply one op; null, or why it is impossible. `line`: what a cstep is attributed to. */
  apply(op: Op): { refused: string | null; line: number | null } {
    if ('runto' in op) {
      const th = this.e.k.thread(op.runto);
      if (!th || th.status !== 'ready') return { refused: `cannot step ${op.runto}`, line: null };
      for (let i = 0; i < 1_000_000; i++) {
        const r = this.e.apply({ step: op.runto });
        if (r !== null) throw new Error(`engine refused a step of ready ${op.runto}: ${r}`);
        const t = this.e.k.thread(op.runto)!;
        if (t.status !== 'ready' || this.e.k.s.panic || t.line === op.line) break;
      }
      this.e.renumber(++this.applied);
      // where it stands now
      return { refused: null, line: this.lineOf(op.runto) };
    }
    if (!('cstep' in op)) {
      const r = this.e.apply(op);
      if (r === null) this.e.renumber(++this.applied);
      return { refused: r, line: null };
    }
    const id = op.cstep;
    const th = this.e.k.thread(id);
    if (!th || th.status !== 'ready') return { refused: `cannot step ${id}`, line: null };
    const before = stringifyDigest({ ...this.e.digest(), step: 0 });
    let attr = 0;
    for (let i = 0; i < 1_000_000; i++) {
      attr = this.lineOf(id);
      const r = this.e.apply({ step: id });
      if (r !== null) throw new Error(`engine refused a step of ready ${id}: ${r}`);
      const t = this.e.k.thread(id)!;
      if (t.status !== 'ready' || this.e.k.s.panic) break;
      if (stringifyDigest({ ...this.e.digest(), step: 0 }) !== before) break;
    }
    this.e.renumber(++this.applied);
    return { refused: null, line: attr };
  }
  digestLine(): string {
    return stringifyDigest(this.e.digest());
  }
}

export interface StepComparison {
  equal: boolean;
  ops: number;
  /** First differing op: index, what each side printed. */
  at: number | null;
  engine: string;
  c: string;
  cError: string | null;
}

/** A driver's line format: the setup's lines and `go`, then one line per step. */
export type ToLines = (s: Setup & { steps: Step[] }) => string;

/** The C input for `ops`: the contract's steps as `toLines` writes them, `cstep T` and `runto T L` as they are. */
export function opsInput(setup: Setup, ops: Op[], toLines: ToLines): string {
  const head = toLines({ ...setup, steps: [] });
  const steps = ops.filter((op): op is Step => !('cstep' in op) && !('runto' in op));
  const stepLines = toLines({ ...setup, steps })
    .slice(head.length)
    .split('\n')
    .filter((l) => l.length > 0);
  let k = 0;
  const lines = ops.map((op) =>
    'cstep' in op ? `cstep ${op.cstep}` : 'runto' in op ? `runto ${op.runto} ${op.line}` : stepLines[k++]!,
  );
  return head + lines.map((l) => `${l}\n`).join('');
}

/** Run `ops` on both; compare digest and attributed line op by op. */
export function compareStepOps(bin: string, table: string, setup: Setup, ops: Op[], toLines: ToLines): StepComparison {
  const es = new EngineStepper(setup);
  const eng: string[] = [stringifyDigest(es.e.digest())];
  const applied: Op[] = [];
  for (const op of ops) {
    const r = es.apply(op);
    if (r.refused !== null) break;
    applied.push(op);
    eng.push((r.line === null ? '' : `#line ${r.line} `) + es.digestLine());
    if (es.e.k.s.panic) break;
  }
  const input = opsInput(setup, applied, toLines);
  const r = spawnSync(bin, [table], { input, encoding: 'utf8', maxBuffer: 1 << 28, timeout: 60_000 });
  const raw = r.stdout ? r.stdout.split('\n').filter((l) => l.length > 0) : [];
  const c: string[] = [];
  for (let i = 0; i < raw.length; i++) {
    if (raw[i]!.startsWith('#line') && i + 1 < raw.length) {
      c.push(`${raw[i]} ${raw[i + 1]}`);
      i++;
    } else c.push(raw[i]!);
  }
  // A cstep that ends its thread: where the thread returns (a seed `return`, its `}`, the caller's last
  // statement) is not compared, only that it ended.
  const end = (l: string | undefined, i: number): string | undefined => {
    const op = applied[i - 1];
    if (l === undefined || !op || !('cstep' in op || 'runto' in op) || !l.startsWith('#line')) return l;
    const d = JSON.parse(l.slice(l.indexOf('{'))) as { threads: { id: string; status: string }[] };
    return d.threads.find((t) => t.id === ('cstep' in op ? op.cstep : op.runto))?.status === 'done'
      ? l.replace(/^#line \d+/, '#line end')
      : l;
  };
  for (let i = 0; i < eng.length; i++) eng[i] = end(eng[i], i)!;
  for (let i = 0; i < c.length; i++) c[i] = end(c[i], i)!;
  const cError = r.status === 0 ? null : `exit ${r.status ?? r.signal}: ${r.stderr.trim()}`;
  if (process.env.CDIFF_STEP_DUMP) {
    writeFileSync(`${process.env.CDIFF_STEP_DUMP}.engine`, eng.join('\n') + '\n');
    writeFileSync(`${process.env.CDIFF_STEP_DUMP}.c`, c.join('\n') + '\n');
  }
  for (let i = 0; i < Math.max(eng.length, c.length); i++)
    if (eng[i] !== c[i])
      return { equal: false, ops: applied.length, at: i - 1, engine: eng[i] ?? '(none)', c: c[i] ?? '(none)', cError };
  return { equal: cError === null, ops: applied.length, at: null, engine: '', c: '', cError };
}

/** A library scenario as csteps: a `run` stays a `run`; each `step`... becomes a cstep (`runsAsCsteps` all). */
export function libraryOps(s: Scenario, runsAsCsteps: boolean): Op[] {
  const es = new EngineStepper(s);
  const ops: Op[] = [];
  for (const st of s.steps) {
    const id = 'run' in st ? st.run : 'step' in st ? st.step : null;
    if (id !== null && (runsAsCsteps || 'step' in st)) {
      // A run as csteps until the thread blocks or ends; a step as one cstep.
      do {
        const r = es.apply({ cstep: id });
        if (r.refused !== null) break;
        ops.push({ cstep: id });
      } while ('run' in st && es.e.k.thread(id)?.status === 'ready' && !es.e.k.s.panic);
    } else {
      if (es.apply(st).refused !== null) break;
      ops.push(st);
    }
    if (es.e.k.s.panic) break;
  }
  return ops;
}

/** The two step drivers' tally: one line for a difference (every comparison with `verbose`), and the totals. */
export class StepReport {
  equal = 0;
  differ = 0;
  ops = 0;
  constructor(private readonly verbose: boolean) {}

  add(name: string, setup: Setup, list: Op[], c: StepComparison): void {
    this.ops += c.ops;
    if (c.equal) this.equal++;
    else this.differ++;
    if (c.equal && !this.verbose) return;
    const out = (s: string) => process.stdout.write(`${s}\n`);
    out(`${name}: ${c.equal ? 'equal' : `differs at op ${c.at}`} (${c.ops} ops)`);
    if (c.equal) return;
    out(`  op: ${c.at !== null && c.at >= 0 ? JSON.stringify(list[c.at]) : '(setup)'}`);
    out(`  engine: ${c.engine}\n  C:      ${c.c}`);
    if (c.cError) out(`  C error: ${c.cError}`);
    // The ops up to the difference: a scenario to paste into --only's neighbour, or a test.
    if (this.verbose) out(`  ops: ${JSON.stringify({ setup, ops: list.slice(0, (c.at ?? list.length) + 1) })}`);
  }

  /** `N equal, M differ (K ops)`. */
  summary(): string {
    return `${this.equal} equal, ${this.differ} differ (${this.ops} ops)`;
  }
}
