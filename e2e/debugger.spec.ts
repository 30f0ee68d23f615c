import { expect, test } from './fixtures';
import { Lab } from './pages/Lab';

/** Attach vn1 and start a write fault on 0x1000 (t2, selected): steps 1-3. */
async function startWriteFault(lab: Lab): Promise<void> {
  await lab.threads.start('uvn_attach', { thread: 't1', vnode: 'vn1', prot: 'rw' });
  await lab.threads.run('t1');
  await lab.threads.start('fault', { thread: 't2', vnode: 'vn1', offset: '0x1000', access: 'write' });
  await expect(lab.timeline.status).toHaveText('Step 3 of 3');
  await expect(lab.source.following).toHaveText('Following t2 (selected)');
}

test.describe('debugger stepping', () => {
  test('step over runs a call to its return, run to line stops at the chosen line, step out leaves the function', async ({
    lab,
  }) => {
    const { source, threads, timeline, io } = lab;
    await startWriteFault(lab);

    // One statement: the fault's first call, in the caller (outside the seed).
    await source.button('Step').click();
    await expect(threads.fact('t2', 'at')).toHaveText(
      'in the caller: uvn_get(uobj, offset, pps, &npages, 0, access_type, advice, PGO_LOCKED)',
    );
    // Step over: the whole PGO_LOCKED uvn_get runs statement by statement, recorded as primitive steps.
    await source.stepOver();
    await expect(threads.fact('t2', 'at')).toHaveText(
      'in the caller: uvn_get(uobj, offset, &uobjpage, &gotpages, 0, access_type, advice, PGO_SYNCIO)',
    );
    await expect(source.stop).toHaveText('t2 stopped (16 steps)');
    await expect(timeline.status).toHaveText('Step 20 of 20');
    await expect(timeline.entry(19)).toHaveText('19. t2 steps: now at line 996 in uvn_get');
    await expect(timeline.current).toHaveText(
      '20. t2 steps: now at uvn_get(uobj, offset, &uobjpage, &gotpages, 0, access_type, advice, PGO_SYNCIO)',
    );

    // Into the PGO_SYNCIO uvn_get, then run to the line that calls uvn_io.
    await source.button('Step').click();
    await expect(threads.fact('t2', 'at')).toHaveText('uvm_vnode.c:927 in uvn_get');
    await source.runToLine(1085);
    await expect(threads.fact('t2', 'at')).toHaveText('uvm_vnode.c:1085 in uvn_get');
    await expect(source.stop).toHaveText(/^t2 reached the line at uvm_vnode\.c:1085 \(\d+ steps\)$/);
    await expect(source.line(1085)).toHaveClass(/current/);

    // Into uvn_io; step out blocks on the read first, then, once it completes, returns to uvn_get.
    await source.button('Step').click();
    await expect(threads.fact('t2', 'at')).toHaveText('uvm_vnode.c:1141 in uvn_io');
    await expect(source.region.getByRole('navigation', { name: 'Call stack of t2' }).getByRole('listitem')).toHaveText([
      'fault',
      'uvn_get',
      'uvn_io',
    ]);
    await source.stepOut();
    await expect(threads.status('t2')).toHaveText('io');
    await expect(source.stop).toHaveText(/^t2 blocked at uvm_vnode\.c:1239 \(\d+ steps\)$/);
    await io.complete(1);
    await source.stepOut();
    await expect(threads.fact('t2', 'at')).toHaveText('uvm_vnode.c:1092 in uvn_get');
    await expect(source.stop).toHaveText(/^t2 stepped out, now at uvm_vnode\.c:1092 \(\d+ steps\)$/);
  });

  test('run to line refuses a line with no C code: past the end of the file, blank or a comment', async ({ lab }) => {
    const { source } = lab;
    await startWriteFault(lab);
    for (const line of ['99999', '2']) {
      await source.runToLineBox.fill(line);
      await expect(source.button('Run to line')).toBeDisabled();
      await expect(source.runToLineBox).toHaveAttribute('aria-invalid', 'true');
    }
    // Its shortcut too, pressed in the box where the line was typed (other keys wait while one types).
    const before = await lab.timeline.status.textContent();
    await expect(source.runToLineBox).toBeFocused();
    await lab.page.keyboard.press('Control+F10');
    await expect(lab.info).toHaveText(
      'Line 2 has no C code (blank, a comment, or past the end of the file): choose another line to run to.',
    );
    await expect(lab.timeline.status).toHaveText(before!);
    await source.runToLineBox.fill('1239');
    await expect(source.button('Run to line')).toBeEnabled();
    await expect(source.runToLineBox).not.toHaveAttribute('aria-invalid');
    // Enter in the box runs to the line typed.
    await lab.page.keyboard.press('Enter');
    await expect(lab.threads.fact('t2', 'at')).toHaveText(/^uvm_vnode\.c:1239 /);
  });

  test('a returned thread selected: the Source follows a live one, and that card says so', async ({ lab }) => {
    const { source, threads } = lab;
    await startWriteFault(lab);
    await expect(threads.inSource('t2')).toHaveCount(0);
    await threads.select('t1');
    await expect(threads.card('t1').getByRole('button', { name: 't1', exact: true })).toHaveAttribute(
      'aria-pressed',
      'true',
    );
    await expect(source.following).toHaveText(/^Following t2 /);
    await expect(threads.inSource('t2')).toBeVisible();
    await expect(threads.inSource('t1')).toHaveCount(0);
    await threads.select('t2');
    await expect(threads.inSource('t2')).toHaveCount(0);
  });

  test('a breakpoint set in the gutter stops Run; the run is recorded as the steps it made', async ({ lab }) => {
    const { source, threads, timeline } = lab;
    await lab.threads.start('uvn_attach', { thread: 't1', vnode: 'vn1', prot: 'rw' });
    await source.toggleBreakpoint(238);
    await expect(source.gutter(238)).toHaveAttribute('aria-pressed', 'true');
    await expect(source.breakpoints).toHaveText(['● 238 ×']);

    await threads.run('t1');
    await expect(threads.status('t1')).toHaveText('ready');
    await expect(threads.fact('t1', 'at')).toHaveText('uvm_vnode.c:238 in uvn_attach');
    await expect(source.stop).toHaveText(/^t1 stopped at a breakpoint at uvm_vnode\.c:238 \(\d+ steps\)$/);
    await expect(timeline.current).toHaveText(/^\d+\. t1 steps: now at line 238 in uvn_attach$/);
    // Export holds only the contract's steps: the spawn, then one `step` per statement the run made.
    const exported = JSON.parse((await lab.bar.exportFile()).text) as { steps: unknown[] };
    expect(exported.steps[0]).toEqual({ spawn: 't1', call: 'uvn_attach', args: { vnode: 'vn1', prot: 'rw' } });
    expect(exported.steps.slice(1)).toEqual(exported.steps.slice(1).map(() => ({ step: 't1' })));
    expect(exported.steps.length).toBeGreaterThan(10);

    // Run again: it does not stop where it stands; with no breakpoint ahead it is one `run`.
    await source.breakpoints.getByText('● 238 ×').click();
    await expect(source.breakpoints).toHaveCount(0);
    await expect(source.gutter(238)).toHaveAttribute('aria-pressed', 'false');
    const [, at] = /^Step (\d+) of/.exec((await timeline.status.textContent())!)!;
    const n = Number(at) + 1;
    await threads.run('t1');
    await expect(threads.returned('t1')).toHaveText('→ returned obj');
    await expect(timeline.status).toHaveText(`Step ${n} of ${n}`);
    await expect(timeline.current).toHaveText(/^\d+\. t1 runs: returns obj$/);
  });

  test('keys: n steps over, F9 sets a breakpoint on the chosen line, r runs to it', async ({ lab, page }) => {
    const { source, threads } = lab;
    await startWriteFault(lab);
    await source.button('Step').click();
    await source.code.press('n');
    await expect(threads.fact('t2', 'at')).toHaveText(/^in the caller: uvn_get\(.*PGO_SYNCIO\)$/);
    await source.chooseLine(1201);
    await expect(source.runToLineBox).toHaveValue('1201');
    await page.keyboard.press('F9');
    await expect(source.breakpoints).toHaveText(['● 1201 ×']);
    await page.keyboard.press('r');
    await expect(threads.fact('t2', 'at')).toHaveText('uvm_vnode.c:1201 in uvn_io');
    await expect(source.stop).toHaveText(/^t2 stopped at a breakpoint at uvm_vnode\.c:1201/);
  });
});

