/**
 * The schedule explorer (src/engine/explore/search.ts): its reductions find what the naive search finds,
 * a scenario with no race reports nothing, limits stop it honestly, findings come back as small scenarios
 * that show them; enabledSteps; and the command line's formats and exit codes.
 */
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import LZString from 'lz-string';
import { describe, expect, it } from 'vitest';
import { scratchDir } from './fixtures/scratch';
import { PagerEngine } from '../src/engine/engine';
import { Kernel } from '../src/engine/kernel/kernel';
import { panic } from '../src/engine/kernel/sched';
import type { PagerModel } from '../src/engine/model';
import { registerPager } from '../src/engine/registry';
import { findingsAt } from '../src/engine/explore/findings';
import { explore, exploreSteps, type ExploreOptions, type ExploreResult } from '../src/engine/explore/search';
import { enabledSteps } from '../src/engine/explore/steps';
import { runScenario } from '../src/engine/run-scenario';
import { DEFAULT_CHOICE, type ExploreChoice } from '../src/protocol/explore';
import { choiceError } from '../src/worker/explore-host';
import type { Scenario, Step } from '../src/protocol/scenario';
import { parseScenario } from '../src/scenario/schema';
import { parseArgs, runExplore } from '../tools/explore';

function library(name: string): Scenario {
  const parsed = parseScenario(readFileSync(join('scenarios', `${name}.json`), 'utf8'));
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.error));
  return parsed.scenario;
}

const spawn = (id: string, call: string, args: Record<string, unknown>): Step => ({ spawn: id, call, args });

function scenario(vnodes: Scenario['vnodes'], steps: Step[], physPages = 8): Scenario {
  return { format: 'pager-scenario/1', pager: 'openbsd', machine: { physPages }, vnodes, steps };
}

/** Each finding as kind, message and the length of the shortest schedule found (before minimising). */
const summary = (r: ExploreResult) => r.findings.map((f) => `${f.kind}: ${f.message} [${f.schedule.length}]`).sort();

describe('reduced search finds what the naive search finds', () => {
  const cases: [string, Scenario, ExploreOptions][] = [
    ['detach without a reference, then attach', library('detach-without-reference-then-attach-kassert'), {}],
    ['persisting uvn of a free vnode', library('reattach-persisting-uvn-of-free-vnode-vref-panics'), {}],
    ['msync NOWAIT meets a locked vnode', library('msync-nowait-syncio-again-panics'), {}],
    [
      'released page left by a FREE|DEACTIVATE flush',
      library('msync-free-deactivate-leaves-released-page-kassert'),
      {},
    ],
    ['vref, vrele and a blocked vrele', library('vref-vrele-free-list-and-blocked-vrele'), { maxDepth: 10 }],
    ['two faults on one page, with preemption', library('two-threads-fault-same-page'), { preempt: 2 }],
    [
      'FreeBSD: sendfile reads completed out of order (completion routines)',
      library('freebsd-sendfile-two-runs-complete-out-of-order'),
      {},
    ],
    ['FreeBSD: vgone during a read', library('freebsd-vgone-during-read-waits-bovlbx'), { maxDepth: 8 }],
    [
      'attach, fault, terminate, detach, with a preemption',
      scenario(
        [{ name: 'vn1', size: 8192 }],
        [
          spawn('t1', 'uvn_attach', { vnode: 'vn1', prot: 'rw' }),
          spawn('t2', 'fault', { vnode: 'vn1', offset: 0, access: 'write' }),
          spawn('t3', 'uvm_vnp_terminate', { vnode: 'vn1' }),
          spawn('t4', 'uvn_detach', { vnode: 'vn1' }),
        ],
      ),
      { preempt: 1 },
    ],
    [
      'two files, a sync across both, short reads',
      scenario(
        [
          { name: 'vn1', size: 4096 },
          { name: 'vn2', size: 4096, mount: 'm2' },
        ],
        [
          spawn('t1', 'mmap', { vnode: 'vn1', prot: 'rw', shared: true }),
          spawn('t2', 'fault', { vnode: 'vn1', offset: 0, access: 'read' }),
          spawn('t3', 'uvn_attach', { vnode: 'vn2', prot: 'rw' }),
          spawn('t4', 'fault', { vnode: 'vn2', offset: 0, access: 'write' }),
          spawn('t5', 'uvm_vnp_sync', {}),
        ],
      ),
      { results: ['ok', 'short:100'], maxDepth: 12 },
    ],
  ];

  it.each(cases)('%s', (_name, sc, options) => {
    const base: ExploreOptions = { minimise: false, ...options };
    const naive = explore(sc, { ...base, reduce: false, cache: false });
    const reduced = explore(sc, { ...base, checkInvariants: true });
    expect(naive.stats.stopped).toBe(false);
    expect(reduced.stats.stopped).toBe(false);
    expect(summary(reduced)).toEqual(summary(naive));
    expect(reduced.stats.exhaustive).toBe(naive.stats.exhaustive);
    // Never more states than the naive search (the "prunes" test below asks that they do fewer).
    expect(reduced.stats.states).toBeLessThanOrEqual(naive.stats.states);
  });

  it('a cache too small to hold the states only prunes less', () => {
    const sc = library('vref-vrele-free-list-and-blocked-vrele');
    const full = explore(sc, { minimise: false, maxDepth: 10 });
    const tiny = explore(sc, { minimise: false, maxDepth: 10, cacheLimit: 1 });
    expect(summary(tiny)).toEqual(summary(full));
    expect(tiny.stats.cacheHits).toBeLessThan(full.stats.cacheHits);
  });

  it('prunes: sleep sets and the cache cut the states of independent threads', () => {
    const sc = scenario(
      [
        { name: 'vn1', size: 4096 },
        { name: 'vn2', size: 4096 },
      ],
      [
        spawn('t1', 'uvn_attach', { vnode: 'vn1', prot: 'r' }),
        spawn('t2', 'uvn_attach', { vnode: 'vn2', prot: 'r' }),
        spawn('t3', 'vref', { vnode: 'vn2' }),
      ],
    );
    const naive = explore(sc, { reduce: false, cache: false });
    const reduced = explore(sc);
    expect(summary(reduced)).toEqual(summary(naive));
    expect(reduced.stats.sleepPruned + reduced.stats.cacheHits).toBeGreaterThan(0);
    expect(reduced.stats.states).toBeLessThan(naive.stats.states);
  });
});

