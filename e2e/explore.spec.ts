import { expect, test } from './fixtures';
import { ExploreDialog } from './pages/ExploreDialog';

test.describe('Explore: search the schedules of the current threads', () => {
  test('the two-faults race: every schedule searched, none fails; the first schedule opens at its last step', async ({
    lab,
  }) => {
    await lab.bar.openLibrary('two-threads-fault-same-page');
    await expect(lab.timeline.status).toHaveText('Step 0 of 12');
    const explore = new ExploreDialog(lab.page);
    await explore.open();
    await explore.button('Explore').click();
    await expect(explore.status).toHaveText(
      /^3 threads\. Searched every schedule: \d+ schedules, \d+ states, 0 findings, \d+\.\d s$/,
      { timeout: 30_000 },
    );
    await expect(explore.progress).toBeVisible();
    await expect(explore.dialog.getByText('None: no schedule panics, hangs or leaks.')).toBeVisible();
    await expect(explore.schedules).toHaveCount(5);
    const first = explore.schedules.first();
    await expect(first).toHaveText(/^Schedule 1: every thread done \(\d+ steps, t\d\)$/);
    const [, steps, thread] = /\((\d+) steps, (t\d)\)/.exec((await first.textContent())!)!;
    await first.click();

    await expect(explore.dialog).toBeHidden();
    await expect(lab.timeline.status).toHaveText(`Step ${steps} of ${steps}`);
    // The last thread to run is selected (the source follows it too, done as it is).
    await expect(lab.threads.card(thread!).getByRole('button', { name: thread, exact: true })).toHaveAttribute(
      'aria-pressed',
      'true',
    );
    await expect(lab.source.following).toContainText(`Following ${thread}`);
    for (const t of ['t1', 't2', 't3']) await expect(lab.threads.status(t)).toHaveText('done');
    await expect(lab.panic).toHaveCount(0);

    // The address names the schedule while the lab shows it; going back a step is the learner's own session,
    // which a reload restores (not the schedule's link again).
    await expect(lab.page).toHaveURL(/#scenario=.+&at=\d+/);
    await lab.timeline.back();
    await expect(lab.timeline.status).toHaveText(`Step ${Number(steps) - 1} of ${steps}`);
    await expect(lab.page).not.toHaveURL(/#/);
    await lab.page.reload();
    await expect(lab.timeline.status).toHaveText(`Step ${Number(steps) - 1} of ${steps}`, { timeout: 20_000 });
  });

  test('a FreeBSD panic found from the spawns opens at the panic with the panicking thread selected', async ({
    lab,
  }) => {
    await lab.bar.openLibrary('freebsd-sendfile-no-bmap-pager-fail-panics');
    const explore = new ExploreDialog(lab.page);
    await explore.open();
    await explore.button('Explore').click();
    await expect(explore.status).toHaveText(/Searched every schedule: .* [1-9]\d* findings?, /, { timeout: 30_000 });
    const finding = explore.findings.filter({ hasText: /^panic: / }).first();
    await expect(finding).toBeVisible();
    const text = (await finding.textContent())!;
    const [, message, steps, thread] = /^panic: (.*) \((\d+) steps, (t\d+)\)$/.exec(text)!;
    await finding.click();

    await expect(explore.dialog).toBeHidden();
    await expect(lab.timeline.status).toHaveText(`Step ${steps} of ${steps}`);
    await expect(lab.panic).toContainText(`panic: ${message}`);
    await expect(lab.source.following).toContainText(`Following ${thread} (selected)`);
    await expect(lab.threads.status(thread!)).toHaveText('panicked');
    await expect(lab.threads.card(thread!).getByRole('button', { name: thread, exact: true })).toHaveAttribute(
      'aria-pressed',
      'true',
    );
    // Opened again, the dialog keeps its findings and says what they were found in: the lab shows the finding now.
    await explore.open();
    await expect(explore.findings.filter({ hasText: /^panic: / }).first()).toBeVisible();
    await expect(explore.dialog.getByText(/^Found in “/)).toHaveText(
      // The scenario's first sentence, not its whole explanation.
      /^Found in “.{40,141}”; the lab now shows one of its schedules, so Explore again searches that one's threads\.$/,
    );
  });

  test('results kept for another scenario say so once the lab shows that other one', async ({ lab }) => {
    await lab.bar.openLibrary('two-threads-fault-same-page');
    const explore = new ExploreDialog(lab.page);
    await explore.open();
    await explore.button('Explore').click();
    await expect(explore.status).toHaveText(/^3 threads\. Searched every schedule: /, { timeout: 30_000 });
    // Open right after the search, the results are the lab's own: no note.
    await expect(explore.dialog.getByText(/^Found in “/)).toHaveCount(0);
    await lab.page.keyboard.press('Escape');
    await expect(explore.dialog).toBeHidden();

    // A scenario that panics in every schedule: the race's "None: no schedule panics" is not about it.
    await lab.bar.openLibrary('attach-free-vnode-vref-panics');
    await expect(lab.timeline.status).toHaveText(/^Step 0 of /);
    await explore.open();
    await expect(explore.dialog.getByText('None: no schedule panics, hangs or leaks.')).toBeVisible();
    await expect(explore.dialog.getByText(/^Found in “/)).toHaveText(
      /^Found in “Two threads fault the same page: .{20,120}”; the lab shows other threads or another setup now, so Explore again searches those\.$/,
    );
  });

  test('a finding a caller bug led to (munmap before mmap returned) says so', async ({ lab }) => {
    await lab.bar.openLibrary('cluster-offset-out-of-range-panic');
    const explore = new ExploreDialog(lab.page);
    await explore.open();
    await explore.field('Max schedules').fill('3000');
    await explore.button('Explore').click();
    await expect(explore.status).toHaveText(/^8 threads\. Stopped early \(not exhaustive\): 3,000 schedules/, {
      timeout: 60_000,
    });
    const finding = explore.dialog
      .getByRole('list', { name: 'Findings' })
      .getByRole('listitem')
      .filter({ hasText: '"uvn->u_obj.uo_refs == 0" failed' });
    const note =
      "From a caller bug, not the kernel's: t2 starts uvn_detach(vn1) with no reference to give back, which the seed does not check.";
    await expect(finding).toContainText(note);
    // The lab it opens in says so beside the panic.
    await finding.getByRole('button').click();
    await expect(lab.page.getByRole('region', { name: 'About this scenario, scrolling' })).toContainText(note);
    await expect(lab.page.getByRole('alert').filter({ hasText: 'panic:' })).toContainText('uo_refs == 0');
  });

  test('Cancel stops a long search with what it found; closing keeps the results', async ({ lab }) => {
    await lab.bar.openLibrary('recycle-terminate-hangs-when-late-fault-page-survives');
    const explore = new ExploreDialog(lab.page);
    await explore.open();
    // A bound out of range is refused by the form (the browser says why), and nothing is searched.
    await explore.field('Preemption bound').fill('9');
    await explore.button('Explore').click();
    await expect(explore.dialog.locator('input:invalid')).toHaveCount(1);
    await expect(explore.dialog.locator('input:invalid')).toHaveAccessibleName('Preemption bound');
    await expect(explore.status).toHaveText('Not started.');
    await expect(explore.progress).toHaveCount(0);
    await explore.field('Preemption bound').fill('3');
    // A refusal said in the status line goes once the options change.
    await explore.field('Max schedules').fill('');
    await explore.button('Explore').click();
    await expect(explore.status).toHaveText(/^Max schedules must be/);
    await explore.field('Max schedules').fill('2000');
    await expect(explore.status).toHaveText('Not started.');
    // By keyboard: the button pressed is disabled, and focus goes to what can be pressed next, not the page.
    await explore.button('Explore').focus();
    await lab.page.keyboard.press('Enter');
    await expect(explore.status).toHaveText(/Searching: [1-9][\d,]* schedules/, { timeout: 30_000 });
    await expect(explore.progress).toBeVisible();
    await expect(explore.button('Explore again')).toBeDisabled();
    await expect(explore.button('Cancel')).toBeFocused();
    await lab.page.keyboard.press('Enter');
    await expect(explore.status).toHaveText(/Stopped early \(not exhaustive\): [\d,]+ schedules/, { timeout: 30_000 });
    await expect(explore.button('Cancel')).toBeDisabled();
    await expect(explore.button('Explore again')).toBeEnabled();
    await expect(explore.button('Explore again')).toBeFocused();

    const said = await explore.status.textContent();
    await explore.button('Close').click();
    await expect(explore.dialog).toBeHidden();
    await explore.open();
    await expect(explore.status).toHaveText(said!);
    // Options refused in the dialog (no result a request may complete with) are said; the results stay.
    const progress = await explore.progress.getAttribute('value');
    await explore.field('ok').uncheck();
    await explore.field('eio').uncheck();
    await explore.button('Explore again').click();
    await expect(explore.status).toHaveText('Choose at least one result a request may complete with.');
    await expect(explore.progress).toHaveAttribute('value', progress!);
    await explore.field('ok').check();
    await expect(explore.status).toHaveText(said!);
  });
});
