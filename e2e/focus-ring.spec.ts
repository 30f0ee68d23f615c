import { expect, test } from './fixtures';
import { controlsWithoutRing } from './pages/focus-ring';
import { Lab } from './pages/Lab';

// Each control Tab reaches is photographed focused and blurred (e2e/pages/focus-ring.ts); the dialogs, the
// compare view, the teaching pane and other sizes and themes: e2e/focus-ring-surfaces.spec.ts.

const LABS = [
  { kernel: 'an OpenBSD', scenario: 'two-threads-fault-same-page', at: 6 },
  { kernel: 'a FreeBSD', scenario: 'freebsd-close-waits-for-pageout-then-vinactive-writes-dirty-page', at: 18 },
];

for (const { kernel, scenario, at } of LABS)
  test(`every control Tab reaches in ${kernel} lab mid-scenario shows its focus ring`, async ({ page }) => {
    await page.setViewportSize({ width: 1280, height: 720 });
    await Lab.openAt(page, scenario, at);
    const { checked, unseen, faint } = await controlsWithoutRing(page, 160);
    expect(checked, 'controls reached by Tab').toBeGreaterThan(40);
    expect(unseen).toEqual([]);
    expect(faint).toEqual([]);
  });