describe('explore', () => {
  it('reports nothing when no schedule goes wrong, and says the search was exhaustive', () => {
    const sc = scenario(
      [{ name: 'vn1', size: 8192 }],
      [
        spawn('t1', 'uvn_attach', { vnode: 'vn1', prot: 'r' }),
        spawn('t2', 'uvn_attach', { vnode: 'vn1', prot: 'r' }),
        spawn('t3', 'vref', { vnode: 'vn1' }),
      ],
    );
    const r = explore(sc, { preempt: 2 });
    expect(r.findings).toEqual([]);
    expect(r.stats.exhaustive).toBe(true);
    // It did look: every order of the three, with steps in between.
    expect(r.stats.states).toBeGreaterThan(20);
  });

  it('stops at --max-schedules and says it was not exhaustive', () => {
    const sc = library('recycle-terminate-waits-for-late-fault-read');
    const r = explore(sc, { maxSchedules: 5 });
    expect(r.stats.schedules).toBe(5);
    expect(r.stats.stopped).toBe(true);
    expect(r.stats.exhaustive).toBe(false);
  });

  it('tries every short schedule before any long one: a budget that stops it keeps the short findings', () => {
    // Two 2-run panics on vn1 behind five threads faulting vn2: a depth-first search from the first thread
    // spends the budget under `run t1` and finds the vref panic only by a 4-run order, never the KASSERT.
    const read = (id: string, offset: number) => spawn(id, 'fault', { vnode: 'vn2', offset, access: 'read' });
    const sc = scenario(
      [
        { name: 'vn1', size: 4096 },
        { name: 'vn2', size: 8192 },
      ],
      [
        spawn('t1', 'uvn_attach', { vnode: 'vn1', prot: 'r' }),
        spawn('t2', 'uvn_attach', { vnode: 'vn1', prot: 'r' }),
        spawn('t3', 'uvn_detach', { vnode: 'vn1' }),
        spawn('t4', 'vrele', { vnode: 'vn1' }),
        spawn('t5', 'uvn_attach', { vnode: 'vn2', prot: 'rw' }),
        read('t6', 0),
        read('t7', 4096),
        read('t8', 0),
        read('t9', 4096),
      ],
      16,
    );
    const r = explore(sc, { maxSchedules: 3000, minimise: false });
    expect(r.stats.stopped).toBe(true);
    expect(summary(r)).toEqual([
      'panic: kernel diagnostic assertion "uvn->u_obj.uo_refs == 0" failed: file "sys/uvm/uvm_vnode.c", line 235 [2]',
      'panic: vref used where vget required [2]',
    ]);
  });

  it('tells of each ended schedule once, though every pass of the deepening ends the short ones again', () => {
    const told: string[] = [];
    const r = explore(library('two-threads-fault-same-page'), {
      minimise: false,
      onSchedule: (schedule) => told.push(JSON.stringify(schedule)),
    });
    expect(r.stats.exhaustive).toBe(true);
    expect(told.length).toBeGreaterThan(5);
    expect(new Set(told).size).toBe(told.length);
  });

  it('is not exhaustive when the depth limit cuts a path', () => {
    const r = explore(library('two-threads-fault-same-page'), { maxDepth: 2 });
    expect(r.stats.depthCuts).toBeGreaterThan(0);
    expect(r.stats.exhaustive).toBe(false);
  });

  it('hands back control with its progress, and stops when told', () => {
    let calls = 0;
    const search = exploreSteps(library('vref-vrele-free-list-and-blocked-vrele'), {
      progressMs: 0,
      shouldStop: () => ++calls > 40,
    });
    let slices = 0;
    let r = search.next();
    for (; !r.done; r = search.next()) slices++;
    expect(slices).toBeGreaterThan(0);
    expect(r.value.stats.stopped).toBe(true);
  });

  it('finds a panic and hands back a minimal scenario that shows it', () => {
    const sc = library('msync-nowait-syncio-again-panics');
    const r = explore(sc);
    expect(r.findings.map((f) => f.kind)).toEqual(['panic']);
    const f = r.findings[0]!;
    expect(f.message).toBe("uvn_flush: PGO_SYNCIO return 'try again' error (impossible)");
    expect(f.steps).toBe(f.scenario.steps.length);
    expect(f.steps).toBeLessThanOrEqual(sc.steps.length);
    // It parses as a scenario, and replaying it ends in that panic with every step accepted.
    const parsed = parseScenario(JSON.stringify(f.scenario));
    expect(parsed.ok).toBe(true);
    const run = runScenario(f.scenario);
    expect(run.refused).toBeNull();
    expect(run.engine.k.s.panic?.message).toBe(f.message);
    // Minimal: without any one of its steps it no longer shows the panic.
    for (let i = 0; i < f.scenario.steps.length; i++) {
      const fewer = { ...f.scenario, steps: f.scenario.steps.filter((_, j) => j !== i) };
      const again = runScenario(fewer);
      expect(again.refused === null && again.engine.k.s.panic?.message === f.message).toBe(false);
    }
  });

  it('finds a hang, naming what each stuck thread waits on', () => {
    let seen = false;
    const r = explore(library('recycle-terminate-hangs-when-late-fault-page-survives'), {
      onFinding: (f) => (seen ||= f.kind === 'hang' && f.message === 't6 sleep uvn_term'),
      shouldStop: () => seen,
    });
    const hang = r.findings.find((f) => f.kind === 'hang' && f.message === 't6 sleep uvn_term');
    expect(hang).toBeDefined();
    const run = runScenario(hang!.scenario);
    expect(run.refused).toBeNull();
    const stuck = run.engine.k.s.threads.filter((t) => t.status !== 'done').map((t) => [t.id, t.status, t.wait]);
    expect(stuck).toEqual([['t6', 'sleep', 'uvn_term']]);
    expect(run.engine.k.s.io).toEqual([]);
  });

  it('finds a leak once every thread is done', () => {
    // A fault after terminate and the last detach killed the uvn (a caller bug: the mapping is gone) reads
    // its page into a uvn that is not VALID, where it stays.
    const sc = scenario(
      [{ name: 'vn1', size: 8192 }],
      [
        spawn('t1', 'uvn_attach', { vnode: 'vn1', prot: 'rw' }),
        spawn('t2', 'fault', { vnode: 'vn1', offset: 0, access: 'write' }),
        spawn('t3', 'uvm_vnp_terminate', { vnode: 'vn1' }),
        spawn('t4', 'uvn_detach', { vnode: 'vn1' }),
      ],
    );
    const r = explore(sc);
    const messages = r.findings.filter((f) => f.kind === 'leak').map((f) => f.message);
    expect(messages).toContain('vn1: uvn is not VALID but holds 1 page');
    const leak = r.findings.find((f) => f.message === 'vn1: uvn is not VALID but holds 1 page')!;
    const run = runScenario(leak.scenario);
    expect(findingsAt(run.engine.k, run.engine.model, leak.scenario).map((x) => x.message)).toContain(leak.message);
  });

  it("no OpenBSD library scenario that ends with every thread done reports a leak but the C's own", () => {
    const known: Record<string, string[]> = {
      'terminate-cancels-relkill-detach-returns-early': ['leak: vn1: usecount is 2, expected 1 (1 open)'],
    };
    let finished = 0;
    for (const file of readdirSync('scenarios').filter((f) => f.endsWith('.json') && !f.startsWith('freebsd-'))) {
      const name = file.replace(/\.json$/, '');
      const sc = library(name);
      const { engine } = runScenario(sc);
      const k = engine.k;
      if (k.s.panic || k.s.io.length > 0 || k.s.threads.some((t) => t.status !== 'done')) continue;
      finished++;
      const found = findingsAt(k, engine.model, sc).map((f) => `${f.kind}: ${f.message}`);
      expect(found, name).toEqual(known[name] ?? []);
    }
    expect(finished).toBeGreaterThanOrEqual(20);
  });

  it("reports the vnode reference a detach keeps when terminate cancels its RELKILL (the C's own), on a dead vnode", () => {
    // uvn_detach sleeps in the RELKILL loop (356-360); a revoke's terminate clears RELKILL (455-456), so the
    // detach returns at 364-366 without its vrele (387), and terminate, finding uo_refs 0, clears the uvn
    // (517-523) assuming the vref gone. The revoked vnode keeps a use reference nobody will give back.
    const leak = 'vn1: usecount is 2, expected 1 (1 open)';
    const sc = library('terminate-cancels-relkill-detach-returns-early');
    const own = runScenario(sc);
    const k = own.engine.k;
    expect(own.refused).toBeNull();
    expect(k.s.threads.every((t) => t.status === 'done') && k.s.io.length === 0).toBe(true);
    expect(k.vnode('vn1').state).toBe('dead');
    expect(findingsAt(k, own.engine.model, sc)).toEqual([{ kind: 'leak', message: leak }]);

    // Found from the spawns alone, by run steps only (the library scenario steps a thread part-way).
    let seen = false;
    const r = explore(
      { ...sc, steps: sc.steps.filter((s) => 'spawn' in s) },
      {
        onFinding: (f) => (seen ||= f.kind === 'leak' && f.message === leak),
        shouldStop: () => seen,
      },
    );
    const found = r.findings.find((f) => f.kind === 'leak' && f.message === leak);
    expect(found, summary(r).join(' | ')).toBeDefined();
    const replay = runScenario(found!.scenario);
    expect(replay.engine.k.vnode('vn1').state).toBe('dead');
    expect(findingsAt(replay.engine.k, replay.engine.model, found!.scenario).map((f) => f.message)).toContain(leak);
  });

  it('spawns a thread whose precondition does not hold at boot once it does (a recycle of a vnode in use)', () => {
    const sc = scenario(
      [{ name: 'vn1', size: 4096 }],
      [spawn('t1', 'recycle', { vnode: 'vn1' }), spawn('t2', 'vrele', { vnode: 'vn1' })],
    );
    const r = explore(sc);
    // vrele frees the vnode; only then can the recycle start, and it runs to its end: no finding.
    expect(r.findings).toEqual([]);
    expect(r.stats.schedules).toBeGreaterThan(0);
  });
});

