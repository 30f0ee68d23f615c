/**
 * The explorer's worker logic in Node (src/worker/explore-host.ts): a search run slice by slice, its
 * progress, findings and first schedules as links that open at the step that shows them with the culprit
 * selected, Cancel heard between slices, bad input refused with a message; and the dialog's fold of the
 * events (src/app/explore/explore-state.ts).
 */
import { describe, expect, it } from 'vitest';
import {
  reduceExplore,
  searchedNote,
  searchKey,
  STARTED,
  statusText,
  type ExploreView,
} from '../src/app/explore/explore-state';
import { PagerEngine } from '../src/engine/engine';
import { DEFAULT_CHOICE, type ExploreChoice, type ExploreEvent } from '../src/protocol/explore';
import { setupOf } from '../src/protocol/scenario';
import { linkParams } from '../src/scenario/link';
import { readScenarioLink } from '../src/scenario/share';
import { BENCH_SCENARIO } from '../tools/bench-explore';
import { exploreHarness, library } from './host-harness';

const harness = exploreHarness;

const choice = (over: Partial<ExploreChoice> = {}): ExploreChoice => ({ ...DEFAULT_CHOICE, ...over });

/** The findings of a search, to its end, of library scenario `name`'s spawns. */
function exploredSpawns(name: string) {
  const { host, events, drain } = harness();
  const sc = library(name);
  host.handle({
    type: 'explore.start',
    run: 1,
    scenario: { ...sc, steps: sc.steps.filter((s) => 'spawn' in s) },
    choice: choice(),
  });
  drain();
  const done = events.at(-1)!;
  if (done.type !== 'explore.done') throw new Error(done.type);
  return done.findings;
}

/** The state a link opens: its scenario's steps up to `at` applied. */
function opened(link: string) {
  const read = readScenarioLink(link);
  if (!read.ok) throw new Error(read.message);
  const params = linkParams(link)!;
  const engine = new PagerEngine(setupOf(read.scenario));
  const steps = read.scenario.steps.slice(0, params.at ?? undefined);
  for (const step of steps) expect(engine.apply(step)).toBeNull();
  return { engine, scenario: read.scenario, params };
}

