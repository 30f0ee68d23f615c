import { expect, test } from './fixtures';
import type { Lab } from './pages/Lab';

const MESSAGE = 'vref used where vget required';
const BANNER =
  `panic: ${MESSAGE} — thread t4, uvm_vnode.c line 1490. ` +
  'The kernel has stopped; go back in the timeline to explore another path.';

/** After the panic: the banner, the culprit's card and line, and nothing left to act on. */
async function expectStopped(lab: Lab): Promise<void> {
  const { threads, io } = lab;
  await expect(lab.panic).toHaveText(BANNER);
  await expect(threads.status('t4')).toHaveText('panicked');
  await expect(threads.fact('t4', 'at')).toHaveText('uvm_vnode.c:1490 in uvm_vnp_sync');
  await expect(threads.fact('t4', 'holds')).toHaveText('uvn_sync_lock');
  await expect(lab.source.tags(1490)).toHaveText(['t4']);
  await expect(lab.source.line(1490)).toContainText('vref(vp);');
  // t4 stays "ready" in the kernel's eyes, yet nothing may run or start any more.
  for (const id of ['t1', 't2', 't3', 't4']) {
    await expect(threads.stepButton(id)).toBeDisabled();
    await expect(threads.runButton(id)).toBeDisabled();
  }
  await expect(threads.startButton).toBeDisabled();
  await expect(io.empty).toBeVisible();
}

test.describe('a kernel panic', () => {
  test('uvm_vnp_sync of a persisting uvn whose vnode is free panics in vref', async ({ lab }) => {
    const { threads, flags, timeline } = lab;
    await threads.start('uvn_attach', { thread: 't1', vnode: 'vn1', prot: 'rw' });
    await threads.run('t1');
    await threads.start('uvn_detach', { thread: 't2', vnode: 'vn1' });
    await threads.run('t2');
    // The last detach of a CANPERSIST uvn keeps it (refs 0) and vreles the vnode.
    await expect(flags.field('refs')).toHaveText('0');
    await expect(flags.setFlags()).toHaveText(['UVM_VNODE_VALID', 'UVM_VNODE_CANPERSIST', 'UVM_VNODE_WRITEABLE']);
    await threads.start('vrele', { thread: 't3', vnode: 'vn1' });
    await threads.run('t3');
    await expect(flags.field('usecount')).toHaveText('0');
    await expect(flags.field('state')).toHaveText('free');
    await expect(lab.panic).toHaveCount(0);

    await threads.start('uvm_vnp_sync', { thread: 't4', mount: '' });
    await expect(threads.callLine('t4')).toHaveText('uvm_vnp_sync()');
    await threads.run('t4');
    await expectStopped(lab);
    await expect(timeline.status).toHaveText('Step 8 of 8');

    // Going back un-stops the kernel: t4 may run again.
    await timeline.back();
    await expect(timeline.status).toHaveText('Step 7 of 8');
    await expect(lab.panic).toHaveCount(0);
    await expect(threads.status('t4')).toHaveText('ready');
    await expect(threads.runButton('t4')).toBeEnabled();
    await expect(threads.startButton).toBeEnabled();
  });

  test('the library scenario that panics opens at its start, and its end shows the same banner', async ({ lab }) => {
    await lab.bar.openLibrary('sync-persisting-uvn-of-free-vnode-vref-panics');
    await expect(lab.timeline.status).toHaveText('Step 0 of 8');
    await expect(lab.panic).toHaveCount(0);
    await lab.timeline.toEnd();
    await expect(lab.timeline.status).toHaveText('Step 8 of 8');
    await expectStopped(lab);
  });
});
