/**
 * Diagnosis (not part of `npm run bench`): the critical path of one cold open of the 16,387-step link, from a
 * Chromium trace. Prints, in ms from navigation start: each script's request and finish, the worker's and the
 * page's tasks over MIN_MS (wall and thread time), the page's perf marks (?perf=1), and the CPU each thread
 * spent before the answer arrived and after. `npx tsx tools/bench-browser-linkpath.ts [dist-page] [out.json]`
 * (dist-page: e.g. base.html after bench-browser-ab.ts copied another build in; out.json keeps the trace).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import LZString from 'lz-string';
import { readNavigationTrace } from './bench-browser-trace';
import { withBrowser } from './chromium';
import { msyncScenario } from './workloads';

const PORT = Number(process.env.PAGER_LAB_PORT ?? 4175);
const MIN_MS = Number(process.env.MIN_MS ?? 15);

async function main(): Promise<void> {
  const pagePath = process.argv[2] ?? '';
  if (pagePath.endsWith('.json')) return analyse(readFileSync(pagePath));
  const out = process.argv[3];
  await withBrowser(PORT, async (browser) => {
    const context = await browser.newContext({ viewport: { width: 1600, height: 900 } });
    const page = await context.newPage();
    await page.addInitScript('globalThis.__name = globalThis.__name || ((f) => f);');
    const scenario = msyncScenario(4096);
    const n = scenario.steps.length;
    const hash = `#scenario=${LZString.compressToEncodedURIComponent(JSON.stringify(scenario))}`;
    await browser.startTracing(page, {
      categories: [
        'devtools.timeline',
        'blink.user_timing',
        'v8',
        'loading',
        'toplevel',
        'disabled-by-default-devtools.timeline',
      ],
    });
    await page.goto(`http://localhost:${PORT}/${pagePath}?perf=1${hash}`, { timeout: 300_000 });
    await page.getByText(`Step ${n} of ${n}`).first().waitFor({ timeout: 300_000 });
    const shown = await page.evaluate(() => performance.now());
    const marks = await page.evaluate(() =>
      performance.getEntriesByType('mark').map((m) => [m.name, Math.round(m.startTime)] as const),
    );
    await page.waitForTimeout(300);
    const buffer = await browser.stopTracing();
    if (out) writeFileSync(out, buffer);
    console.log(`step ${n} seen at page clock ${shown.toFixed(0)} ms`);
    console.log(
      'marks: ' +
        marks
          .filter(([m]) => !m.startsWith('d3'))
          .map(([m, at]) => `${m}@${at}`)
          .join(' '),
    );
    // The answer: the last message read before the last store update that showed the last step.
    const answer = await page.evaluate((before) => {
      const storeStart =
        performance
          .getEntriesByName('store:start', 'mark')
          .filter((m) => m.startTime <= before)
          .at(-1)?.startTime ?? NaN;
      return (
        performance
          .getEntriesByName('client:message', 'mark')
          .filter((m) => m.startTime <= storeStart)
          .at(-1)?.startTime ?? NaN
      );
    }, shown);
    console.log(`answer read by the client at ${answer.toFixed(0)} ms`);
    analyse(buffer, answer);
  });
}

function analyse(buffer: Buffer, answer = Number(process.env.ANSWER ?? NaN)): void {
  {
    const { events, nav, threadOf, at: t } = readNavigationTrace(buffer);
    const rows: [number, string][] = [];
    const reqs = new Map<string, string>();
    for (const e of events) {
      if (e.ts < nav.ts) continue;
      if (e.name === 'ResourceSendRequest') {
        const url = (e.args?.data?.url ?? '').split('/').pop()!.split('?')[0]!.slice(0, 40);
        reqs.set(e.args?.data?.requestId ?? '', url);
        rows.push([e.ts, `${t(e.ts)}   request  ${url}`]);
      }
      if (e.name === 'ResourceFinish')
        rows.push([e.ts, `${t(e.ts)}   finish   ${reqs.get(e.args?.data?.requestId ?? '') ?? '?'}`]);
    }
    const cpu: Record<string, number> = {};
    for (const e of events) {
      if (e.ph !== 'X' || e.ts < nav.ts) continue;
      if (!['RunTask', 'ThreadControllerImpl::RunTask'].includes(e.name) || !e.cat.includes('toplevel')) continue;
      const thread = threadOf(e);
      if (!/CrRendererMain|DedicatedWorker/.test(thread)) continue;
      const who = thread.startsWith('Dedicated') ? 'worker' : 'page  ';
      const td = (e.tdur ?? e.dur ?? 0) / 1000;
      const phase = (e.ts - nav.ts) / 1000 < answer ? ' before the answer' : ' after';
      cpu[who + phase] = (cpu[who + phase] ?? 0) + td;
      if ((e.dur ?? 0) / 1000 < MIN_MS) continue;
      // What ran inside: the biggest child events of the same thread.
      const inside = events
        .filter(
          (c) =>
            c.pid === e.pid &&
            c.tid === e.tid &&
            c.ph === 'X' &&
            c.ts >= e.ts &&
            c.ts < e.ts + (e.dur ?? 0) &&
            c !== e &&
            (c.dur ?? 0) > 4000 &&
            !/RunTask|ThreadController|GC_|V8.GC|v8.run|V8.Execute/.test(c.name),
        )
        .slice(0, 4)
        .map(
          (c) =>
            `${c.name}${c.args?.data?.url ? ' ' + c.args.data.url.split('/').pop()!.slice(0, 24) : ''} ${((c.dur ?? 0) / 1000).toFixed(0)}`,
        )
        .join(', ');
      rows.push([
        e.ts,
        `${t(e.ts)} ${who} +${((e.dur ?? 0) / 1000).toFixed(0).padStart(5)} (cpu ${td.toFixed(0).padStart(4)})  ${inside}`,
      ]);
    }
    rows.sort((a, b) => a[0] - b[0]);
    console.log(rows.map((r) => r[1]).join('\n'));
    console.log(
      `cpu (thread time of top-level tasks from navigation): ${Object.entries(cpu)
        .map(([k, v]) => `${k.trim()} ${v.toFixed(0)} ms`)
        .join(', ')}`,
    );
  }
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
