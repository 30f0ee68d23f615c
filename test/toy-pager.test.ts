/**
 * The pager seam, proven by a third pager written only here: two calls, one
 * object flag, one page column. It registers itself and then runs, unchanged,
 * through the scenario reader, the engine, the session and the worker host.
 */
import { describe, expect, it } from 'vitest';
import { PagerEngine } from '../src/engine/engine';
import { Kernel } from '../src/engine/kernel/kernel';
import { allocPhysPage } from '../src/engine/kernel/memory';
import { sleepOn, traced, wakeup } from '../src/engine/kernel/sched';
import type { KThread, Proc, Vnode } from '../src/engine/kernel/types';
import type { PagerModel } from '../src/engine/model';
import { registerPager } from '../src/engine/registry';
import { scenarioDigests } from '../src/engine/run-scenario';
import { Session } from '../src/engine/session';
import { applyDelta } from '../src/protocol/delta';
import type { SimEvent } from '../src/protocol/messages';
import type { ViewSnapshot } from '../src/protocol/snapshot';
import { parseScenario } from '../src/scenario/schema';
import { SimHost } from '../src/worker/sim-host';

interface ToyPage {
  id: number;
  vnode: string;
  offset: number;
}
interface ToyState {
  pages: ToyPage[];
  /** Per vnode: the one flag, TOY_TOUCHED. */
  touched: Record<string, boolean>;
}
type ToyKernel = Kernel<ToyState, Vnode>;

const TOY_TOUCHED = 0x1;

/** touch: allocate a page at `offset` (lines 10-12 of an imaginary toy.c) and wake the waiters. */
const touch = traced('touch', function* (k: ToyKernel, _th: KThread, vp: Vnode, offset: number): Proc<string> {
  yield 10;
  const id = allocPhysPage(k);
  yield 11;
  if (id === null) return 'ENOMEM';
  k.s.pager.pages.push({ id, vnode: vp.name, offset });
  k.touchPage(id);
  k.s.pager.touched[vp.name] = true;
  yield 12;
  wakeup(k, `touched:${vp.name}`);
  return 'OK';
});

/** await: sleep until the vnode is touched (line 20). */
const awaitTouch = traced('await', function* (k: ToyKernel, th: KThread, vp: Vnode): Proc<string> {
  while (!k.s.pager.touched[vp.name]) {
    yield 20;
    yield* sleepOn(k, th, `touched:${vp.name}`, 'toywait');
  }
  return 'woken';
});

const TOY: PagerModel<ToyKernel> = {
  pager: 'toy',
  profile: {
    pager: 'toy',
    kernel: 'Toy',
    seed: { file: 'toy.c', path: 'sys/toy/toy.c', url: 'seeds/toy.c' },
    objectPanel: {
      title: 'toy object',
      flagWord: 't_flags',
      flagPrefix: 'TOY_',
      fieldsLabel: 'toy fields',
      flags: [{ bit: TOY_TOUCHED, name: 'TOY_TOUCHED', meaning: 'some page was touched' }],
    },
    pageTree: { structure: 'a list', layout: 'list', key: 'offset', busy: 'busy', wanted: 'wanted' },
    pageStates: [{ state: 'clean', label: 'clean', meaning: 'a toy page' }],
    pageColumns: [{ key: 'touched', label: 'touched', meaning: 'the page was touched', kind: 'yes' }],
    queues: [],
    ioFields: [],
    calls: [
      {
        name: 'touch',
        summary: 'touch a page',
        args: [
          { name: 'vnode', kind: 'vnode' },
          { name: 'offset', kind: 'number', unit: 'bytes', pageAligned: true },
        ],
      },
      { name: 'await', summary: 'wait for a touch', args: [{ name: 'vnode', kind: 'vnode' }] },
    ],
  },
  seed: { file: 'public/seeds/toy.c', sourceDir: 'test' },
  scenarioKeys: { machine: ['physPages'], vnode: ['usecount'], mounts: false },
  unreachableLines: {},
  boot(setup) {
    return new Kernel<ToyState, Vnode>({
      freePages: setup.machine?.physPages ?? 4,
      nextPageId: 1,
      vnodes: setup.vnodes.map((v) => ({
        name: v.name,
        mount: 'm1',
        usecount: v.usecount ?? 1,
        state: 'active',
        size: v.size,
      })),
      threads: [],
      locks: {},
      io: [],
      nextIoId: 1,
      panic: null,
      pager: { pages: [], touched: {} },
    });
  },
  spawn(k, th, call, args) {
    const vp = k.vnode(args.vnode as string);
    return call === 'touch' ? touch(k, th, vp, args.offset as number) : awaitTouch(k, th, vp);
  },
  digest: (k, step) => ({
    step,
    panic: k.s.panic?.message ?? null,
    freePages: k.s.freePages,
    threads: k.s.threads.map((t) => ({ id: t.id, status: t.status, wait: t.wait, ret: t.ret })),
    touched: k.s.vnodes.filter((v) => k.s.pager.touched[v.name]).map((v) => v.name),
  }),
  views: {
    residentPages: (k) => k.s.pager.pages.map((p) => p.id),
    isResident: (k, id) => k.s.pager.pages.some((p) => p.id === id),
    page: (k, id) => {
      const p = k.s.pager.pages.find((x) => x.id === id)!;
      return {
        id,
        vnode: p.vnode,
        object: p.vnode,
        offset: p.offset,
        state: 'clean',
        busy: false,
        wanted: false,
        owner: null,
        queue: 'none',
        mapped: false,
        modified: false,
        summary: 'touched',
        flagWord: 0,
        cells: { touched: true },
      };
    },
    objects: (k) =>
      k.s.vnodes.map((v) => ({
        key: v.name,
        vnode: v.name,
        title: v.name,
        flags: k.s.pager.touched[v.name] ? TOY_TOUCHED : 0,
        flagNames: k.s.pager.touched[v.name] ? ['TOY_TOUCHED'] : [],
        fields: [],
      })),
    blockedOn: (_k, t) => (t.chan ? `nobody has touched ${t.chan.slice(8)} yet` : null),
  },
};

