import type { Page, Route } from '@playwright/test';
import { expect, test } from './fixtures';
import { Lab } from './pages/Lab';
import { libraryText, linkTo } from './scenarios';

/**
 * The first state of a plain first visit is prerendered at build (tools/prerender-plugin.ts) and shown until
 * React mounts (and takes that markup over: hydration). These tests hold React's chunk (src/app/mount.tsx) back, so what the page shows before React
 * can be read, then let it go.
 */

/** Hold every request for React's chunk until `release` is called. */
async function holdReact(page: Page): Promise<() => Promise<void>> {
  const held: Route[] = [];
  let released = false;
  await page.route(/\/assets\/mount-[^/]*\.js$/, (route) => (released ? route.continue() : held.push(route)));
  return async () => {
    released = true;
    await Promise.all(held.map((route) => route.continue()));
  };
}

/** What a person reads in the header and in each panel (its rendered text), by panel. */
function readPanels(): Record<string, string> {
  const app = document.querySelector<HTMLElement>('#root > .app');
  if (!app) return {};
  const out: Record<string, string> = { header: app.querySelector<HTMLElement>('header')?.innerText ?? '' };
  for (const slot of app.querySelectorAll<HTMLElement>('[data-panel]')) out[slot.dataset.panel!] = slot.innerText;
  return out;
}

/** Records, in the page, what React's first commit shows (read in the microtask after it, before a paint). */
function recordReactFirstCommit(): void {
  const w = window as unknown as { reactFirst?: Record<string, string>; readPanels: () => Record<string, string> };
  const observer = new MutationObserver(() => {
    if (!document.querySelector('#root > .app:not([data-prerendered])')) return;
    observer.disconnect();
    w.reactFirst = w.readPanels();
  });
  observer.observe(document, {
    childList: true,
    subtree: true,
    attributes: true,
    attributeFilter: ['data-prerendered'],
  });
}

for (const viewport of [
  { width: 1600, height: 1000, size: 'wide' },
  { width: 1280, height: 720, size: 'medium' },
  // Narrow shares medium's copy; the inline script sets the attributes where the two differ.
  { width: 1024, height: 768, size: 'narrow' },
]) {
  test(`a plain first visit shows the prerendered first state, which reads as React's first render (${viewport.size})`, async ({
    page,
  }) => {
    await page.setViewportSize(viewport);
    await page.addInitScript(`window.readPanels = ${readPanels.toString()}`);
    await page.addInitScript(recordReactFirstCommit);
    const errors: string[] = [];
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    page.on('pageerror', (e) => errors.push(e.message));
    // The stylesheets come written into the page (tools/prerender-plugin.ts): none is fetched, not even React's
    // chunk's when that chunk is imported (its link is there, disabled, so Vite's loader does not add it).
    const stylesheets: string[] = [];
    page.on('request', (r) => r.resourceType() === 'stylesheet' && stylesheets.push(r.url()));
    const release = await holdReact(page);
    await page.goto('/', { waitUntil: 'domcontentloaded' });

    // Before React: the blank start of the library at step 0, for this screen's layout, inert and busy.
    const copy = page.locator('#root > [data-prerendered]');
    await expect(copy).toBeVisible();
    await expect(copy).toHaveAttribute('inert', '');
    await expect(copy).toHaveAttribute('aria-busy', 'true');
    await expect(copy).toHaveAttribute('data-size', viewport.size);
    await expect(page.locator('[data-first-state-attrs]')).toHaveCount(0);
    await expect(copy.locator('h1')).toHaveText('Pager Lab OpenBSD sys/uvm/uvm_vnode.c');
    await expect(copy.locator('.scrubber span')).toHaveText('Step 0 of 0');
    const prerendered = await page.evaluate(readPanels);
    expect(Object.keys(prerendered).sort()).toEqual(
      ['bits', 'header', 'io', 'object', 'queues', 'source', 'threads', 'timeline', 'tree'].sort(),
    );
    // The Source fetches its seed after mounting (src/panels/Source): its first render says so, and so does the copy.
    expect(prerendered.source).toContain('uvm_vnode.c');
    await copy.evaluate((el) => ((el as unknown as { prerenderedCopy: boolean }).prerenderedCopy = true));

    await release();
    const lab = new Lab(page);
    await expect(page.locator('[data-prerendered]')).toHaveCount(0, { timeout: 20_000 });
    await expect(lab.timeline.status).toHaveText('Step 0 of 0');
    const first = await page.evaluate(() => (window as unknown as { reactFirst?: Record<string, string> }).reactFirst);
    expect(first).toEqual(prerendered);
    // React took the prerendered markup over (hydration matched: a mismatch would have rendered it afresh).
    expect(
      await page
        .locator('#root > .app')
        .evaluate((el) => (el as unknown as { prerenderedCopy?: boolean }).prerenderedCopy),
    ).toBe(true);
    await expect(page.locator('#root > .app')).not.toHaveAttribute('inert');
    await expect(page.locator('#root > .app')).not.toHaveAttribute('aria-busy');
    expect(errors).toEqual([]);
    expect(stylesheets).toEqual([]);
    // Styled all the same: a rule of the entry's stylesheet and one of React's chunk's (the Source's).
    expect(await page.evaluate(() => getComputedStyle(document.querySelector('.panel')!).borderTopStyle)).toBe('solid');
    expect(await page.evaluate(() => getComputedStyle(document.querySelector('.src-scroll')!).tabSize)).toBe('4');
    await expect(page.locator('#root > .app')).toHaveAttribute('data-size', viewport.size);
    expect(await page.locator('script[data-first-state]').count()).toBe(0);
    // And the lab works: the prerendered copy left nothing dead behind.
    await lab.threads.start('uvn_attach', { thread: 't1', vnode: 'vn1', prot: 'rw' });
    await lab.threads.run('t1');
    await expect(lab.threads.status('t1')).toHaveText('done');
    // Hydration keeps the build's attributes as they are: the ids the app makes (useId) must be the build's, or
    // a reference to one (a changed field's description, a heading's label) points at nothing.
    await expect(lab.flags.field('refs')).toHaveAccessibleDescription('changed by the last step');
    expect(await page.evaluate(danglingIdReferences)).toEqual([]);
  });
}

