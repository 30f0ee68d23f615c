/**
 * One cold open of the 16,387-step link in the worker's host (SimHost `sim.open`), in this process, as the
 * browser's worker always opens it: prints one JSON line with the process's CPU until the answer is posted and
 * until the history behind it is complete (ms, process.cpuUsage: every thread), and the CPU until the answer
 * split between the main thread and the rest (V8's compiler and collector threads; from /proc, in 10 ms ticks,
 * null where there is no /proc).
 *
 *   npx tsx tools/bench-open-cold.ts [CHECKOUT]
 *
 * CHECKOUT (default: this one) is where SimHost and the workload are taken from, so two checkouts can be
 * compared with one copy of this script. Run it in a fresh process each time, interleaving the checkouts:
 * row (g) of `npm run bench` opens three times in one process, and only its first open is cold.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Command, SimEvent } from '../src/protocol/messages';
import type { Scenario } from '../src/protocol/scenario';

interface Host {
  handle(cmd: Command): void | Promise<void>;
}
type HostClass = new (post: (event: SimEvent) => void) => Host;

const root = resolve(process.argv[2] ?? fileURLToPath(new URL('..', import.meta.url)));
const load = (path: string) => import(pathToFileURL(resolve(root, path)).href);
const { SimHost } = (await load('src/worker/sim-host.ts')) as { SimHost: HostClass };
const { linkHash, msyncScenario } = (await load('tools/workloads.ts')) as {
  linkHash: (s: Scenario) => string;
  msyncScenario: () => Scenario;
};

const cpu = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

/** CPU ms of this process's main thread and of its other threads, from /proc (null without it). */
function threads(): { main: number; others: number } | null {
  try {
    const out = { main: 0, others: 0 };
    for (const tid of readdirSync('/proc/self/task')) {
      const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      // utime and stime, in clock ticks (100 a second).
      const ms = (Number(fields[11]) + Number(fields[12])) * 10;
      if (tid === String(process.pid)) out.main += ms;
      else out.others += ms;
    }
    return out;
  } catch {
    return null;
  }
}

const hash = linkHash(msyncScenario());
let answer = 0;
let split: { main: number; others: number } | null = null;
const before = threads();
const t0 = cpu();
const host = new SimHost(() => {
  if (answer !== 0) return;
  answer = cpu() - t0;
  const after = threads();
  if (before && after) split = { main: after.main - before.main, others: after.others - before.others };
});
await host.handle({ type: 'sim.open', id: 1, source: { kind: 'link', hash }, origin: 'Shared link' });
const complete = cpu() - t0;
const round = (v: number) => Math.round(v * 10) / 10;
console.log(JSON.stringify({ answer: round(answer), complete: round(complete), threads: split }));
