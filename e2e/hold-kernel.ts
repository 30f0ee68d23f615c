import type { Page } from '@playwright/test';

/**
 * Hold the next pager kernel the worker fetches (its `model-*.js` chunk, fetched when a scenario of that pager
 * is first opened) until `release()`; `held` resolves once it was asked for. The engine replays even the
 * step limit in a second or two, so this is how a test makes a load last until it has pressed Cancel,
 * whatever the machine's speed.
 */
export async function holdNextKernel(page: Page): Promise<{ held: Promise<void>; release: () => void }> {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  let asked!: () => void;
  const held = new Promise<void>((resolve) => (asked = resolve));
  let first = true;
  await page.route('**/assets/model-*.js', async (route) => {
    if (first) {
      first = false;
      asked();
      await released;
    }
    await route.continue();
  });
  return { held, release };
}
