import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { Lab } from './pages/Lab';

/**
 * Keyboard users follow the focus ring: every control Tab reaches in the lab must show one. A ring drawn
 * outside a box that its parent clips (a Timeline row cuts off a long step's text) is not seen at all, so each
 * control is photographed focused and again blurred: the two must differ.
 */
async function controlsWithoutRing(page: Page, tabs: number): Promise<{ checked: number; unseen: string[] }> {
  const seen = new Set<string>();
  const unseen: string[] = [];
  for (let i = 0; i < tabs; i++) {
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement | null;
      if (!el || el === document.body) return null;
      const r = el.getBoundingClientRect();
      const name = (el.getAttribute('aria-label') ?? el.textContent ?? '').trim().slice(0, 60);
      // Off screen (the skip link before it is shown, a row scrolled away): nothing to look at.
      const shown = r.width > 0 && r.height > 0 && r.top >= 0 && r.bottom <= innerHeight;
      return { key: `${el.tagName.toLowerCase()} "${name}"`, shown, x: r.x, y: r.y, w: r.width, h: r.height };
    });
    if (!focused || seen.has(focused.key) || !focused.shown) continue;
    seen.add(focused.key);
    const clip = {
      x: Math.max(0, focused.x - 5),
      y: Math.max(0, focused.y - 5),
      width: focused.w + 10,
      height: focused.h + 10,
    };
    const withRing = await page.screenshot({ clip, animations: 'disabled', caret: 'hide' });
    const handle = await page.evaluateHandle(() => document.activeElement as HTMLElement);
    await handle.evaluate((el) => el.blur());
    const without = await page.screenshot({ clip, animations: 'disabled', caret: 'hide' });
    // Back to where Tab left off, as a keyboard user would be.
    await handle.evaluate((el) => el.focus());
    if (withRing.equals(without)) unseen.push(focused.key);
  }
  return { checked: seen.size, unseen };
}

test('every control Tab reaches in a lab mid-scenario shows its focus ring', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 720 });
  await Lab.openAt(page, 'two-threads-fault-same-page', 6);
  const { checked, unseen } = await controlsWithoutRing(page, 160);
  expect(checked, 'controls reached by Tab').toBeGreaterThan(40);
  expect(unseen).toEqual([]);
});

test('every control Tab reaches in a FreeBSD lab mid-scenario shows its focus ring', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 720 });
  await Lab.openAt(page, 'freebsd-close-waits-for-pageout-then-vinactive-writes-dirty-page', 18);
  const { checked, unseen } = await controlsWithoutRing(page, 160);
  expect(checked, 'controls reached by Tab').toBeGreaterThan(40);
  expect(unseen).toEqual([]);
});