registerPager(TOY);

const TEXT = JSON.stringify({
  format: 'pager-scenario/1',
  pager: 'toy',
  machine: { physPages: 2 },
  vnodes: [{ name: 'vn1', size: 8192 }],
  steps: [
    { spawn: 't1', call: 'await', args: { vnode: 'vn1' } },
    { run: 't1' },
    { spawn: 't2', call: 'touch', args: { vnode: 'vn1', offset: 4096 } },
    { run: 't2' },
    { run: 't1' },
  ],
});

describe('a toy pager registered in a test', () => {
  it('is read by the scenario reader, which checks its own call arguments', () => {
    const parsed = parseScenario(TEXT);
    expect(parsed.ok).toBe(true);
    const bad = parseScenario(TEXT.replace('"offset":4096', '"offset":100'));
    expect(bad).toMatchObject({ ok: false, error: { step: 2, field: 'args.offset' } });
    const noType = parseScenario(TEXT.replace('"size":8192', '"size":8192,"type":"VBLK"'));
    expect(noType).toMatchObject({ ok: false, error: { step: -1, field: 'vnodes[0].type', reason: 'unknown key' } });
  });

  it('runs in the engine: digests of its own shape, a sleep and a wakeup, seed lines reached', () => {
    const parsed = parseScenario(TEXT);
    if (!parsed.ok) throw new Error('toy scenario must parse');
    const run = scenarioDigests(parsed.scenario);
    expect(run.refused).toBeNull();
    expect(run.digests.map((d) => JSON.stringify(d))).toEqual([
      '{"step":-1,"panic":null,"freePages":2,"threads":[],"touched":[]}',
      '{"step":0,"panic":null,"freePages":2,"threads":[{"id":"t1","status":"ready","wait":null,"ret":null}],"touched":[]}',
      '{"step":1,"panic":null,"freePages":2,"threads":[{"id":"t1","status":"sleep","wait":"toywait","ret":null}],"touched":[]}',
      '{"step":2,"panic":null,"freePages":2,"threads":[{"id":"t1","status":"sleep","wait":"toywait","ret":null},{"id":"t2","status":"ready","wait":null,"ret":null}],"touched":[]}',
      '{"step":3,"panic":null,"freePages":1,"threads":[{"id":"t1","status":"ready","wait":null,"ret":null},{"id":"t2","status":"done","wait":null,"ret":"OK"}],"touched":["vn1"]}',
      '{"step":4,"panic":null,"freePages":1,"threads":[{"id":"t1","status":"done","wait":null,"ret":"woken"},{"id":"t2","status":"done","wait":null,"ret":"OK"}],"touched":["vn1"]}',
    ]);
    expect([...run.engine.linesReached].sort((a, b) => a - b)).toEqual([10, 11, 12, 20]);
    expect(new PagerEngine({ pager: 'toy', vnodes: [{ name: 'vn1', size: 1 }] }).apply({ run: 'nobody' })).toBe(
      'unknown thread nobody',
    );
  });

  it('runs in a session: its page column, object flag and words for a sleeper in the snapshot', () => {
    const parsed = parseScenario(TEXT);
    if (!parsed.ok) throw new Error('toy scenario must parse');
    const session = new Session(parsed.scenario);
    for (const step of parsed.scenario.steps.slice(0, 2)) expect(session.apply(step)).toBeNull();
    expect(session.snapshot().threads[0]!.blockedOn).toBe('nobody has touched vn1 yet');
    for (const step of parsed.scenario.steps.slice(2)) expect(session.apply(step)).toBeNull();
    const last = session.snapshot();
    expect(last.pages.map((p) => [p.offset, p.cells.touched])).toEqual([[4096, true]]);
    expect(last.objects[0]!.flagNames).toEqual(['TOY_TOUCHED']);
    expect(session.seek(1).pages).toEqual([]);
    expect(session.profile.kernel).toBe('Toy');
  });

  it('runs behind the worker protocol: the profile comes with the first snapshot', () => {
    let shown: ViewSnapshot | null = null;
    const events: SimEvent[] = [];
    const host = new SimHost((e) => {
      events.push(e);
      if (e.type === 'sim.snapshot') shown = applyDelta(shown, e.delta);
    });
    host.handle({ type: 'sim.open', id: 1, source: { kind: 'text', text: TEXT }, origin: 'Test' });
    const first = events[0]!;
    if (first.type !== 'sim.snapshot') throw new Error(`expected a snapshot, got ${JSON.stringify(first)}`);
    expect(first.delta.profile?.objectPanel.flags.map((f) => f.name)).toEqual(['TOY_TOUCHED']);
    expect(first.timeline.map((t) => t.label)).toEqual([
      'spawn t1: await(vnode="vn1")',
      't1 runs: sleeps on toywait, nobody has touched vn1 yet',
      'spawn t2: touch(vnode="vn1", offset=0x1000)',
      't2 runs: returns OK',
      't1 runs: returns woken',
    ]);
    host.handle({ type: 'sim.spawn', id: 2, step: { spawn: 't3', call: 'touch', args: { vnode: 'vn1', offset: 0 } } });
    host.handle({ type: 'sim.run', id: 3, thread: 't3' });
    expect(shown!.pages.map((p) => p.offset)).toEqual([4096, 0]);
    expect(shown!.freePages).toBe(0);
  });
});
