import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { Lab } from './pages/Lab';
import { expectAllReadable } from './pages/visible';
import { libraryText, linkTo } from './scenarios';

/**
 * The lab in a lecture hall: at a 1280x720 projector, at 1024x768, and at
 * 1920x1080 with the browser zoomed to 150% (a 1280x720 CSS viewport drawn at
 * 1.5 device pixels a pixel), every column and field of Page bits and of the
 * object panel, and every "waits" / "unblock" line of a blocked thread, can
 * be read without scrolling sideways; and axe-core finds no violation, in
 * either theme.
 */
const SIZES = [
  { name: '1280x720', viewport: { width: 1280, height: 720 }, deviceScaleFactor: 1 },
  { name: '1024x768', viewport: { width: 1024, height: 768 }, deviceScaleFactor: 1 },
  { name: '1920x1080 at 150%', viewport: { width: 1280, height: 720 }, deviceScaleFactor: 1.5 },
] as const;

/** The one-screen layout of a 1920x1080 screen at 100%: every fact too, axe-core as at the other sizes. */
const WIDE = { name: '1920x1080', viewport: { width: 1920, height: 1080 }, deviceScaleFactor: 1 } as const;

async function expectEveryFactReadable(page: Page, objectPanel: string, blocked: readonly string[]): Promise<void> {
  const bits = page.getByRole('region', { name: 'Page bits', exact: true });
  await expectAllReadable(bits.getByRole('columnheader'), 'Page bits column headers');
  await expectAllReadable(
    bits
      .getByRole('row')
      .filter({ has: page.getByRole('cell') })
      .getByRole('cell'),
    'Page bits cells',
  );
  const object = page.getByRole('region', { name: objectPanel, exact: true });
  await expectAllReadable(object.getByRole('caption'), `${objectPanel} caption`);
  await expectAllReadable(object.getByRole('columnheader'), `${objectPanel} column headers`);
  await expectAllReadable(object.getByRole('rowheader'), `${objectPanel} flag names`);
  await expectAllReadable(object.getByRole('row').getByRole('cell'), `${objectPanel} flag values, set and meaning`);
  await expectAllReadable(object.locator('dl dt'), `${objectPanel} field names`);
  await expectAllReadable(object.locator('dl dd'), `${objectPanel} field values`);
  const threads = new Lab(page).threads;
  for (const id of blocked) {
    await expectAllReadable(threads.fact(id, 'waits'), `${id}'s waits line`);
    await expectAllReadable(threads.fact(id, 'unblock'), `${id}'s unblock line`);
  }
}

/**
 * The parts the debugger added: the Debugger toolbar's buttons and line box, and the followed thread's
 * innermost locals (names and values). `frame` names the frame whose locals are shown.
 */
async function expectDebuggerReadable(lab: Lab, frame: string): Promise<void> {
  await expectAllReadable(lab.source.debugger.getByRole('button'), 'Debugger buttons');
  await expectAllReadable(lab.source.runToLineBox, 'the Run to line box');
  await expectAllReadable(lab.source.locals(frame).getByRole('rowheader'), `${frame}'s local names`);
  await expectAllReadable(lab.source.locals(frame).getByRole('cell'), `${frame}'s local values`);
}

/** Act on a past step (fail request 1), so the Timeline grows its Branches bar; every control readable. */
async function expectBranchBarReadable(lab: Lab): Promise<void> {
  await lab.io.fail(1);
  await expect(lab.timeline.branchPicker).toHaveValue('2');
  await expectAllReadable(lab.timeline.branches.getByRole('combobox'), 'Branches pickers');
  await expectAllReadable(lab.timeline.branches.getByRole('button'), 'Branches buttons');
}

