/**
 * The FreeBSD panels' words and layouts: valid/dirty strips, the page list, I/O cells, and who can unblock
 * a waiter (the model's views, read from library scenarios at the step where each waits).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Session } from '../src/engine/session';
import { fieldText, pagesText } from '../src/panels/IoInFlight/io-text';
import { waitText } from '../src/panels/Threads/thread-text';
import { setupOf } from '../src/protocol/scenario';
import { parseScenario } from '../src/scenario/schema';
import { bitStripText, setRuns } from '../src/panels/PageBits/bit-strip';
import { layoutPageList, listColumns } from '../src/viz/listLayout';
import { arrangeTrees, LayoutCache, NODE_DX, NODE_DY } from '../src/viz/treeLayout';

describe('bit strips in words', () => {
  it('finds runs of set bits', () => {
    expect(setRuns(0b1101, 8)).toEqual([
      [0, 0],
      [2, 3],
    ]);
    expect(setRuns(0, 8)).toEqual([]);
    expect(setRuns(0xff, 8)).toEqual([[0, 7]]);
  });

  it('says which 512-byte chunks are set, exactly', () => {
    expect(bitStripText('valid', 0xff, 8)).toBe('valid 0xff: all 8 chunks (bytes 0–4095)');
    expect(bitStripText('dirty', 0, 8)).toBe('dirty 0x00: no chunk');
    expect(bitStripText('valid', 0x0b, 8)).toBe('valid 0x0b: chunks 0–1, 3 (bytes 0–1023, 1536–2047)');
    expect(bitStripText('valid', 0x80, 8)).toBe('valid 0x80: chunk 7 (bytes 3584–4095)');
    // The page at end of a 40,000-byte file: 40000 - 9*4096 = 3136 bytes, chunks 0-6.
    expect(bitStripText('valid', 0x7f, 8)).toBe('valid 0x7f: chunks 0–6 (bytes 0–3583)');
  });
});

const page = (pindex: number, object = 'obj1') => ({ offset: pindex * 4096, object });

describe('page list layout', () => {
  it('puts pages left to right in pindex order, wrapping rows', () => {
    const layout = layoutPageList([0, 1, 2, 5, 6].map((i) => page(i)));
    expect(layout.kind).toBe('list');
    expect(listColumns(5)).toBe(4);
    expect(layout.nodes.map((n) => n.x)).toEqual([0, 1, 2, 3, 0].map((i) => i * NODE_DX));
    expect(layout.nodes.map((n) => n.y)).toEqual([0, 0, 0, 0, NODE_DY]);
    expect(layout.nodes.every((n) => n.color === null)).toBe(true);
  });

  it('joins only pages at adjacent pindexes, so a gap in residency is a break', () => {
    const layout = layoutPageList([0, 1, 2, 5, 6].map((i) => page(i)));
    // 0-1-2 joined, 5 not joined to 2, 6 (first of the next row) not joined to 5.
    expect(layout.nodes.map((n) => n.px !== null)).toEqual([false, true, true, false, false]);
    const one = layoutPageList([0, 1, 2, 5, 6, 7, 8, 9].map((i) => page(i)));
    expect(one.nodes.map((n) => n.px !== null)).toEqual([false, true, true, false, true, false, true, true]);
    expect(layout.nodes[1]).toMatchObject({ px: layout.nodes[0]!.x, py: layout.nodes[0]!.y });
  });

  it('wraps an object into a block three times as wide as tall: 4,096 pages in 37 rows of 111', () => {
    expect(listColumns(8)).toBe(5);
    expect(listColumns(4096)).toBe(111);
    const layout = layoutPageList(Array.from({ length: 4096 }, (_, i) => page(i)));
    expect(layout.maxX).toBe(110 * NODE_DX);
    expect(layout.maxY).toBe(36 * NODE_DY);
    // The first page of a row is not joined to the last of the row above.
    expect(layout.nodes[111]!.px).toBeNull();
    expect(layout.nodes[112]!.px).toBe(0);
  });

  it('starts a band for each object, named above its rows', () => {
    const layout = layoutPageList([page(0, 'obj1'), page(1, 'obj1'), page(0, 'obj2')]);
    expect(layout.bands.map((b) => b.label)).toEqual(['obj1', 'obj2']);
    expect(layout.nodes[2]!.y).toBeGreaterThan(layout.nodes[1]!.y + NODE_DY);
    expect(layout.nodes[2]!.x).toBe(0);
    expect(layout.nodes[2]!.px).toBeNull();
  });

  it('is cached by offsets and objects, and by the kind asked for', () => {
    const cache = new LayoutCache();
    const a = cache.get('vn1', [page(0), page(1)], 'list');
    expect(cache.get('vn1', [page(0), page(1)], 'list')).toBe(a);
    expect(cache.get('vn1', [page(0), page(1, 'obj2')], 'list')).not.toBe(a);
    expect(cache.get('vn1', [page(0), page(1)], 'rbtree').kind).toBe('rbtree');
    expect(cache.computed).toBe(3);
  });

  it('places beside other vnodes like a tree', () => {
    const scene = arrangeTrees([
      { name: 'vn1', pages: [1, 2], layout: layoutPageList([page(0), page(1)]) },
      { name: 'vn2', pages: [], layout: layoutPageList([]) },
    ]);
    expect(scene.trees[1]!.slotX).toBeGreaterThan(scene.trees[0]!.slotX + NODE_DX);
  });
});

describe('I/O cells', () => {
  it('names pages by pindex runs for FreeBSD and by hex offset for OpenBSD', () => {
    const offsets = [0, 1, 2, 3, 4, 5, 6, 7].map((i) => i * 4096);
    expect(pagesText(offsets, 'pindex')).toBe('pindex 0–7');
    expect(pagesText([0, 4096, 16384, -1], 'pindex')).toBe('pindex 0–1, 4, ?');
    expect(pagesText([0, 4096], 'offset')).toBe('0x0, 0x1000');
  });

  it('writes a missing blkno as a dash and async as yes/no', () => {
    expect(fieldText(null)).toBe('—');
    expect(fieldText(64)).toBe('64');
    expect(fieldText(true)).toBe('yes');
    expect(fieldText(false)).toBe('no');
  });
});

/** The session of a library scenario after `at` steps. */
function sessionAt(name: string, at: number): Session {
  const parsed = parseScenario(readFileSync(`scenarios/${name}.json`, 'utf8'));
  if (!parsed.ok) throw new Error(`${name}: ${JSON.stringify(parsed.error)}`);
  const session = new Session(setupOf(parsed.scenario));
  for (const step of parsed.scenario.steps.slice(0, at)) expect(session.apply(step)).toBeNull();
  return session;
}

