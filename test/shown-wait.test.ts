/**
 * An open's history is built behind its answer; in the worker it waits until the page says that answer is
 * painted (`sim.shown`), so the two do not compete for the cores, or until a timeout if the page never says.
 * Meanwhile the open is still the job under way: a Cancel still brings back the session before it.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { SimEvent } from '../src/protocol/messages';
import { bigFlush, slicedHost, walkthrough } from './sliced-host';

const snapshots = (events: SimEvent[]) => events.filter((e) => e.type === 'sim.snapshot');

/** Open a 43-step scenario and run its replay's slices until it is answered. */
async function openAndAnswer(options: { shownTimeoutMs?: number }) {
  const sliced = slicedHost(options);
  const scenario = bigFlush(40);
  const open = sliced.host.handle({ type: 'sim.load', id: 1, scenario });
  while (snapshots(sliced.events).length === 0) await sliced.slices(1);
  return { ...sliced, open, total: scenario.steps.length };
}

describe("an open's history waits for its answer to be painted", () => {
  afterEach(() => vi.useRealTimers());

  it('builds nothing until the page says the answer is shown, then builds it all', async () => {
    const { host, events, slices, waiting, open, total } = await openAndAnswer({ shownTimeoutMs: 60_000 });
    await slices(1);
    // Nothing waits for a slice: the job waits for the page, and is still under way.
    expect(waiting).toHaveLength(0);
    expect(host.busy).toBe(true);
    // A word for another answer (an earlier open's) does not start it.
    host.handle({ type: 'sim.shown', id: 7, answer: 99 });
    await slices(1);
    expect(waiting).toHaveLength(0);
    host.handle({ type: 'sim.shown', id: 8, answer: 1 });
    await Promise.resolve();
    await Promise.resolve();
    expect(waiting.length).toBeGreaterThan(0);
    while (waiting.length > 0) await slices(1);
    await open;
    expect(host.busy).toBe(false);
    // Answered from the whole history, as before.
    host.handle({ type: 'sim.seek', id: 2, to: 5 });
    expect(events.at(-1)).toMatchObject({ type: 'sim.snapshot', id: 2, cursor: 5, length: total });
  });

  it('builds it after the timeout when the page never says', async () => {
    vi.useFakeTimers();
    const { host, slices, waiting, open } = await openAndAnswer({ shownTimeoutMs: 500 });
    await slices(1);
    expect(waiting).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(499);
    expect(waiting).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(waiting.length).toBeGreaterThan(0);
    while (waiting.length > 0) await slices(1);
    await open;
    expect(host.busy).toBe(false);
  });

  it('a Cancel while it waits brings back the session before, at once', async () => {
    const sliced = slicedHost({ shownTimeoutMs: 60_000 });
    const first = sliced.host.handle({ type: 'sim.load', id: 1, scenario: walkthrough() });
    while (snapshots(sliced.events).length === 0) await sliced.slices(1);
    sliced.host.handle({ type: 'sim.shown', id: 9, answer: 1 });
    while (sliced.host.busy) {
      await Promise.resolve();
      await sliced.slices(1);
    }
    await first;
    const before = snapshots(sliced.events).length;
    const open = sliced.host.handle({ type: 'sim.load', id: 2, scenario: bigFlush(40) });
    while (snapshots(sliced.events).length === before) await sliced.slices(1);
    sliced.host.handle({ type: 'sim.cancel', id: 3 });
    // Without a timer running: only the Cancel can end the wait.
    for (let i = 0; i < 50 && sliced.host.busy; i++) {
      await Promise.resolve();
      await sliced.slices(1);
    }
    expect(sliced.host.busy).toBe(false);
    await open;
    expect(sliced.events.at(-1)).toMatchObject({ type: 'sim.error', id: 2 });
    expect(sliced.events.at(-2)).toMatchObject({ type: 'sim.snapshot', id: 2, length: walkthrough().steps.length });
  });

  it('without the option (Node, the tests) the history is built right after the answer, as before', async () => {
    const { host, slices, waiting, open } = await openAndAnswer({});
    expect(waiting.length).toBeGreaterThan(0);
    while (waiting.length > 0) await slices(1);
    await open;
    expect(host.busy).toBe(false);
  });
});
