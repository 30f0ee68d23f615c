/**
 * Debian's Chromium as every browser run here starts it (Playwright's own
 * browser download cannot work on these machines), and the built app served
 * by `vite preview` for the tools that drive it outside the test runner.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM_PATH = '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export function chromiumLaunchOptions(): { executablePath?: string; args: string[] } {
  return { ...(existsSync(CHROMIUM_PATH) ? { executablePath: CHROMIUM_PATH } : {}), args: CHROMIUM_ARGS };
}

/** Whether something answers HTTP at `url` now (with a success status, when `ok` is asked for). */
async function answers(url: string, ok = false): Promise<boolean> {
  try {
    const response = await fetch(url);
    return !ok || response.ok;
  } catch {
    return false;
  }
}

/**
 * Serve dist/ on `port` and resolve once it answers; kill the returned process when done. A port that already
 * answers is refused: a server left from an earlier run (or another checkout's) would be measured instead of
 * this build, and `--strictPort` makes ours exit without a word.
 */
export async function startPreview(port: number): Promise<ChildProcess> {
  const url = `http://localhost:${port}/`;
  if (await answers(url))
    throw new Error(`port ${port} is already served (a preview left running?): stop it, or set PAGER_LAB_PORT`);
  // Vite itself, not through npx: killing npx would leave vite serving (and holding Vite 8's preview lock).
  const vite = new URL('../node_modules/vite/bin/vite.js', import.meta.url).pathname;
  const server = spawn(process.execPath, [vite, 'preview', '--port', String(port), '--strictPort'], {
    stdio: 'ignore',
  });
  let exited: number | null = null;
  server.on('exit', (code) => (exited = code ?? -1));
  // Up to 60 s, as playwright.config allows its web server: on a busy shared machine it can take 15.
  for (let i = 0; i < 600 && exited === null; i++) {
    if (await answers(url, true)) return server;
    await new Promise((r) => setTimeout(r, 100));
  }
  server.kill();
  throw new Error(
    exited === null
      ? `preview server did not start at ${url}`
      : `preview server exited (code ${exited}) before ${url} answered`,
  );
}

/** Frames made as fast as the page can make them, not held to a 60 Hz display: the benches time work, not vsync. */
export const UNTHROTTLED = ['--disable-frame-rate-limit', '--disable-gpu-vsync'];

/**
 * The built app served on `port` and Chromium started (with `extraArgs` too) for `body`; both are stopped
 * afterwards, whether it returned or threw. What every browser tool outside the test runner does.
 */
export async function withBrowser<T>(
  port: number,
  body: (browser: Browser) => Promise<T>,
  extraArgs: readonly string[] = [],
): Promise<T> {
  const server = await startPreview(port);
  try {
    const options = chromiumLaunchOptions();
    const browser = await chromium.launch({ ...options, args: [...options.args, ...extraArgs] });
    try {
      return await body(browser);
    } finally {
      await browser.close();
    }
  } finally {
    server.kill();
  }
}
