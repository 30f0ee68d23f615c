import type { Locator, Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { ComparePage } from './pages/ComparePage';
import { ExploreDialog } from './pages/ExploreDialog';
import { controlsWithoutRing } from './pages/focus-ring';
import { Lab } from './pages/Lab';
import { TeachPane } from './pages/TeachPane';

/**
 * Every other surface a keyboard user reaches, beyond the lab at 1280x720 (e2e/focus-ring.spec.ts): the dialogs
 * and banners, a maximised panel, the compare view, the teaching pane, and the lab at a small and at a large
 * screen with big text, in both themes. Each control Tab reaches is photographed focused and blurred
 * (e2e/pages/focus-ring.ts): its ring must show, and stand out from what it sits on.
 */

/** Tab through one surface; what is wrong is returned as "surface: control (why)". */
async function problemsIn(
  page: Page,
  surface: string,
  tabs: number,
  where: { within?: Locator; from?: Locator } = {},
): Promise<{ checked: number; problems: string[] }> {
  const { checked, unseen, faint, regionSidesCovered } = await controlsWithoutRing(page, tabs, where);
  for (const region of regionSidesCovered)
    test.info().annotations.push({ type: 'ring covered on a side', description: `${surface}: ${region}` });
  return {
    checked,
    problems: [...unseen.map((c) => `${surface}: ${c} unseen`), ...faint.map((c) => `${surface}: ${c} faint`)],
  };
}

test('the dialogs, the banners and a maximised panel: every control Tab reaches shows its ring', async ({ page }) => {
  test.setTimeout(90_000);
  await page.setViewportSize({ width: 1280, height: 720 });
  const lab = await Lab.openAt(page, 'two-threads-fault-same-page', 6);
  const problems: string[] = [];
  const look = async (surface: string, tabs: number, where: { within?: Locator; from?: Locator }, least = 1) => {
    const found = await problemsIn(page, surface, tabs, where);
    expect(found.checked, `controls reached by Tab in ${surface}`).toBeGreaterThanOrEqual(least);
    problems.push(...found.problems);
  };

  const explore = new ExploreDialog(page);
  await explore.open();
  await look('Explore', 10, { within: explore.dialog }, 3);
  // Explored: the findings and the first schedules, each a button in a list that scrolls.
  await explore.field('Max schedules').fill('20');
  await explore.button('Explore').click();
  await expect(explore.button('Cancel')).toBeDisabled();
  await expect(explore.schedules.first()).toBeVisible();
  await look('Explore, explored', 30, { within: explore.dialog, from: explore.button('Explore again') }, 6);
  await explore.button('Close').click();
  await expect(explore.dialog).toBeHidden();

  // The keyboard help ("?"), then Help from the toolbar.
  await page.keyboard.press('?');
  const help = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
  await expect(help).toBeVisible();
  await look('Keyboard help', 3, { within: help });
  await page.keyboard.press('Escape');
  await expect(help).toBeHidden();

  await lab.bar.button('Reset').click();
  const reset = page.getByRole('dialog', { name: 'Reset the lab?' });
  await expect(reset).toBeVisible();
  await look('Reset', 4, { within: reset }, 2);
  await page.keyboard.press('Escape');
  await expect(reset).toBeHidden();

  // Share link's banner, then an import's error banner: each has its Dismiss button.
  await lab.bar.button('Share link').click();
  await expect(lab.info).toBeVisible();
  const shared = page.getByRole('status').filter({ has: page.getByRole('button', { name: 'Dismiss message' }) });
  await look('Share link banner', 2, { within: shared, from: shared.getByRole('button', { name: 'Dismiss message' }) });
  await lab.bar.importFile({ name: 'broken.json', contents: '{ not json' });
  await expect(lab.error).toBeVisible();
  const dismiss = lab.errorBanner.getByRole('button', { name: 'Dismiss message' });
  await look('Import error banner', 2, { within: lab.errorBanner, from: dismiss });
  await dismiss.click();

  // The Timeline's branch comparison: failing the read after going back is a branch of its own.
  await lab.io.fail(1);
  await expect(lab.timeline.branchPicker).toHaveValue('2');
  const comparison = await lab.timeline.compareWith('Branch 1');
  await look('Branch comparison', 6, { within: comparison });
  await comparison.getByRole('button', { name: 'Close' }).click();
  await expect(comparison).toBeHidden();

  const maximise = page.getByRole('button', { name: 'Maximise Threads' });
  await maximise.click();
  const threads = page.getByRole('region', { name: 'Threads', exact: true });
  const restore = page.getByRole('button', { name: 'Restore Threads' });
  await expect(restore).toBeVisible();
  await look('Threads maximised', 40, { within: threads, from: restore }, 8);

  expect(problems).toEqual([]);
});

test('the compare view: every control Tab reaches shows its ring, the current story step too', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.emulateMedia({ colorScheme: 'dark' });
  const compare = new ComparePage(page);
  await compare.open('#compare=two-faults-one-page');
  // Its current-step marker is an outline too: focused, the step must show the full ring, not the marker.
  await compare.current.focus();
  await page.keyboard.press('Shift+Tab');
  await page.keyboard.press('Tab');
  await expect(compare.current).toBeFocused();
  await expect.soft(compare.current).toHaveCSS('outline-width', '3px');
  const { checked, problems } = await problemsIn(page, 'Compare kernels', 200);
  expect(checked, 'controls reached by Tab').toBeGreaterThan(60);
  expect(problems).toEqual([]);
});

