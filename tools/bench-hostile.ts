/**
 * Figures for hostile and huge input: `npx tsx tools/bench-hostile.ts` prints them; `hostileBench()`
 * returns them as rows for `npm run bench`.
 *
 *   - the runner's peak memory (max RSS of the process, as `tsx tools/scenario.ts FILE --final` runs it)
 *     on 100,000 steps (50,000 spawn/run pairs of uvm_vnp_sync), and on 200,000 for information;
 *   - uvn_flush, uvm_vnp_sync and uvm_vnp_setsize on a 2^53 - 1 byte file, end to end through the
 *     runner's main;
 *   - the slowest case of the hostile corpus (test/hostile/), run through the runner's main, and how many
 *     cases gave exactly their expected exit code and line.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { HOSTILE_CASES, inputBytes } from '../test/hostile/corpus';
import { ensureFreebsdReader } from '../test/hostile/freebsd-standin';
import { main, type RunnerIo } from './scenario';

export interface BenchRow {
  name: string;
  value: number;
  unit: string;
  /** '< 200 MB'; '-' for a figure given for information. */
  target: string;
  pass: boolean;
}

const RUNNER = fileURLToPath(new URL('./scenario.ts', import.meta.url));

/** `pairs` spawn/run pairs of uvm_vnp_sync: the issue's scenario that ran out of heap. */
function syncPairs(pairs: number): string {
  const steps: unknown[] = [];
  for (let i = 0; i < pairs; i++) steps.push({ spawn: `t${i}`, call: 'uvm_vnp_sync', args: {} }, { run: `t${i}` });
  return JSON.stringify({
    format: 'pager-scenario/1',
    pager: 'openbsd',
    vnodes: [{ name: 'vn1', size: 16384 }],
    steps,
  });
}

/**
 * Max RSS in MB of a process that loads the runner as the command does (tsx) and runs its main on
 * `file` with --final; also its exit code.
 */
function runnerMaxRss(file: string): { mb: number; code: number } {
  const script =
    `const { main } = await import(${JSON.stringify(pathToFileURL(RUNNER).href)});` +
    `const code = main([${JSON.stringify(file)}, '--final'], { ...(await import(${JSON.stringify(pathToFileURL(RUNNER).href)})).nodeIo, stdout: () => {} });` +
    // Linux carries the parent's high-water mark into a child's ru_maxrss across fork and exec, so the bench's
    // own memory would show; VmHWM is the child's own address space's peak.
    `const hwm = /VmHWM:\\s+(\\d+)/.exec((await import('node:fs')).readFileSync('/proc/self/status', 'utf8'));` +
    `process.stderr.write('maxRSS ' + (hwm ? hwm[1] : process.resourceUsage().maxRSS) + '\\n');` +
    'process.exitCode = code;';
  const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    encoding: 'utf8',
    maxBuffer: 1 << 26,
  });
  const m = /maxRSS (\d+)/.exec(child.stderr ?? '');
  if (!m) throw new Error(`bench-hostile: the runner child printed no figure: ${child.stderr}`);
  return { mb: Number(m[1]) / 1024, code: child.status ?? -1 };
}

/** Run the runner's main in this process: exit code, stderr, wall-clock and CPU milliseconds. */
function inProcess(
  bytes: Uint8Array,
  argv = ['bench.json'],
): { code: number; stderr: string; ms: number; cpuMs: number } {
  let stderr = '';
  const io: RunnerIo = { size: () => bytes.length, read: () => bytes, stdout: () => {}, stderr: (t) => (stderr += t) };
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const code = main(argv, io);
  const cpu = process.cpuUsage(c0);
  return { code, stderr, ms: performance.now() - t0, cpuMs: (cpu.user + cpu.system) / 1000 };
}

