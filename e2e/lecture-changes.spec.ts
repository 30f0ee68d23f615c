import { readFile } from 'node:fs/promises';
import { expect, test } from './fixtures';
import { libraryText, linkTo, scenarioText } from './scenarios';

/**
 * What the last step changed, in every panel, until the next step; the
 * lines a run ran, in the timeline and the source; messages that go away
 * when they stop being true; exports for slides.
 */
test.describe('what the last step changed', () => {
  test('a write fault up to its read: the new page, the new request, t2 blocked, u_nio and npages marked', async ({
    lab,
    page,
  }) => {
    const { threads, bits, flags, io, timeline, source } = lab;
    await threads.start('uvn_attach', { thread: 't1', vnode: 'vn1', prot: 'rw' });
    await threads.run('t1');
    // The attach set three uvn flags: their rows are marked, the others are not.
    const changedRows = flags.table().locator('tr.changed').getByRole('rowheader');
    await expect(changedRows).toHaveText(['UVM_VNODE_VALID', 'UVM_VNODE_CANPERSIST', 'UVM_VNODE_WRITEABLE']);
    await expect(flags.field('refs')).toHaveClass(/\bchanged\b/);
    await expect(flags.field('refs')).toHaveAccessibleDescription('changed by the last step');
    await expect(flags.field('u_nio')).not.toHaveClass(/\bchanged\b/);

    await threads.start('fault', { thread: 't2', vnode: 'vn1', offset: '0x1000', access: 'write' });
    await expect(threads.card('t2').getByText('new', { exact: true })).toBeVisible();
    await threads.run('t2');
    await expect(threads.status('t2')).toHaveText('io');
    await expect(threads.status('t2')).toHaveClass(/\bchanged\b/);
    await expect(threads.card('t2').getByText('new', { exact: true })).toHaveCount(0);
    // The page is new: its whole row is marked; so is the request.
    await expect(bits.cell('0x1000', 'PG_BUSY')).toHaveAccessibleDescription('changed by the last step');
    await expect(io.request(1).first()).toHaveClass(/\bchanged\b/);
    await expect(flags.field('u_nio')).toHaveClass(/\bchanged\b/);
    await expect(flags.field('npages')).toHaveClass(/\bchanged\b/);
    await expect(flags.field('refs')).not.toHaveClass(/\bchanged\b/);
    // The run's trail: in the timeline and as tinted lines in the source, ending at VOP_READ.
    await expect(timeline.region.getByText(/^Step 4 ran seed lines /)).toContainText('1239');
    await expect(source.region.getByText(/^The last step ran \d+ lines/)).toBeVisible();
    await expect(source.line(1239)).toHaveClass(/\bran\b/);

    // The disk completes the read: the request is listed as finished, the page's bits are not marked yet.
    await io.complete(1);
    await expect(io.region.getByText(/^Finished in the last step: /)).toContainText('request 1 (t2, read 0x1000)');
    await expect(bits.cell('0x1000', 'PG_BUSY')).not.toHaveClass(/\bchanged\b/);
    await expect(threads.status('t2')).toHaveClass(/\bchanged\b/);
    // t2 maps and activates the page: exactly the bits that moved are marked.
    await threads.run('t2');
    await expect(threads.returned('t2')).toBeVisible();
    const marked = bits.row('vn1', '0x1000').locator('td.changed');
    await expect(marked).toHaveCount(6); // PG_BUSY, PG_FAKE, queue, mapped, modified, owner
    await expect(bits.cell('0x1000', 'PG_CLEAN')).not.toHaveClass(/\bchanged\b/);
    await expect(lab.queues.entries('Active')).toContainText(['new']);
    // Going back shows what that earlier step changed, again.
    await timeline.back();
    await expect(io.region.getByText(/^Finished in the last step: /)).toBeVisible();
    await expect(page.getByLabel('Kernel summary')).toHaveText('Step 5 of 6 · t2 ready · 0 requests in flight');
  });

  test('terminate frees the page: listed in Page bits, and the source shows where the call ended', async ({ lab }) => {
    const { threads, io, bits, source } = lab;
    await threads.start('uvn_attach', { thread: 't1', vnode: 'vn1', prot: 'rw' });
    await threads.run('t1');
    await threads.start('fault', { thread: 't2', vnode: 'vn1', offset: '0x1000', access: 'read' });
    await threads.run('t2');
    await io.complete(1);
    await threads.run('t2');
    await threads.start('uvm_vnp_terminate', { thread: 't3', vnode: 'vn1' });
    await threads.run('t3');
    await expect(threads.returned('t3')).toBeVisible();
    await expect(bits.region.getByText(/^Freed or taken out by the last step: /)).toContainText('vn1 0x1000');
    // Not uvn_io any more: the trail's last line, in uvm_vnp_terminate, is in view.
    await expect(source.region.getByText(/^The last step ran/)).toBeVisible();
    const ranInView = () =>
      source.code.evaluate((box) => {
        const b = box.getBoundingClientRect();
        return [...box.querySelectorAll('.src-line.ran')].filter((line) => {
          const r = line.getBoundingClientRect();
          return r.top >= b.top && r.bottom <= b.bottom;
        }).length;
      });
    await expect.poll(ranInView).toBeGreaterThan(0);
    await expect(source.code.locator('[data-line="1239"]')).not.toBeInViewport();
    // The lines it ran are tinted, not only classed: a plain line has no background.
    const backgrounds = await source.code.evaluate((box) =>
      [box.querySelector('.src-line.ran:not(.marked):not(.current)'), box.querySelector('.src-line:not(.ran)')].map(
        (line) => (line ? getComputedStyle(line).backgroundColor : 'missing'),
      ),
    );
    expect(backgrounds[0]).not.toBe('missing');
    expect(backgrounds[0]).not.toBe(backgrounds[1]);
  });
});