describe('ExploreHost', () => {
  it('explores the two-faults race: progress, its first schedules as links to their last step, an exhaustive end', () => {
    const { host, events, drain } = harness();
    host.handle({ type: 'explore.start', run: 1, scenario: library('two-threads-fault-same-page'), choice: choice() });
    expect(events, 'nothing runs until the first slice').toEqual([]);
    drain();
    expect(events.every((e) => e.run === 1)).toBe(true);
    const done = events.at(-1)!;
    expect(done.type).toBe('explore.done');
    if (done.type !== 'explore.done') return;
    expect(done.stats).toMatchObject({ exhaustive: true, stopped: false, findings: 0 });
    expect(done.stats.schedules).toBeGreaterThanOrEqual(5);
    expect(done.findings).toEqual([]);
    const schedules = events.flatMap((e) => (e.type === 'explore.schedule' ? [e.schedule] : []));
    expect(schedules.map((s) => s.index)).toEqual([1, 2, 3, 4, 5]);
    for (const s of schedules) {
      expect(s.outcome).toBe('every thread done');
      const { engine, scenario, params } = opened(s.link);
      expect(params.at).toBe(s.steps);
      expect(scenario.steps.length).toBe(s.steps);
      expect(params.thread).toBe(s.thread);
      expect(engine.k.s.threads.every((t) => t.status === 'done')).toBe(true);
      expect(engine.k.s.threads.map((t) => t.id)).toContain(s.thread);
    }
  });

  it('reports a panic as it is found and, minimised, at the end: its link opens at the panic with the panicking thread', () => {
    const { host, events, drain } = harness();
    const sc = library('attach-free-vnode-vref-panics');
    host.handle({
      type: 'explore.start',
      run: 7,
      scenario: { ...sc, steps: sc.steps.filter((s) => 'spawn' in s) },
      choice: choice(),
    });
    drain();
    const live = events.flatMap((e) => (e.type === 'explore.finding' ? [e.finding] : []));
    expect(live.length).toBeGreaterThan(0);
    expect(live.every((f) => !f.final)).toBe(true);
    const done = events.at(-1)!;
    if (done.type !== 'explore.done') throw new Error(done.type);
    const panic = done.findings.find((f) => f.kind === 'panic')!;
    expect(panic.final).toBe(true);
    const { engine, params } = opened(panic.link);
    expect(params.at).toBe(panic.steps);
    expect(engine.k.s.panic?.message).toBe(panic.message);
    expect(panic.thread).toBe(engine.k.s.panic?.thread);
    expect(params.thread).toBe(panic.thread);
  });

  it('selects a waiting thread of a hang (found, then cancelled as a person would)', () => {
    const { host, events, slice, queue, drain } = harness();
    const sc = library('recycle-terminate-hangs-when-late-fault-page-survives');
    host.handle({
      type: 'explore.start',
      run: 1,
      scenario: { ...sc, steps: sc.steps.filter((s) => 'spawn' in s) },
      choice: choice({ preempt: sc.steps.filter((s) => 'step' in s).length }),
    });
    while (queue.length > 0 && !events.some((e) => e.type === 'explore.finding' && e.finding.kind === 'hang')) slice();
    host.handle({ type: 'explore.cancel', run: 1 });
    drain();
    const done = events.at(-1)!;
    if (done.type !== 'explore.done') throw new Error(done.type);
    expect(done.stats.stopped).toBe(true);
    const hang = done.findings.find((f) => f.kind === 'hang')!;
    expect(hang).toBeDefined();
    const { engine } = opened(hang.link);
    const stuck = engine.k.s.threads.find((t) => t.id === hang.thread)!;
    expect(['lock', 'sleep', 'io']).toContain(stuck.status);
    expect(hang.message).toContain(`${stuck.id} ${stuck.status} ${stuck.wait}`);
  });

  it('hears Cancel between slices and ends with what it found, not exhaustive', () => {
    const { host, events, slice, queue, drain } = harness();
    host.handle({ type: 'explore.start', run: 3, scenario: BENCH_SCENARIO, choice: choice({ preempt: 2 }) });
    slice();
    slice();
    expect(events.some((e) => e.type === 'explore.progress')).toBe(true);
    expect(queue.length).toBe(1);
    host.handle({ type: 'explore.cancel', run: 3 });
    drain();
    const done = events.at(-1)!;
    if (done.type !== 'explore.done') throw new Error(done.type);
    expect(done.stats).toMatchObject({ exhaustive: false, stopped: true });
    // The whole search, in its passes, has 6,222 states (docs/explorer.md): Cancel after two slices cut it to
    // a fraction of that (640 when this was written).
    expect(done.stats.states).toBeLessThan(6222 / 4);
  });

  it('a new search replaces a running one, whose slices then do nothing', () => {
    const { host, events, slice, drain } = harness();
    host.handle({ type: 'explore.start', run: 1, scenario: BENCH_SCENARIO, choice: choice({ preempt: 2 }) });
    slice();
    host.handle({ type: 'explore.start', run: 2, scenario: library('two-threads-fault-same-page'), choice: choice() });
    const before = events.length;
    drain();
    expect(events.slice(before).every((e) => e.run === 2)).toBe(true);
    expect(events.at(-1)?.type).toBe('explore.done');
  });

  it('refuses bad options, a bad scenario and a setup without threads with a message, and searches nothing', () => {
    const { host, events, queue } = harness();
    const sc = library('two-threads-fault-same-page');
    host.handle({ type: 'explore.start', run: 1, scenario: sc, choice: choice({ preempt: 99 }) });
    host.handle({ type: 'explore.start', run: 2, scenario: sc, choice: choice({ results: ['maybe'] }) });
    host.handle({ type: 'explore.start', run: 3, scenario: { ...sc, vnodes: [] }, choice: choice() });
    host.handle({ type: 'explore.start', run: 4, scenario: { ...sc, steps: [] }, choice: choice() });
    expect(queue).toEqual([]);
    expect(events.map((e) => [e.run, e.type])).toEqual([
      [1, 'explore.error'],
      [2, 'explore.error'],
      [3, 'explore.error'],
      [4, 'explore.error'],
    ]);
    const messages = events.map((e) => (e.type === 'explore.error' ? e.message : ''));
    expect(messages[0]).toMatch(/preemption bound must be a whole number from 0 to 4/);
    expect(messages[1]).toMatch(/ok, eio, short:B/);
    expect(messages[2]).toMatch(/^The scenario cannot be explored: /);
    expect(messages[3]).toBe('There are no threads to explore: spawn some calls first.');
  });

  it("says in the lab a caller bug's finding opens in that it is the caller's, not the kernel's", () => {
    const found = (name: string) => exploredSpawns(name).find((f) => f.kind === 'panic')!;
    const bug = found('detach-without-reference-then-attach-kassert');
    expect(bug.callerBug).toBe('t1 starts uvn_detach(vn1) with no reference to give back');
    expect(opened(bug.link).scenario.title).toMatch(
      /^Found by explore: panic: .+ line 235\. From a caller bug, not the kernel's: t1 starts uvn_detach\(vn1\) with no reference to give back, which the seed does not check\.$/,
    );
    const kernels = found('freebsd-sendfile-no-bmap-pager-fail-panics');
    expect(kernels.callerBug).toBeNull();
    expect(opened(kernels.link).scenario.title).not.toMatch(/caller bug/);
  });

  it('explores a FreeBSD setup too', () => {
    const panic = exploredSpawns('freebsd-sendfile-no-bmap-pager-fail-panics').find((f) => f.kind === 'panic')!;
    const { engine, scenario } = opened(panic.link);
    expect(scenario.pager).toBe('freebsd');
    expect(engine.k.s.panic?.message).toBe(panic.message);
  });
});

