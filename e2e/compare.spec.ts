/**
 * Both kernels side by side: the compare view opened from the lab and by
 * link, a pair walked story step by story step with both labs' panels
 * checked at each, one lab stepping on its own, and links that name no pair
 * or no such step.
 */
import { expect, test } from './fixtures';
import { ComparePage } from './pages/ComparePage';

const YES = /^(✓\s*)?yes$/;

test('the lab has a way into the compare view and back', async ({ lab, page }) => {
  // Two more workers and two seeds, under the app's Content-Security-Policy: nothing may be refused.
  await page.evaluate(() => {
    const seen: string[] = [];
    (window as unknown as { cspViolations: string[] }).cspViolations = seen;
    document.addEventListener('securitypolicyviolation', (e) => seen.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  await page.getByRole('link', { name: 'Compare kernels' }).click();
  const compare = new ComparePage(page);
  await compare.ready();
  await expect(compare.pairPicker).toHaveValue('one-fault');
  await expect(compare.current).toHaveText('1 The pager object is ready');
  await expect(compare.openbsd.where).toHaveText('Story step 1 of 4: The pager object is ready · step 2 of 12');
  await expect(compare.freebsd.where).toHaveText('Story step 1 of 4: The pager object is ready · step 4 of 14');
  await expect(compare.openbsd.region.getByRole('heading', { level: 2, name: /^OpenBSD/ })).toHaveText(
    'OpenBSD sys/uvm/uvm_vnode.c',
  );
  await expect(compare.freebsd.region.getByRole('heading', { level: 2, name: /^FreeBSD/ })).toHaveText(
    'FreeBSD sys/vm/vnode_pager.c',
  );

  await page.getByRole('link', { name: 'Back to the lab' }).click();
  await expect(lab.flags.table()).toBeVisible();
  await expect(page.getByRole('region', { name: 'OpenBSD lab' })).toHaveCount(0);
  expect(await page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations)).toEqual([]);
});

test('two faults on one page, story step by story step in both kernels', async ({ page }) => {
  const compare = new ComparePage(page);
  await compare.open('#compare=two-faults-one-page');
  const { openbsd: o, freebsd: f } = compare;

  // 1. The first fault's read is in flight.
  await expect(compare.current).toHaveText("1 The first fault's read is in flight");
  await expect(o.threads.status('t2')).toHaveText('io');
  await expect(o.bits.cell('0x0', 'PG_BUSY')).toHaveText(YES);
  await expect(o.bits.cell('0x0', 'PG_FAKE')).toHaveText(YES);
  await expect(o.io.request(1)).toHaveText(['1', 't2', 'vn1', 'read', '0x0', '4096', '0x0']);
  await expect(f.threads.status('t3')).toHaveText('io');
  await expect(f.bits.cell('obj1[0]', 'xbusy')).toHaveText(YES);
  await expect(f.bits.strip('obj1[0]', 'valid')).toHaveAccessibleName('valid 0x00: no chunk');
  await expect(f.io.request(1)).toHaveText(['1', 't3', 'vn1', 'read', '0x0', '4096', 'pindex 0', '0', 'no']);
  await expect(f.object.field('paging_in_progress')).toHaveText('1');

  // 2. The second fault sleeps on the busy page: PG_WANTED in OpenBSD, VPB_BIT_WAITERS in FreeBSD.
  await compare.storyStep(2).click();
  await expect(compare.current).toHaveText('2 The second fault sleeps on the busy page');
  await expect(o.where).toHaveText('Story step 2 of 5: The second fault sleeps on the busy page · step 6 of 12');
  await expect(o.says).toContainText('uvm_pagewait sets PG_WANTED');
  await expect(o.threads.fact('t3', 'waits')).toHaveText('sleep "uvn_get" on page #1 (vn1 offset 0x0, busied by t2)');
  await expect(o.bits.cell('0x0', 'PG_WANTED')).toHaveText(YES);
  await expect(f.where).toHaveText('Story step 2 of 5: The second fault sleeps on the busy page · step 8 of 11');
  await expect(f.threads.fact('t4', 'waits')).toHaveText('sleep "vmpfw" on page obj1[0] (vn1, busied by t3)');
  await expect(f.threads.fact('t4', 'unblock')).toHaveText('complete request 1, then t3 unbusies page obj1[0]');
  await expect(f.bits.cell('obj1[0]', 'waiters')).toHaveText(YES);
  await expect(f.object.field('paging_in_progress')).toHaveText('2');

  // 3. The read completes: nothing in flight, the first fault runnable, the second still asleep.
  await compare.storyStep(3).click();
  await expect(compare.current).toHaveText('3 The read completes');
  for (const lab of [o, f]) await expect(lab.io.empty).toBeVisible();
  await expect(o.threads.status('t2')).toHaveText('ready');
  await expect(o.threads.status('t3')).toHaveText('sleep');
  await expect(f.threads.status('t3')).toHaveText('ready');
  await expect(f.threads.status('t4')).toHaveText('sleep');

  // 4. The first fault maps the page and wakes the second.
  await compare.story.getByRole('button', { name: 'Next story step in both labs' }).click();
  await expect(compare.current).toHaveText('4 The first fault maps the page and wakes the second');
  await expect(o.threads.returned('t2')).toHaveText('→ returned VM_PAGER_OK');
  await expect(o.bits.cell('0x0', 'PG_BUSY')).toHaveText('');
  await expect(o.bits.cell('0x0', 'mapped')).toHaveText(YES);
  await expect(f.threads.returned('t3')).toHaveText('→ returned KERN_SUCCESS');
  await expect(f.bits.strip('obj1[0]', 'valid')).toHaveAccessibleName('valid 0xff: all 8 chunks (bytes 0–4095)');
  await expect(f.bits.cell('obj1[0]', 'waiters')).toHaveText('');

  // 5. The second fault maps the page without reading it.
  await compare.storyStep(5).click();
  await expect(o.threads.returned('t3')).toHaveText('→ returned VM_PAGER_OK');
  await expect(o.bits.cell('0x0', 'modified')).toHaveText(YES);
  await expect(f.threads.returned('t4')).toHaveText('→ returned KERN_SUCCESS');
  await expect(f.object.field('paging_in_progress')).toHaveText('0');
  await expect(compare.story.getByRole('button', { name: 'Next story step in both labs' })).toBeDisabled();
});

test('each lab steps on its own, and the story bar lines them up again', async ({ page }) => {
  const compare = new ComparePage(page);
  await compare.open('#compare=two-faults-one-page&step=2');
  const { openbsd: o, freebsd: f } = compare;
  await expect(compare.current).toHaveText('2 The second fault sleeps on the busy page');

  // The FreeBSD lab alone: one step on is its story step 3 (the read completes); OpenBSD stays put.
  await f.forward();
  await expect(f.where).toHaveText('Story step 3 of 5: The read completes · step 9 of 11');
  await expect(o.where).toHaveText('Story step 2 of 5: The second fault sleeps on the busy page · step 6 of 12');
  await expect(compare.current).toHaveCount(0);
  // Acting in the FreeBSD lab (t3 maps the page) leaves the OpenBSD lab as it was.
  await f.threads.run('t3');
  await expect(f.threads.returned('t3')).toHaveText('→ returned KERN_SUCCESS');
  await expect(o.threads.status('t3')).toHaveText('sleep');
  await expect(o.io.request(1)).toHaveText(['1', 't2', 'vn1', 'read', '0x0', '4096', '0x0']);

  // OpenBSD one step back by itself: between its story steps 1 and 2.
  await o.back();
  await expect(o.where).toHaveText("Past story step 1 of 5 (The first fault's read is in flight) · step 5 of 12");
  await expect(o.says).toHaveText(
    'This lab has moved on its own; pick a story step above to line the two labs up again.',
  );

  // Previous lines them up at the earliest story step either has reached: neither lab moves forward.
  await compare.story.getByRole('button', { name: 'Previous story step in both labs' }).click();
  await expect(compare.current).toHaveText("1 The first fault's read is in flight");
  await expect(o.where).toHaveText("Story step 1 of 5: The first fault's read is in flight · step 4 of 12");
  await expect(page).toHaveURL(/#compare=two-faults-one-page&step=1$/);

  await compare.storyStep(2).click();
  await expect(compare.current).toHaveText('2 The second fault sleeps on the busy page');
  await expect(f.threads.status('t4')).toHaveText('sleep');
  await expect(o.threads.status('t3')).toHaveText('sleep');
  await expect(page).toHaveURL(/#compare=two-faults-one-page&step=2$/);
});

test('a clicker walks the story: Page Down and → go on, Page Up and ← go back, not from the Story list', async ({
  page,
}) => {
  const compare = new ComparePage(page);
  await compare.open('#compare=two-faults-one-page');
  const { openbsd: o, freebsd: f } = compare;
  await expect(compare.current).toHaveText("1 The first fault's read is in flight");

  await page.keyboard.press('PageDown');
  await expect(compare.current).toHaveText('2 The second fault sleeps on the busy page');
  await expect(o.where).toHaveText('Story step 2 of 5: The second fault sleeps on the busy page · step 6 of 12');
  await expect(f.where).toHaveText('Story step 2 of 5: The second fault sleeps on the busy page · step 8 of 11');
  await page.keyboard.press('ArrowRight');
  await expect(compare.current).toHaveText('3 The read completes');
  await expect(page).toHaveURL(/#compare=two-faults-one-page&step=3$/);
  await page.keyboard.press('PageUp');
  await expect(compare.current).toHaveText('2 The second fault sleeps on the busy page');
  await page.keyboard.press('ArrowLeft');
  await page.keyboard.press('ArrowLeft'); // already at the first: nothing more
  await expect(compare.current).toHaveText("1 The first fault's read is in flight");
  await expect(o.where).toHaveText("Story step 1 of 5: The first fault's read is in flight · step 4 of 12");

  // In the Story list the arrows are the list's own: the next story opens, at its first step.
  await compare.pairPicker.focus();
  await page.keyboard.press('ArrowRight');
  await expect(compare.pairPicker).toHaveValue('msync-dirty-pages');
  await expect(compare.current).toHaveText('1 A write fault has dirtied the file');
  await expect(compare.story.getByRole('button', { name: 'Next story step in both labs' })).toHaveAttribute(
    'aria-keyshortcuts',
    'ArrowRight PageDown',
  );
});

test('a lab that branches off the story says so, and a story step takes it back to the story', async ({ page }) => {
  const compare = new ComparePage(page);
  await compare.open('#compare=two-faults-one-page&step=3');
  const { freebsd: f } = compare;
  await expect(f.where).toHaveText('Story step 3 of 5: The read completes · step 9 of 11');
  // A call started at story step 3 (step 9 of 11): Branch 2, which leaves the story after step 9.
  await f.threads.startButton.click();
  await expect(f.where).toHaveText('Off the story after story step 3 of 5 (The read completes) · step 10 of 10');
  await expect(f.says).toHaveText(
    'This lab is on Branch 2, which left the story after step 9; pick a story step above to go back to the story.',
  );
  // Story step 4 is at FreeBSD step 10, the branch's own step 10: not the story's.
  await expect(compare.current).toHaveCount(0);

  await compare.storyStep(5).click();
  await expect(compare.current).toHaveText('5 The second fault maps the page without reading it');
  await expect(f.where).toHaveText(
    'Story step 5 of 5: The second fault maps the page without reading it · step 11 of 11',
  );
  await expect(f.timeline.branchPicker).toHaveValue('1');
});

test('a link opens a pair at a story step; a link naming nothing says so and changes nothing', async ({ page }) => {
  const compare = new ComparePage(page);
  await compare.open('#compare=out-of-memory&step=3');
  const { openbsd: o, freebsd: f } = compare;
  await expect(compare.pairPicker).toHaveValue('out-of-memory');
  await expect(compare.current).toHaveText('3 A page is freed and the sleeper wakes');
  await expect(o.threads.status('t4')).toHaveText('ready');
  await expect(f.threads.status('t4')).toHaveText('ready');
  await expect(o.says).toContainText('uvm_pglistfree wakes the uvm_wait sleeper');
  await expect(f.says).toContainText('vm_page_free wakes the "pfault" sleeper');

  await page.evaluate(() => (location.hash = '#compare=no-such-pair'));
  await expect(page.getByRole('alert')).toContainText(
    'No kernel pair is named "no-such-pair"; the pairs are one-fault, two-faults-one-page',
  );
  await expect(compare.pairPicker).toHaveValue('out-of-memory');
  await expect(compare.current).toHaveText('3 A page is freed and the sleeper wakes');

  // A malformed escape is a name like any other: no such pair, nothing changes.
  await page.evaluate(() => (location.hash = '#compare=one-fault%ZZ&step=2'));
  await expect(page.getByRole('alert')).toContainText('No kernel pair is named "one-fault%ZZ"');
  await expect(compare.current).toHaveText('3 A page is freed and the sleeper wakes');

  await page.evaluate(() => (location.hash = '#compare=out-of-memory&step=9'));
  await expect(page.getByRole('alert')).toHaveText(/"Out of memory" has 4 story steps, not 9: showing the last\./);
  await expect(compare.current).toHaveText('4 The woken fault goes on');
  // The address names the step shown, as a lesson link's does.
  await expect(page).toHaveURL(/#compare=out-of-memory&step=4$/);
  // Step 0, or no number at all, is said the same way (it was opened at the first step silently).
  await page.evaluate(() => (location.hash = '#compare=out-of-memory&step=3'));
  await expect(compare.current).toHaveText('3 A page is freed and the sleeper wakes');
  await page.evaluate(() => (location.hash = '#compare=out-of-memory&step=0'));
  await expect(page.getByRole('alert')).toHaveText(/"Out of memory" has 4 story steps, not 0: showing the first\./);
  await expect(compare.current).toHaveText('1 The last free page is in use');
  await page.evaluate(() => (location.hash = '#compare=out-of-memory&step=two'));
  await expect(page.getByRole('alert')).toHaveText(
    /"step=two" is not a story step of "Out of memory": showing the first\./,
  );
  await expect(compare.current).toHaveText('1 The last free page is in use');

  // Choosing another story from the picker opens it at its first step.
  await compare.pairPicker.selectOption({ label: 'Truncate over a busy page' });
  await expect(compare.current).toHaveText('1 A read keeps a page busy');
  await expect(f.io.request(1)).toHaveText(['1', 't2', 'vn1', 'read', '0x1000', '8192', 'pindex 1–2', '8', 'yes']);
  await expect(page).toHaveURL(/#compare=truncate-busy-page$/);
});
