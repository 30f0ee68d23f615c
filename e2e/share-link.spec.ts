import { expect, test } from './fixtures';
import { Lab } from './pages/Lab';
import { libraryText, linkTo } from './scenarios';

/** What a person checks after attach and a write fault whose read is in flight (step 4 of 4). */
async function expectFaultWaitingOnRead(lab: Lab): Promise<void> {
  const { threads, bits, io, flags, timeline } = lab;
  await expect(threads.cards).toHaveCount(2);
  await expect(threads.callLine('t1')).toHaveText('uvn_attach(vnode=vn1, prot=rw) → returned obj');
  await expect(threads.status('t2')).toHaveText('io');
  await expect(threads.callLine('t2')).toHaveText('fault(vnode=vn1, offset=0x1000, access=write)');
  await expect(threads.fact('t2', 'at')).toHaveText('uvm_vnode.c:1239 in uvn_io');
  await expect(io.request(1)).toHaveText(['1', 't2', 'vn1', 'read', '0x1000', '4096', '0x1000']);
  await bits.expectPage('0x1000', {
    bits: ['PG_BUSY', 'PG_CLEAN', 'PG_FAKE'],
    queue: 'none',
    mapped: false,
    modified: false,
    owner: 't2',
  });
  await expect(flags.setFlags()).toHaveText(['UVM_VNODE_VALID', 'UVM_VNODE_CANPERSIST', 'UVM_VNODE_WRITEABLE']);
  await expect(timeline.status).toHaveText('Step 4 of 4');
  await expect(timeline.entries).toHaveText([
    '0. setup',
    '1. spawn t1: uvn_attach(vnode="vn1", prot="rw")',
    '2. t1 runs: returns obj',
    '3. spawn t2: fault(vnode="vn1", offset=0x1000, access="write")',
    '4. t2 runs: waits for disk request 1',
  ]);
}

