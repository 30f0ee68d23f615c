/**
 * Browser half of `npm run bench`: in the built app (vite preview, Debian's
 * Chromium), with 4,096 resident pages, the time from a Step click to the
 * panels showing the new state (change marking and all), and the initial
 * JavaScript's gzip size. Prints median and p95; asserts nothing.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import LZString from 'lz-string';
import { chromium } from 'playwright-core';
import { chromiumLaunchOptions, startPreview } from './chromium';
import type { Scenario, Step } from '../src/protocol/scenario';

const PORT = 4175;
const PAGES = 4096;
const CLICKS = 200;

function bigScenario(): Scenario {
  const steps: Step[] = [
    { spawn: 'attach', call: 'uvn_attach', args: { vnode: 'big', prot: 'rw' } },
    { run: 'attach' },
  ];
  for (let i = 0; i < PAGES; i++) {
    const t = `f${i}`;
    steps.push({ spawn: t, call: 'fault', args: { vnode: 'big', offset: i * 4096, access: 'write' } });
    steps.push({ run: t }, { complete: i + 1, result: 'ok' }, { run: t });
  }
  steps.push({ spawn: 'msync', call: 'uvn_flush', args: { vnode: 'big', flags: ['PGO_CLEANIT', 'PGO_ALLPAGES'] } });
  return {
    format: 'pager-scenario/1',
    pager: 'openbsd',
    title: `bench: ${PAGES} resident dirty pages, then msync stepped`,
    machine: { physPages: PAGES + 64 },
    vnodes: [{ name: 'big', size: PAGES * 4096 }],
    steps,
  };
}

const quantile = (xs: number[], q: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))]!;

const INITIAL_JS_TARGET_KB = 150;

/**
 * The JavaScript a first visit loads before the lab can draw: the scripts and module preloads
 * index.html names, and the simulation worker it starts at once. Lazy chunks (lz-string) are left out.
 */
function initialJs(): void {
  const html = readFileSync('dist/index.html', 'utf8');
  const named = [...html.matchAll(/(?:src|href)="\/?(assets\/[^"]+\.js)"/g)].map((m) => m[1]!);
  const kb = (file: string) => gzipSync(readFileSync(`dist/${file}`)).length / 1024;
  const page = named.reduce((sum, f) => sum + kb(f), 0);
  const workers = readdirSync('dist/assets').filter((f) => /^sim\.worker.*\.js$/.test(f));
  const worker = workers.reduce((sum, f) => sum + kb(`assets/${f}`), 0);
  console.log(
    `initial JS, gzip: page ${page.toFixed(1)} KB (${named.join(', ')}), target <= ${INITIAL_JS_TARGET_KB} KB ` +
      `${page <= INITIAL_JS_TARGET_KB ? 'PASS' : 'MISS'}; plus the simulation worker ${worker.toFixed(1)} KB`,
  );
}

async function main(): Promise<void> {
  if (!existsSync('dist/index.html')) throw new Error('build the app first: npm run build');
  initialJs();
  const server = await startPreview(PORT);
  const browser = await chromium.launch(chromiumLaunchOptions());
  try {
    const scenario = bigScenario();
    const page = await browser.newPage({ viewport: { width: 1600, height: 900 } });
    const loadStart = Date.now();
    await page.goto(
      `http://localhost:${PORT}/#scenario=${LZString.compressToEncodedURIComponent(JSON.stringify(scenario))}`,
    );
    const total = scenario.steps.length;
    await page.getByText(`Step ${total} of ${total}`).waitFor({ timeout: 300_000 });
    const loadSeconds = (Date.now() - loadStart) / 1000;

    const times: number[] = await page.evaluate(async (clicks) => {
      const button = document.querySelector<HTMLButtonElement>('button[aria-label="Step msync"]');
      const scrub = document.querySelector<HTMLInputElement>('input[aria-label="Scrub through steps"]');
      if (!button || !scrub) throw new Error('Step msync button or scrubber not found');
      const out: number[] = [];
      for (let i = 0; i < clicks; i++) {
        const before = scrub.value;
        const t0 = performance.now();
        await new Promise<void>((resolve) => {
          const obs = new MutationObserver(() => {
            if (scrub.value !== before) {
              obs.disconnect();
              resolve();
            }
          });
          obs.observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
          button.click();
        });
        out.push(performance.now() - t0);
        await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
      }
      return out;
    }, CLICKS);
    const median = quantile(times, 0.5);
    const p95 = quantile(times, 0.95);
    console.log(`browser: loaded ${total} steps (${PAGES} resident pages) by link in ${loadSeconds.toFixed(1)} s`);
    console.log(
      `browser: Step click -> panels updated, ${CLICKS} clicks: median ${median.toFixed(1)} ms, p95 ${p95.toFixed(1)} ms (target p95 < 16 ms) ${p95 < 16 ? 'PASS' : 'MISS'}`,
    );
  } finally {
    await browser.close();
    server.kill();
  }
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