test.describe('C locals', () => {
  test('the followed thread’s frames show their C locals, changed values marked', async ({ lab }) => {
    const { source, threads } = lab;
    await startWriteFault(lab);
    await source.button('Step').click();
    await source.stepOver();
    await source.button('Step').click();
    // The steps' answers come from the worker: once they come, the Source scrolls to t2's line and would take
    // away the line chosen for Run to line. Wait for t2 to stand at 927 first.
    await expect(threads.fact('t2', 'at')).toHaveText('uvm_vnode.c:927 in uvn_get');
    await source.runToLine(1085);
    // Changed since the state shown before (line 927, where nothing was assigned yet).
    await expect(source.local('uvn_get', 'ptmp')).toHaveText('vn1@0x1000 (changed, was (unset))');
    await expect(source.local('uvn_get', 'lcv')).toHaveText('0 (changed, was (unset))');
    await expect(source.local('uvn_get', 'result')).toHaveText('(unset)');
    await expect(source.local('uvn_get', 'offset')).toHaveText('0x1000');

    // Into uvn_io: a new frame, innermost first; its locals unset until the C assigns them.
    await source.button('Step').click();
    await expect(source.local('uvn_io', 'file_offset')).toHaveText('(unset)');
    await expect(source.local('uvn_io', 'rw')).toHaveText('UIO_READ');
    await source.runToLine(1170);
    await expect(source.local('uvn_io', 'file_offset')).toHaveText('0x1000 (changed, was (unset))');
    await expect(source.local('uvn_io', 'waitf')).toHaveText('M_WAITOK (changed, was (unset))');
    await expect(source.local('uvn_io', 'npages')).toHaveText('1');
    await source.runToLine(1236);
    await expect(source.local('uvn_io', 'wanted')).toHaveText('4096 (changed, was (unset))');
    await expect(source.local('uvn_io', 'result')).toHaveText('0 (changed, was (unset))');
    await expect(source.local('uvn_io', 'file_offset')).toHaveText('0x1000');
  });
});

