import { expect, test } from './fixtures';
import { Lab } from './pages/Lab';
import { expectStep10 } from './walkthrough-states';

test.describe('the session survives a reload', () => {
  test('steps, the cursor and the state come back after a reload', async ({ lab, page }) => {
    await lab.bar.openLibrary('lecture-walkthrough');
    await expect(lab.timeline.status).toHaveText('Step 0 of 12');
    // Opened at its setup, the scenario's threads are steps ahead: the empty list says how to reach them.
    await expect(lab.threads.region.getByText(/^No threads yet/)).toHaveText(
      'No threads yet: go Forward (→) to replay the scenario, or start a call below.',
    );
    await lab.timeline.toEnd();
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

test('a reload keeps every branch, the one shown and the thread selected', async ({ lab, page }) => {
  const { timeline, io, threads } = lab;
  await lab.bar.openLibrary('lecture-walkthrough');
  await timeline.toEnd();
  await timeline.jump(4);
  await io.fail(1);
  await expect(timeline.status).toHaveText('Step 5 of 5');
  await threads.select('t1');
  await expect(lab.source.following).toHaveText(/^Following t2/);

  await page.reload();

  await expect(timeline.status).toHaveText('Step 5 of 5');
  await expect(timeline.branchPicker).toHaveValue('2');
  await expect(timeline.branchPicker.locator('option')).toHaveText([
    'Branch 1 (12 steps, parts after step 4)',
    'Branch 2 (5 steps)',
  ]);
  await expect(threads.card('t1').getByRole('button', { name: 't1', exact: true })).toHaveAttribute(
    'aria-pressed',
    'true',
  );
  // The branch left behind is there to go back to, with its own future.
  await timeline.switchTo('Branch 1');
  await expect(timeline.status).toHaveText('Step 4 of 12');
  await timeline.toEnd();
  await expect(timeline.current).toHaveText('12. t4 runs: returns (void)');
});

test('a second tab of the lab, saving its own session, is said in the first', async ({ lab, page }) => {
  await lab.bar.openLibrary('lecture-walkthrough');
  await expect(lab.timeline.status).toHaveText('Step 0 of 12');
  const other = new Lab(await page.context().newPage());
  await other.open();
  await other.timeline.toEnd();
  await expect(other.timeline.status).toHaveText('Step 12 of 12');
  await expect(lab.info).toHaveText(
    'Another tab of the lab is saving its session too: a reload opens whichever tab saved last. Export this one to keep it.',
  );
  await other.page.close();
});

test('a session the browser cannot store says so, once', async ({ page }) => {
  // The browser's storage full: every save of the session throws, as a full quota does.
  await page.addInitScript(() => {
    const setItem = Storage.prototype.setItem;
    Storage.prototype.setItem = function (key: string, value: string) {
      if (key === 'pager-lab/session/v1') throw new DOMException('full', 'QuotaExceededError');
      setItem.call(this, key, value);
    };
  });
  const lab = new Lab(page);
  await lab.open();
  await lab.bar.openLibrary('lecture-walkthrough');
  await expect(lab.error).toHaveText(
    "This session cannot be saved (the browser's storage is full or turned off): a reload will lose it. Export it to keep it.",
  );
});

test.describe('help', () => {
  test('? opens the keyboard shortcuts and Escape closes them', async ({ lab, page }) => {
    await expect(lab.timeline.status).toHaveText('Step 0 of 0');
    await page.keyboard.press('?');
    const dialog = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await expect(dialog).toBeVisible();
    await expect(dialog.getByRole('row')).toHaveText([
      /^s or F11\s*Step: run the followed thread by one statement \(into a call\)$/,
      /^n or F10\s*Step over: run a call into a seed function to its return$/,
      /^o or Shift\+F11\s*Step out: run until the thread returns from the function it is in$/,
      /^r or F5\s*Run the thread until it blocks, returns or reaches a breakpoint$/,
      /^Ctrl\+F10\s*Run the thread to the chosen line \(click a line of the source to choose it\)$/,
      /^F9\s*Set or remove a breakpoint on the chosen line \(or click a line number\)$/,
      /^←\s*Back one step in the timeline$/,
      /^→\s*Forward one step in the timeline$/,
      /^\?\s*Show or hide this help$/,
      /^Esc\s*Close this help or any dialog \(the keys above wait while one is open\)$/,
    ]);
    await page.keyboard.press('Escape');
    await expect(dialog).toBeHidden();
  });

  test('keys pressed as soon as the lab shows its state are kept, in order, while their handler loads', async ({
    lab,
    page,
  }) => {
    await lab.bar.openLibrary('lecture-walkthrough');
    await expect(lab.timeline.status).toHaveText('Step 0 of 12');
    // The handler's chunk held back a second: the keys below are pressed before it is in.
    await page.route(/\/assets\/shortcuts-[^/]*\.js$/, async (route) => {
      await new Promise((resolve) => setTimeout(resolve, 1000));
      await route.continue();
    });
    await page.reload();
    await expect(lab.timeline.status).toHaveText('Step 0 of 12');
    for (const key of ['ArrowRight', 'ArrowRight', 'ArrowRight', 'ArrowLeft']) await page.keyboard.press(key);
    await expect(lab.timeline.status).toHaveText('Step 2 of 12');
  });
});