describe('enabledSteps', () => {
  it('lists run and step of each ready thread, then each request with each result, in order', () => {
    const e = new PagerEngine(library('two-threads-fault-same-page'));
    for (const s of [
      spawn('t1', 'uvn_attach', { vnode: 'vn1', prot: 'rw' }),
      { run: 't1' },
      spawn('t2', 'fault', { vnode: 'vn1', offset: 0, access: 'read' }),
      spawn('t3', 'fault', { vnode: 'vn1', offset: 0, access: 'read' }),
      { run: 't2' },
    ])
      expect(e.apply(s)).toBeNull();
    expect(enabledSteps(e)).toEqual([
      { run: 't3' },
      { step: 't3' },
      { complete: 1, result: 'ok' },
      { complete: 1, result: 'eio' },
    ]);
    expect(enabledSteps(e, { steps: false, results: ['short:4095', 'short:4096', 'ok'] })).toEqual([
      { run: 't3' },
      { complete: 1, result: 'short:4095' },
      { complete: 1, result: 'ok' },
    ]);
    // Every one of them is possible.
    for (const s of enabledSteps(e)) {
      const copy = new PagerEngine(library('two-threads-fault-same-page'));
      const prefix: Step[] = [
        spawn('t1', 'uvn_attach', { vnode: 'vn1', prot: 'rw' }),
        { run: 't1' },
        spawn('t2', 'fault', { vnode: 'vn1', offset: 0, access: 'read' }),
        spawn('t3', 'fault', { vnode: 'vn1', offset: 0, access: 'read' }),
        { run: 't2' },
      ];
      for (const p of prefix) copy.apply(p);
      expect(copy.apply(s)).toBeNull();
    }
  });

  it('offers nothing after a panic', () => {
    const run = runScenario(library('attach-free-vnode-vref-panics'));
    expect(run.engine.k.s.panic).not.toBeNull();
    expect(enabledSteps(run.engine)).toEqual([]);
  });
});

