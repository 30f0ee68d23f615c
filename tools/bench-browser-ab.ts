/**
 * Diagnosis (not part of `npm run bench`): another build against this one, in one browser, interleaved, so
 * both see the same load on a shared machine. Build the other tree (e.g. main, `git archive main | tar -x -C
 * /tmp/x`, link node_modules, `npx vite build`), build this one, then
 * `npx tsx tools/bench-browser-ab.ts /tmp/x/dist load|click [rounds]`: the other build's files are copied into
 * dist/ (its page as dist/base.html; hashed names do not collide), cold loads alternate between the two
 * (`load`: first state), or two pages open the 4,096-page msync link and Step clicks alternate (`click`), or
 * cold opens of that link alternate (`link`: to its last step painted, where it went after the answer arrived
 * (the page's `?perf=1` marks), and to a Back pressed at once answered).
 * `AB_CSS=...` instead compares this build with itself plus that CSS. Rebuild dist afterwards.
 * `AB_PAGER=freebsd`: the clicks step the FreeBSD bench's link (faults through vnode_pager.c) instead.
 * The clicks that moved the Source's view (20 or more DOM records there) are printed apart from the rest.
 * `AB_GC=1` (clicks): the rounds run under one Chromium trace, and each page's main-thread garbage
 * collection per click (what V8 spent, and how many clicks met a collection) is printed beside its times.
 */
import { cpSync, existsSync, readdirSync } from 'node:fs';
import LZString from 'lz-string';
import type { BrowserContext, Page } from 'playwright-core';
import { UNTHROTTLED, withBrowser } from './chromium';
import { freebsdScenario, msyncScenario } from './workloads';
import { CLICK_PAUSE_MS, clickSteps, installFirstStateProbe } from './bench-browser-page';
import { cpuIn, linkOpenSplit, sumIn, type TraceEvent } from './bench-browser-trace';

const PORT = Number(process.env.PAGER_LAB_PORT ?? 4175);
const BASE = `http://localhost:${PORT}/`;
const NAME_SHIM = 'globalThis.__name = globalThis.__name || ((f) => f);';
const q = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.floor(p * xs.length)]!;

/**
 * `AB_TRACE=1`: the thread time (CPU) of the page's and the worker's top-level tasks in a trace, from
 * navigation start to its end; what each spent of the open, whatever the load (split at `answerMs`, the
 * answer's arrival in ms from navigation start, when given: the task that reads the answer ends after it).
 */
function cpuByThread(buffer: Buffer, answerMs = Infinity): string {
  const events = (JSON.parse(buffer.toString('utf8')) as { traceEvents: TraceEvent[] }).traceEvents;
  const names = new Map<string, string>();
  for (const e of events)
    if (e.ph === 'M' && e.name === 'thread_name') names.set(`${e.pid}:${e.tid}`, e.args?.name ?? '');
  // The lab's renderer (the one that left the store's marks): the browser may run other pages' renderers.
  const pid = events.find((e) => e.name === 'store:start')?.pid;
  const nav = events.find((e) => e.name === 'navigationStart' && (pid === undefined || e.pid === pid));
  const sums = new Map<string, number>();
  for (const e of events) {
    if (e.ph !== 'X' || !e.cat.includes('toplevel') || (nav && e.ts < nav.ts)) continue;
    if (pid !== undefined && e.pid !== pid) continue;
    if (!['RunTask', 'ThreadControllerImpl::RunTask'].includes(e.name)) continue;
    const thread = names.get(`${e.pid}:${e.tid}`) ?? '?';
    if (!/CrRendererMain|DedicatedWorker/.test(thread)) continue;
    const key =
      (thread.startsWith('Dedicated') ? 'worker' : 'page') +
      (answerMs === Infinity
        ? ''
        : nav && (e.ts + (e.dur ?? 0) - nav.ts) / 1000 > answerMs
          ? ' after the answer'
          : ' before');
    sums.set(key, (sums.get(key) ?? 0) + ((e as { tdur?: number }).tdur ?? e.dur ?? 0) / 1000);
  }
  return [...sums].map(([k, v]) => `${k} ${v.toFixed(0)}`).join(', ');
}

