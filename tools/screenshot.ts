/**
 * Takes the README's screenshot: the built lab, mid-scenario, in Debian's
 * Chromium. `npm run build && npm run screenshot` (starts and stops its own
 * preview server on port 4174).
 */
import { readFileSync } from 'node:fs';
import LZString from 'lz-string';
import { chromium } from 'playwright-core';
import { chromiumLaunchOptions, startPreview } from './chromium';

const PORT = 4174;
const OUT = process.argv[2] ?? 'docs/screenshot.png';
const SCENARIO = 'scenarios/lecture-walkthrough.json';
/** Stop after the write fault has started its read: page busy, request in flight. */
const STOP_AFTER = 4;

async function main(): Promise<void> {
  const server = await startPreview(PORT);
  try {
    const scenario = JSON.parse(readFileSync(SCENARIO, 'utf8')) as { steps: unknown[] };
    const midway = { ...scenario, steps: scenario.steps.slice(0, STOP_AFTER) };
    const hash = `#scenario=${LZString.compressToEncodedURIComponent(JSON.stringify(midway))}`;
    const browser = await chromium.launch(chromiumLaunchOptions());
    const page = await browser.newPage({ viewport: { width: 1600, height: 900 } });
    await page.goto(`http://localhost:${PORT}/${hash}`);
    await page.getByRole('region', { name: 'Timeline' }).getByText(`Step ${STOP_AFTER} of ${STOP_AFTER}`).waitFor();
    await page.getByRole('region', { name: 'Threads' }).getByText('t2').first().click();
    await page.waitForTimeout(300);
    await page.screenshot({ path: OUT });
    await browser.close();
    console.log(`wrote ${OUT}`);
  } finally {
    server.kill();
  }
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