test.describe('branches', () => {
  test('acting on a past step keeps the old future as a branch: switch back and compare', async ({ lab }) => {
    const { timeline, io, threads } = lab;
    await lab.bar.openLibrary('lecture-walkthrough');
    await timeline.toEnd();
    await expect(timeline.status).toHaveText('Step 12 of 12');
    await timeline.jump(4);
    await io.fail(1);
    await expect(timeline.status).toHaveText('Step 5 of 5');
    await expect(lab.info).toHaveText(
      'Acting on step 4 started Branch 2; Branch 1 keeps its 8 later steps (Timeline: Branch).',
    );
    await expect(timeline.branchPicker).toHaveValue('2');
    await expect(timeline.branchPicker.locator('option')).toHaveText([
      'Branch 1 (12 steps, parts after step 4)',
      'Branch 2 (5 steps)',
    ]);
    await expect(timeline.row(4).getByRole('button', { name: '↪ Branch 1' })).toBeVisible();
    await threads.run('t2');
    await expect(threads.returned('t2')).toHaveText('→ returned VM_PAGER_ERROR');

    // Back to the first branch: where the branches part, its own future ahead.
    await timeline.switchTo('Branch 1');
    await expect(timeline.status).toHaveText('Step 4 of 12');
    await expect(timeline.entries).toHaveCount(13);
    await expect(timeline.entry(5)).toHaveText('5. request 1 completes ok: t2 can run');
    await timeline.toEnd();
    await expect(timeline.current).toHaveText('12. t4 runs: returns (void)');
    await expect(lab.threads.cards).toHaveCount(4);

    const dialog = await timeline.compareWith('Branch 2');
    await expect(dialog).toContainText('They share their first 4 steps.');
    const rows = dialog.getByRole('table', { name: 'Step by step' }).getByRole('row');
    await expect(rows.nth(1)).toHaveText(
      '5request 1 completes ok: t2 can runrequest 1 completes eio: t2 can runnone in the digest; a thread may still differ inside',
    );
    await expect(rows.nth(2)).toContainText('t2 runs: returns VM_PAGER_OKt2 runs: returns VM_PAGER_ERROR');
    await expect(rows.nth(2).getByRole('cell').last()).toContainText('threads[t2].ret');
    await expect(rows.nth(3)).toContainText('(ended)');
    await expect(rows.nth(3).getByRole('cell').last()).toHaveText('not compared: Branch 2 has ended');
    await dialog.getByRole('button', { name: 'Close' }).click();
    await expect(dialog).toBeHidden();

    // The fork mark switches too.
    await timeline.row(4).getByRole('button', { name: '↪ Branch 2' }).click();
    await expect(timeline.status).toHaveText('Step 4 of 6');
  });

  test('Compare takes the newest other branch; with three, the comparison picks another', async ({ lab }) => {
    const { timeline, io } = lab;
    await lab.bar.openLibrary('lecture-walkthrough');
    await timeline.toEnd();
    await timeline.jump(4);
    await io.fail(1);
    await expect(timeline.branchPicker).toHaveValue('2');
    // Two branches: Compare compares with the other one, and the dialog has nothing to pick.
    await expect(timeline.branches.getByRole('button', { name: 'Compare', exact: true })).toHaveAccessibleDescription(
      'Compare Branch 2 with Branch 1, step by step',
    );
    let dialog = await timeline.compareWith('Branch 1');
    await expect(dialog).toHaveAccessibleName('Branch 2 and Branch 1');
    await expect(dialog.getByRole('combobox')).toHaveCount(0);
    await dialog.getByRole('button', { name: 'Close' }).click();

    // A third branch, parting from Branch 2 where it parted from Branch 1.
    await timeline.jump(4);
    await io.short(1, 2048);
    await expect(timeline.branchPicker).toHaveValue('3');
    await timeline.branches.getByRole('button', { name: 'Compare', exact: true }).click();
    // The one dialog open, whatever its name: picking another branch renames it.
    dialog = lab.page.getByRole('dialog');
    await expect(dialog).toHaveAccessibleName('Branch 3 and Branch 2');
    const picker = dialog.getByRole('combobox', { name: 'Compare with' });
    await expect(picker.locator('option')).toHaveText(['Branch 1', 'Branch 2']);
    await expect(picker).toHaveValue('2');
    await picker.selectOption({ label: 'Branch 1' });
    await expect(dialog).toHaveAccessibleName('Branch 3 and Branch 1');
    await expect(dialog).toContainText('They share their first 4 steps.');
    await expect(dialog.getByRole('table', { name: 'Step by step' }).getByRole('row').nth(1)).toContainText(
      'request 1 completes ok',
    );
    await expect(picker).toHaveValue('1');
    await dialog.getByRole('button', { name: 'Close' }).click();
    await expect(dialog).toBeHidden();
  });

  test('Reset asks first and can be undone', async ({ lab, page }) => {
    const { timeline, bar } = lab;
    await lab.bar.openLibrary('lecture-walkthrough');
    await timeline.jump(6);
    await bar.button('Reset').click();
    const dialog = page.getByRole('dialog', { name: 'Reset the lab?' });
    await expect(dialog).toContainText('This drops 12 steps');
    // The lab's keys wait while the dialog is open; Esc closes it, as Cancel does.
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('s');
    await expect(timeline.status).toHaveText('Step 6 of 12');
    await page.keyboard.press('Escape');
    await expect(dialog).toBeHidden();
    await expect(timeline.status).toHaveText('Step 6 of 12');
    await bar.button('Reset').click();
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await expect(dialog).toBeHidden();
    await expect(timeline.status).toHaveText('Step 6 of 12');
    await page.keyboard.press('ArrowLeft');
    await expect(timeline.status).toHaveText('Step 5 of 12');
    await page.keyboard.press('ArrowRight');
    await expect(timeline.status).toHaveText('Step 6 of 12');

    await bar.reset();
    await expect(timeline.status).toHaveText('Step 0 of 0');
    await expect(lab.threads.cards).toHaveCount(0);
    await expect(lab.info).toHaveText('The lab was reset to its setup.');
    await page.getByRole('button', { name: 'Undo reset' }).click();
    await expect(timeline.status).toHaveText('Step 6 of 12');
    await expect(lab.threads.cards).toHaveCount(2);
    await expect(page.getByRole('button', { name: 'Undo reset' })).toHaveCount(0);
  });
});

