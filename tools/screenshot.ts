/**
 * Takes the README's screenshot: the built lab, mid-scenario, in Debian's
 * Chromium. `npm run build && npm run screenshot` (starts and stops its own
 * preview server on port 4174).
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import LZString from 'lz-string';
import { chromium } from 'playwright-core';

const PORT = 4174;
const OUT = process.argv[2] ?? 'docs/screenshot.png';
const SCENARIO = 'scenarios/lecture-walkthrough.json';
/** Stop after the write fault has started its read: page busy, request in flight. */
const STOP_AFTER = 4;

async function waitForServer(url: string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`preview server did not start at ${url}`);
}

async function main(): Promise<void> {
  const server = spawn('npx', ['vite', 'preview', '--port', String(PORT), '--strictPort'], { stdio: 'ignore' });
  try {
    await waitForServer(`http://localhost:${PORT}/`);
    const scenario = JSON.parse(readFileSync(SCENARIO, 'utf8')) as { steps: unknown[] };
    const midway = { ...scenario, steps: scenario.steps.slice(0, STOP_AFTER) };
    const hash = `#scenario=${LZString.compressToEncodedURIComponent(JSON.stringify(midway))}`;
    const browser = await chromium.launch({
      ...(existsSync('/usr/bin/chromium') ? { executablePath: '/usr/bin/chromium' } : {}),
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
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
