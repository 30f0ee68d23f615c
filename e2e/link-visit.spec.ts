import { expect, test } from './fixtures';
import { holdNextKernel } from './hold-kernel';
import { Lab } from './pages/Lab';
import { linkTo, scenarioText } from './scenarios';

/** An msync of a 256 MiB file followed by `extra` steps of it: a link the worker takes a while to replay. */
function longFlush(extra: number): string {
  return scenarioText(
    [
      { spawn: 't1', call: 'uvn_attach', args: { vnode: 'vn1', prot: 'rw' } },
      { run: 't1' },
      { spawn: 't2', call: 'uvn_flush', args: { vnode: 'vn1', flags: ['PGO_CLEANIT', 'PGO_SYNCIO', 'PGO_ALLPAGES'] } },
      ...Array.from({ length: extra }, () => ({ step: 't2' })),
    ],
    { title: 'Linked msync', vnodes: [{ name: 'vn1', size: 256 * 1024 * 1024 }] },
  );
}

/**
 * Records, from the first script on, what `#root` says after each change: the scenario's title, the first
 * "Step N of M" in it, and whether "Opening the shared link" is shown (the page's own copies, which are text in
 * `<script>` outside `#root`, are not read).
 */
function recordRoot(): void {
  const seen: string[] = [];
  (window as unknown as { __seen: string[] }).__seen = seen;
  const look = () => {
    const root = document.getElementById('root');
    if (!root) return;
    const text = root.textContent ?? '';
    const title = root.querySelector('.scenario-title')?.textContent ?? '-';
    const step = /Step \d+ of \d+/.exec(text)?.[0] ?? '-';
    const entry = `${text.includes('Opening the shared link') ? 'opening' : '-'} | ${title} | ${step}`;
    if (seen.at(-1) !== entry) seen.push(entry);
  };
  new MutationObserver(look).observe(document, { subtree: true, childList: true, characterData: true });
}

test.describe('a link visit', () => {
  test('shows "Opening the shared link…" and then the link’s state, never the library’s start', async ({ page }) => {
    test.slow();
    await page.addInitScript(recordRoot);
    const lab = new Lab(page);
    const steps = 3 + 20_000;
    await page.goto(linkTo(longFlush(20_000)));
    await expect(lab.timeline.status).toHaveText(`Step ${steps} of ${steps}`, { timeout: 60_000 });
    const seen = await page.evaluate(() => (window as unknown as { __seen: string[] }).__seen);
    const states = seen.filter((entry) => !entry.endsWith('| -'));
    expect(states.length).toBeGreaterThan(0);
    for (const entry of states) expect(entry).toMatch(new RegExp(`^- \\| Linked msync \\| Step ${steps} of ${steps}$`));
    expect(seen).toContain('opening | - | -');
  });

  test('Cancel during the open leaves the library’s start, saying the link was cancelled', async ({ page }) => {
    const lab = new Lab(page);
    const kernel = await holdNextKernel(page);
    await page.goto(linkTo(longFlush(20_000)));
    await kernel.held;
    const opening = page.getByRole('status', { name: 'Opening the shared link' });
    await expect(opening).toHaveText(/^Opening the shared link… 0 of 20,003 steps/);
    await opening.getByRole('button', { name: 'Cancel' }).click();
    kernel.release();
    await expect(lab.error).toHaveText(
      /^Shared link: loading cancelled after 0 of 20,003 steps; the session before it is still open$/,
    );
    await expect(lab.timeline.status).toHaveText('Step 0 of 0');
    await expect(page.locator('.scenario-title')).not.toHaveText('Linked msync');
    await expect(page).toHaveURL(/\/$/);
    await expect(opening).toHaveCount(0);
  });
});
