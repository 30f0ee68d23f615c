/**
 * The worker reads an open's scenario as it queues the command (`SimHost.prepare`, src/worker/sim.worker.ts):
 * on a link visit the link is decoded and checked while the library's start, opened first, waits for its
 * kernel's chunk. Answered from that read, the open must be exactly the open read when its turn came.
 */
import { readFileSync } from 'node:fs';
import LZString from 'lz-string';
import { describe, expect, it } from 'vitest';
import type { PagerModel } from '../src/engine/model';
import { OPENBSD_CARD } from '../src/engine/openbsd/card';
import { OPENBSD } from '../src/engine/openbsd/model';
import { registerPagerCard } from '../src/engine/registry';
import type { Command, SimEvent } from '../src/protocol/messages';
import { SimHost } from '../src/worker/sim-host';

const text = (pager?: string) => {
  const json = readFileSync('scenarios/lecture-walkthrough.json', 'utf8');
  return pager ? JSON.stringify({ ...JSON.parse(json), pager }) : json;
};
const link = (json: string) => `#scenario=${LZString.compressToEncodedURIComponent(json)}&at=7&thread=t2`;

const open = (id: number, hash: string): Extract<Command, { type: 'sim.open' }> => ({
  type: 'sim.open',
  id,
  source: { kind: 'link', hash },
  origin: 'Shared link',
  cursor: 7,
  select: 't2',
});

/** Open the library text, then `cmd`, read ahead or not; every event posted. */
function run(cmd: Command, ahead: boolean): SimEvent[] {
  const events: SimEvent[] = [];
  const host = new SimHost((e) => events.push(e));
  host.handle({ type: 'sim.open', id: 1, source: { kind: 'text', text: text() }, origin: 'Library' });
  if (ahead) host.prepare(cmd);
  host.handle(cmd);
  return events;
}

describe('an open read while it waits (SimHost.prepare)', () => {
  it('answers a link read ahead exactly as one read in its turn', () => {
    const ahead = run(open(2, link(text())), true);
    expect(ahead).toEqual(run(open(2, link(text())), false));
    const answer = ahead.find((e) => e.type === 'sim.snapshot' && e.id === 2);
    expect(answer?.type === 'sim.snapshot' && [answer.cursor, answer.select]).toEqual([7, 't2']);
  });

  it('refuses a broken link read ahead with the same message, keeping the session before', () => {
    const broken = open(2, '#scenario=not-lz-data');
    const ahead = run(broken, true);
    expect(ahead).toEqual(run(open(2, '#scenario=not-lz-data'), false));
    expect(ahead.at(-1)).toMatchObject({ type: 'sim.error', id: 2, message: expect.stringContaining('Shared link') });
    expect(ahead.filter((e) => e.type === 'sim.snapshot')).toHaveLength(1);
  });

  it('reads the source when prepared, not again when handled', () => {
    const cmd = open(2, link(text()));
    const events: SimEvent[] = [];
    const host = new SimHost((e) => events.push(e));
    host.prepare(cmd);
    // Whatever the command says by the time it is handled, the scenario read ahead is the one opened.
    (cmd as { source: unknown }).source = { kind: 'link', hash: '#scenario=gone' };
    host.handle(cmd);
    expect(events.at(-1)).toMatchObject({ type: 'sim.snapshot', id: 2, cursor: 7 });
  });

  it("asks for the link's kernel as soon as it is read, once", async () => {
    let fetches = 0;
    registerPagerCard({ ...OPENBSD_CARD, pager: 'aheadbsd' }, async () => {
      fetches++;
      return { ...(OPENBSD as unknown as PagerModel), pager: 'aheadbsd' };
    });
    const events: SimEvent[] = [];
    const host = new SimHost((e) => events.push(e));
    const cmd = open(2, link(text('aheadbsd')));
    host.prepare(cmd);
    expect(fetches).toBe(1);
    expect(events).toEqual([]);
    await host.handle(cmd);
    expect(fetches).toBe(1);
    expect(events.at(-1)).toMatchObject({ type: 'sim.snapshot', id: 2, cursor: 7, loaded: { pager: 'aheadbsd' } });
  });
});
