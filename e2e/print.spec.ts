/**
 * Printing, as a teacher hands a step out: everything the step shows on one
 * page, legible, and no controls. (The lab's other print checks are in
 * lecture-changes.spec.ts.)
 */
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import type { ThreadsPanel } from './pages/ThreadsPanel';
import { linkTo, scenarioText } from './scenarios';

async function printedPages(page: Page): Promise<number> {
  const pdf = await page.pdf({ preferCSSPageSize: true });
  return (pdf.toString('latin1').match(/\/Type\s*\/Page\b/g) ?? []).length;
}

/**
 * The cards of the Threads panel that are not wholly on the paper: cut by the panel's or the list's edge, or
 * wider than their own box. Each card's text size in CSS px beside it, for the legibility check.
 */
async function cardsOnPaper(threads: ThreadsPanel) {
  const panel = (await threads.region.boundingBox())!;
  const list = (await threads.list.boundingBox())!;
  const top = Math.max(panel.y, list.y) - 0.5;
  const bottom = Math.min(panel.y + panel.height, list.y + list.height) + 0.5;
  const left = Math.max(panel.x, list.x) - 0.5;
  const right = Math.min(panel.x + panel.width, list.x + list.width) + 0.5;
  const cards = await threads.cards.evaluateAll((all) =>
    all.map((c) => {
      const r = c.getBoundingClientRect();
      return {
        thread: c.querySelector('button')?.textContent ?? '?',
        top: r.top,
        bottom: r.bottom,
        left: r.left,
        right: r.right,
        overflows: c.scrollWidth > c.clientWidth + 1 || c.scrollHeight > c.clientHeight + 1,
        px: parseFloat(getComputedStyle(c.querySelector('p')!).fontSize),
      };
    }),
  );
  return {
    cut: cards
      .filter((c) => c.top < top || c.bottom > bottom || c.left < left || c.right > right || c.overflows)
      .map((c) => c.thread),
    smallest: Math.min(...cards.map((c) => c.px)),
  };
}

test.describe('print the lab', () => {
  test('msync-clusters-sixteen-dirty-pages at its end: all 13 threads on the one page, legible', async ({
    lab,
    page,
  }) => {
    await page.setViewportSize({ width: 1280, height: 720 });
    await lab.bar.openLibrary('msync-clusters-sixteen-dirty-pages');
    await lab.timeline.toEnd();
    await expect(lab.threads.cards).toHaveCount(13);
    await page.emulateMedia({ media: 'print' });
    const { cut, smallest } = await cardsOnPaper(lab.threads);
    expect(cut).toEqual([]);
    // 7 CSS px is 5.25 pt: newspaper-table small, the least a handout's line can be.
    expect(smallest).toBeGreaterThanOrEqual(7);
    // The entry says what the card says: the msync thread's call and what it returned.
    await expect(lab.threads.callLine('m1')).toBeVisible();
    await expect(lab.threads.returned('m1')).toHaveText(' → returned true');
    expect(await printedPages(page)).toBe(1);
  });

  test('twenty faults on four pages: the blocked ones and a dozen finished, every line and wait on the page', async ({
    lab,
    page,
  }) => {
    await page.setViewportSize({ width: 1280, height: 720 });
    const steps: unknown[] = [{ spawn: 't0', call: 'uvn_attach', args: { vnode: 'vn1', prot: 'rw' } }, { run: 't0' }];
    for (let i = 1; i <= 20; i++) {
      const args = { vnode: 'vn1', offset: ((i - 1) % 4) * 4096, access: i % 2 ? 'read' : 'write' };
      steps.push({ spawn: `f${i}`, call: 'fault', args }, { run: `f${i}` });
    }
    await lab.open(linkTo(scenarioText(steps)));
    await expect(lab.timeline.status).toHaveText(/^Step 42 of 42/);
    // f1 reads page 0, f5, f9, f13 and f17 sleep on it, the others have returned: 5 live cards + the last 12
    // finished ones.
    await expect(lab.threads.cards).toHaveCount(17);
    await expect(lab.threads.status('f17')).toHaveText('sleep');
    await page.emulateMedia({ media: 'print' });
    await expect(lab.threads.fact('f17', 'waits')).toBeVisible();
    await expect(lab.threads.fact('f1', 'holds')).toBeVisible();
    const { cut, smallest } = await cardsOnPaper(lab.threads);
    expect(cut).toEqual([]);
    expect(smallest).toBeGreaterThanOrEqual(7);
    expect(await printedPages(page)).toBe(1);
  });
});