describe('the Explore dialog state', () => {
  it('folds progress, findings and the end into what the dialog says', () => {
    const ev = (e: Record<string, unknown>) => ({ version: 1, run: 1, ...e }) as ExploreEvent;
    let v: ExploreView = STARTED;
    v = reduceExplore(v, ev({ type: 'explore.progress', schedules: 1200, states: 5000, findings: 1, ms: 2345 }));
    expect(statusText(v)).toBe('Searching: 1,200 schedules, 5,000 states, 1 finding, 2.3 s');
    const f = { kind: 'panic', message: 'm', steps: 4, thread: 't1', link: '#x', final: false } as const;
    v = reduceExplore(v, ev({ type: 'explore.finding', finding: f }));
    v = reduceExplore(v, ev({ type: 'explore.finding', finding: { ...f, steps: 3 } }));
    expect(v.findings.map((x) => x.steps)).toEqual([3]);
    v = reduceExplore(
      v,
      ev({
        type: 'explore.done',
        stats: { schedules: 1300, states: 5100, findings: 1, ms: 3000, exhaustive: false, stopped: true },
        findings: [{ ...f, final: true }],
      }),
    );
    expect(v.status).toBe('done');
    expect(statusText(v)).toBe('Stopped early (not exhaustive): 1,300 schedules, 5,100 states, 1 finding, 3.0 s');
    // Nothing after the end changes it.
    expect(reduceExplore(v, ev({ type: 'explore.progress', schedules: 1, states: 1, findings: 0, ms: 1 }))).toBe(v);
  });

  it('says where kept results were found once the lab shows other threads, another setup or a later session', () => {
    const race = library('two-threads-fault-same-page');
    const searched = { title: race.title!, key: searchKey(race), openedAt: null };
    const where = '“Two threads fault the same page: ';
    // The lab still shows what was searched, whatever steps besides spawns it took since.
    expect(
      searchedNote(searched, { key: searchKey({ ...race, steps: race.steps.filter((s) => 'spawn' in s) }), epoch: 3 }),
    ).toBeNull();
    // Another scenario, or one more thread in this one.
    const other = library('attach-free-vnode-vref-panics');
    const changed = 'the lab shows other threads or another setup now, so Explore again searches those.';
    expect(searchedNote(searched, { key: searchKey(other), epoch: 4 })).toMatch(
      new RegExp(`^Found in ${where}.*”; ${changed}$`),
    );
    const more = {
      ...race,
      steps: [...race.steps, { spawn: 't9', call: 'uvn_attach', args: { vnode: 'vn1', prot: 'r' } }],
    };
    expect(searchedNote(searched, { key: searchKey(more as typeof race), epoch: 3 })).toContain(changed);
    // A finding opened (the lab's session was 3): true while the lab shows it, not after the next load or reset.
    const opened = { ...searched, openedAt: 3 };
    expect(searchedNote(opened, { key: searchKey(other), epoch: 4 })).toContain(
      'the lab now shows one of its schedules',
    );
    expect(searchedNote(opened, { key: searchKey(other), epoch: 5 })).toContain(changed);
  });
});
