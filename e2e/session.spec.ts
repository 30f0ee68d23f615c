import { expect, test } from './fixtures';
import { expectStep10 } from './walkthrough-states';

test.describe('the session survives a reload', () => {
  test('steps, the cursor and the state come back after a reload', async ({ lab, page }) => {
    await lab.bar.openLibrary('lecture-walkthrough');
    await expect(lab.timeline.status).toHaveText('Step 12 of 12');
    await lab.timeline.back();
    await lab.timeline.back();
    await expectStep10(lab);

    await page.reload();

    await expectStep10(lab);
    // The two later steps are still there to go forward to.
    await lab.timeline.forward();
    await expect(lab.timeline.status).toHaveText('Step 11 of 12');
  });
});

test.describe('help', () => {
  test('? opens the keyboard shortcuts and Escape closes them', async ({ lab, page }) => {
    await expect(lab.timeline.status).toHaveText('Step 0 of 0');
    await page.keyboard.press('?');
    const dialog = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await expect(dialog).toBeVisible();
    await expect(dialog.getByRole('row')).toHaveText([
      /^s\s*Step the selected thread by one statement$/,
      /^r\s*Run the selected thread until it blocks or returns$/,
      /^←\s*Back one step in the timeline$/,
      /^→\s*Forward one step in the timeline$/,
      /^\?\s*Show or hide this help$/,
      /^Esc\s*Close this help$/,
    ]);
    await page.keyboard.press('Escape');
    await expect(dialog).toBeHidden();
  });
});