async function expectNoAxeViolation(page: Page): Promise<void> {
  const results = await new AxeBuilder({ page }).analyze();
  expect(
    results.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join('; ')})`),
  ).toEqual([]);
}

for (const size of [...SIZES, WIDE]) {
  test.describe(`at ${size.name}`, () => {
    test.use({ viewport: size.viewport, deviceScaleFactor: size.deviceScaleFactor });

    test('OpenBSD: two faults on one page, every fact of Page bits, uvn flags and the blocked threads readable', async ({
      page,
    }) => {
      test.setTimeout(120_000);
      // Step 6: t2 waits for its read, t3 sleeps on the page t2 has busy.
      const lab = await Lab.openAt(page, 'two-threads-fault-same-page', 6);
      await expect(lab.threads.status('t3')).toHaveText('sleep');
      await expectEveryFactReadable(page, 'uvn flags', ['t2', 't3']);
      // t3, the last thread run, is followed: it sleeps in uvn_get.
      await expect(lab.source.following).toContainText('Following t3');
      await expectDebuggerReadable(lab, 'uvn_get');
      await expectBranchBarReadable(lab);
    });

    test('FreeBSD: two faults on one page (vmpfw), every fact of Page bits, VM object and the blocked threads readable', async ({
      page,
    }) => {
      test.setTimeout(120_000);
      const lab = await Lab.openAt(page, 'freebsd-two-faults-same-page-vmpfw', 8);
      await expect(lab.threads.status('t4')).toHaveText('sleep');
      await expectEveryFactReadable(page, 'VM object', ['t3', 't4']);
      // t4 sleeps in vm_fault, outside the seed: follow t3, whose read is in flight.
      await lab.threads.card('t3').getByRole('button', { name: 't3', exact: true }).click();
      await expect(lab.source.following).toContainText('Following t3 (selected)');
      await expectDebuggerReadable(lab, 'vnode_pager_generic_getpages');
      await expectBranchBarReadable(lab);
    });

    for (const scheme of size === WIDE ? [] : (['light', 'dark'] as const))
      test(`axe-core finds no violation, ${scheme} theme, with change marks and a blocked thread`, async ({ page }) => {
        test.setTimeout(180_000); // axe-core takes its time on a shared machine
        await page.emulateMedia({ colorScheme: scheme });
        const lab = await Lab.openAt(page, 'two-threads-fault-same-page', 6);
        await expect(lab.threads.status('t3')).toHaveText('sleep');
        await expectNoAxeViolation(page);
      });
  });
}

test.describe('the merged parts, axe-clean', () => {
  test.use({ viewport: { width: 1280, height: 720 } });

  for (const scheme of ['light', 'dark'] as const)
    test(`${scheme} theme: About open, the branch comparison, then the teaching pane`, async ({ page }) => {
      test.setTimeout(240_000); // three axe-core runs on a shared machine
      await page.emulateMedia({ colorScheme: scheme });
      const lab = new Lab(page);
      await lab.open();
      await lab.bar.openLibrary('two-threads-fault-same-page');
      await expect(lab.timeline.status).toHaveText('Step 0 of 12');
      await expect(lab.bar.about).toHaveAttribute('open', '');
      await lab.timeline.jump(6);
      // The library's step 7 completes request 1: failing it is a future of its own.
      await lab.io.fail(1);
      await expect(lab.timeline.branchPicker).toHaveValue('2');
      await expectNoAxeViolation(page);

      const dialog = await lab.timeline.compareWith('Branch 1');
      await expect(dialog).toContainText('They share their first 6 steps.');
      await expectNoAxeViolation(page);
      await dialog.getByRole('button', { name: 'Close' }).click();

      const learn = page.getByRole('button', { name: 'Learn', exact: true });
      await learn.click();
      const pane = page.getByRole('complementary', { name: 'Learn' });
      await pane.getByRole('button', { name: /^Lesson: Two faults on one page/ }).click();
      await expect(pane.getByText(/^Scene 1 of \d+$/)).toBeVisible();
      await expectNoAxeViolation(page);
    });
});

test.describe('lecture controls', () => {
  test.use({ viewport: { width: 1280, height: 720 } });

  test('a hung kernel gets a banner and a wait-for graph; going back, the banner goes', async ({ page }) => {
    test.setTimeout(180_000); // axe-core takes its time on a shared machine
    const name = 'recycle-terminate-hangs-when-late-fault-page-survives';
    const lab = await Lab.openAt(page, name, 23);
    const hung = page.getByRole('alert').filter({ hasText: /^Hung:/ });
    await expect(hung).toContainText(
      'Hung: no thread can run and no disk request is in flight. t6 waits on uvn_term on u_nio:vn1; no thread or request now can wake it.',
    );
    await hung.getByRole('button', { name: 'Show the wait-for graph' }).click();
    const threads = lab.threads.region;
    await expect(threads.getByRole('button', { name: 'Wait-for graph' })).toHaveAttribute('aria-pressed', 'true');
    await expect(threads.getByRole('img', { name: /^Wait-for graph\./ })).toBeVisible();
    await expect(threads.getByRole('list', { name: 'Who waits on what' }).getByRole('listitem')).toHaveText([
      't6 waits on uvn_term on u_nio:vn1: no thread or request now can wake it.',
    ]);
    await expectNoAxeViolation(page);
    // Three steps back the late read is in flight: t6 can be woken, and nothing is hung.
    await lab.timeline.jump(20);
    await expect(hung).toHaveCount(0);
    await expect(threads.getByRole('list', { name: 'Who waits on what' }).getByRole('listitem')).toHaveText([
      't6 waits on uvn_term on u_nio:vn1: can be woken by t7 or completing request 4.',
      't7 waits on disk request 4: can be woken by completing request 4.',
    ]);
    await expect(page.getByLabel('Kernel summary')).toHaveText(
      'Step 20 of 23 · t6 sleep (uvn_term on u_nio:vn1), t7 io (disk request 4) · 1 request in flight',
    );
  });

  test('a leak (every thread done, something left behind) gets a banner; a step back, it goes', async ({ page }) => {
    test.setTimeout(180_000); // axe-core takes its time on a shared machine
    const lab = await Lab.openAt(page, 'freebsd-sendfile-smlfs-bogus-page-read-once-then-skipped', 50);
    const leak = page.getByRole('alert').filter({ hasText: /^Leak:/ });
    await expect(leak).toHaveText(
      'Leak: every thread is done, but the calls left this behind: obj1: page 0, 3 left exclusive busy.',
    );
    await expectNoAxeViolation(page);
    await lab.timeline.back();
    await expect(leak).toHaveCount(0);
    await expect(page.getByLabel('Kernel summary')).toContainText('Step 49 of 50');
  });

  test('font scale and theme are kept across a reload; the layout can focus on three panels and the I/O requests', async ({
    page,
  }) => {
    const lab = new Lab(page);
    await lab.open();
    const view = page.getByRole('toolbar', { name: 'View' });
    await view.getByRole('button', { name: 'Larger text' }).click();
    await view.getByRole('button', { name: 'Larger text' }).click();
    await expect(view.getByLabel('Text size')).toHaveText('130%');
    await view.getByRole('combobox', { name: 'Theme' }).selectOption('dark');
    await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
    const rootSize = () => page.evaluate(() => getComputedStyle(document.documentElement).fontSize);
    expect(await rootSize()).toBe('18.2px');
    await view.getByRole('combobox', { name: 'Layout' }).selectOption('focus:bits');
    await expect(page.getByRole('region', { name: 'Page queues', exact: true })).toHaveCount(0);
    await expect(page.getByRole('region', { name: 'Threads', exact: true })).toBeVisible();
    await expect(page.getByRole('region', { name: 'Source', exact: true })).toBeVisible();
    await expect(page.getByRole('region', { name: 'Page bits', exact: true })).toBeVisible();
    // The disk's requests stay: completing one is how the scheduler is played.
    await expect(page.getByRole('region', { name: 'I/O in flight', exact: true })).toBeVisible();
    await page.reload();
    await expect(view.getByLabel('Text size')).toHaveText('130%');
    await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
    await expect(page.getByRole('region', { name: 'Page queues', exact: true })).toHaveCount(0);
    await view.getByRole('combobox', { name: 'Layout' }).selectOption('full');
    await expect(page.getByRole('region', { name: 'Page queues', exact: true })).toBeVisible();
  });

  test('a panel collapses to its header and can be maximised over the lab', async ({ lab, page }) => {
    await lab.flags.region.getByRole('button', { name: 'Collapse uvn flags' }).click();
    await expect(lab.flags.table()).toBeHidden();
    await lab.flags.region.getByRole('button', { name: 'Expand uvn flags' }).click();
    await expect(lab.flags.table()).toBeVisible();
    await lab.bits.region.getByRole('button', { name: 'Maximise Page bits' }).click();
    await expect(page.getByRole('region', { name: 'Threads', exact: true })).toHaveCount(0);
    await lab.bits.region.getByRole('button', { name: 'Restore Page bits' }).click();
    await expect(page.getByRole('region', { name: 'Threads', exact: true })).toBeVisible();
  });

  test('the screen-high band takes the screen less the header, whatever the header’s height', async ({ lab, page }) => {
    await expect(lab.timeline.status).toBeVisible();
    // The header's measured height reaches the bands (set on the panels' parent, styles.css `--chrome-height`):
    // at 900 px wide it wraps to two rows, and a band that missed it would keep the 90 px it starts from.
    for (const width of [1600, 900]) {
      await page.setViewportSize({ width, height: 900 });
      await expect
        .poll(() =>
          page.evaluate(() => {
            const header = document.querySelector('header.chrome')!.getBoundingClientRect().height;
            const band = document.querySelector('.band-fill')!.getBoundingClientRect().height;
            return Math.round(innerHeight - header - 6 - band);
          }),
        )
        .toBe(0);
    }
  });

  test('keyboard: the skip link comes first and every scroll area takes focus', async ({ lab, page }) => {
    await page.keyboard.press('Tab');
    await expect(page.getByRole('link', { name: 'Skip to the panels' })).toBeFocused();
    await page.keyboard.press('Enter');
    await expect(page.locator('#lab-panels')).toBeFocused();
    for (const name of ['Page bits table', 'Thread list', 'uvn flags, scrolling', 'uvm_vnode.c']) {
      const area = page.getByRole('region', { name, exact: true });
      await area.focus();
      await expect(area).toBeFocused();
    }
    // The file input behind "Import…" is never reached by Tab.
    await expect(lab.bar.toolbar.getByLabel('Import scenario file')).toHaveAttribute('tabindex', '-1');
  });

  test('the favicon is served and nothing asks for /favicon.ico', async ({ page }) => {
    const missing: string[] = [];
    page.on('response', (r) => {
      if (r.status() >= 400) missing.push(`${r.status()} ${r.url()}`);
    });
    const lab = new Lab(page);
    await lab.open();
    const href = await page.locator('link[rel="icon"]').getAttribute('href');
    expect(href).toBe('favicon.svg');
    const icon = await page.request.get(`/${href}`);
    expect(icon.status()).toBe(200);
    expect(icon.headers()['content-type']).toContain('svg');
    expect(missing).toEqual([]);
  });
});

test.describe('the Learn pane beside a 1024x768 lab', () => {
  test.use({ viewport: { width: 1024, height: 768 } });

  test('leaves the Timeline three rows of steps to click', async ({ page }) => {
    await page.goto('/#lesson=two-faults-one-page&scene=4');
    await expect(page.getByText('Scene 4 of 10', { exact: true })).toBeVisible({ timeout: 20_000 });
    const rows = await new Lab(page).timeline.region
      .getByRole('list', { name: 'Steps' })
      .evaluate((list) => list.closest('.timeline-scroll')!.clientHeight / list.querySelector('li')!.offsetHeight);
    expect(rows).toBeGreaterThanOrEqual(3);
  });
});

test.describe('a layout change at 1024x768 and 150% text', () => {
  test.use({ viewport: { width: 1024, height: 768 } });

  test('keeps the followed line in the Source view when the code area changes size', async ({ page }) => {
    const lab = await Lab.openAt(page, 'lecture-walkthrough', 4);
    // How much of line 1239's height the code view shows without a scroll (1: all of it).
    const lineShown = () =>
      lab.source.line(1239).evaluate((line) => {
        const view = line.closest('.src-scroll')!;
        const l = line.getBoundingClientRect();
        const v = view.getBoundingClientRect();
        const top = v.top + view.clientTop;
        const shown = Math.min(l.bottom, top + view.clientHeight) - Math.max(l.top, top);
        return Math.max(0, shown) / l.height;
      });
    const view = page.getByRole('toolbar', { name: 'View' });
    for (let i = 0; i < 3; i++) await view.getByRole('button', { name: 'Larger text' }).click();
    await expect(view.getByLabel('Text size')).toHaveText('150%');
    await expect(lab.source.following).toHaveText('Following t2 (last run) · line 1239');
    await expect.poll(lineShown).toBe(1);
    await view.getByRole('combobox', { name: 'Layout' }).selectOption('focus:bits');
    await expect.poll(lineShown).toBe(1);
    await view.getByRole('combobox', { name: 'Layout' }).selectOption('full');
    await expect.poll(lineShown).toBe(1);
  });
});

test.describe('the page tree before its pan/zoom chunk', () => {
  test('is drawn fitted: its trees lie inside the drawing while d3-zoom is still on its way', async ({ page }) => {
    // The chunk never arrives in this test: what shows is what a class sees until it does.
    await page.route(/\/assets\/panZoomD3-[^/]*\.js$/, () => {});
    await page.goto(`${linkTo(libraryText('fault-write-then-msync'))}&at=8`);
    const lab = new Lab(page);
    await expect(lab.timeline.status).toHaveText(/^Step 8 of \d+$/);
    const svg = lab.tree.image;
    await svg.scrollIntoViewIfNeeded();
    await expect(svg.locator(':scope > g > *').first()).toBeAttached();
    const [outer, drawn] = await svg.evaluate((el) => [
      el.getBoundingClientRect().toJSON() as DOMRect,
      el.querySelector(':scope > g')!.getBoundingClientRect().toJSON() as DOMRect,
    ]);
    expect(drawn.width).toBeGreaterThan(0);
    expect(drawn.left).toBeGreaterThanOrEqual(outer.left);
    expect(drawn.top).toBeGreaterThanOrEqual(outer.top);
    expect(drawn.right).toBeLessThanOrEqual(outer.right);
    expect(drawn.bottom).toBeLessThanOrEqual(outer.bottom);
    // Centred across, as the controller's fit will leave it.
    expect(Math.abs(drawn.left - outer.left - (outer.right - drawn.right))).toBeLessThan(60);
  });
});

test.describe('a small window: 150% zoom on a 1280x720 laptop (853x480)', () => {
  test.use({ viewport: { width: 853, height: 480 }, deviceScaleFactor: 1.5 });

  test('every panel keeps its content inside its box: what does not fit scrolls there', async ({ page }) => {
    await page.goto(`${linkTo(libraryText('two-threads-fault-same-page'))}&at=6`);
    await expect(new Lab(page).timeline.status).toHaveText(/^Step 6 of \d+$/);
    // The Timeline keeps three rows of its step list in view to click, under its buttons and scrubber.
    const rows = await new Lab(page).timeline.region
      .getByRole('list', { name: 'Steps' })
      .evaluate((list) => list.closest('.timeline-scroll')!.clientHeight / list.querySelector('li')!.offsetHeight);
    expect(rows).toBeGreaterThanOrEqual(3);
    const spills = await page.evaluate(() =>
      [...document.querySelectorAll('.panel')].flatMap((panel) => {
        const body = panel.querySelector(':scope > .panel-body');
        if (!body) return [];
        const outer = panel.getBoundingClientRect();
        const inner = body.getBoundingClientRect();
        return inner.bottom > outer.bottom + 1 ? [`${panel.getAttribute('aria-label') ?? panel.className}`] : [];
      }),
    );
    expect(spills).toEqual([]);
    await expect(
      page.getByRole('region', { name: 'uvn flags', exact: true }).getByText('UVM_VNODE_VALID'),
    ).toBeVisible();
    // The first band is not squeezed below its minimum: the start form shows whole in the Threads panel,
    // with no scrolling inside it.
    const threads = page.getByRole('region', { name: 'Threads', exact: true });
    const [form, panel] = await Promise.all([new Lab(page).threads.form.boundingBox(), threads.boundingBox()]);
    expect(form!.y + form!.height).toBeLessThanOrEqual(panel!.y + panel!.height);
  });
});

test.describe('a link opened at 1920x1080', () => {
  test.use({ viewport: WIDE.viewport });

  test('centres the followed thread’s line in the Source, measured on the scroller’s real height', async ({ page }) => {
    const scenario = JSON.parse(libraryText('two-threads-fault-same-page')) as { steps: unknown[] };
    await page.goto(linkTo(JSON.stringify({ ...scenario, steps: scenario.steps.slice(0, 6) })));
    await expect(new Lab(page).timeline.status).toHaveText('Step 6 of 6');
    const scroller = page.locator('.src-scroll');
    const line = scroller.locator('[data-line="1057"]');
    await expect(line).toBeVisible();
    // Web-first: the Source centres once its scroller's height is measured, a frame or two after the line shows.
    await expect(async () => {
      const [box, view] = await Promise.all([line.boundingBox(), scroller.boundingBox()]);
      const middle = view!.y + view!.height / 2;
      expect(Math.abs(box!.y + box!.height / 2 - middle)).toBeLessThan(view!.height / 6);
    }).toPass({ timeout: 5_000 });
  });
});
