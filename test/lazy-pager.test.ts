/**
 * The worker's build registers each kernel by its card and fetches its model when a scenario of it is first
 * opened (src/engine/built-in.lazy.ts). The same path, in Node: a pager registered by card, its model behind
 * a promise, opened through the worker host.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { PagerModel } from '../src/engine/model';
import { OPENBSD_CARD } from '../src/engine/openbsd/card';
import { OPENBSD } from '../src/engine/openbsd/model';
import { loadPager, pagerCard, pagerModel, registerPagerCard } from '../src/engine/registry';
import { PROTOCOL_VERSION, type SimEvent } from '../src/protocol/messages';
import { SimHost } from '../src/worker/sim-host';

/** The library's walkthrough, its pager renamed to `pager`. */
const walkthrough = (pager: string) =>
  JSON.stringify({ ...JSON.parse(readFileSync('scenarios/lecture-walkthrough.json', 'utf8')), pager });

function harness() {
  const events: SimEvent[] = [];
  return { host: new SimHost((e) => events.push(e)), events };
}

describe('a pager registered by its card, its kernel loaded when first opened', () => {
  it('reads a scenario of it at once and opens it once its kernel has come', async () => {
    let fetches = 0;
    registerPagerCard({ ...OPENBSD_CARD, pager: 'lazybsd' }, async () => {
      fetches++;
      return { ...(OPENBSD as unknown as PagerModel), pager: 'lazybsd' };
    });
    expect(pagerCard('lazybsd')?.profile.kernel).toBe(OPENBSD_CARD.profile.kernel);
    expect(pagerModel('lazybsd')).toBeNull();

    const { host, events } = harness();
    const waiting = host.handle({
      type: 'sim.open',
      id: 1,
      source: { kind: 'text', text: walkthrough('lazybsd') },
      origin: 'Test',
    });
    expect(waiting).toBeInstanceOf(Promise);
    // Waiting for the kernel is long work as any other: its progress is reported, so Cancel can be offered, and
    // names the seed the scenario will show, so the page can fetch it meanwhile.
    expect(events).toEqual([
      {
        type: 'sim.progress',
        version: PROTOCOL_VERSION,
        id: 1,
        what: 'Loading',
        done: 0,
        total: 12,
        seed: 'seeds/uvm_vnode.c',
      },
    ]);
    await waiting;
    const last = events.at(-1)!;
    expect(last.type).toBe('sim.snapshot');
    if (last.type !== 'sim.snapshot') return;
    expect(last.loaded?.pager).toBe('lazybsd');
    expect(last.cursor).toBe(12);

    // Loaded once: the next open does not wait.
    expect(
      host.handle({ type: 'sim.open', id: 2, source: { kind: 'text', text: walkthrough('lazybsd') }, origin: 'Test' }),
    ).toBeUndefined();
    expect(fetches).toBe(1);
    expect(loadPager('lazybsd')).toBe(pagerModel('lazybsd'));
  });

  it('refuses the open, and keeps the session shown, when the kernel cannot be fetched', async () => {
    registerPagerCard({ ...OPENBSD_CARD, pager: 'gonebsd' }, () => Promise.reject(new Error('network down')));
    const { host, events } = harness();
    host.handle({ type: 'sim.open', id: 1, source: { kind: 'text', text: walkthrough('openbsd') }, origin: 'Test' });
    expect(events.at(-1)?.type).toBe('sim.snapshot');
    await host.handle({
      type: 'sim.open',
      id: 2,
      source: { kind: 'text', text: walkthrough('gonebsd') },
      origin: 'Test',
    });
    const last = events.at(-1)!;
    expect(last).toMatchObject({
      type: 'sim.error',
      id: 2,
      message: 'Test: the gonebsd kernel could not be loaded: Error: network down',
    });
    // The OpenBSD session is still the one open: a step acts on it.
    host.handle({ type: 'sim.seek', id: 3, to: 4 });
    expect(events.at(-1)).toMatchObject({ type: 'sim.snapshot', cursor: 4 });
  });

  it('stops an open cancelled while its kernel is fetched, and keeps the session shown', async () => {
    let arrive!: () => void;
    const fetched = new Promise<void>((resolve) => (arrive = resolve));
    registerPagerCard({ ...OPENBSD_CARD, pager: 'slowbsd' }, async () => {
      await fetched;
      return { ...(OPENBSD as unknown as PagerModel), pager: 'slowbsd' };
    });
    const { host, events } = harness();
    host.handle({ type: 'sim.open', id: 1, source: { kind: 'text', text: walkthrough('openbsd') }, origin: 'Test' });
    host.handle({ type: 'sim.seek', id: 2, to: 4 });
    const waiting = host.handle({
      type: 'sim.open',
      id: 3,
      source: { kind: 'text', text: walkthrough('slowbsd') },
      origin: 'Test',
    });
    host.handle({ type: 'sim.cancel', id: 4 });
    arrive();
    await waiting;
    expect(events.at(-1)).toMatchObject({
      type: 'sim.error',
      id: 3,
      message: 'Test: loading cancelled after 0 of 12 steps; the session before it is still open',
    });
    // The OpenBSD session is still the one open, at its step: a seek acts on it.
    host.handle({ type: 'sim.seek', id: 5, to: 6 });
    expect(events.at(-1)).toMatchObject({ type: 'sim.snapshot', cursor: 6 });
  });
});