/** A 2^53 - 1 byte file: two dirty pages far apart, then every walk over the whole file. */
function hugeFlush(): string {
  const size = Number.MAX_SAFE_INTEGER;
  const far = 2 ** 53 - 4096;
  const fault = (id: string, offset: number) => ({
    spawn: id,
    call: 'fault',
    args: { vnode: 'vn1', offset, access: 'write' },
  });
  const steps = [
    { spawn: 'a', call: 'uvn_attach', args: { vnode: 'vn1', prot: 'rw' } },
    { run: 'a' },
    fault('f1', 0),
    { run: 'f1' },
    { complete: 1, result: 'ok' },
    { run: 'f1' },
    fault('f2', far),
    { run: 'f2' },
    { complete: 2, result: 'short:4094' },
    { run: 'f2' },
    { spawn: 'm', call: 'uvn_flush', args: { vnode: 'vn1', flags: ['PGO_CLEANIT', 'PGO_SYNCIO', 'PGO_ALLPAGES'] } },
    { run: 'm' },
    { complete: 3, result: 'ok' },
    { run: 'm' },
    { complete: 4, result: 'ok' },
    { run: 'm' },
    { spawn: 's', call: 'uvm_vnp_sync', args: {} },
    { run: 's' },
    { spawn: 'z', call: 'uvm_vnp_setsize', args: { vnode: 'vn1', size: 0 } },
    { run: 'z' },
  ];
  return JSON.stringify({ format: 'pager-scenario/1', pager: 'openbsd', vnodes: [{ name: 'vn1', size }], steps });
}

export function hostileBench(): BenchRow[] {
  const rows: BenchRow[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'pager-lab-bench-hostile-'));
  try {
    for (const [pairs, target] of [
      [50_000, 200],
      [100_000, null],
    ] as const) {
      const file = join(dir, `sync-${pairs}.json`);
      writeFileSync(file, syncPairs(pairs));
      const { mb, code } = runnerMaxRss(file);
      rows.push({
        name: `runner max RSS, ${(2 * pairs).toLocaleString('en-US')} steps --final${code === 0 ? '' : ` (exit ${code})`}`,
        value: Math.round(mb),
        unit: 'MB',
        target: target === null ? '-' : `< ${target} MB`,
        pass: code === 0 && (target === null || mb < target),
      });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }

  const huge = inProcess(new TextEncoder().encode(hugeFlush()), ['huge.json', '--final']);
  rows.push({
    name: 'flush, sync and truncate of a 2^53 - 1 byte file (runner, in-process, wall clock)',
    value: Math.round(huge.ms),
    unit: 'ms',
    target: '< 1000 ms',
    pass: huge.code === 0 && huge.ms < 1000,
  });

  // The FreeBSD cases, and the messages that list the pagers, need a "freebsd" pager: the real model if
  // it is registered, else the corpus's setup-reading stand-in (registered for good in this process).
  ensureFreebsdReader();
  const cases = HOSTILE_CASES;
  let worst = { ms: 0, cpuMs: 0, name: '' };
  let exact = 0;
  for (const c of cases) {
    const r = inProcess(inputBytes(c));
    if (r.cpuMs > worst.cpuMs) worst = { ms: r.ms, cpuMs: r.cpuMs, name: c.name };
    if (r.code === c.code && r.stderr === (c.stderr === '' ? '' : `${c.stderr}\n`)) exact++;
  }
  // CPU time is the runner's own work; wall-clock time also counts whatever else the machine runs.
  rows.push({
    name: `slowest hostile corpus case, CPU (${worst.name})`,
    value: Math.round(worst.cpuMs),
    unit: 'ms',
    target: '< 2000 ms',
    pass: worst.cpuMs < 2000,
  });
  rows.push({
    name: `the same case, wall clock`,
    value: Math.round(worst.ms),
    unit: 'ms',
    target: '-',
    pass: true,
  });
  rows.push({
    name: 'hostile corpus cases with their exact exit code and line',
    value: exact,
    unit: `of ${cases.length}`,
    target: `${cases.length}`,
    pass: exact === cases.length,
  });
  return rows;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const rows = hostileBench();
  const cells = rows.map((r) => [
    r.name,
    `${r.value} ${r.unit}`,
    r.target,
    r.target === '-' ? 'info' : r.pass ? 'PASS' : 'MISS',
  ]);
  const widths = [0, 1, 2].map((i) => Math.max(...cells.map((c) => c[i]!.length)));
  for (const c of cells)
    console.log(`${c[0]!.padEnd(widths[0]!)}  ${c[1]!.padStart(widths[1]!)}  ${c[2]!.padEnd(widths[2]!)}  ${c[3]}`);
}
