import { expect, test } from './fixtures';
import { BITS_COLUMNS } from './pages/PageBitsPanel';

/**
 * The lecture walk-through, clicked through from the default setup (vn1,
 * 16 KiB, 32 physical pages, no steps): attach, a write fault and its read,
 * msync with PGO_CLEANIT|PGO_SYNCIO|PGO_ALLPAGES and its write, then
 * uvm_vnp_terminate. Expected values are the scenario digests of uvm_vnode.c.
 */
test.describe('lecture walk-through, clicked from the default setup', () => {
  test('starts empty: no threads, no pages, step 0 of 0', async ({ lab }) => {
    await expect(lab.timeline.status).toHaveText('Step 0 of 0');
    await expect(lab.timeline.entries).toHaveText(['0. setup']);
    await expect(lab.threads.region.getByText('No threads yet: start a call below.')).toBeVisible();
    await expect(lab.bits.headers).toHaveText([...BITS_COLUMNS]);
    await expect(lab.bits.count).toHaveText('0 resident pages of vn1');
    await expect(lab.flags.setFlags()).toHaveCount(0);
    await expect(lab.flags.field('refs')).toHaveText('0');
    await expect(lab.flags.field('usecount')).toHaveText('1');
    await expect(lab.queues.free).toHaveText('Free pages: 32 of 32');
    await expect(lab.io.empty).toBeVisible();
  });

  test('attach, fault and read, msync and write, terminate', async ({ lab }) => {
    const { threads, io, bits, flags, queues, source, timeline, tree } = lab;

    // uvn_attach(vp, PROT_READ|PROT_WRITE): a fresh uvn, valid, may persist, on the writeable list.
    await threads.start('uvn_attach', { thread: 't1', vnode: 'vn1', prot: 'rw' });
    await expect(threads.status('t1')).toHaveText('ready');
    await expect(threads.fact('t1', 'at')).toHaveText('the start (not run yet)');
    await threads.run('t1');
    await expect(threads.status('t1')).toHaveText('done');
    await expect(threads.callLine('t1')).toHaveText('uvn_attach(vnode=vn1, prot=rw) → returned obj');
    await expect(flags.setFlags()).toHaveText(['UVM_VNODE_VALID', 'UVM_VNODE_CANPERSIST', 'UVM_VNODE_WRITEABLE']);
    await expect(flags.caption()).toHaveText(/^vn1: u_flags = 0x203\b/);
    await expect(flags.field('refs')).toHaveText('1');
    await expect(flags.field('usecount')).toHaveText('2');
    await expect(flags.field('u_size')).toHaveText('16,384 bytes (0x4000)');
    await expect(flags.field('on uvn_wlist (writeable)')).toHaveText('yes');
    await expect(timeline.status).toHaveText('Step 2 of 2');

    // A write fault at 0x1000: uvn_get allocates the page and uvn_io starts the read.
    await threads.start('fault', { thread: 't2', vnode: 'vn1', offset: '0x1000', access: 'write' });
    await threads.run('t2');
    await expect(threads.status('t2')).toHaveText('io');
    await expect(io.request(1)).toHaveText(['1', 't2', 'vn1', 'read', '0x1000', '4096', '0x1000']);
    await expect(io.requests).toHaveCount(1);
    await bits.expectPage('0x1000', {
      bits: ['PG_BUSY', 'PG_CLEAN', 'PG_FAKE'],
      queue: 'none',
      mapped: false,
      modified: false,
      owner: 't2',
    });
    await expect(flags.field('u_nio')).toHaveText('1');
    // The fault took a page: the count says it changed (to screen readers too).
    await expect(queues.free).toHaveText('Free pages: 31 of 32 (changed by the last step)');
    await expect(tree.image).toHaveAccessibleName('Page tree. vn1: 1 resident page, 1 busy');
    // Where t2 waits: uvn_io's VOP_READ, line 1239, in its card and in the source gutter.
    await expect(threads.fact('t2', 'at')).toHaveText('uvm_vnode.c:1239 in uvn_io');
    await expect(threads.fact('t2', 'waits')).toHaveText('disk request 1 (io:1)');
    await expect(threads.fact('t2', 'unblock')).toHaveText('complete request 1');
    await expect(threads.fact('t2', 'holds')).toHaveText('vnlock:vn1');
    await expect(source.tags(1239)).toHaveText(['t2']);
    await expect(source.linesOf('t2')).toHaveCount(1);
    await expect(source.line(1239)).toContainText('VOP_READ');
    await expect(source.following).toHaveText('Following t2 (selected) · line 1239');

    // The disk finishes the read; t2 maps the page for writing and activates it.
    await io.complete(1);
    await expect(io.empty).toBeVisible();
    await expect(threads.status('t2')).toHaveText('ready');
    await threads.run('t2');
    await expect(threads.returned('t2')).toHaveText('→ returned VM_PAGER_OK');
    await bits.expectPage('0x1000', { bits: ['PG_CLEAN'], queue: 'active', mapped: true, modified: true, owner: '' });
    await expect(queues.heading('Active')).toHaveText('Active (1)');
    await expect(queues.entries('Active')).toHaveCount(1);
    await expect(queues.entries('Active')).toContainText(['vn1 0x1000']);
    await expect(queues.heading('Inactive')).toHaveText('Inactive (0)');
    await expect(source.tags(1239)).toHaveCount(0);
    await expect(flags.field('u_nio')).toHaveText('0');

    // msync: uvn_flush(PGO_CLEANIT|PGO_SYNCIO|PGO_ALLPAGES) writes the dirty page back.
    await threads.start('uvn_flush', {
      thread: 't3',
      vnode: 'vn1',
      flags: ['PGO_CLEANIT', 'PGO_SYNCIO', 'PGO_ALLPAGES'],
    });
    await expect(threads.callLine('t3')).toHaveText(
      'uvn_flush(vnode=vn1, flags=PGO_CLEANIT|PGO_SYNCIO|PGO_ALLPAGES, start=0x0, stop=0x0)',
    );
    await threads.run('t3');
    await expect(threads.status('t3')).toHaveText('io');
    await expect(io.request(2)).toHaveText(['2', 't3', 'vn1', 'write', '0x1000', '4096', '0x1000']);
    await bits.expectPage('0x1000', {
      bits: ['PG_BUSY', 'PG_CLEANCHK'],
      queue: 'active',
      mapped: true,
      modified: true,
      owner: 't3',
    });
    await io.complete(2);
    await threads.run('t3');
    await expect(threads.returned('t3')).toHaveText('→ returned true');
    await bits.expectPage('0x1000', {
      bits: ['PG_CLEAN', 'PG_CLEANCHK'],
      queue: 'active',
      mapped: true,
      modified: false,
      owner: '',
    });

    // uvm_vnp_terminate (as vclean): the pages go; refs is still 1, so VALID stays and CANPERSIST is cleared.
    await threads.start('uvm_vnp_terminate', { thread: 't4', vnode: 'vn1' });
    await threads.run('t4');
    await expect(threads.returned('t4')).toHaveText('→ returned (void)');
    await expect(bits.count).toHaveText('0 resident pages of vn1');
    await expect(bits.empty).toBeVisible();
    await expect(bits.rows).toHaveCount(0);
    await expect(flags.setFlags()).toHaveText(['UVM_VNODE_VALID', 'UVM_VNODE_WRITEABLE']);
    await expect(flags.field('refs')).toHaveText('1');
    await expect(flags.field('npages')).toHaveText('0');
    await expect(flags.field('state')).toHaveText('active');
    await expect(queues.free).toHaveText('Free pages: 32 of 32 (changed by the last step)');
    await expect(queues.heading('Active')).toHaveText('Active (0)');
    await expect(tree.image).toHaveAccessibleName('Page tree. vn1: 0 resident pages, 0 busy');
    await expect(threads.cards).toHaveCount(4);
    await expect(timeline.status).toHaveText('Step 12 of 12');
    await expect(timeline.entries).toHaveCount(13);
  });
});