test.describe('links to a moment', () => {
  test.use({ permissions: ['clipboard-read', 'clipboard-write'] });

  test('a link opens at &at=4&thread=t2 with t2’s line shown', async ({ lab, browser }) => {
    // Two browser contexts, each loading the app and its worker: twice a test's work.
    test.slow();
    await lab.bar.openLibrary('lecture-walkthrough');
    await lab.timeline.jump(4);
    await lab.threads.card('t2').getByRole('button', { name: 't2', exact: true }).click();
    const url = await lab.bar.shareLink();
    expect(url).toMatch(/#scenario=[A-Za-z0-9+\-$]+&at=4&thread=t2$/);
    await expect(lab.info).toHaveText('Link copied: it opens this scenario at step 4 with t2 selected.');

    const context = await browser.newContext({ viewport: { width: 1600, height: 1000 } });
    try {
      const other = new Lab(await context.newPage());
      await other.open(url);
      await expect(other.timeline.status).toHaveText('Step 4 of 12');
      await expect(other.source.following).toHaveText('Following t2 (selected) · line 1239');
      await expect(other.source.line(1239)).toBeInViewport();
      await expect(other.source.tags(1239)).toHaveText(['t2']);
      await expect(other.threads.card('t2').getByRole('button', { name: 't2', exact: true })).toHaveAttribute(
        'aria-pressed',
        'true',
      );
    } finally {
      await context.close();
    }
  });
});

test.describe('the library', () => {
  test('grouped by topic; a scenario opens at step 0, its first thread selected, its explanation shown', async ({
    lab,
  }) => {
    const { bar, timeline, source } = lab;
    await expect(bar.library.locator('optgroup')).toHaveCount(13);
    await expect(bar.library.locator('optgroup').first()).toHaveAttribute('label', 'Start here');
    await expect(bar.library.locator('optgroup[label="Faults"] option')).toHaveText([
      '1. Two threads fault the same page',
      '2. Same page, and the first read fails',
      '3. Read errors, short reads, past EOF',
      '4. Vnode locked: uvn_get answers AGAIN',
      '5. Out of memory: waiting for a free page',
    ]);

    await bar.openLibrary('two-threads-fault-same-page');
    await expect(timeline.status).toHaveText('Step 0 of 12');
    await expect(bar.about).toHaveAttribute('open', '');
    await expect(bar.about).toContainText('Two threads fault the same page: the second finds it busy');
    // t1 is selected but not started: the source shows where its call begins, not the licence header.
    await expect(source.line(139)).toBeInViewport();
    await expect(source.line(1)).toHaveCount(0);
    await timeline.forward();
    await expect(source.following).toHaveText('Following t1 (selected)');

    // The explanation folds away.
    await bar.about.getByText('About this scenario').click();
    await expect(bar.about).not.toHaveAttribute('open', '');

    await bar.button('Start here').click();
    await expect(timeline.status).toHaveText('Step 0 of 12');
    await expect(bar.about).toContainText('Lecture walk-through: attach, a write fault and its read');
  });
});
