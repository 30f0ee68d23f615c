/**
 * Diagnosis (not part of `npm run bench`): one cold load under a Chromium trace; prints, from navigation
 * start, the page's and the worker's long tasks and when each script was requested and finished, so the
 * critical path can be read. `npx tsx tools/bench-browser-loadtrace.ts` traces a plain load to its first
 * state (tasks >= 3 ms); `... loadtrace.ts link` opens the 16,387-step link to its last step (tasks >= 20 ms,
 * or MIN_US microseconds).
 */
import type { Page } from 'playwright-core';
import LZString from 'lz-string';
import { withBrowser } from './chromium';
import { msyncScenario } from './workloads';
import { readNavigationTrace } from './bench-browser-trace';

const PORT = Number(process.env.PAGER_LAB_PORT ?? 4175);
const LINK = process.argv[2] === 'link';
const MIN_US = Number(process.env.MIN_US ?? (LINK ? 20_000 : 3_000));

/** Navigate as the chosen load does and wait until it is on screen. */
async function load(page: Page): Promise<void> {
  if (!LINK) {
    await page.goto(`http://localhost:${PORT}/`);
    await page.locator('h1 .subtitle').waitFor();
    return;
  }
  const scenario = msyncScenario(4096);
  const n = scenario.steps.length;
  const hash = `#scenario=${LZString.compressToEncodedURIComponent(JSON.stringify(scenario))}`;
  await page.goto(`http://localhost:${PORT}/?perf=1${hash}`, { timeout: 300_000 });
  await page.getByText(`Step ${n} of ${n}`).first().waitFor({ timeout: 300_000 });
}

async function main(): Promise<void> {
  await withBrowser(PORT, async (browser) => {
    const context = await browser.newContext({ viewport: { width: 1600, height: 900 } });
    const page = await context.newPage();
    await browser.startTracing(page, { categories: ['devtools.timeline', 'blink.user_timing', 'v8', 'loading'] });
    await load(page);
    await page.waitForTimeout(300);
    const first = await page.evaluate(() => performance.now());
    const buffer = await browser.stopTracing();
    const { events, nav, threadOf, at: t } = readNavigationTrace(buffer);
    console.log(`subtitle seen; page clock now ${first.toFixed(0)} ms`);
    const rows: string[] = [];
    const ours = events.find((e) => e.name === 'ResourceSendRequest' && /assets\/index-/.test(e.args?.data?.url ?? ''));
    for (const e of events) {
      if (e.ts < nav.ts || (ours && e.pid !== ours.pid)) continue;
      const thread = threadOf(e);
      if (e.name === 'ResourceSendRequest') {
        const url = e.args?.data?.url ?? e.args?.data?.requestId ?? '';
        rows.push(`${t(e.ts)}        ${e.name} ${url.split('/').pop()}`);
      }
      if (!/CrRendererMain|DedicatedWorker/.test(thread)) continue;
      if (e.ph !== 'X' || (e.dur ?? 0) < MIN_US) continue;
      if (
        !['RunTask', 'ThreadControllerImpl::RunTask'].includes(e.name) &&
        !/Evaluate|Compile|Parse|FunctionCall|Layout|Paint|UpdateLayoutTree|MajorGC|MinorGC|TimerFire|FireAnimationFrame|EventDispatch|v8.compile|v8.run|V8.GC/.test(
          e.name,
        )
      )
        continue;
      rows.push(
        `${t(e.ts)} +${((e.dur ?? 0) / 1000).toFixed(1).padStart(6)} ${thread.slice(0, 16).padEnd(16)} ${e.name} ${e.args?.data?.url?.split('/').pop() ?? ''}`,
      );
    }
    console.log(rows.join('\n'));
  });
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
