/**
 * Debian's Chromium as every browser run here starts it (Playwright's own
 * browser download cannot work on these machines), and the built app served
 * by `vite preview` for the tools that drive it outside the test runner.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';

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

/** Serve dist/ on `port` and resolve once it answers; kill the returned process when done. */
export async function startPreview(port: number): Promise<ChildProcess> {
  // Vite itself, not through npx: killing npx would leave vite serving (and holding Vite 8's preview lock).
  const vite = new URL('../node_modules/vite/bin/vite.js', import.meta.url).pathname;
  const server = spawn(process.execPath, [vite, 'preview', '--port', String(port), '--strictPort'], {
    stdio: 'ignore',
  });
  const url = `http://localhost:${port}/`;
  for (let i = 0; i < 150; i++) {
    try {
      if ((await fetch(url)).ok) return server;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  server.kill();
  throw new Error(`preview server did not start at ${url}`);
}
