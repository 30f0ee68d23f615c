import { expect, test } from './fixtures';
import type { Lab } from './pages/Lab';
import { expectStep10 } from './walkthrough-states';

const WALKTHROUGH = 'lecture-walkthrough';

/** Step 12 of 12: terminate has run, no resident pages. */
async function expectEnd(lab: Lab): Promise<void> {
  await expect(lab.timeline.status).toHaveText('Step 12 of 12');
  await expect(lab.threads.cards).toHaveCount(4);
  await expect(lab.threads.status('t4')).toHaveText('done');
  await expect(lab.bits.count).toHaveText('0 resident pages of vn1');
  await expect(lab.timeline.current).toHaveText('12. t4 runs: returns (void)');
}

/** Step 11 of 12: t4 (revoke) spawned, not run; the flushed page still resident. */
async function expectStep11(lab: Lab): Promise<void> {
  await expect(lab.timeline.status).toHaveText('Step 11 of 12');
  await expect(lab.threads.cards).toHaveCount(4);
  await expect(lab.threads.status('t4')).toHaveText('ready');
  await expect(lab.threads.fact('t4', 'at')).toHaveText('the start (not run yet)');
  await lab.bits.expectPage('0x1000', {
    bits: ['PG_CLEAN', 'PG_CLEANCHK'],
    queue: 'active',
    mapped: true,
    modified: false,
    owner: '',
  });
}

/** Step 4: t2's write fault waits for read request 1. */
async function expectReadInFlight(lab: Lab, length: number): Promise<void> {
  await expect(lab.timeline.status).toHaveText(`Step 4 of ${length}`);
  await expect(lab.threads.cards).toHaveCount(2);
  await expect(lab.threads.status('t2')).toHaveText('io');
  await expect(lab.io.request(1)).toHaveText(['1', 't2', 'vn1', 'read', '0x1000', '4096', '0x1000']);
  await lab.bits.expectPage('0x1000', {
    bits: ['PG_BUSY', 'PG_CLEAN', 'PG_FAKE'],
    queue: 'none',
    mapped: false,
    modified: false,
    owner: 't2',
  });
}

