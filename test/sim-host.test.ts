import { describe, expect, it } from 'vitest';
import { library, simHarness, walkthrough } from './host-harness';

const harness = simHarness;

describe('SimHost (the worker behind the protocol)', () => {
  it('loads a scenario to its last step and labels every step in words', () => {
    const { host, events, shown } = harness();
    host.handle({ type: 'sim.load', id: 1, scenario: walkthrough() });
    const last = events.at(-1)!;
    expect(last.type).toBe('sim.snapshot');
    if (last.type !== 'sim.snapshot') return;
    expect(last.cursor).toBe(12);
    expect(last.timeline.map((t) => t.label)).toEqual([
      'spawn t1: uvn_attach(vnode="vn1", prot="rw")',
      't1 runs: returns obj',
      'spawn t2: fault(vnode="vn1", offset=0x1000, access="write")',
      't2 runs: waits for disk request 1',
      'request 1 completes ok: t2 can run',
      't2 runs: returns VM_PAGER_OK',
      'spawn t3: uvn_flush(vnode="vn1", flags=["PGO_CLEANIT","PGO_SYNCIO","PGO_ALLPAGES"])',
      't3 runs: waits for disk request 2',
      'request 2 completes ok: t3 can run',
      't3 runs: returns true',
      'spawn t4: revoke(vnode="vn1")',
      't4 runs: returns (void)',
    ]);
    expect(shown().vnodes[0]!.state).toBe('dead');
    expect(shown().freePages).toBe(32);
  });

  it("says a completion's thread can run only when it can: an asynchronous read's sendfile has returned", () => {
    const { host, shown, last } = harness();
    // sendfile starts two asynchronous reads and returns 0 (step 4); the completions run its iodone.
    host.handle({ type: 'sim.load', id: 1, scenario: library('freebsd-sendfile-two-runs-complete-out-of-order') });
    expect(
      last()
        .timeline.slice(3)
        .map((t) => t.label),
    ).toEqual(['t2 runs: returns 0', 'request 2 completes ok', 'request 1 completes eio']);
    expect(shown().threads.find((t) => t.id === 't2')!.status).toBe('done');
    // Acting in the lab labels alike: back to step 4, complete request 1 first.
    host.handle({ type: 'sim.seek', id: 2, to: 4 });
    host.handle({ type: 'sim.complete', id: 3, request: 1, result: 'ok' });
    expect(last().timeline.map((t) => t.label)).toEqual(['request 1 completes ok']);
    // A completion that leaves its thread ready still says so (a synchronous read, the fault's).
    host.handle({ type: 'sim.load', id: 4, scenario: library('freebsd-two-faults-same-page-vmpfw') });
    expect(
      last()
        .timeline.filter((t) => / completes /.test(t.label))
        .map((t) => t.label),
    ).toEqual(['request 1 completes ok: t3 can run']);
  });

  it('names the sleepers an asynchronous completion wakes, as a synchronous one names its thread', () => {
    const { host, last } = harness();
    const completions = () =>
      last()
        .timeline.filter((t) => / completes /.test(t.label))
        .map((t) => t.label);
    // t3 sleeps "vmopar" on page obj1[1], busy under sendfile's asynchronous read: the completion's done
    // function and sendfile_iodone unbusy it and wake t3, while sendfile (t2) returned long before.
    host.handle({ type: 'sim.load', id: 1, scenario: library('freebsd-setsize-shrink-waits-on-busy-page') });
    expect(completions()).toEqual(['request 1 completes ok: t3 can run']);
    // sendfile's first read wakes the sendfile thread itself (asleep "wswbuf0" for a pbuf), its second t3 ("vmopar").
    host.handle({ type: 'sim.load', id: 2, scenario: library('freebsd-sendfile-async-pbufs-exhausted-wswbuf0') });
    expect(completions()).toEqual(['request 1 completes ok: t2 can run', 'request 2 completes ok: t3 can run']);
    // The fault t4 sleeps "vmpfw" on the page sendfile's read keeps busy; vgone (t5) sleeps "bovlbx" until
    // the fault lets go, so the completion wakes t4 alone.
    host.handle({ type: 'sim.load', id: 3, scenario: library('freebsd-vgone-during-read-waits-bovlbx') });
    expect(completions()).toEqual(['request 1 completes ok: t4 can run']);
  });

  it("tells FreeBSD's page counts and indexes in decimal, offsets and lengths in hex, as the Threads panel does", () => {
    const { host, last } = harness();
    host.handle({ type: 'sim.load', id: 1, scenario: library('freebsd-fault-read-around-trimmed-to-maxphys') });
    const spawns = last()
      .timeline.map((t) => t.label)
      .filter((l) => l.startsWith('spawn') && / fault\(/.test(l));
    // 31 behind and 31 ahead of page 31 (offset 31 * 4096 = 0x1f000), as the scenario's title counts them.
    expect(spawns[0]).toBe('spawn t3: fault(mapping="t2", offset=0x1f000, access="read", behind=31, ahead=31)');
    host.handle({ type: 'sim.load', id: 2, scenario: library('freebsd-haspage-eof-small-blocks-and-clipped-run') });
    expect(last().timeline.map((t) => t.label)).toContain('spawn t4: haspage(vnode="vn1", pindex=10)');
  });

  it('streams deltas the UI can apply, and going back then acting keeps the old future as a branch', () => {
    const { host, events, shown } = harness();
    host.handle({ type: 'sim.load', id: 1, scenario: walkthrough() });
    host.handle({ type: 'sim.seek', id: 2, to: 4 });
    expect(shown().io).toEqual([
      { id: 1, thread: 't2', vnode: 'vn1', rw: 'read', offset: 4096, length: 4096, pageOffsets: [4096], fields: {} },
    ]);
    host.handle({ type: 'sim.complete', id: 3, request: 1, result: 'eio' });
    const last = events.at(-1)!;
    if (last.type !== 'sim.snapshot') throw new Error('expected a snapshot');
    expect(last.length).toBe(5);
    expect(last.timeline).toEqual([
      { index: 5, label: 'request 1 completes eio: t2 can run', trail: { lines: [], omitted: 0 } },
    ]);
    expect(last.branches.map((b) => [b.id, b.length, b.forkAt])).toEqual([
      [1, 12, 0],
      [2, 5, 4],
    ]);
    host.handle({ type: 'sim.run', id: 4, thread: 't2' });
    expect(shown().threads[1]!.ret).toBe('VM_PAGER_ERROR');
    expect(shown().pages).toEqual([]);
  });

  it('refuses an impossible step with a message and changes nothing', () => {
    const { host, events, shown } = harness();
    host.handle({ type: 'sim.load', id: 1, scenario: walkthrough() });
    const before = shown();
    host.handle({ type: 'sim.run', id: 2, thread: 't1' });
    expect(events.at(-1)).toMatchObject({ type: 'sim.error', id: 2, message: 'thread t1 is done' });
    expect(shown()).toBe(before);
  });

  it('rejects a scenario whose step is impossible without replacing the session', () => {
    const { host, events, shown } = harness();
    host.handle({ type: 'sim.load', id: 1, scenario: walkthrough() });
    const before = shown();
    host.handle({ type: 'sim.load', id: 2, scenario: { ...walkthrough(), steps: [{ complete: 9, result: 'ok' }] } });
    // Numbered as the timeline numbers steps: the file's steps[0] is step 1.
    expect(events.at(-1)).toMatchObject({ type: 'sim.error', message: 'step 1: request 9 is not in flight' });
    host.handle({ type: 'sim.seek', id: 3, to: 12 });
    expect(shown().vnodes).toEqual(before.vnodes);
  });
});
