/**
 * A link visit opens the link alone with a fallback (src/main.tsx): the worker must then leave the lab as when
 * the saved session or the library's start was open before the link: a refused link says only why and opens the
 * fallback; a Cancel during its replay, or one that arrives after its answer, opens the fallback with the
 * cancel's message; a saved session refused in turn gives way to the library's start.
 */
import LZString from 'lz-string';
import { describe, expect, it } from 'vitest';
import type { OpenFallback, SimEvent } from '../src/protocol/messages';
import type { Scenario } from '../src/protocol/scenario';
import { SimHost } from '../src/worker/sim-host';
import { bigFlush, slicedHost, walkthrough } from './sliced-host';

const text = (s: Scenario) => ({ kind: 'text' as const, text: JSON.stringify(s) });
const link = (s: unknown) => ({
  kind: 'link' as const,
  hash: `#scenario=${LZString.compressToEncodedURIComponent(JSON.stringify(s))}`,
});
const libraryStart: OpenFallback = { source: text({ ...walkthrough(), steps: [] }), origin: 'Library' };

const answers = (events: SimEvent[]) => events.filter((e) => e.type === 'sim.error' || e.type === 'sim.snapshot');

/** A host whose slices run when the test says, opening a 43-step link with the library's start as its fallback. */
function openBigLink() {
  const sliced = slicedHost();
  const open = sliced.host.handle({
    type: 'sim.open',
    id: 1,
    source: link(bigFlush(40)),
    origin: 'Shared link',
    fallback: libraryStart,
  });
  return { ...sliced, open };
}

describe("a link visit's fallback", () => {
  it('a refused link says only why, then its fallback opens', () => {
    const events: SimEvent[] = [];
    const host = new SimHost((e) => events.push(e));
    const bad = { ...walkthrough(), steps: [...walkthrough().steps.slice(0, 2), { complete: 9, result: 'ok' }] };
    host.handle({ type: 'sim.open', id: 1, source: link(bad), origin: 'Shared link', fallback: libraryStart });
    expect(answers(events)).toMatchObject([
      { type: 'sim.error', id: 1, message: 'Shared link: step 3: request 9 is not in flight' },
      { type: 'sim.snapshot', id: 1, length: 0, loaded: { steps: [] } },
    ]);
  });

  it('a link that is not a scenario at all: the same', () => {
    const events: SimEvent[] = [];
    const host = new SimHost((e) => events.push(e));
    const source = { kind: 'link' as const, hash: '#scenario=garbage' };
    host.handle({ type: 'sim.open', id: 1, source, origin: 'Shared link', fallback: libraryStart });
    expect(answers(events)).toMatchObject([
      { type: 'sim.error', message: 'Shared link: the #scenario= data is not a valid compressed scenario' },
      { type: 'sim.snapshot', length: 0 },
    ]);
  });

  it('link data that makes the decompressor throw (a mistyped or cut link): the same, and the worker lives', () => {
    // NOTE: lz-string throws on some strings ("zz", "zzz") instead of returning null or ""; in the worker that
    // uncaught throw stopped it, and reopening the same link stopped it again until the page gave up.
    for (const data of ['zz', 'zzz']) {
      const events: SimEvent[] = [];
      const host = new SimHost((e) => events.push(e));
      const source = { kind: 'link' as const, hash: `#scenario=${data}&at=2` };
      host.handle({ type: 'sim.open', id: 1, source, origin: 'Shared link', fallback: libraryStart });
      expect(answers(events)).toMatchObject([
        { type: 'sim.error', message: 'Shared link: the #scenario= data is not a valid compressed scenario' },
        { type: 'sim.snapshot', length: 0 },
      ]);
    }
  });

  it('a saved session refused in turn gives way to the library start, each saying why', () => {
    const events: SimEvent[] = [];
    const host = new SimHost((e) => events.push(e));
    const badSave = { ...walkthrough(), steps: [{ complete: 9, result: 'ok' }] };
    const saved: OpenFallback = {
      source: text(badSave),
      origin: 'The saved session could not be restored',
      cursor: 1,
      fallback: { ...libraryStart, note: "the library's first scenario is open." },
    };
    host.handle({ type: 'sim.open', id: 1, source: link({ nope: 1 }), origin: 'Shared link', fallback: saved });
    const [refusedLink, refusedSave, opened] = answers(events);
    expect(refusedLink).toMatchObject({ type: 'sim.error', message: expect.stringMatching(/^Shared link: /) });
    expect(refusedSave).toMatchObject({
      type: 'sim.error',
      message:
        "The saved session could not be restored: step 1: request 9 is not in flight; the library's first scenario is open.",
    });
    expect(opened).toMatchObject({ type: 'sim.snapshot', length: 0, loaded: { steps: [] } });
  });

  it('a saved session as the fallback opens at its cursor', () => {
    const events: SimEvent[] = [];
    const host = new SimHost((e) => events.push(e));
    const saved: OpenFallback = { source: text(walkthrough()), origin: 'The saved session', cursor: 4 };
    host.handle({ type: 'sim.open', id: 1, source: link({ nope: 1 }), origin: 'Shared link', fallback: saved });
    expect(answers(events).at(-1)).toMatchObject({ type: 'sim.snapshot', length: 12, cursor: 4 });
  });

  it('Cancel during the replay opens the fallback with the cancel message', async () => {
    const { host, events, slices, open } = openBigLink();
    await slices(5);
    expect(answers(events)).toEqual([]);
    host.handle({ type: 'sim.cancel', id: 2 });
    for (let i = 0; i < 100 && host.busy; i++) await slices(1);
    await open;
    const [cancelled, opened, ...rest] = answers(events);
    expect(cancelled).toMatchObject({ type: 'sim.error', id: 1 });
    expect((cancelled as { message: string }).message).toMatch(
      /^Shared link: loading cancelled after \d+ of 43 steps; the session before it is still open$/,
    );
    expect(opened).toMatchObject({ type: 'sim.snapshot', id: 1, length: 0, loaded: { steps: [] } });
    expect(rest).toEqual([]);
  });

  it('a Cancel that arrives after the answer (the history still built) opens the fallback too', async () => {
    const { host, events, slices, open } = openBigLink();
    for (let i = 0; i < 200 && answers(events).length === 0; i++) await slices(1);
    expect(answers(events)).toMatchObject([{ type: 'sim.snapshot', length: 43 }]);
    host.handle({ type: 'sim.cancel', id: 2 });
    for (let i = 0; i < 100 && host.busy; i++) await slices(1);
    await open;
    expect(answers(events).slice(1)).toMatchObject([
      { type: 'sim.error', message: expect.stringMatching(/^Shared link: loading cancelled after \d+ of 43 steps/) },
      { type: 'sim.snapshot', length: 0, loaded: { steps: [] } },
    ]);
  });
});
