import { expect, test } from './fixtures';
import type { Lab } from './pages/Lab';

/** t1 attaches vn1; t2 faults 0x1000 (read) and blocks on its read; t3 then faults the same page (write). */
async function secondFaultOnBusyPage(lab: Lab): Promise<void> {
  const { threads } = lab;
  await threads.start('uvn_attach', { thread: 't1', vnode: 'vn1', prot: 'rw' });
  await threads.run('t1');
  await threads.start('fault', { thread: 't2', vnode: 'vn1', offset: '0x1000', access: 'read' });
  await threads.run('t2');
  await expect(threads.status('t2')).toHaveText('io');
  await threads.start('fault', { thread: 't3', vnode: 'vn1', offset: '4096', access: 'write' });
  await threads.run('t3');
}

test.describe('two threads fault the same page', () => {
  test('the second sleeps on the busy page with PG_WANTED set, and says who can wake it', async ({ lab }) => {
    const { threads, bits, io, source } = lab;
    await secondFaultOnBusyPage(lab);

    await expect(threads.status('t3')).toHaveText('sleep');
    await expect(threads.fact('t3', 'waits')).toHaveText(
      'sleep "uvn_get" on page #1 (vn1 offset 0x1000, busied by t2)',
    );
    await expect(threads.fact('t3', 'unblock')).toHaveText(
      'the thread that unbusies vn1 page 0x1000 (busied by t2): it wakes PG_WANTED sleepers',
    );
    await expect(threads.fact('t3', 'at')).toHaveText('uvm_vnode.c:1057 in uvn_get');
    await expect(threads.runButton('t3')).toBeDisabled();
    await expect(threads.stepButton('t3')).toBeDisabled();
    await bits.expectPage('0x1000', {
      bits: ['PG_BUSY', 'PG_WANTED', 'PG_CLEAN', 'PG_FAKE'],
      queue: 'none',
      mapped: false,
      modified: false,
      owner: 't2',
    });
    // One read in all: t3 found the page resident, so it started none of its own.
    await expect(io.requests).toHaveCount(1);
    await expect(io.request(1)).toHaveText(['1', 't2', 'vn1', 'read', '0x1000', '4096', '0x1000']);
    // Source follows the thread run last (t3); selecting t2 brings its line into view.
    await expect(source.tags(1057)).toHaveText(['t3']);
    await threads.card('t2').getByRole('button', { name: 't2', exact: true }).click();
    await expect(source.tags(1239)).toHaveText(['t2']);
  });

  test('the read completes, t2 maps the page and wakes t3, which then returns VM_PAGER_OK', async ({ lab }) => {
    const { threads, bits, io, timeline } = lab;
    await secondFaultOnBusyPage(lab);
    await expect(threads.status('t3')).toHaveText('sleep');

    await io.complete(1);
    await expect(threads.status('t2')).toHaveText('ready');
    // Completing the read does not wake t3: only unbusying the page does.
    await expect(threads.status('t3')).toHaveText('sleep');
    await threads.run('t2');
    await expect(threads.status('t2')).toHaveText('done');
    await expect(threads.returned('t2')).toHaveText('→ returned VM_PAGER_OK');
    await expect(threads.status('t3')).toHaveText('ready');
    await expect(threads.runButton('t3')).toBeEnabled();
    await bits.expectPage('0x1000', { bits: ['PG_CLEAN'], queue: 'active', mapped: true, modified: false, owner: '' });

    await threads.run('t3');
    await expect(threads.status('t3')).toHaveText('done');
    await expect(threads.returned('t3')).toHaveText('→ returned VM_PAGER_OK');
    // The write fault set the pmap modified bit; no second read was needed.
    await bits.expectPage('0x1000', { bits: ['PG_CLEAN'], queue: 'active', mapped: true, modified: true, owner: '' });
    await expect(io.empty).toBeVisible();
    await expect(timeline.status).toHaveText('Step 9 of 9');
  });
});