test('a window resized while the prerendered state shows gets a lab laid out for its new size', async ({ page }) => {
  // Medium and narrow differ only in attributes (the layout's size and a column's share), which hydration keeps.
  await page.setViewportSize({ width: 1280, height: 720 });
  const release = await holdReact(page);
  await page.goto('/', { waitUntil: 'domcontentloaded' });
  const copy = page.locator('#root > [data-prerendered]');
  await expect(copy).toHaveAttribute('data-size', 'medium');
  await copy.evaluate((el) => ((el as unknown as { prerenderedCopy: boolean }).prerenderedCopy = true));
  await page.setViewportSize({ width: 1024, height: 768 });

  await release();
  const lab = new Lab(page);
  await expect(page.locator('[data-prerendered]')).toHaveCount(0, { timeout: 20_000 });
  await expect(page.locator('#root > .app')).toHaveAttribute('data-size', 'narrow');
  // Rendered afresh: hydrating the medium copy would have kept its layout's attributes.
  expect(
    await page
      .locator('#root > .app')
      .evaluate((el) => (el as unknown as { prerenderedCopy?: boolean }).prerenderedCopy),
  ).toBeUndefined();
  await expect(lab.timeline.status).toHaveText('Step 0 of 0');
});

/** Each id an ARIA attribute or a label names that no element has, as `attribute=id`. */
function danglingIdReferences(): string[] {
  const dangling: string[] = [];
  for (const attribute of ['aria-labelledby', 'aria-describedby', 'aria-controls', 'for'])
    for (const el of document.querySelectorAll(`[${attribute}]`))
      for (const id of (el.getAttribute(attribute) ?? '').split(/\s+/).filter(Boolean))
        if (!document.getElementById(id)) dangling.push(`${attribute}=${id}`);
  return dangling;
}

test('a returning visitor, a link, the embed and changed preferences never show the prerendered state', async ({
  page,
}) => {
  // A first visit that does something: the session is saved.
  const lab = new Lab(page);
  await lab.open();
  await lab.threads.start('uvn_attach', { thread: 't1', vnode: 'vn1', prot: 'rw' });
  await expect(lab.timeline.status).toHaveText('Step 1 of 1');

  const release = await holdReact(page);
  const nothingBeforeReact = async (path: string) => {
    await page.goto(path, { waitUntil: 'domcontentloaded' });
    // The inline script has run by now (it comes before the entry module, which has run too).
    await expect(page.locator('#root > *')).toHaveCount(0);
  };
  await nothingBeforeReact('/');
  // A link visit (a new document, not a change of hash on this one) draws its opening line at once, without
  // React, in place of anything the page held: never the prerendered state.
  await page.goto('about:blank');
  await page.goto(linkTo(libraryText('attach-waits-on-alock')), { waitUntil: 'domcontentloaded' });
  await expect(page.getByRole('status', { name: 'Opening the shared link' })).toBeVisible();
  await expect(page.locator('#root > [data-prerendered]')).toHaveCount(0);
  await nothingBeforeReact('/?embed=1');
  await page.evaluate(() => localStorage.removeItem('pager-lab/session/v1'));
  await page.evaluate(() => localStorage.setItem('pager-lab/prefs/v1', JSON.stringify({ fontScale: 1.3 })));
  await nothingBeforeReact('/');
  // Back to defaults, no session: the prerendered state again (the script's keys are the app's). Storage is
  // cleared from a page of the same origin that is not the lab (the lab saves its session when it is left).
  const clearStorage = async () => {
    await page.goto('/favicon.svg');
    await page.evaluate(() => localStorage.clear());
  };
  await clearStorage();
  await page.goto('/', { waitUntil: 'domcontentloaded' });
  await expect(page.locator('#root > [data-prerendered]')).toBeVisible();

  // The returning visitor's own state comes back once React is there.
  await release();
  await clearStorage();
  await lab.open();
  await lab.threads.start('uvn_attach', { thread: 't1', vnode: 'vn1', prot: 'rw' });
  await expect(lab.timeline.status).toHaveText('Step 1 of 1');
  await page.reload();
  await expect(lab.timeline.status).toHaveText('Step 1 of 1');
  await expect(lab.threads.status('t1')).toBeVisible();
});