test.describe('share link', () => {
  test.use({ permissions: ['clipboard-read', 'clipboard-write'] });

  test('opens the same state, at the step shared, in a new browser context', async ({ lab, page, browser }) => {
    // Two browser contexts, each loading the app and its worker: twice a test's work.
    test.slow();
    await lab.threads.start('uvn_attach', { thread: 't1', vnode: 'vn1', prot: 'rw' });
    await lab.threads.run('t1');
    await lab.threads.start('fault', { thread: 't2', vnode: 'vn1', offset: '0x1000', access: 'write' });
    await lab.threads.run('t2');
    await expectFaultWaitingOnRead(lab);

    const url = await lab.bar.shareLink();
    expect(url).toMatch(/\/#scenario=[A-Za-z0-9+\-$]+&at=4&thread=t2$/);
    await expect(lab.info).toHaveText('Link copied: it opens this scenario at step 4 with t2 selected.');
    await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toBe(url);

    // A new context: no saved session, nothing shared with the first page but the link.
    const context = await browser.newContext({ viewport: { width: 1600, height: 1000 } });
    try {
      const other = new Lab(await context.newPage());
      await other.open(url);
      await expectFaultWaitingOnRead(other);
      await expect(other.errorBanner).toHaveCount(0);
      // The shared state is live: the read can be completed and t2 run to the end.
      await other.io.complete(1);
      await other.threads.run('t2');
      await expect(other.threads.returned('t2')).toHaveText('→ returned VM_PAGER_OK');
      await expect(other.timeline.status).toHaveText('Step 6 of 6');
    } finally {
      await context.close();
    }
  });

  test('steps taken after sharing survive a reload: the link leaves the address once the lab moves on', async ({
    lab,
    page,
  }) => {
    await lab.threads.start('uvn_attach', { thread: 't1', vnode: 'vn1', prot: 'rw' });
    await lab.threads.run('t1');
    const url = await lab.bar.shareLink();
    expect(url).toMatch(/#scenario=.+&at=2&thread=t1$/);
    // The address names the moment shared only while the lab shows it.
    await lab.threads.start('fault', { thread: 't2', vnode: 'vn1', offset: '0x1000', access: 'write' });
    await lab.threads.run('t2');
    await expect(lab.timeline.status).toHaveText('Step 4 of 4');
    await expect(page).not.toHaveURL(/#/);
    await page.reload();
    await expect(lab.timeline.status).toHaveText('Step 4 of 4', { timeout: 20_000 });
    await expect(lab.threads.status('t2')).toHaveText('io');
    await expect(lab.errorBanner).toHaveCount(0);
  });

  test('shares every step even when the cursor is back in the timeline, and opens at the cursor', async ({
    lab,
    browser,
  }) => {
    // Two browser contexts, each loading the app and its worker: twice a test's work.
    test.slow();
    await lab.threads.start('uvn_attach', { thread: 't1', vnode: 'vn1', prot: 'rw' });
    await lab.threads.run('t1');
    await lab.threads.start('fault', { thread: 't2', vnode: 'vn1', offset: '0x1000', access: 'write' });
    await lab.threads.run('t2');
    await expect(lab.timeline.status).toHaveText('Step 4 of 4');
    await lab.timeline.back();
    await expect(lab.timeline.status).toHaveText('Step 3 of 4');
    await lab.timeline.back();
    await expect(lab.timeline.status).toHaveText('Step 2 of 4');
    await expect(lab.threads.cards).toHaveCount(1);

    const url = await lab.bar.shareLink();
    expect(url).toMatch(/&at=2&thread=t2$/);
    const context = await browser.newContext({ viewport: { width: 1600, height: 1000 } });
    try {
      const other = new Lab(await context.newPage());
      await other.open(url);
      await expect(other.timeline.status).toHaveText('Step 2 of 4');
      await expect(other.threads.cards).toHaveCount(1);
      await other.timeline.toEnd();
      await expectFaultWaitingOnRead(other);
    } finally {
      await context.close();
    }
  });
});

/** A file faulted in page by page by `pages` threads (attach, then spawn, run, complete, run each): 2 + 4 x pages steps. */
function faultedIn(pages: number): string {
  const steps: object[] = [
    { spawn: 'attach', call: 'uvn_attach', args: { vnode: 'big', prot: 'rw' } },
    { run: 'attach' },
  ];
  for (let i = 0; i < pages; i++) {
    const t = `f${i}`;
    steps.push({ spawn: t, call: 'fault', args: { vnode: 'big', offset: i * 4096, access: 'write' } });
    steps.push({ run: t }, { complete: i + 1, result: 'ok' }, { run: t });
  }
  return JSON.stringify({
    format: 'pager-scenario/1',
    pager: 'openbsd',
    machine: { physPages: pages + 64 },
    vnodes: [{ name: 'big', size: pages * 4096 }],
    steps,
  });
}

test('a long link answers at its last step, and Back and Start pressed at once are answered from its history', async ({
  page,
}) => {
  // The open answers from the engine's replay and records the history behind the answer (docs/performance.md,
  // "Link open: answer first"): what is pressed meanwhile waits for it and must land on the right steps.
  const lab = new Lab(page);
  await page.goto(linkTo(faultedIn(200)));
  await expect(lab.timeline.status).toHaveText('Step 802 of 802', { timeout: 20_000 });
  await lab.timeline.backButton.click();
  await expect(lab.timeline.status).toHaveText('Step 801 of 802');
  await expect(lab.timeline.entry(801)).toHaveText('801. request 200 completes ok: f199 can run');
  await lab.timeline.backButton.click();
  await expect(lab.timeline.status).toHaveText('Step 800 of 802');
  await expect(lab.io.request(200).nth(1)).toHaveText('f199');
  await lab.timeline.startButton.click();
  await expect(lab.timeline.status).toHaveText('Step 0 of 802');
  for (const n of [1, 2, 3]) {
    await lab.timeline.forwardButton.click();
    await expect(lab.timeline.status).toHaveText(`Step ${n} of 802`);
  }
  await expect(lab.timeline.entry(3)).toHaveText(/^3\. spawn f0: fault\(vnode="big", offset=0x0, access="write"\)$/);
  await expect(lab.errorBanner).toHaveCount(0);
});

test('a link part it cannot use is named, not dropped in silence', async ({ page }) => {
  const lab = new Lab(page);
  const link = linkTo(libraryText('two-threads-fault-same-page'));
  await page.goto(`${link}&at=-1`);
  await expect(lab.timeline.status).toHaveText(/^Step (\d+) of \1$/);
  await expect(lab.info).toHaveText('Ignored in the link: at=-1: not a step number. It opens at its last step.');
  // Read once, as any link: the hash leaves the address, and every panel shows the same step.
  await expect(page).not.toHaveURL(/#scenario=/);
  await expect(lab.threads.cards).not.toHaveCount(0);

  await page.goto('about:blank');
  await page.goto(`${link}&at=4&thread=t9`);
  await expect(lab.timeline.status).toHaveText(/^Step 4 of /);
  await expect(lab.info).toHaveText('The link selects t9, a thread this scenario never starts.');
});