/**
 * The preview server sends this tree's Content-Security-Policy, which allows this build's inline script (the
 * prerendered first state's) by its hash: the other build's page would have its own script refused and show no
 * prerendered state. Both documents are served through the same route without that header, so each page's own
 * `<meta>` policy (the same policy, with its own script's hash) applies, and both pay the same for the route.
 */
async function sameCsp(ctx: BrowserContext): Promise<void> {
  await ctx.route(
    (url) => url.pathname === '/' || url.pathname === '/base.html',
    async (route) => {
      const response = await route.fetch();
      const headers = { ...response.headers() };
      delete headers['content-security-policy'];
      await route.fulfill({ response, headers });
    },
  );
}

async function main() {
  const other = process.argv[2];
  if (!process.env.AB_CSS) {
    if (!other || !existsSync(`${other}/index.html`))
      throw new Error('usage: bench-browser-ab.ts OTHER_DIST load|click|link [rounds]');
    for (const f of readdirSync(`${other}/assets`))
      if (!existsSync(`dist/assets/${f}`)) cpSync(`${other}/assets/${f}`, `dist/assets/${f}`);
    cpSync(`${other}/index.html`, 'dist/base.html');
  }
  const arg = process.env.AB_CSS ? 2 : 3;
  const mode = process.argv[arg] ?? 'load';
  await withBrowser(
    PORT,
    async (browser) => {
      const paths = { other: process.env.AB_CSS ? '' : 'base.html', this: '' };
      if (mode === 'load') {
        // First state painted (the probe), lab interactive (React's own header), and Chromium's first contentful paint.
        const t: Record<string, number[][]> = { other: [], this: [] };
        for (let i = 0; i < Number(process.argv[arg + 1] ?? 6); i++)
          for (const [k, p] of Object.entries(paths)) {
            const ctx = await browser.newContext({ viewport: { width: 1600, height: 900 } });
            await sameCsp(ctx);
            const page = await ctx.newPage();
            await page.addInitScript(NAME_SHIM);
            await page.addInitScript(installFirstStateProbe);
            await page.goto(`${BASE}${p}?perf=1`);
            await page.waitForFunction(() => ((window as { __interactive?: number }).__interactive ?? -1) > 0, null, {
              timeout: 60000,
            });
            await page
              .waitForFunction(() => performance.getEntriesByName('first-contentful-paint').length > 0, null, {
                timeout: 10000,
              })
              .catch(() => undefined);
            t[k]!.push(
              await page.evaluate(() => {
                const w = window as unknown as { __firstState: number; __interactive: number };
                const fcp = performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? NaN;
                return [w.__firstState, w.__interactive, fcp];
              }),
            );
            await ctx.close();
          }
        for (const [k, xs] of Object.entries(t)) {
          const col = (j: number) => xs.map((x) => x[j]!);
          const line = (j: number) =>
            `median ${q(col(j), 0.5).toFixed(0)} (${col(j)
              .map((x) => x.toFixed(0))
              .join(', ')})`;
          console.log(`${k}: first state ${line(0)}; interactive ${line(1)}; first-contentful-paint ${line(2)}`);
        }
        return;
      }
      const freebsd = process.env.AB_PAGER === 'freebsd';
      const scenario = freebsd ? freebsdScenario(4096) : msyncScenario(4096);
      const label = freebsd ? 'Step s' : 'Step msync';
      const total = scenario.steps.length;
      const hash = `#scenario=${LZString.compressToEncodedURIComponent(JSON.stringify(scenario))}`;
      if (mode === 'link') {
        // Cold opens of the 16,387-step link, alternating: navigation start to its last step painted, and to a
        // Back pressed at once answered (the history complete: a build that answers first records it after).
        const t: Record<string, { open: number; back: number; after: number }[]> = { other: [], this: [] };
        const shown = (page: Page, text: string) =>
          page
            .waitForFunction(
              (x) => ((window as unknown as { __shownAt: Record<string, number> }).__shownAt[x] ?? -1) > 0,
              text,
              {
                timeout: 600000,
                polling: 50,
              },
            )
            .then(() =>
              page.evaluate((x) => (window as unknown as { __shownAt: Record<string, number> }).__shownAt[x]!, text),
            );
        for (let i = 0; i < Number(process.argv[arg + 1] ?? 4); i++)
          for (const [k, p] of Object.entries(paths)) {
            const ctx = await browser.newContext({ viewport: { width: 1600, height: 900 } });
            const page = await ctx.newPage();
            await page.addInitScript(NAME_SHIM);
            await page.addInitScript(installFirstStateProbe);
            const traced = process.env.AB_TRACE === '1';
            if (traced) await browser.startTracing(page, { categories: ['toplevel', 'v8', 'blink.user_timing'] });
            await page.goto(`${BASE}${p}?perf=1${hash}`, { timeout: 300000 });
            const open = await shown(page, `Step ${total} of ${total}`);
            const split = await linkOpenSplit(page, open);
            if (traced)
              console.log(
                `${k}: CPU to the last step painted (ms): ${cpuByThread(await browser.stopTracing(), split.message)}`,
              );
            await page.evaluate(() =>
              [...document.querySelectorAll<HTMLButtonElement>('[role="group"][aria-label="History"] button')]
                .find((b) => b.textContent?.trim() === 'Back')
                ?.click(),
            );
            const back = await shown(page, `Step ${total - 1} of ${total}`);
            const after = open - split.message;
            t[k]!.push({ open, back, after });
            console.log(
              `${k}: open ${open.toFixed(0)} ms (answer arrived ${split.message.toFixed(0)}, then reading ` +
                `${(split.storeStart - split.message).toFixed(0)} | store ${(split.storeEnd - split.storeStart).toFixed(0)} | ` +
                `React ${(split.commit - split.storeEnd).toFixed(0)} | frame ${(open - split.commit).toFixed(0)}: ` +
                `${after.toFixed(0)} after the answer), back answered ${back.toFixed(0)} ms`,
            );
            await ctx.close();
          }
        for (const [k, xs] of Object.entries(t))
          console.log(
            `${k}: link open median ${q(
              xs.map((x) => x.open),
              0.5,
            ).toFixed(0)} ms, answer to the step painted median ${q(
              xs.map((x) => x.after),
              0.5,
            ).toFixed(0)} ms, back answered median ${q(
              xs.map((x) => x.back),
              0.5,
            ).toFixed(0)} ms`,
          );
        return;
      }
      const pages: Record<string, Page> = {};
      for (const [k, p] of Object.entries(paths)) {
        const ctx = await browser.newContext({ viewport: { width: 1600, height: 900 } });
        const page = await ctx.newPage();
        await page.addInitScript(NAME_SHIM);
        await page.goto(`${BASE}${p}?perf=1${hash}`);
        await page.getByText(`Step ${total} of ${total}`, { exact: true }).waitFor({ timeout: 600000 });
        if (process.env.AB_CSS && k === 'this') await page.addStyleTag({ content: process.env.AB_CSS });
        pages[k] = page;
      }
      const res: Record<
        string,
        {
          total: number;
          react: number;
          paint: number;
          store: number;
          worker: number;
          tree: boolean;
          jump: boolean;
        }[]
      > = {
        other: [],
        this: [],
      };
      const gc = process.env.AB_GC === '1';
      if (gc)
        await browser.startTracing(pages.this, {
          categories: ['toplevel', 'devtools.timeline', 'blink.user_timing', 'v8', 'disabled-by-default-v8.gc'],
        });
      const rounds = Number(process.argv[arg + 1] ?? 60);
      for (let i = 0; i < rounds; i++)
        for (const k of Object.keys(paths)) {
          // Each click's marks are named after the build (and the round), for the trace to find. Each click is
          // followed by the bench's pause, so the next one (on the other page) never lands right after a frame.
          const [r] = await pages[k]!.evaluate(clickSteps, {
            clicks: 1,
            label,
            markPrefix: gc ? `${k}${i}:` : '',
            pauseMs: CLICK_PAUSE_MS,
          });
          if (r)
            res[k]!.push({
              total: r.total,
              react: r.react ?? NaN,
              paint: r.paint ?? NaN,
              store: r.store ?? NaN,
              worker: r.worker ?? NaN,
              tree: (r.changed.tree ?? 0) > 0,
              // The Source view moved to other lines (a window's worth of lines mounted).
              jump: (r.changed.source ?? 0) >= 20,
            });
        }
      const gcText: Record<string, string> = {};
      if (gc) {
        const events = (JSON.parse((await browser.stopTracing()).toString('utf8')) as { traceEvents: TraceEvent[] })
          .traceEvents;
        const marks = new Map<string, TraceEvent>();
        for (const e of events) if (e.cat.includes('blink.user_timing')) marks.set(e.name, e);
        for (const k of Object.keys(paths)) {
          const first = marks.get(`${k}0:click:0`);
          if (!first) continue;
          const main = events.filter((e) => e.pid === first.pid && e.tid === first.tid);
          let sum = 0;
          let met = 0;
          let n = 0;
          // The main thread's CPU (thread time of its top-level tasks) from the click to the frame painted.
          const cpu: number[] = [];
          for (let i = 0; i < rounds; i++) {
            const a = marks.get(`${k}${i}:click:0`);
            const b = marks.get(`${k}${i}:painted:0`);
            if (!a || !b) continue;
            const ms = sumIn(main, a.ts, b.ts).gc!;
            n++;
            sum += ms;
            if (ms > 0) met++;
            cpu.push(cpuIn(main, a.ts, b.ts));
          }
          const tree = res[k]!.flatMap((r, i) => (r.tree && cpu[i] !== undefined ? [cpu[i]] : []));
          gcText[k] =
            ` | main-thread GC ${(sum / Math.max(1, n)).toFixed(2)} ms a click, ${met} of ${n} clicks met one` +
            ` | main-thread CPU a click: median ${q(cpu, 0.5).toFixed(2)} p95 ${q(cpu, 0.95).toFixed(1)}` +
            (tree.length ? `, clicks that changed the tree ${tree.map((x) => x.toFixed(1)).join(', ')} ms` : '');
          const jumps = res[k]!.flatMap((r, i) => (r.jump && !r.tree && cpu[i] !== undefined ? [cpu[i]] : []));
          if (jumps.length) gcText[k] += `, clicks where the Source moved: median ${q(jumps, 0.5).toFixed(2)} ms`;
        }
      }
      for (const [k, rs] of Object.entries(res)) {
        const m = (f: (r: (typeof rs)[0]) => number) => q(rs.map(f), 0.5).toFixed(2);
        console.log(
          `${k}: ${rs.length} clicks, total median ${m((r) => r.total)} p95 ${q(
            rs.map((r) => r.total),
            0.95,
          ).toFixed(
            1,
          )} | medians: worker ${m((r) => r.worker)} store ${m((r) => r.store)} React ${m((r) => r.react)} paint ${m((r) => r.paint)}${gcText[k] ?? ''}`,
        );
        if (process.env.AB_DIST)
          console.log(
            `${k} totals: ${rs
              .map((r) => r.total)
              .sort((a, b) => a - b)
              .map((t) => t.toFixed(1))
              .join(' ')}`,
          );
        const jumps = rs.filter((r) => r.jump && !r.tree);
        const rest = rs.filter((r) => !r.jump && !r.tree);
        const med = (xs: number[]) => q(xs, 0.5).toFixed(2);
        if (jumps.length > 0)
          console.log(
            `${k}: ${jumps.length} clicks moved the Source: total median ${med(jumps.map((r) => r.total))} ` +
              `React ${med(jumps.map((r) => r.react))}; the other ${rest.length} (no tree): total median ` +
              `${med(rest.map((r) => r.total))} React ${med(rest.map((r) => r.react))} ms`,
          );
        // The clicks whose step changed the page tree (a page came or changed state): few, and slow.
        const tree = rs.filter((r) => r.tree);
        if (tree.length > 0)
          console.log(
            `${k}: ${tree.length} clicks changed the page tree: total ${tree.map((r) => r.total.toFixed(1)).join(', ')}; ` +
              `React ${tree.map((r) => r.react.toFixed(1)).join(', ')} ms`,
          );
      }
    },
    UNTHROTTLED,
  );
}
main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
