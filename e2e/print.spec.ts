/**
 * Printing, as a teacher hands a step out: everything the step shows on one
 * page, legible, and no controls. (The lab's other print checks are in
 * lecture-changes.spec.ts.)
 */
import type { Locator, Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { ComparePage } from './pages/ComparePage';
import type { ThreadsPanel } from './pages/ThreadsPanel';
import { linkTo, scenarioText } from './scenarios';

async function printedPages(page: Page): Promise<number> {
  const pdf = await page.pdf({ preferCSSPageSize: true });
  return (pdf.toString('latin1').match(/\/Type\s*\/Page\b/g) ?? []).length;
}

/** Whether `inner` lies wholly inside `outer` (half a pixel of rounding allowed). */
function inside(
  inner: { x: number; y: number; width: number; height: number },
  outer: { x: number; y: number; width: number; height: number },
): boolean {
  return (
    inner.x >= outer.x - 0.5 &&
    inner.y >= outer.y - 0.5 &&
    inner.x + inner.width <= outer.x + outer.width + 0.5 &&
    inner.y + inner.height <= outer.y + outer.height + 0.5
  );
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

/**
 * The width the print is laid out at: A4 landscape less its 7 mm margins (styles.css) is 283 mm, 1070 CSS px.
 * The Threads panel is 340 px wide there, not the 404 of a 1280 px screen: its lines wrap sooner.
 */
const PAPER_WIDTH = 1070;

/** `cardsOnPaper` at the spec's 1280x720 and at the paper's own width, the print emulation kept. */
async function cardsOnPaperAtBothWidths(page: Page, threads: ThreadsPanel) {
  await page.setViewportSize({ width: 1280, height: 720 });
  const screen = await cardsOnPaper(threads);
  await page.setViewportSize({ width: PAPER_WIDTH, height: 720 });
  const paper = await cardsOnPaper(threads);
  await page.setViewportSize({ width: 1280, height: 720 });
  return { cut: [...new Set([...screen.cut, ...paper.cut])], smallest: Math.min(screen.smallest, paper.smallest) };
}

/** Whether the fact's line lies inside the thread list's box: on the paper, not only not hidden. */
async function onPaper(threads: ThreadsPanel, fact: Locator): Promise<boolean> {
  return inside((await fact.boundingBox())!, (await threads.list.boundingBox())!);
}

/**
 * Faults f1..fN on `pages` pages of vn1 in turn after its attach (t0): f1 reads page 0 and holds the vnode lock
 * for it, so the faults of page 0 after it sleep on the busy page and those of the other pages give up
 * (VM_PAGER_AGAIN, the vnode lock is taken): N / pages live threads, the rest finished.
 */
function faultsOnPages(n: number, pages: number): string {
  const steps: unknown[] = [{ spawn: 't0', call: 'uvn_attach', args: { vnode: 'vn1', prot: 'rw' } }, { run: 't0' }];
  for (let i = 1; i <= n; i++) {
    const args = { vnode: 'vn1', offset: ((i - 1) % pages) * 4096, access: i % 2 ? 'read' : 'write' };
    steps.push({ spawn: `f${i}`, call: 'fault', args }, { run: `f${i}` });
  }
  return scenarioText(steps);
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

  // A blocked thread takes two lines of the panel (the last cut them off from a few): from three cards the
  // list is one entry a thread, and the cards of a step with up to ten blocked threads stay whole on its page.
  for (const blocked of [2, 9])
    test(`${blocked} faults on one page, one reading it and the others asleep on it: every card whole on the one page`, async ({
      lab,
      page,
    }) => {
      await page.setViewportSize({ width: 1280, height: 720 });
      await lab.open(linkTo(faultsOnPages(blocked, 1)));
      await expect(lab.threads.cards).toHaveCount(blocked + 1);
      await expect(lab.threads.status(`f${blocked}`)).toHaveText('sleep');
      await page.emulateMedia({ media: 'print' });
      const { cut, smallest } = await cardsOnPaperAtBothWidths(page, lab.threads);
      expect(cut).toEqual([]);
      expect(smallest).toBeGreaterThanOrEqual(7);
      await expect(lab.threads.fact(`f${blocked}`, 'waits')).toBeVisible();
      expect(await onPaper(lab.threads, lab.threads.fact(`f${blocked}`, 'waits'))).toBe(true);
      expect(await printedPages(page)).toBe(1);
    });

  // More than that and the panel cannot hold them legibly (at 7 px 24 blocked threads need two of the page's
  // nine cells, 48 four): the Threads panel is printed on a page of its own after the lab's, three columns
  // across, no card cut or split, each blocked one with what could wake it.
  for (const blocked of [24, 32, 48])
    test(`${blocked * 4} faults on four pages: the ${blocked} blocked and a dozen finished on a second page, every wait on it`, async ({
      lab,
      page,
    }) => {
      await page.setViewportSize({ width: 1280, height: 720 });
      await lab.open(linkTo(faultsOnPages(blocked * 4, 4)));
      await expect(lab.timeline.status).toHaveText(new RegExp(`^Step ${blocked * 8 + 2} of ${blocked * 8 + 2}`));
      const last = `f${blocked * 4 - 3}`;
      await expect(lab.threads.cards).toHaveCount(blocked + 12);
      await expect(lab.threads.status(last)).toHaveText('sleep');
      await page.emulateMedia({ media: 'print' });
      const { cut, smallest } = await cardsOnPaperAtBothWidths(page, lab.threads);
      expect(cut).toEqual([]);
      expect(smallest).toBeGreaterThanOrEqual(7);
      for (const fact of [
        lab.threads.fact(last, 'waits'),
        lab.threads.fact(last, 'unblock'),
        lab.threads.fact('f1', 'holds'),
      ]) {
        await expect(fact).toBeVisible();
        expect(await onPaper(lab.threads, fact)).toBe(true);
      }
      await expect(lab.threads.fact(last, 'waits')).toHaveText(/^sleep "uvn_get" on page/);
      // After the lab's panels, which keep their page: the Threads panel below every one of them.
      const threadsTop = (await lab.threads.region.boundingBox())!.y;
      for (const other of [lab.source.region, lab.io.region, lab.tree.region, lab.timeline.region]) {
        const box = (await other.boundingBox())!;
        expect(box.y + box.height).toBeLessThanOrEqual(threadsTop);
      }
      expect(await printedPages(page)).toBe(2);
    });

  test('thirty-two threads blocked on different things (a busy page, disk reads, an object lock): a second page, each wait on it', async ({
    lab,
    page,
  }) => {
    await page.setViewportSize({ width: 1280, height: 720 });
    // vn1: s1 reads page 0, s2..s14 sleep on it; vn3..vn7: one read in flight each (r1..r5); vn2: h1 stopped
    // holding its object lock, l1..l12 wait for it. Before them sixteen faults of vn1's page 1 finished.
    const vnode = (name: string) => ({ name, size: 16384, type: 'VREG', mount: 'm1', usecount: 1 });
    const vnodes = ['vn1', 'vn2', 'vn3', 'vn4', 'vn5', 'vn6', 'vn7'].map(vnode);
    const fault = (id: string, v: string, offset: number) => ({
      spawn: id,
      call: 'fault',
      args: { vnode: v, offset, access: 'read' },
    });
    const steps: unknown[] = [];
    for (const [i, v] of vnodes.entries())
      steps.push({ spawn: `a${i + 1}`, call: 'uvn_attach', args: { vnode: v.name, prot: 'rw' } }, { run: `a${i + 1}` });
    steps.push(fault('d1', 'vn1', 4096), { run: 'd1' }, { complete: 1, result: 'ok' }, { run: 'd1' });
    for (let i = 2; i <= 16; i++) steps.push(fault(`d${i}`, 'vn1', 4096), { run: `d${i}` });
    for (let i = 1; i <= 14; i++) steps.push(fault(`s${i}`, 'vn1', 0), { run: `s${i}` });
    for (let i = 1; i <= 5; i++) steps.push(fault(`r${i}`, `vn${i + 2}`, 0), { run: `r${i}` });
    steps.push(fault('h1', 'vn2', 0), { step: 'h1' }, { step: 'h1' });
    for (let i = 1; i <= 12; i++) steps.push(fault(`l${i}`, 'vn2', 4096), { run: `l${i}` });
    await lab.open(linkTo(scenarioText(steps, { vnodes })));
    await expect(lab.threads.cards).toHaveCount(32 + 12);
    for (const [id, status] of [
      ['s14', 'sleep'],
      ['r5', 'io'],
      ['h1', 'ready'],
      ['l12', 'lock'],
    ] as const)
      await expect(lab.threads.status(id)).toHaveText(status);
    await page.emulateMedia({ media: 'print' });
    const { cut, smallest } = await cardsOnPaperAtBothWidths(page, lab.threads);
    expect(cut).toEqual([]);
    expect(smallest).toBeGreaterThanOrEqual(7);
    for (const id of ['s14', 'r5', 'l12']) {
      await expect(lab.threads.fact(id, 'waits')).toBeVisible();
      expect(await onPaper(lab.threads, lab.threads.fact(id, 'waits')), id).toBe(true);
    }
    await expect(lab.threads.fact('l12', 'waits')).toHaveText('lock vmobjlock:vn2 (held by h1)');
    await expect(lab.threads.fact('h1', 'holds')).toBeVisible();
    expect(await printedPages(page)).toBe(2);
  });

  // FreeBSD's blocked entry takes three lines ("in the caller: vm_page_sleep_if_busy(fs.m, "vmpfw")", then its
  // "sleep "vmpfw" on page obj1[1] (vn1, busied by f1)"): its panel holds fewer of them.
  for (const [blocked, pages] of [
    [5, 1],
    [7, 2],
    [24, 2],
  ] as const)
    test(`FreeBSD: ${blocked} faults on one mapped page and four finished calls, every card whole, on ${pages} page(s)`, async ({
      lab,
      page,
    }) => {
      await page.setViewportSize({ width: 1280, height: 720 });
      const steps: unknown[] = [
        { spawn: 't1', call: 'vnode_create_vobject', args: { vnode: 'vn1' } },
        { run: 't1' },
        { spawn: 't2', call: 'mmap', args: { vnode: 'vn1', prot: 'rw', shared: true, length: 40960 } },
        { run: 't2' },
      ];
      for (const m of ['m1', 'm2'])
        steps.push(
          { spawn: m, call: 'mmap', args: { vnode: 'vn1', prot: 'r', shared: true, length: 4096 } },
          { run: m },
        );
      for (let i = 1; i <= blocked; i++) {
        const args = { mapping: 't2', offset: 4096, access: i % 2 ? 'read' : 'write' };
        steps.push({ spawn: `f${i}`, call: 'fault', args }, { run: `f${i}` });
      }
      await page.goto(
        linkTo(scenarioText(steps, { pager: 'freebsd', vnodes: [{ name: 'vn1', size: 40000, usecount: 1 }] })),
      );
      await expect(lab.threads.cards).toHaveCount(blocked + 4, { timeout: 20_000 });
      await expect(lab.threads.status(`f${blocked}`)).toHaveText('sleep');
      await page.emulateMedia({ media: 'print' });
      const { cut, smallest } = await cardsOnPaperAtBothWidths(page, lab.threads);
      expect(cut).toEqual([]);
      expect(smallest).toBeGreaterThanOrEqual(7);
      const waits = lab.threads.fact(`f${blocked}`, 'waits');
      await expect(waits).toHaveText(/^sleep "vmpfw" on page/);
      expect(await onPaper(lab.threads, waits)).toBe(true);
      expect(await printedPages(page)).toBe(pages);
    });
});

test('print the compare view: both labs at story step 3 on one page, without the story controls', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 720 });
  const compare = new ComparePage(page);
  await compare.open('#compare=one-fault&step=3');
  const { openbsd: o, freebsd: f } = compare;
  await expect(o.where).toHaveText('Story step 3 of 4: The read completes · step 5 of 12');
  await expect(f.where).toHaveText('Story step 3 of 4: The read completes · step 7 of 14');
  await expect(f.threads.cards).toHaveCount(3);
  await page.emulateMedia({ media: 'print' });

  for (const name of ['Previous story step in both labs', 'Next story step in both labs'])
    await expect(page.getByRole('button', { name })).toBeHidden();
  for (const lab of [o, f]) {
    await expect(lab.region.getByRole('group', { name: `${lab.name} steps` })).toBeHidden();
    await expect(lab.threads.form).toBeHidden();
  }
  // The story's name is printed as words, not as a drop-down.
  await expect(compare.pairPicker).toHaveCSS('appearance', 'none');
  await expect(compare.pairPicker).toHaveCSS('border-top-width', '0px');

  // Each lab's step, legible: what its kernel did, every thread, the current line in its Source.
  await expect(o.says).toContainText('Completing request 1 makes t2 runnable');
  await expect(f.says).toContainText('Completing request 1 (bdone) makes t3 runnable');
  for (const [lab, line] of [
    [o, 1239],
    [f, 1047],
  ] as const) {
    const { cut, smallest } = await cardsOnPaper(lab.threads);
    expect(cut, lab.name).toEqual([]);
    expect(smallest).toBeGreaterThanOrEqual(7);
    // The Source centres its line again once it has its paper height (a code line is as wide as its text: only
    // its height is the scroller's to cut).
    const scroller = lab.source.region.locator('.src-scroll');
    await expect
      .poll(
        async () => {
          const [l, s] = [(await lab.source.line(line).boundingBox())!, (await scroller.boundingBox())!];
          return l.y >= s.y - 0.5 && l.y + l.height <= s.y + s.height + 0.5;
        },
        { message: `${lab.name}: line ${line} in its Source` },
      )
      .toBe(true);
    expect(
      inside((await lab.io.region.boundingBox())!, (await lab.region.boundingBox())!),
      `${lab.name} I/O panel on the lab's part of the page`,
    ).toBe(true);
  }
  // Side by side, not one under the other.
  const [ob, fb] = [(await o.region.boundingBox())!, (await f.region.boundingBox())!];
  expect(fb.x).toBeGreaterThanOrEqual(ob.x + ob.width);
  expect(await printedPages(page)).toBe(1);
});
