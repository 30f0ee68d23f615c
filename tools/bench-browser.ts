/**
 * Browser half of `npm run bench`: in the built app (vite preview, Debian's
 * Chromium), with 4,096 resident pages, the time from a Step click to the
 * panels showing the new state, for each pager: OpenBSD stepping an msync
 * over 4,096 dirty pages, FreeBSD stepping faults on new pages of a
 * 4,096-page vm_object through vnode_pager.c. Prints median and p95;
 * asserts nothing.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import LZString from 'lz-string';
import { chromium, type Browser } from 'playwright-core';
import { chromiumLaunchOptions, startPreview } from './chromium';
import type { Scenario, Step } from '../src/protocol/scenario';

/** PAGER_BENCH_PORT lets checkouts bench side by side. */
const PORT = Number(process.env.PAGER_BENCH_PORT ?? 4175);
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

/** FreeBSD: a vm_object with 4,096 pages faulted in, then faults on three more pages to step through. */
const FREEBSD_STEPPED = 3;
function freebsdScenario(): Scenario {
  const size = (PAGES + FREEBSD_STEPPED) * 4096;
  const steps: Step[] = [
    { spawn: 'open', call: 'vnode_create_vobject', args: { vnode: 'big' } },
    { run: 'open' },
    { spawn: 'map', call: 'mmap', args: { vnode: 'big', prot: 'r', shared: true, length: size } },
    { run: 'map' },
  ];
  for (let i = 0; i < PAGES; i++) {
    const t = `f${i}`;
    steps.push({ spawn: t, call: 'fault', args: { mapping: 'map', offset: i * 4096, access: 'read' } });
    steps.push({ run: t }, { complete: i + 1, result: 'ok' }, { run: t });
  }
  for (let i = 0; i < FREEBSD_STEPPED; i++)
    steps.push({ spawn: `s${i}`, call: 'fault', args: { mapping: 'map', offset: (PAGES + i) * 4096, access: 'read' } });
  return {
    format: 'pager-scenario/1',
    pager: 'freebsd',
    title: `bench: ${PAGES} resident pages of a vm_object, then faults stepped through vnode_pager.c`,
    machine: { physPages: PAGES + 64 },
    vnodes: [{ name: 'big', size }],
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

/**
 * Load `scenario` by link, then click the first enabled Step button whose label matches `stepLabel`
 * `clicks` times, timing each click until the timeline's scrubber moves.
 */
async function measure(browser: Browser, name: string, scenario: Scenario, stepLabel: string): Promise<void> {
  const page = await browser.newPage({ viewport: { width: 1600, height: 900 } });
  const loadStart = Date.now();
  await page.goto(
    `http://localhost:${PORT}/#scenario=${LZString.compressToEncodedURIComponent(JSON.stringify(scenario))}`,
    { timeout: 300_000 },
  );
  const total = scenario.steps.length;
  await page.getByText(`Step ${total} of ${total}`).waitFor({ timeout: 600_000 });
  const loadSeconds = (Date.now() - loadStart) / 1000;

  const times: number[] = await page.evaluate(
    async ({ clicks, label }) => {
      const scrub = document.querySelector<HTMLInputElement>('input[aria-label="Scrub through steps"]');
      if (!scrub) throw new Error('scrubber not found');
      const out: number[] = [];
      for (let i = 0; i < clicks; i++) {
        const button = [...document.querySelectorAll<HTMLButtonElement>('button[aria-label^="Step "]')].find(
          (b) => !b.disabled && (b.getAttribute('aria-label') ?? '').startsWith(label),
        );
        if (!button) throw new Error(`no enabled Step button for ${label} after ${i} clicks`);
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
    },
    { clicks: CLICKS, label: stepLabel },
  );
  await page.close();
  const median = quantile(times, 0.5);
  const p95 = quantile(times, 0.95);
  console.log(
    `browser ${name}: loaded ${total} steps (${PAGES} resident pages) by link in ${loadSeconds.toFixed(1)} s`,
  );
  console.log(
    `browser ${name}: Step click -> panels updated, ${CLICKS} clicks: median ${median.toFixed(1)} ms, p95 ${p95.toFixed(1)} ms (target p95 < 16 ms) ${p95 < 16 ? 'PASS' : 'MISS'}`,
  );
}

async function main(): Promise<void> {
  if (!existsSync('dist/index.html')) throw new Error('build the app first: npm run build');
  initialJs();
  const server = await startPreview(PORT);
  const browser = await chromium.launch(chromiumLaunchOptions());
  try {
    const only = process.argv[2];
    if (only !== 'freebsd') await measure(browser, 'OpenBSD', bigScenario(), 'Step msync');
    if (only !== 'openbsd') await measure(browser, 'FreeBSD', freebsdScenario(), 'Step s');
  } finally {
    await browser.close();
    server.kill();
  }
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
