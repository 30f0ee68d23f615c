/**
 * Screenshots of the built lab at the sizes a lecture hall has (1280x720,
 * 1024x768, 1920x1080 at 150% zoom, 1920x1080, and 1280x720 at 150%), in the light and dark
 * themes, mid-scenario: `npm run build && npx tsx tools/screenshot-sizes.ts
 * [OUTDIR] [SCENARIO] [STEPS]` (its own preview server, on PAGER_LAB_PORT or 4176; with
 * PAGER_LAB_REUSE=1, the one already running there).
 */
import { mkdirSync, readFileSync } from 'node:fs';
import LZString from 'lz-string';
import { chromium } from 'playwright-core';
import { chromiumLaunchOptions, startPreview } from './chromium';

const PORT = Number(process.env.PAGER_LAB_PORT ?? 4176);
const OUT = process.argv[2] ?? 'screenshots';
const SCENARIO = process.argv[3] ?? 'scenarios/two-threads-fault-same-page.json';
const STOP_AFTER = Number(process.argv[4] ?? 6);

const SIZES = [
  { name: '1280x720', width: 1280, height: 720, scale: 1 },
  { name: '1024x768', width: 1024, height: 768, scale: 1 },
  { name: '1920x1080@150', width: 1280, height: 720, scale: 1.5 },
  { name: '1920x1080', width: 1920, height: 1080, scale: 1 },
  // A 1280x720 laptop at 150% zoom: smaller than the sizes; the page scrolls, no panel spills.
  { name: '1280x720@150', width: 853, height: 480, scale: 1.5 },
];

async function main(): Promise<void> {
  mkdirSync(OUT, { recursive: true });
  // PAGER_LAB_REUSE=1: a preview server already serves dist/ on PORT.
  const server = process.env.PAGER_LAB_REUSE ? null : await startPreview(PORT);
  const browser = await chromium.launch(chromiumLaunchOptions());
  try {
    const scenario = JSON.parse(readFileSync(SCENARIO, 'utf8')) as { steps: unknown[] };
    const midway = { ...scenario, steps: scenario.steps.slice(0, STOP_AFTER) };
    const hash = `#scenario=${LZString.compressToEncodedURIComponent(JSON.stringify(midway))}`;
    for (const theme of ['light', 'dark'] as const)
      for (const size of SIZES) {
        const page = await browser.newPage({
          viewport: { width: size.width, height: size.height },
          deviceScaleFactor: size.scale,
          colorScheme: theme,
        });
        await page.goto(`http://localhost:${PORT}/${hash}`);
        await page.getByText(`Step ${STOP_AFTER} of ${STOP_AFTER}`).first().waitFor();
        await page.getByRole('region', { name: 'Source' }).locator('[data-line]').first().waitFor();
        const file = `${OUT}/${theme}-${size.name}.png`;
        await page.screenshot({ path: file });
        await page.screenshot({ path: `${OUT}/${theme}-${size.name}-full.png`, fullPage: true });
        console.log(`wrote ${file}`);
        await page.close();
      }
  } finally {
    await browser.close();
    server?.kill();
  }
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