test.describe('the source shows a line worth reading', () => {
  test('a thread asleep in its caller: the source shows where the other thread stands, not the licence', async ({
    lab,
    page,
  }) => {
    await page.goto(linkTo(libraryText('freebsd-two-faults-same-page-vmpfw')));
    await expect(lab.timeline.status).toBeVisible({ timeout: 20_000 });
    await lab.timeline.jump(8);
    await lab.threads.card('t4').getByRole('button', { name: 't4', exact: true }).click();
    await expect(lab.source.following).toContainText('Following t4 (selected)');
    const code = page.getByRole('region', { name: 'vnode_pager.c' });
    await expect(code.locator('[data-line="1047"]')).toBeInViewport();
    await expect(code.locator('[data-line="1"]')).not.toBeInViewport();
  });

  test('a lesson scene shows its own line, not where the run carried the thread', async ({ lab }) => {
    // Scene 3 explains line 956 (PG_BUSY seen); the step's run carried t3 on to uvm_pagewait at 1057.
    await lab.open('/#lesson=two-faults-one-page&scene=3');
    await expect(lab.timeline.status).toHaveText('Step 6 of 12');
    await expect(lab.source.following).toContainText('Following t3');
    await expect(lab.source.line(956)).toBeInViewport();
  });
});

test.describe('messages go away when they stop being true', () => {
  test('an import error goes with the next action, and numbers steps as the timeline does', async ({ lab }) => {
    await lab.bar.importFile({
      name: 'bad.json',
      contents: scenarioText([{ spawn: 't1', call: 'uvn_attach', args: { vnode: 'vn1', prot: 'rw' } }, { run: 't9' }]),
    });
    await expect(lab.error).toHaveText(
      'Import of bad.json: step 2: run: unknown thread t9 (not spawned before this step)',
    );
    await lab.threads.start('uvn_attach', { thread: 't1' });
    await expect(lab.errorBanner).toHaveCount(0);
    // A whole-file error names no step.
    await lab.bar.importFile({ name: 'empty.json', contents: '' });
    await expect(lab.error).toHaveText(/^Import of empty\.json: invalid JSON/);
    await lab.bar.reset();
    await expect(lab.errorBanner).toHaveCount(0);
  });

  test('a refused step ("t1 is done") is gone once t1 is acted on no more', async ({ lab }) => {
    await lab.threads.start('uvn_attach', { thread: 't1' });
    await lab.threads.run('t1');
    await lab.page.keyboard.press('r'); // t1 is still selected, and done: refused
    await expect(lab.error).toHaveText('thread t1 is done');
    await lab.timeline.back();
    await expect(lab.errorBanner).toHaveCount(0);
  });
});