test.describe('timeline history', () => {
  test.beforeEach(async ({ lab }) => {
    await lab.bar.openLibrary(WALKTHROUGH);
    // A library scenario opens at its start; every step is there to walk through.
    await expect(lab.timeline.status).toHaveText('Step 0 of 12');
    await lab.timeline.toEnd();
    await expectEnd(lab);
  });

  test('Back and Forward buttons show the earlier and later states exactly', async ({ lab }) => {
    const { timeline } = lab;
    await expect(timeline.forwardButton).toBeDisabled();
    await expect(timeline.endButton).toBeDisabled();

    await timeline.back();
    await expectStep11(lab);
    await timeline.back();
    await expectStep10(lab);
    await expect(timeline.forwardButton).toBeEnabled();
    await timeline.forward();
    await expectStep11(lab);
    await timeline.forward();
    await expectEnd(lab);

    // Two buttons read "Start": the Threads form's starts a thread, so the Timeline's, which goes to the setup,
    // is named apart.
    await expect(lab.page.getByRole('button', { name: 'Start', exact: true })).toHaveCount(1);
    await expect(lab.threads.startButton).toBeVisible();
    await expect(timeline.startButton).toHaveText('Start');
    await timeline.toStart();
    await expect(timeline.status).toHaveText('Step 0 of 12');
    await expect(timeline.backButton).toBeDisabled();
    await expect(lab.threads.cards).toHaveCount(0);
    await expect(lab.flags.setFlags()).toHaveCount(0);

    await timeline.jump(4);
    await expectReadInFlight(lab, 12);
    await timeline.scrubber.fill('5');
    await expect(timeline.status).toHaveText('Step 5 of 12');
    await expect(lab.io.empty).toBeVisible();
    await expect(lab.threads.status('t2')).toHaveText('ready');

    await timeline.toEnd();
    await expectEnd(lab);
    // Going back and forth only moves the cursor: every step is still there.
    await expect(timeline.entries).toHaveCount(13);
  });

  test('ArrowLeft and ArrowRight step through the timeline', async ({ lab }) => {
    const { timeline } = lab;
    await timeline.press('ArrowLeft');
    await expectStep11(lab);
    await timeline.press('ArrowLeft');
    await expectStep10(lab);
    await timeline.press('ArrowRight');
    await expectStep11(lab);
    await timeline.press('ArrowRight');
    await expectEnd(lab);
  });

  test('the step the cursor stands on stays in view in the list, walking either way', async ({ lab }) => {
    const { timeline } = lab;
    await expect(timeline.current).toBeInViewport();
    await timeline.toStart();
    await expect(timeline.status).toHaveText('Step 0 of 12');
    await expect(timeline.current).toBeInViewport();
    for (let step = 1; step <= 12; step++) {
      await timeline.forward();
      await expect(timeline.status).toHaveText(`Step ${step} of 12`);
      await expect(timeline.current).toContainText(`${step}. `);
      await expect(timeline.current).toBeInViewport();
    }
    for (let step = 11; step >= 0; step--) {
      await timeline.back();
      await expect(timeline.status).toHaveText(`Step ${step} of 12`);
      await expect(timeline.current).toBeInViewport();
    }
  });

  test('doing again what the history does next after going back follows it: no branch, the later steps kept', async ({
    lab,
  }) => {
    const { timeline, io, threads } = lab;
    await timeline.jump(4);
    await expectReadInFlight(lab, 12);
    // The history's step 5 completes the read: doing that again moves on along it.
    await io.complete(1);
    await expect(timeline.status).toHaveText('Step 5 of 12');
    await expect(timeline.entries).toHaveCount(13);
    await expect(timeline.current).toHaveText('5. request 1 completes ok: t2 can run');
    await expect(timeline.forwardButton).toBeEnabled();
    await threads.run('t2');
    await expect(timeline.status).toHaveText('Step 6 of 12');
    await expect(timeline.branches).toHaveCount(0);
    await expect(lab.info).toHaveCount(0);
  });

  test('acting after going back starts a new branch: its own later steps, the old ones kept aside', async ({ lab }) => {
    const { timeline, io, threads } = lab;
    await timeline.jump(4);
    await expectReadInFlight(lab, 12);
    await expect(timeline.entries).toHaveCount(13);

    // A different future: the disk fails the read.
    await io.fail(1);
    await expect(timeline.status).toHaveText('Step 5 of 5');
    await expect(timeline.entries).toHaveCount(6);
    await expect(timeline.entries.last()).toHaveText('5. request 1 completes eio: t2 can run');
    await expect(timeline.forwardButton).toBeDisabled();
    await expect(timeline.endButton).toBeDisabled();
    await expect(threads.cards).toHaveCount(2);
    await threads.run('t2');
    await expect(threads.returned('t2')).toHaveText('→ returned VM_PAGER_ERROR');
    await expect(lab.bits.count).toHaveText('0 resident pages of vn1');
    await expect(timeline.status).toHaveText('Step 6 of 6');

    // Forking again, this time by starting a new thread.
    await timeline.jump(2);
    await expect(timeline.status).toHaveText('Step 2 of 6');
    await threads.start('fault', { thread: 't9', vnode: 'vn1', offset: '0x2000', access: 'read' });
    await expect(timeline.status).toHaveText('Step 3 of 3');
    await expect(timeline.entries).toHaveText([
      '0. setup',
      '1. spawn t1: uvn_attach(vnode="vn1", prot="rw")',
      '2. t1 runs: returns obj',
      '3. spawn t9: fault(vnode="vn1", offset=0x2000, access="read")',
    ]);
    await expect(threads.card('t2')).toHaveCount(0);
  });

  test('every step in the list says how long the list is, as the list grows and shrinks', async ({ lab }) => {
    const { timeline, io, threads } = lab;
    const rows = lab.page.getByRole('list', { name: 'Steps' }).getByRole('listitem');
    const expectSizes = async (size: number) => {
      await expect(rows).toHaveCount(size);
      for (let i = 0; i < size; i++) {
        await expect(rows.nth(i)).toHaveAttribute('aria-setsize', String(size));
        await expect(rows.nth(i)).toHaveAttribute('aria-posinset', String(i + 1));
      }
    };
    await expectSizes(13);
    await timeline.jump(4);
    await io.fail(1);
    await expect(timeline.status).toHaveText('Step 5 of 5');
    await expectSizes(6);
    // A step at the end: one more row, and the rows already there (not rendered again) say so too.
    await threads.run('t2');
    await expect(timeline.status).toHaveText('Step 6 of 6');
    await expectSizes(7);
  });
});
