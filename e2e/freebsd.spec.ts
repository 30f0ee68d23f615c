/**
 * FreeBSD in the lab's panels: a fault with read-ahead clipped by a hole, a
 * vgone while a read is in flight, and a small-block read filling a page's
 * valid bits. Each walk starts from a link to the scenario's first steps and
 * goes on with the buttons a person would press, checking the panels'
 * words at each point against what vnode_pager.c does (the digests of
 * scenarios/freebsd-*.digests.jsonl).
 */
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { FREEBSD_BITS_COLUMNS, FreeBsdBitsPanel, VmObjectPanel } from './pages/FreeBsdPanels';
import { IoPanel } from './pages/IoPanel';
import { PageTreePanel } from './pages/PageTreePanel';
import { SourcePanel } from './pages/SourcePanel';
import { ThreadsPanel } from './pages/ThreadsPanel';
import { TimelinePanel } from './pages/TimelinePanel';
import { libraryText, linkTo } from './scenarios';

/** A library scenario cut to its first `steps` steps, opened by link; resolves when the lab shows it. */
async function openFirstSteps(page: Page, name: string, steps: number): Promise<void> {
  const scenario = JSON.parse(libraryText(name)) as { steps: unknown[] };
  await page.goto(linkTo(JSON.stringify({ ...scenario, steps: scenario.steps.slice(0, steps) })));
  await expect(new TimelinePanel(page).status).toHaveText(`Step ${steps} of ${steps}`, { timeout: 20_000 });
  await expect(new SourcePanel(page, page, 'vnode_pager.c').code).toBeVisible({ timeout: 20_000 });
}

function panels(page: Page) {
  return {
    threads: new ThreadsPanel(page),
    io: new IoPanel(page),
    bits: new FreeBsdBitsPanel(page),
    object: new VmObjectPanel(page),
    tree: new PageTreePanel(page),
    source: new SourcePanel(page, page, 'vnode_pager.c'),
    timeline: new TimelinePanel(page),
  };
}