describe('command line (tools/explore.ts)', () => {
  const dir = scratchDir('pager-lab-explore-');
  let n = 0;
  const file = (content: unknown) => {
    const path = join(dir, `s${++n}.json`);
    writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
    return path;
  };
  async function run(argv: string[]) {
    const out: string[] = [];
    let err = '';
    const code = await runExplore(argv, {
      out: (l) => out.push(l),
      err: (t) => (err += t),
      tty: false,
      interrupted: () => false,
    });
    return { code, out, err };
  }

  it('parses its options', () => {
    expect(parseArgs(['a.json', '--results', 'ok,short:12', '--preempt', '2', '--max-depth', '9', '--json'])).toEqual({
      file: 'a.json',
      results: ['ok', 'short:12'],
      preempt: 2,
      maxDepth: 9,
      maxSchedules: 100_000,
      json: true,
    });
    expect(parseArgs(['a.json', '--results', 'fine'])).toMatch(/--results/);
    // Only the results a scenario may hold: a finding's scenario and link carry them to the runner and the lab.
    expect(parseArgs(['a.json', '--results', 'ok,short:00'])).toBe(
      '--results needs a list of ok, eio, short:B (B a whole number of bytes up to 2^53 - 1, no leading zero), got "short:00"',
    );
    expect(parseArgs(['a.json', '--results', 'short:9007199254740992'])).toMatch(/got "short:9007199254740992"$/);
    expect(parseArgs(['a.json', '--results', 'short:9007199254740991,eio'])).toMatchObject({
      results: ['short:9007199254740991', 'eio'],
    });
    expect(parseArgs(['a.json', '--preempt'])).toBe('--preempt needs a whole number from 0 to 2^53 - 1, got nothing');
    expect(parseArgs(['a.json', '--max-schedules', '0'])).toBe(
      '--max-schedules needs a whole number from 1 to 2^53 - 1, got "0"',
    );
    // What was found, as the scenario reader says it: a number past 2^53 - 1 is a whole number all the same.
    expect(parseArgs(['a.json', '--max-depth', '99999999999999999999'])).toBe(
      '--max-depth needs a whole number from 1 to 2^53 - 1, got "99999999999999999999"',
    );
    // Said twice: refused rather than one of them taken silently, as the exercise tool does.
    expect(parseArgs(['a.json', '--preempt', '1', '--preempt', '2'])).toBe('--preempt given twice');
    expect(parseArgs(['a.json', '--results', 'ok', '--results', 'eio'])).toBe('--results given twice');
    expect(parseArgs(['a.json', 'b.json'])).toMatch(/one scenario file/);
    expect(parseArgs(['a.json', '--bogus'])).toMatch(/unknown option --bogus/);
    // A single dash is an option too, and `--` ends them: a file named like one comes after it.
    expect(parseArgs(['-j', 'a.json'])).toBe('unknown option -j');
    expect(parseArgs(['--json', '--', '--json'])).toMatchObject({ file: '--json', json: true });
  });

  it('--json: a line per finding with exactly its keys, a link that decodes to the scenario, then the summary; exit 1', async () => {
    const r = await run([join('scenarios', 'msync-nowait-syncio-again-panics.json'), '--json']);
    expect(r.code).toBe(1);
    expect(r.err).toBe('');
    const lines = r.out.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toHaveLength(2);
    const [finding, summaryLine] = lines as [Record<string, unknown>, Record<string, unknown>];
    expect(Object.keys(finding)).toEqual(['kind', 'message', 'steps', 'scenario', 'link', 'callerBug']);
    expect(finding.callerBug).toBeNull();
    expect(finding.kind).toBe('panic');
    const sc = finding.scenario as Scenario;
    expect(finding.steps).toBe(sc.steps.length);
    const link = finding.link as string;
    expect(link).toMatch(new RegExp(`^#scenario=[A-Za-z0-9+\\-$]+&at=${sc.steps.length}$`));
    const encoded = link.slice('#scenario='.length, link.lastIndexOf('&at='));
    expect(JSON.parse(LZString.decompressFromEncodedURIComponent(encoded))).toEqual(sc);
    expect(Object.keys(summaryLine)).toEqual(['schedules', 'states', 'findings', 'ms', 'exhaustive']);
    expect(summaryLine).toMatchObject({ findings: 1, exhaustive: true });
  });

  it("says of a finding a caller bug led to what the Explore dialog says, in text, in --json and in its link's title", async () => {
    const path = join('scenarios', 'detach-without-reference-then-attach-kassert.json');
    const note =
      "From a caller bug, not the kernel's: t1 starts uvn_detach(vn1) with no reference to give back, which the seed does not check.";
    const text = await run([path]);
    expect(text.code).toBe(1);
    const at = text.out.findIndex((l) => l.startsWith('panic: '));
    expect(text.out[at + 1]).toBe(`  ${note}`);
    const json = await run([path, '--json']);
    const finding = JSON.parse(json.out[0]!) as { callerBug: string | null; scenario: Scenario; link: string };
    expect(finding.callerBug).toBe('t1 starts uvn_detach(vn1) with no reference to give back');
    // The lab the link opens says it under "About this scenario", as a link from the dialog does.
    expect(finding.scenario.title).toMatch(new RegExp(`\\. ${note.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`));
    const encoded = finding.link.slice('#scenario='.length, finding.link.lastIndexOf('&at='));
    expect(JSON.parse(LZString.decompressFromEncodedURIComponent(encoded))).toEqual(finding.scenario);
    // The kernel's own finding says nothing of a caller.
    const kernels = await run([join('scenarios', 'msync-nowait-syncio-again-panics.json')]);
    expect(kernels.out.join('\n')).not.toMatch(/caller bug/);
  });

  it('exits 0 with no finding; text mode says so', async () => {
    const path = file(
      scenario([{ name: 'vn1', size: 4096 }], [spawn('t1', 'uvn_attach', { vnode: 'vn1', prot: 'r' })]),
    );
    const json = await run([path, '--json']);
    expect(json.code).toBe(0);
    expect(json.out.map((l) => JSON.parse(l) as unknown)).toEqual([
      { schedules: 1, states: 1, findings: 0, ms: expect.any(Number) as number, exhaustive: true },
    ]);
    const text = await run([path]);
    expect(text.code).toBe(0);
    expect(text.out.at(-1)).toMatch(/^1 schedules, 1 states, 0 findings in \d+\.\d s \(exhaustive/);
  });

  it("exits 2 on an invalid scenario with the runner's message, and on bad options with the usage", async () => {
    const bad = await run([
      file({ format: 'pager-scenario/1', pager: 'openbsd', vnodes: [], steps: [{ run: 't1', x: 1 }] }),
    ]);
    expect(bad.code).toBe(2);
    expect(bad.out).toEqual([]);
    expect(bad.err).toBe('step 0: x: unknown key\n');
    const opts = await run(['--preempt', 'x']);
    expect(opts.code).toBe(2);
    expect(opts.err).toMatch(
      /^--preempt needs a whole number from 0 to 2\^53 - 1, got "x"\nusage: npm run --silent explore -- FILE\.json/,
    );
    const missing = await run([join(dir, 'nothing.json')]);
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/^step -1: cannot read /);
  });

  it('reads its file as the runner does: bytes that are not UTF-8 named, not read as U+FFFD', async () => {
    // A Latin-1 "é" in the title: decoded leniently it became U+FFFD and the search ran on a changed title.
    const latin1 = join(dir, 'latin1.json');
    const text = JSON.stringify({ format: 'pager-scenario/1', pager: 'openbsd', title: 'caf#', vnodes: [], steps: [] });
    const at = text.indexOf('#');
    writeFileSync(
      latin1,
      Buffer.concat([Buffer.from(text.slice(0, at)), Buffer.from([0xe9]), Buffer.from(text.slice(at + 1))]),
    );
    const r = await run([latin1]);
    expect(r.err).toBe(`step -1: the file is not valid UTF-8 at byte ${at} (0xe9)\n`);
    expect(r.out).toEqual([]);
    expect(r.code).toBe(2);
  });

  it('runs as `npm run explore`, exit code included', async () => {
    const tsx = join('node_modules', '.bin', 'tsx');
    const result = await new Promise<{ code: number; stdout: string }>((resolve) =>
      execFile(
        tsx,
        ['tools/explore.ts', join('scenarios', 'detach-without-reference-then-attach-kassert.json'), '--json'],
        { encoding: 'utf8' },
        (error, stdout) => resolve({ code: error ? Number(error.code) : 0, stdout }),
      ),
    );
    expect(result.code).toBe(1);
    const last = JSON.parse(result.stdout.trim().split('\n').at(-1)!) as { findings: number };
    expect(last.findings).toBe(1);
  });
});