test('the teaching pane: its menu, a lesson question before and after the reveal, an exercise', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 720 });
  const lab = new Lab(page);
  await lab.open();
  const teach = new TeachPane(page);
  await teach.open();
  const problems: string[] = [];
  const look = async (surface: string, least: number) => {
    const where = { within: teach.pane, from: teach.pane.getByRole('button').first() };
    const found = await problemsIn(page, surface, 40, where);
    expect(found.checked, `controls reached by Tab in ${surface}`).toBeGreaterThanOrEqual(least);
    problems.push(...found.problems);
  };
  await look('Lessons menu', 10);
  await teach.lessonItem('Two faults on one page').click();
  await teach.button('Next').click();
  await expect(teach.question).toBeVisible();
  await look('Lesson question', 3);
  await teach.answer((await teach.choices())[0]!);
  await look('Lesson question revealed', 3);
  await lab.open('/#exercise=state:7');
  await expect(teach.answerBox(1)).toBeVisible();
  await look('Exercise', 5);
  expect(problems).toEqual([]);
});

for (const colorScheme of ['light', 'dark'] as const) {
  test(`the lab at 1024x768, ${colorScheme} theme: every control Tab reaches shows its ring`, async ({ page }) => {
    await page.setViewportSize({ width: 1024, height: 768 });
    await page.emulateMedia({ colorScheme });
    await Lab.openAt(page, 'two-threads-fault-same-page', 6);
    const { checked, problems } = await problemsIn(page, `1024x768 ${colorScheme}`, 160);
    expect(checked, 'controls reached by Tab').toBeGreaterThan(40);
    expect(problems).toEqual([]);
  });

  test(`the lab at 1920x1080 with 150% text, ${colorScheme} theme: every control Tab reaches shows its ring`, async ({
    page,
  }) => {
    await page.setViewportSize({ width: 1920, height: 1080 });
    await page.emulateMedia({ colorScheme });
    await Lab.openAt(page, 'two-threads-fault-same-page', 6);
    const larger = page.getByRole('button', { name: 'Larger text' });
    for (const size of ['115%', '130%', '150%']) {
      await larger.click();
      await expect(page.getByRole('status', { name: 'Text size' })).toHaveText(size);
    }
    const { checked, problems } = await problemsIn(page, `1920x1080 150% ${colorScheme}`, 160);
    expect(checked, 'controls reached by Tab').toBeGreaterThan(40);
    expect(problems).toEqual([]);
  });
}