test('a fault reads behind and ahead, as far as the block map is contiguous', async ({ page }) => {
  await openFirstSteps(page, 'freebsd-fault-readahead-clipped-by-hole', 5);
  const { threads, io, bits, object, tree, source } = panels(page);
  await expect(page.getByRole('heading', { level: 1 })).toContainText('FreeBSD sys/vm/vnode_pager.c');

  // mmap made the first reference to obj1; nothing is resident yet.
  await expect(object.caption()).toHaveText('obj1 (vn1): flags = 0x1000 (COLORED)');
  await expect(object.setFlags()).toHaveText(['OBJ_COLORED']);
  await expect(object.field('type')).toHaveText('OBJT_VNODE');
  await expect(object.field('ref_count')).toHaveText('1');
  await expect(object.field('size')).toHaveText('10 pages');
  await expect(object.field('vnp_size')).toHaveText('40,000 bytes (0x9c40)');
  await expect(object.field('writemappings')).toHaveText('0 bytes (0x0)');
  await expect(object.field('usecount')).toHaveText('2');
  await expect(object.field('writecount')).toHaveText('0');
  await expect(object.field('VV_TEXT')).toHaveText('no');
  await expect(object.field('vnode state')).toHaveText('active');
  await expect(object.counter('free pbufs')).toHaveText('129');
  await expect(object.counter('free async pbufs')).toHaveText('128');
  await expect(bits.empty).toBeVisible();
  await expect(tree.region.getByText("each vm_object's resident pages by pindex")).toBeVisible();

  // The fault on page 5 asks 8 behind and 8 ahead; BMAP's run stops at the hole of block 2 (pages 8-11).
  await threads.run('t3');
  await expect(threads.status('t3')).toHaveText('io');
  await expect(threads.fact('t3', 'at')).toHaveText('vnode_pager.c:1047 in vnode_pager_generic_getpages');
  await expect(threads.fact('t3', 'waits')).toHaveText('disk request 1 (io:1)');
  await expect(threads.fact('t3', 'unblock')).toHaveText('complete request 1');
  await expect(threads.fact('t3', 'holds')).toHaveText('vnlock:vn1 (shared)');
  await expect(source.tags(1047)).toHaveAttribute('title', 't3');
  await expect(io.request(1)).toHaveText(['1', 't3', 'vn1', 'read', '0x0', '32768', 'pindex 0–7', '64', 'no']);
  await expect(bits.headers).toHaveText([...FREEBSD_BITS_COLUMNS]);
  await expect(bits.rows).toHaveCount(8);
  await expect(bits.row('obj1[8]')).toHaveCount(0);
  await expect(bits.cell('obj1[5]', 'xbusy')).toHaveText(/yes$/);
  await expect(bits.strip('obj1[5]', 'valid')).toHaveAccessibleName('valid 0x00: no chunk');
  await expect(bits.cell('obj1[5]', 'queue')).toHaveText('none');
  await expect(tree.image).toHaveAccessibleName('Page tree. vn1: 8 resident pages, 8 busy');
  // Drawn as a list by pindex, in detail at this size: t3's page (pindex 5) ringed; zoom out to the
  // overview and fit back.
  const nodes = tree.region.locator('.tree-node > title');
  await expect(nodes).toHaveCount(8);
  await expect(nodes.nth(5)).toHaveText(
    'obj1 pindex 5: BUSY; valid 0x0 dirty 0x0 xbusy; resident page of obj1; busied by t3; changed by the last step',
  );
  await expect(tree.region.getByRole('button', { name: 'Zoom to the page t3 works on' })).toBeVisible();
  await expect(tree.region.getByText('red node')).toHaveCount(0);
  for (let i = 0; i < 4; i++) await tree.region.getByRole('button', { name: 'Zoom out' }).click();
  await expect(nodes).toHaveCount(0);
  await tree.region.getByRole('button', { name: 'Fit' }).click();
  await expect(nodes).toHaveCount(8);
  await expect(object.field('paging_in_progress')).toHaveText('1');
  await expect(object.field('ref_count')).toHaveText('2');
  await expect(object.field('usecount')).toHaveText('4');
  await expect(object.counter('free pbufs')).toHaveText('128');

  // Completion wakes t3 (bdone); its pbuf comes back only when t3 runs on to relpbuf.
  await io.complete(1);
  await expect(io.empty).toBeVisible();
  await expect(threads.status('t3')).toHaveText('ready');
  await expect(bits.strip('obj1[0]', 'valid')).toHaveAccessibleName('valid 0x00: no chunk');
  await expect(object.counter('free pbufs')).toHaveText('128');

  await threads.run('t3');
  await expect(threads.returned('t3')).toHaveText('→ returned KERN_SUCCESS');
  await expect(object.counter('free pbufs')).toHaveText('129');
  for (const p of [0, 5, 7])
    await expect(bits.strip(`obj1[${p}]`, 'valid')).toHaveAccessibleName('valid 0xff: all 8 chunks (bytes 0–4095)');
  await expect(bits.strip('obj1[5]', 'dirty')).toHaveAccessibleName('dirty 0x00: no chunk');
  // The faulting page is mapped and active; the read-behind and read-ahead pages are inactive.
  await expect(bits.cell('obj1[5]', 'queue')).toHaveText('active');
  await expect(bits.cell('obj1[5]', 'mapped')).toHaveText(/yes$/);
  await expect(bits.cell('obj1[0]', 'queue')).toHaveText('inactive');
  await expect(bits.cell('obj1[0]', 'mapped')).toHaveText('');
  await expect(tree.image).toHaveAccessibleName('Page tree. vn1: 8 resident pages, 0 busy');
  await expect(object.field('paging_in_progress')).toHaveText('0');
  await expect(object.field('ref_count')).toHaveText('1');
});