describe('property order', () => {
  // A toy pager: `add` puts a key in a record, `list` lists the record's keys and panics when it sees "b"
  // before "a". Two adds commute but for the order of the keys, which only the listing sees.
  const toy: PagerModel = {
    pager: 'toy-order',
    profile: {
      calls: [
        { name: 'add', summary: '', args: [] },
        { name: 'list', summary: '', args: [] },
      ],
    } as never,
    seed: { file: '', sourceDir: '' },
    scenarioKeys: { machine: [], vnode: [], mounts: false },
    unreachableLines: {},
    boot: () =>
      new Kernel({
        freePages: 0,
        nextPageId: 1,
        vnodes: [],
        threads: [],
        locks: {},
        io: [],
        nextIoId: 1,
        panic: null,
        pager: { record: {} as Record<string, number> },
      }),
    spawn(k, th, call, args) {
      const pager = k.s.pager as { record: Record<string, number> };
      return (function* () {
        yield 'start';
        if (call === 'add') pager.record[args.key as string] = 1;
        else if (Object.keys(pager.record).join() === 'b,a') yield* panic(k, th, 'b before a');
        return null;
      })();
    },
    digest: (k, step) => ({ step, panic: k.s.panic?.message ?? null, freePages: 0 }),
    views: {},
  };
  registerPager(toy);
  const sc: Scenario = {
    format: 'pager-scenario/1',
    pager: 'toy-order',
    vnodes: [],
    steps: [spawn('t1', 'add', { key: 'a' }), spawn('t2', 'add', { key: 'b' }), spawn('t3', 'list', {})],
  };

  it('a step that lists properties makes their order count, and the search still finds what depends on it', () => {
    const naive = explore(sc, { reduce: false, cache: false });
    const reduced = explore(sc);
    expect(summary(naive)).toEqual(['panic: b before a [3]']);
    expect(summary(reduced)).toEqual(summary(naive));
  });
});

describe("the lab's Explore dialog takes the results a scenario may hold", () => {
  const choice = (results: unknown[]) => ({ ...DEFAULT_CHOICE, results }) as unknown as ExploreChoice;
  it('as the scenario reader and the command line do: no leading zeros, B at most 2^53 - 1', () => {
    expect(choiceError(choice(['ok', 'eio', 'short:0', 'short:512', 'short:9007199254740991']))).toBeNull();
    for (const bad of ['short:007', 'short:9007199254740992', 'short:1.5', 'done', 3])
      expect(choiceError(choice(['ok', bad]))).toBe('Results must be a list of ok, eio, short:B.');
  });
});
