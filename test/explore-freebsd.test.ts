/**
 * The explorer checks FreeBSD too: the model's `invariants` hook is freebsdInvariants, its `leaks` hook
 * says what a finished run left behind (src/engine/freebsd/leaks.ts), and a FreeBSD library panic and
 * hang are found from their spawns alone.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { findingsAt } from '../src/engine/explore/findings';
import { checkInvariants } from '../src/engine/explore/invariants';
import { explore } from '../src/engine/explore/search';
import { PagerEngine } from '../src/engine/engine';
import { Session } from '../src/engine/session';
import type { BsdKernel } from '../src/engine/freebsd/state';
import { FREEBSD } from '../src/engine/freebsd/model';
import type { Scenario } from '../src/protocol/scenario';
import { setupOf } from '../src/protocol/scenario';
import { parseScenario } from '../src/scenario/schema';

function library(name: string): Scenario {
  const parsed = parseScenario(readFileSync(`scenarios/${name}.json`, 'utf8'));
  if (!parsed.ok) throw new Error(`${name}: ${JSON.stringify(parsed)}`);
  return parsed.scenario;
}

const spawnsOnly = (sc: Scenario): Scenario => ({ ...sc, steps: sc.steps.filter((s) => 'spawn' in s) });

const freebsdNames = readdirSync('scenarios')
  .filter((f) => f.startsWith('freebsd-') && f.endsWith('.json'))
  .map((f) => f.replace(/\.json$/, ''))
  .sort();

/** Run a scenario to its end, checking the invariants after every step. */
function runChecked(sc: Scenario): PagerEngine {
  const e = new PagerEngine(setupOf(sc));
  const memo = {};
  for (const [i, step] of sc.steps.entries()) {
    expect(e.apply(step), `step ${i}`).toBeNull();
    expect(checkInvariants(e, memo), `after step ${i}`).toEqual([]);
  }
  return e;
}

describe('leaks in the lab', () => {
  it("a snapshot says what every thread done left behind, as the explorer's leak finding does; not before", () => {
    const sc = library('freebsd-sendfile-smlfs-bogus-page-read-once-then-skipped');
    const session = new Session(setupOf(sc));
    for (const step of sc.steps) expect(session.apply(step)).toBeNull();
    expect(session.snapshot().leaks).toEqual(['obj1: page 0, 3 left exclusive busy']);
    // A step before the last: a thread is still running, nothing is a leak yet.
    expect(session.seek(sc.steps.length - 1).leaks).toEqual([]);
    expect(session.seek(0).leaks).toEqual([]);
  });
});

describe('FreeBSD hooks', () => {
  it('the FreeBSD model carries the invariants and leaks hooks', () => {
    expect(FREEBSD.invariants).toBeTypeOf('function');
    expect(FREEBSD.leaks).toBeTypeOf('function');
  });

  it("no library scenario that ends with every thread done reports a leak but the C's own, and every state keeps the invariants", () => {
    // The small-block path of an asynchronous getpages returns without calling sendfile_iodone (seed lines
    // 819-828): the C leaves the run's read pages busy, and the leak check says so.
    const knownLeaks: Record<string, readonly string[]> = {
      'freebsd-sendfile-smlfs-bogus-page-read-once-then-skipped': ['obj1: page 0, 3 left exclusive busy'],
    };
    let finished = 0;
    for (const name of freebsdNames) {
      const sc = library(name);
      const e = runChecked(sc);
      const k = e.k;
      if (k.s.panic || k.s.io.length > 0 || k.s.threads.some((t) => t.status !== 'done')) continue;
      finished++;
      expect(findingsAt(k, e.model, setupOf(sc)), name).toEqual(
        (knownLeaks[name] ?? []).map((message) => ({ kind: 'leak', message })),
      );
    }
    // Most of the FreeBSD library ends with every thread done: the check above must have had work.
    expect(finished).toBeGreaterThanOrEqual(20);
  });

  it('reports what a finished run left behind: paging in progress, busy pages, use and write counts', () => {
    // The first library scenario that ends with every thread done and a resident page of a live object.
    const found = freebsdNames
      .map((name) => ({ sc: library(name), e: new PagerEngine(setupOf(library(name))) }))
      .find(({ sc, e }) => {
        for (const step of sc.steps) e.apply(step);
        const k = e.k as BsdKernel;
        const done = !k.s.panic && k.s.io.length === 0 && k.s.threads.every((t) => t.status === 'done');
        return done && Object.values(k.bsd.objects).some((o) => o.type === 'OBJT_VNODE' && o.memq.length > 0);
      });
    expect(found, 'a finished scenario with a resident page').toBeDefined();
    const { sc, e } = found!;
    const k = e.k as BsdKernel;
    expect(findingsAt(k, e.model, setupOf(sc))).toEqual([]);
    const obj = Object.values(k.bsd.objects).find((o) => o.type === 'OBJT_VNODE' && o.memq.length > 0)!;
    const vp = k.s.vnodes.find((v) => v.v_object === obj.id)!;
    const page = k.bsd.pages[obj.pageAt[obj.memq[0]!]!]!;
    const opens = vp.usecount - obj.ref_count;
    obj.paging_in_progress = 1;
    page.xbusy = true;
    vp.usecount += 1;
    vp.writecount += 1;
    const messages = findingsAt(k, e.model, setupOf(sc)).map((f) => `${f.kind}: ${f.message}`);
    const refs = `${obj.ref_count} reference${obj.ref_count === 1 ? '' : 's'}`;
    expect(messages).toEqual([
      `leak: obj${obj.id}: paging_in_progress is 1 with every thread done`,
      `leak: obj${obj.id}: page ${page.pindex} left exclusive busy`,
      `leak: ${vp.name}: usecount is ${vp.usecount}, expected ${vp.usecount - 1} (${opens} open${opens === 1 ? '' : 's'} + ${refs} of obj${obj.id})`,
      `leak: ${vp.name}: writecount is ${vp.writecount}, expected ${vp.writecount - 1}`,
    ]);
  });
});

describe('explore on FreeBSD', () => {
  it.each([
    'freebsd-open-without-use-reference-panics',
    'freebsd-sendfile-no-bmap-pager-fail-panics',
    'freebsd-sendfile-smlfs-reads-synchronously-eio-panics',
  ])('finds the panic of %s from its spawns alone, and its scenario shows it', (name) => {
    const sc = library(name);
    const own = new PagerEngine(setupOf(sc));
    for (const step of sc.steps) own.apply(step);
    const message = own.k.s.panic?.message;
    expect(message).toBeTruthy();
    const r = explore(spawnsOnly(sc), { maxSchedules: 20_000 });
    const f = r.findings.find((x) => x.kind === 'panic' && x.message === message);
    expect(f, r.findings.map((x) => x.message).join(' | ')).toBeDefined();
    const replay = new PagerEngine(setupOf(f!.scenario));
    for (const step of f!.scenario.steps) expect(replay.apply(step)).toBeNull();
    expect(replay.k.s.panic?.message).toBe(message);
  });

  it('exhausts the vgone-during-read race with the invariants checked at every node, and finds nothing', () => {
    // vgone waits "bovlbx" for the read and the read finishes: no schedule of these calls panics, hangs or leaks.
    const sc = library('freebsd-vgone-during-read-waits-bovlbx');
    const r = explore(spawnsOnly(sc), { checkInvariants: true });
    expect(r.stats.exhaustive).toBe(true);
    expect(r.stats.schedules).toBeGreaterThan(1);
    expect(r.findings.map((f) => `${f.kind}: ${f.message}`)).toEqual([]);
  });
});