test('vgone waits for paging_in_progress while a read is in flight, then leaves a dead object', async ({ page }) => {
  // sendfile's asynchronous read of page 0 is in flight; a fault on page 0 sleeps on the busy page.
  await openFirstSteps(page, 'freebsd-vgone-during-read-waits-bovlbx', 8);
  const { threads, io, bits, object } = panels(page);
  await expect(threads.status('t4')).toHaveText('sleep');
  await expect(threads.fact('t4', 'waits')).toHaveText(
    'sleep "vmpfw" on page obj1[0] (vn1, busied by t3, which has returned)',
  );
  await expect(threads.fact('t4', 'unblock')).toHaveText('complete request 1: its completion unbusies page obj1[0]');
  await expect(io.request(1)).toHaveText(['1', 't3', 'vn1', 'read', '0x0', '4096', 'pindex 0', '0', 'yes']);
  await expect(bits.cell('obj1[0]', 'waiters')).toHaveText(/yes$/);

  await threads.start('vgone', { vnode: 'vn1' });
  await threads.run('t5');
  await expect(threads.status('t5')).toHaveText('sleep');
  await expect(threads.fact('t5', 'waits')).toHaveText(`sleep "bovlbx" on obj1's paging_in_progress (1) to drain`);
  await expect(threads.fact('t5', 'unblock')).toHaveText(
    "obj1's paging_in_progress drains to 0 (the last vm_object_pip_wakeup wakes it); " +
      't4 lets go of the paging_in_progress its fault holds (vm_object_pip_wakeup); complete request 1',
  );
  await expect(threads.fact('t5', 'holds')).toHaveText('vnlock:vn1');
  await expect(object.setFlags()).toHaveText(['OBJ_PIPWNT', 'OBJ_COLORED']);
  await expect(object.field('vnode state')).toHaveText('doomed');
  await expect(object.field('vnode lock')).toHaveText('exclusive (t5)');

  // The completion runs inside the complete step: the page is valid and unbusied, t4 wakes.
  await io.complete(1);
  await expect(threads.status('t4')).toHaveText('ready');
  await expect(bits.strip('obj1[0]', 'valid')).toHaveAccessibleName('valid 0xff: all 8 chunks (bytes 0–4095)');
  await expect(bits.cell('obj1[0]', 'xbusy')).toHaveText('');
  await expect(bits.cell('obj1[0]', 'queue')).toHaveText('inactive');
  await expect(threads.fact('t5', 'unblock')).toHaveText(
    "obj1's paging_in_progress drains to 0 (the last vm_object_pip_wakeup wakes it); " +
      't4 lets go of the paging_in_progress its fault holds (vm_object_pip_wakeup)',
  );

  await threads.run('t4');
  await expect(threads.returned('t4')).toHaveText('→ returned KERN_SUCCESS');
  await expect(threads.status('t5')).toHaveText('ready');
  await expect(object.setFlags()).toHaveText(['OBJ_COLORED']);

  // vinvalbuf frees the clean page; VOP_RECLAIM's vnode_pager_dealloc leaves obj1 dead with the mapping's reference.
  await threads.run('t5');
  await expect(threads.returned('t5')).toHaveText('→ returned (void)');
  await expect(object.field('type')).toHaveText('OBJT_DEAD');
  await expect(object.field('ref_count')).toHaveText('1');
  await expect(object.field('vnode state')).toHaveText('doomed');
  await expect(bits.empty).toBeVisible();
});

test('a small-block file system fills a page 1024 bytes at a time', async ({ page }) => {
  await openFirstSteps(page, 'freebsd-smlfs-reads-each-small-block', 8);
  const { io, bits, timeline } = panels(page);
  // Block 0 is in; block 1 (blkno 42) is being read by vnode_pager_input_smlfs.
  await expect(bits.strip('obj1[0]', 'valid')).toHaveAccessibleName('valid 0x03: chunks 0–1 (bytes 0–1023)');
  await expect(io.request(2)).toHaveText(['2', 't3', 'vn1', 'read', '0x400', '1024', 'pindex 0', '42', 'no']);
  await io.complete(2);
  await page.getByRole('region', { name: 'Threads' }).getByRole('button', { name: 'Run t3', exact: true }).click();
  // Block 2 is a hole: zeroed and marked valid without I/O; block 3 (blkno 50) is read next.
  await expect(bits.strip('obj1[0]', 'valid')).toHaveAccessibleName('valid 0x3f: chunks 0–5 (bytes 0–3071)');
  await expect(io.request(3)).toHaveText(['3', 't3', 'vn1', 'read', '0xc00', '1024', 'pindex 0', '50', 'no']);
  await expect(timeline.status).toHaveText('Step 10 of 10');
});