const threadAt = (name: string, at: number, id: string) =>
  sessionAt(name, at)
    .snapshot()
    .threads.find((t) => t.id === id)!;

describe('who can unblock a FreeBSD waiter', () => {
  it('a fault asleep on a page another fault is reading: the read, then the busy holder', () => {
    const t4 = threadAt('freebsd-two-faults-same-page-vmpfw', 8, 't4');
    expect(t4).toMatchObject({ status: 'sleep', wait: 'vmpfw', blockedOn: 'page obj1[0] is busy' });
    expect(t4.unblockers).toEqual(['complete request 1, then t3 unbusies page obj1[0]']);
    // The read is done and t3 has not run yet: only t3 can unbusy the page now.
    expect(threadAt('freebsd-two-faults-same-page-vmpfw', 9, 't4').unblockers).toEqual([
      't3 unbusies page obj1[0] (vm_page_xunbusy wakes VPB_BIT_WAITERS sleepers)',
    ]);
  });

  it('a page busy under an asynchronous read: its completion unbusies it, not the thread that started it', () => {
    const t3 = threadAt('freebsd-setsize-shrink-waits-on-busy-page', 6, 't3');
    expect(t3).toMatchObject({ wait: 'vmopar', blockedOn: 'page obj1[1] is busy' });
    expect(t3.unblockers).toEqual(['complete request 1: its completion unbusies page obj1[1]']);
  });

  it('vgone waiting for paging_in_progress: the drain, the fault that holds it, the read', () => {
    const t5 = threadAt('freebsd-vgone-during-read-waits-bovlbx', 10, 't5');
    expect(t5).toMatchObject({ wait: 'bovlbx', blockedOn: "obj1's paging_in_progress (1) to drain" });
    expect(t5.unblockers).toEqual([
      "obj1's paging_in_progress drains to 0 (the last vm_object_pip_wakeup wakes it)",
      't4 lets go of the paging_in_progress its fault holds (vm_object_pip_wakeup)',
      'complete request 1',
    ]);
  });

  it('getpbuf with no pbuf left: the thread holding the only one gives it back', () => {
    const t4 = threadAt('freebsd-sync-pbufs-exhausted-wswbuf0', 8, 't4');
    expect(t4).toMatchObject({ wait: 'wswbuf0', blockedOn: 'no free pbuf' });
    expect(t4.unblockers).toEqual([
      'complete request 1, then t3 gives its pbuf back (relpbuf in vnode_pager_generic_getpages)',
    ]);
    expect(threadAt('freebsd-sync-pbufs-exhausted-wswbuf0', 9, 't4').unblockers).toEqual([
      't3 gives its pbuf back (relpbuf in vnode_pager_generic_getpages)',
    ]);
  });

  it('no free page: any freeing wakes it', () => {
    const t4 = threadAt('freebsd-fault-out-of-memory-sleeps-pfault', 10, 't4');
    expect(t4).toMatchObject({ wait: 'pfault', blockedOn: 'no free page' });
    expect(t4.unblockers).toEqual(['any thread or completion that frees a page (vm_page_free wakes "pfault")']);
  });

  it('names a FreeBSD page by object and pindex in the card', () => {
    const s = sessionAt('freebsd-two-faults-same-page-vmpfw', 8).snapshot();
    const t4 = s.threads.find((t) => t.id === 't4')!;
    expect(waitText(t4, s.locks, s.pages, 'pindex', s.threads)).toBe(
      'sleep "vmpfw" on page obj1[0] (vn1, busied by t3)',
    );
  });

  it('a page busied for an asynchronous read by a thread that has returned: its completion wakes the sleeper', () => {
    const s = sessionAt('freebsd-vgone-during-read-waits-bovlbx', 10).snapshot();
    const t4 = s.threads.find((t) => t.id === 't4')!;
    expect(s.threads.find((t) => t.id === 't3')!.status).toBe('done');
    expect(waitText(t4, s.locks, s.pages, 'pindex', s.threads)).toBe(
      'sleep "vmpfw" on page obj1[0] (vn1, busied by t3, which has returned)',
    );
    // The wait-for graph: no edge from a finished thread, the request's completion instead.
    expect(s.waits.find((w) => w.thread === 't4')).toMatchObject({ wakers: [], requests: [1] });
  });

  it('names an object channel as the panels name the object', () => {
    const s = sessionAt('freebsd-vgone-during-read-waits-bovlbx', 10).snapshot();
    expect(s.waits.map((w) => w.label)).toContain('bovlbx on obj1');
  });
});
