/**
 * "What changed": the change set of each step, as the worker sends it with
 * every snapshot; and the lab's step numbering in messages.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Session } from '../src/engine/session';
import { changesBetween } from '../src/protocol/changes';
import type { SimEvent } from '../src/protocol/messages';
import { setupOf, type Scenario } from '../src/protocol/scenario';
import { parseScenario } from '../src/scenario/schema';
import { labScenarioError, readScenarioText } from '../src/scenario/share';
import { SimHost } from '../src/worker/sim-host';

function library(name: string): Scenario {
  const parsed = parseScenario(readFileSync(`scenarios/${name}.json`, 'utf8'));
  if (!parsed.ok) throw new Error(`${name} must parse`);
  return parsed.scenario;
}

/** The lecture walk-through, every step applied. */
function walkthrough(): Session {
  const scenario = library('lecture-walkthrough');
  const s = new Session(setupOf(scenario));
  for (const step of scenario.steps) expect(s.apply(step)).toBeNull();
  return s;
}

describe('the change set of a step', () => {
  const s = walkthrough();

  it('the setup changes nothing', () => {
    const c = s.changes(0);
    expect(c).toMatchObject({ step: 0, pages: {}, added: [], removed: [], threads: {}, objects: {}, freePages: 0 });
    expect(c.queues).toEqual([
      { joined: [], left: [] },
      { joined: [], left: [] },
    ]);
  });

  it('a spawn adds a thread', () => {
    expect(s.changes(1).threads).toEqual({ t1: ['new'] });
    expect(s.changes(3).threads).toEqual({ t2: ['new'] });
  });

  it('attach: the uvn gains its flags and a reference, the vnode a use', () => {
    const c = s.changes(2);
    expect(c.threads).toEqual({ t1: ['status', 'ret'] });
    // VALID | CANPERSIST | WRITEABLE flip on (0x203); refs, u_size, the writeable list and usecount move.
    expect(c.objects).toEqual({
      vn1: { added: false, flags: 0x203, fields: ['refs', 'u_size', 'on uvn_wlist (writeable)', 'usecount'] },
    });
    expect(c.vnodes).toEqual({ vn1: ['usecount'] });
  });

  it('the write fault up to its read: a new page, a free page fewer, a request started, t2 blocked', () => {
    const c = s.changes(4);
    const page = s.snapshot(4).pages[0]!;
    expect(c.added).toEqual([page.id]);
    expect(c.pages).toEqual({});
    expect(c.pageFlags).toEqual({});
    expect(c.freePages).toBe(-1);
    expect(c.ioStarted).toEqual([1]);
    expect(c.threads.t2).toEqual(['status', 'line', 'wait', 'locks']);
    expect(c.objects.vn1!.fields).toEqual(['u_nio', 'npages']);
  });

  it("the fault's end: the page's bits, its queue and its owner change; it joins the active queue", () => {
    const c = s.changes(6);
    const page = s.snapshot(6).pages[0]!;
    expect(c.pages[page.id]).toEqual(['queue', 'mapped', 'modified', 'owner', 'state']);
    // PG_BUSY (0x01) and PG_FAKE (0x40) cleared: the flag word's bits that flipped.
    expect(c.pageFlags[page.id]).toBe(0x01 | 0x40);
    expect(c.queues[0]).toEqual({ joined: [page.id], left: [] });
    expect(c.ioStarted).toEqual([]);
  });

  it('completing a request finishes it, as it was', () => {
    const c = s.changes(5);
    expect(c.ioFinished.map((r) => [r.id, r.thread, r.rw])).toEqual([[1, 't2', 'read']]);
    expect(c.threads.t2).toEqual(['status', 'wait']);
  });

  it('revoke frees the page: listed as it was, and it leaves its queue', () => {
    const before = s.snapshot(11).pages[0]!;
    const c = s.changes(12);
    expect(c.removed).toEqual([before]);
    expect(c.queues[0]!.left).toEqual([before.id]);
    expect(c.freePages).toBe(1);
    expect(c.vnodes.vn1).toContain('state');
  });

  it('a page moved to the tail of its queue counts as joined; pages skipped over stay', () => {
    const view = s.snapshot(6);
    const queue = (before: number[], after: number[]) =>
      changesBetween({ ...view, queues: [before] }, { ...view, step: 7, queues: [after] }).queues[0];
    expect(queue([1, 2, 3], [1, 3, 2])).toEqual({ joined: [2], left: [] });
    expect(queue([1, 2, 3], [2, 3, 1])).toEqual({ joined: [1], left: [] });
    expect(queue([1, 2, 3], [1, 3, 4])).toEqual({ joined: [4], left: [2] });
    expect(queue([1, 2, 3], [1, 2, 3])).toEqual({ joined: [], left: [] });
  });
});

describe('the worker sends the change set of the step at the cursor', () => {
  it('with every snapshot: after a load, a seek and an action', () => {
    const events: SimEvent[] = [];
    const host = new SimHost((e) => events.push(e));
    host.handle({ type: 'sim.load', id: 1, scenario: library('lecture-walkthrough'), cursor: 4 });
    const loaded = events.at(-1)!;
    if (loaded.type !== 'sim.snapshot') throw new Error('expected a snapshot');
    expect(loaded.changes.step).toBe(4);
    expect(loaded.changes.ioStarted).toEqual([1]);
    expect(loaded.timeline[3]!.trail.lines.at(-1)).toBe(1239);
    host.handle({ type: 'sim.seek', id: 2, to: 0 });
    const seeked = events.at(-1)!;
    if (seeked.type !== 'sim.snapshot') throw new Error('expected a snapshot');
    expect(seeked.changes.step).toBe(0);
    expect(seeked.changes.threads).toEqual({});
    host.handle({ type: 'sim.spawn', id: 3, step: { spawn: 'x', call: 'uvm_vnp_sync', args: {} } });
    const spawned = events.at(-1)!;
    if (spawned.type !== 'sim.snapshot') throw new Error('expected a snapshot');
    expect(spawned.changes.threads).toEqual({ x: ['new'] });
  });
});

describe('messages number steps as the timeline does', () => {
  it('the setup by name, steps from 1, a fault in the whole file with no step', () => {
    expect(labScenarioError({ step: -1, field: '', reason: 'invalid JSON at character 1' })).toBe(
      'invalid JSON at character 1',
    );
    expect(labScenarioError({ step: -1, field: 'vnodes[0].type', reason: 'unknown key' })).toBe(
      'setup: vnodes[0].type: unknown key',
    );
    expect(labScenarioError({ step: 0, field: 'args.offset', reason: 'must be page-aligned' })).toBe(
      'step 1: args.offset: must be page-aligned',
    );
    expect(labScenarioError({ step: 4, field: '', reason: 'unknown thread t9' })).toBe('step 5: unknown thread t9');
  });

  it('an import that is not JSON at all names no step', () => {
    const r = readScenarioText('not json', 'Import of x.json');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toMatch(/^Import of x\.json: invalid JSON at line 1, column 1: /);
  });
});