test.describe('export for slides', () => {
  test('the timeline as Markdown, one line per step; the page tree as SVG and PNG', async ({ lab }) => {
    await lab.threads.start('uvn_attach', { thread: 't1', vnode: 'vn1', prot: 'rw' });
    await lab.threads.run('t1');
    await lab.threads.start('fault', { thread: 't2', vnode: 'vn1', offset: '0x1000', access: 'write' });
    await lab.threads.run('t2');
    // The export is of the timeline shown: wait until it shows t2's run (Run only sends the command).
    await expect(lab.timeline.status).toHaveText('Step 4 of 4');
    const download = lab.page.waitForEvent('download');
    await lab.timeline.region.getByRole('button', { name: 'Markdown' }).click();
    const md = await readFile(await (await download).path(), 'utf8');
    // A slide's heading: the scenario's first sentence; its whole explanation is the paragraph under it.
    const [heading, , explanation, , ...lines] = md.trimEnd().split('\n');
    expect(heading).toBe(
      '# Lecture walk-through: attach, a write fault and its read, msync with PGO\\_CLEANIT\\|PGO\\_SYNCIO, then revoke (uvm\\_vnp\\_terminate).',
    );
    expect(explanation).toMatch(/^Lecture walk-through: .* uvm\\_vnp\\_terminate 425-529\)\.$/);
    expect(lines.slice(0, 2)).toEqual(['0. setup', '1. spawn t1: uvn\\_attach(vnode="vn1", prot="rw")']);
    expect(lines[2]).toMatch(/^2\. t1 runs: returns obj \(seed lines 141, 145, .*257\)$/);
    expect(lines[4]).toMatch(/^4\. t2 runs: waits for disk request 1 \(seed lines 927, .*1239\)$/);
    expect(lines).toHaveLength(5);

    const svgDownload = lab.page.waitForEvent('download');
    await lab.tree.region.getByRole('button', { name: 'SVG' }).click();
    const svg = await readFile(await (await svgDownload).path(), 'utf8');
    expect(svg).toMatch(/^<svg[^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    expect(svg).toContain('>0x1000<');
    expect(svg).not.toContain('var(--');
    const pngDownload = lab.page.waitForEvent('download');
    await lab.tree.region.getByRole('button', { name: 'PNG' }).click();
    const png = await readFile(await (await pngDownload).path());
    expect([...png.subarray(1, 4)].map((c) => String.fromCharCode(c)).join('')).toBe('PNG');
    expect(png.length).toBeGreaterThan(2000);
  });

  test('print: the current step on one page', async ({ lab, page }) => {
    await lab.threads.start('uvn_attach', { thread: 't1', vnode: 'vn1', prot: 'rw' });
    await lab.threads.run('t1');
    await lab.threads.start('fault', { thread: 't2', vnode: 'vn1', offset: '0x1000', access: 'write' });
    await lab.threads.run('t2');
    await page.emulateMedia({ media: 'print' });
    await expect(lab.threads.form).toBeHidden();
    await expect(lab.threads.fact('t2', 'waits')).toBeVisible();
    const pdf = await page.pdf({ preferCSSPageSize: true });
    const pages = pdf.toString('latin1').match(/\/Type\s*\/Page\b/g) ?? [];
    expect(pages).toHaveLength(1);
  });

  test('print with the thread list scrolled to its end: every card of the step on the page', async ({ lab, page }) => {
    await page.setViewportSize({ width: 1280, height: 720 });
    await lab.bar.openLibrary('revoke-mapped-uvn-then-deadfs');
    await lab.timeline.toEnd();
    await expect(lab.threads.cards).toHaveCount(10);
    // On screen the ten cards do not fit: the class scrolled down to the last one.
    await lab.threads.list.hover();
    await page.mouse.wheel(0, 2000);
    await expect.poll(() => lab.threads.list.evaluate((el) => el.scrollTop)).toBeGreaterThan(0);
    await page.emulateMedia({ media: 'print' });
    const panel = (await lab.threads.list.boundingBox())!;
    const cards = await lab.threads.cards.evaluateAll((all) =>
      all.map((c) => {
        const { top, bottom, left, right } = c.getBoundingClientRect();
        return { thread: c.querySelector('button')?.textContent, top, bottom, left, right };
      }),
    );
    const outside = cards.filter(
      (c) =>
        c.top < panel.y - 0.5 ||
        c.bottom > panel.y + panel.height + 0.5 ||
        c.left < panel.x - 0.5 ||
        c.right > panel.x + panel.width + 0.5,
    );
    expect(outside, `panel ${JSON.stringify(panel)}`).toEqual([]);
  });

  for (const [width, height] of [
    [1280, 720],
    [1024, 768],
  ] as const)
    test(`print from a ${width}x${height} screen: one page, every row as tall as the others`, async ({ lab, page }) => {
      await page.setViewportSize({ width, height });
      await lab.bar.openLibrary('two-threads-fault-same-page');
      await lab.timeline.jump(6);
      await page.emulateMedia({ media: 'print' });
      const pdf = await page.pdf({ preferCSSPageSize: true, printBackground: true });
      const pages = pdf.toString('latin1').match(/\/Type\s*\/Page\b/g) ?? [];
      expect(pages).toHaveLength(1);
      const heights = await page
        .locator('.lab .panel:not(.panel-source)')
        .evaluateAll((panels) => panels.map((p) => Math.round(p.getBoundingClientRect().height)));
      expect(new Set(heights).size, `panel heights ${heights.join(', ')}`).toBe(1);
    });

  test('print is on light paper whatever the theme chosen on screen', async ({ lab, page }) => {
    await page.getByRole('toolbar', { name: 'View' }).getByRole('combobox', { name: 'Theme' }).selectOption('dark');
    const threads = lab.threads.region;
    const lightness = () =>
      threads.evaluate((el) => {
        const [r = 0, g = 0, b = 0] = getComputedStyle(el).backgroundColor.match(/\d+/g)!.map(Number);
        return (r + g + b) / 3;
      });
    expect(await lightness()).toBeLessThan(100);
    await page.emulateMedia({ media: 'print' });
    expect(await lightness()).toBeGreaterThan(200);
  });

  for (const [name, at] of [
    ['two-threads-fault-same-page', 6],
    ['freebsd-vgone-during-read-waits-bovlbx', 10],
  ] as const)
    test(`print: ${name} at step ${at}, its explanation open, on one page`, async ({ lab, page }) => {
      await lab.bar.openLibrary(name);
      await lab.timeline.jump(at);
      await expect(
        page.getByRole('group', { name: 'About this scenario' }).or(page.locator('details.about[open]')),
      ).toHaveCount(1);
      await page.emulateMedia({ media: 'print' });
      const pdf = await page.pdf({ preferCSSPageSize: true });
      const pages = pdf.toString('latin1').match(/\/Type\s*\/Page\b/g) ?? [];
      expect(pages).toHaveLength(1);
    });
});
