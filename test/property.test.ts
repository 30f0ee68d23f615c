/**
 * Property tests of the engine: thousands of random step sequences, each built
 * against a live PagerEngine so that most steps are possible (run a ready
 * thread, complete a request in flight) and some are deliberately impossible.
 * After every step: the digest is well-formed as scenario-format.md fixes it,
 * and, unless the kernel has panicked, the kernel's own invariants hold.
 * Then: the same steps replayed give the same digests; a Session forked after
 * seeking back equals a fresh run; applyDelta(diffSnapshots(a, b)) equals b.
 *
 * A choice is a handful of random numbers read against the state reached
 * (src/engine/explore/random.ts), so fast-check shrinks a failing sequence by
 * dropping choices and the rest still mean something. A failure prints the
 * minimal scenario as JSON. The invariants are src/engine/explore/invariants.ts
 * with the OpenBSD model's own (src/engine/openbsd/invariants.ts).
 *
 * Two kinds of caller (random-openbsd.ts): a chaotic one calls anything on any
 * vnode, and most such runs end in a panic; a disciplined one behaves like the
 * kernel's real callers and, so far, never panics. Set PROPERTY_NO_PANIC=1 to
 * make a disciplined panic fail and shrink to a scenario.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PagerEngine } from '../src/engine/engine';
import { checkInvariants } from '../src/engine/explore/invariants';
import { chooseStep, randomCaller, type Choice } from '../src/engine/explore/random';
import type { InvariantMemo } from '../src/engine/model';
import { PG_INFO, UVN_FLAG_INFO } from '../src/engine/openbsd/flags';
import type { OpenBsdDigest } from '../src/engine/openbsd/views';
import { scenarioDigests } from '../src/engine/run-scenario';
import { Session } from '../src/engine/session';
import { SnapshotBuilder } from '../src/engine/view';
import { applyDelta, diffSnapshots } from '../src/protocol/delta';
import type { FlagInfo } from '../src/protocol/profile';
import type { Scenario, Setup, Step, VnodeSpec } from '../src/protocol/scenario';
import type { PageView, ThreadView, ViewSnapshot } from '../src/protocol/snapshot';
import { parseScenario } from '../src/scenario/schema';
import { snapshotView } from './fixtures/views';

type Digest = OpenBsdDigest;

const PAGE = 4096;

// ---------------------------------------------------------------- generators

const choiceArb: fc.Arbitrary<Choice> = fc.record({
  kind: fc.nat(99),
  a: fc.nat(),
  b: fc.nat(),
  c: fc.nat(),
  d: fc.nat(),
});

const sizeArb = fc.oneof(
  fc.nat(12).map((n) => n * PAGE),
  fc.nat(60_000),
  fc.constantFrom(0, 1, 511, 4095, 4097, 65_536, 65_537, 73_728 + 100),
);

const vnodeArb = fc.record({
  size: sizeArb,
  type: fc.constantFrom<'VREG' | 'VBLK'>('VREG', 'VREG', 'VBLK'),
  mount: fc.constantFrom('m1', 'm2'),
  usecount: fc.nat(2),
  vtext: fc.boolean(),
});

const setupArb: fc.Arbitrary<Setup> = fc
  .record({ physPages: fc.integer({ min: 1, max: 12 }), vnodes: fc.array(vnodeArb, { minLength: 1, maxLength: 3 }) })
  .map(({ physPages, vnodes }) => ({
    pager: 'openbsd',
    machine: { physPages },
    vnodes: vnodes.map((v, i): VnodeSpec => ({ name: `vn${i + 1}`, ...v })),
  }));

// ---------------------------------------------------------------- checks

/** What the runs covered, printed at the end. */
const stats = { runs: 0, steps: 0, refused: 0, panics: 0, io: 0, nioResets: 0, leakedVnlocks: 0 };

class Broken extends Error {}
function check(cond: unknown, what: string): asserts cond {
  if (!cond) throw new Broken(what);
}

const DIGEST_KEYS = ['step', 'panic', 'freePages', 'threads', 'vnodes', 'io'];
const THREAD_KEYS = ['id', 'call', 'status', 'wait', 'ret'];
const VNODE_KEYS = ['name', 'usecount', 'vflag', 'state', 'size', 'uvn'];
const UVN_KEYS = ['flags', 'refs', 'size', 'nio', 'npages', 'pages'];
const PAGE_KEYS = ['offset', 'flags', 'queue', 'wired', 'mapped', 'modified'];
const IO_KEYS = ['id', 'thread', 'vnode', 'rw', 'offset', 'length'];
const SLEEP_MESSAGES = new Set([
  'uvn_attach',
  'uvn_term',
  'uvn_flsh',
  'uvn_flush',
  'uvn_get',
  'uvn_getpage',
  'uvn_iosync',
]);
const PAGER_RESULTS = new Set([
  'VM_PAGER_OK',
  'VM_PAGER_BAD',
  'VM_PAGER_FAIL',
  'VM_PAGER_PEND',
  'VM_PAGER_ERROR',
  'VM_PAGER_AGAIN',
  'VM_PAGER_UNLOCK',
]);

const isUint = (n: unknown): n is number => typeof n === 'number' && Number.isSafeInteger(n) && n >= 0;

function keysAre(o: object, keys: readonly string[], what: string): void {
  check(JSON.stringify(Object.keys(o)) === JSON.stringify(keys), `${what}: keys ${Object.keys(o).join(',')}`);
}

function inBitOrder(names: readonly string[], table: readonly FlagInfo[], what: string): void {
  const order = table.map((f) => f.name);
  let last = -1;
  for (const n of names) {
    const at = order.indexOf(n);
    check(at > last, `${what}: ${names.join('|')} not distinct known names in ascending bit order`);
    last = at;
  }
}

/** The digest is exactly what scenario-format.md prints. */
function checkDigest(d: Digest, setup: Setup, stepIndex: number): void {
  keysAre(d, DIGEST_KEYS, 'digest');
  check(d.step === stepIndex, `digest step ${d.step}, expected ${stepIndex}`);
  check(d.panic === null || (typeof d.panic === 'string' && d.panic.length > 0), 'panic');
  check(isUint(d.freePages), 'freePages');
  const ids = new Set(d.threads.map((t) => t.id));
  const vnodeNames = new Set(setup.vnodes.map((v) => v.name));
  const ioIds = new Map(d.io.map((r) => [r.id, r]));
  for (const t of d.threads) {
    keysAre(t, THREAD_KEYS, `thread ${t.id}`);
    check(/^t\d+$/.test(t.id), `thread id ${t.id}`);
    const where = `thread ${t.id} ${t.status} ${t.wait}`;
    switch (t.status) {
      case 'ready':
        check(t.wait === null && t.ret === null, where);
        break;
      case 'done':
        check(t.wait === null, where);
        break;
      case 'lock': {
        const m = /^(?:vmobjlock|vnlock):(.+)$/.exec(t.wait ?? '');
        check(
          (m !== null && vnodeNames.has(m[1]!)) || t.wait === 'pageq' || t.wait === 'uvn_sync_lock',
          `${where}: lock name`,
        );
        check(t.ret === null, where);
        break;
      }
      case 'sleep':
        check(SLEEP_MESSAGES.has(t.wait ?? ''), `${where}: wait message`);
        check(t.ret === null, where);
        break;
      case 'io': {
        const m = /^io:([1-9]\d*)$/.exec(t.wait ?? '');
        check(m !== null && ioIds.get(Number(m[1]))?.thread === t.id, `${where}: request`);
        check(t.ret === null, where);
        break;
      }
      default:
        check(false, `${where}: status`);
    }
    if (t.status === 'done') {
      const ret = t.ret;
      switch (t.call) {
        case 'uvn_attach':
        case 'mmap':
          check(ret === 'obj' || ret === 'NULL', `${where}: ret ${String(ret)}`);
          break;
        case 'uvn_flush':
        case 'uvm_vnp_uncache':
          check(typeof ret === 'boolean', `${where}: ret ${String(ret)}`);
          break;
        case 'fault':
          check(typeof ret === 'string' && PAGER_RESULTS.has(ret), `${where}: ret ${String(ret)}`);
          break;
        default:
          check(ret === null, `${where}: ret ${String(ret)}`);
      }
    }
  }
  check(ids.size === d.threads.length, 'thread ids unique');
  check(d.vnodes.map((v) => v.name).join() === setup.vnodes.map((v) => v.name).join(), 'vnodes in scenario order');
  for (const v of d.vnodes) {
    keysAre(v, VNODE_KEYS, `vnode ${v.name}`);
    // Integers, not necessarily non-negative: a caller bug (vrele before the vref that allowed it, uvn_detach
    // without a reference, an unreferenced fault across a re-attach) drives C's int counters below zero too.
    check(Number.isSafeInteger(v.usecount), `${v.name} usecount ${v.usecount}`);
    check(v.vflag.length === 0 || (v.vflag.length === 1 && v.vflag[0] === 'VTEXT'), `${v.name} vflag`);
    check(['active', 'free', 'dead', 'reclaimed'].includes(v.state), `${v.name} state ${v.state}`);
    check(isUint(v.size), `${v.name} size`);
    const u = v.uvn;
    keysAre(u, UVN_KEYS, `uvn ${v.name}`);
    inBitOrder(u.flags, UVN_FLAG_INFO, `${v.name} uvn flags`);
    check(Number.isSafeInteger(u.refs), `${v.name} refs`);
    check(isUint(u.size) && Number.isSafeInteger(u.nio) && isUint(u.npages), `${v.name} uvn numbers`);
    check(u.npages === u.pages.length, `${v.name} npages ${u.npages} != ${u.pages.length} pages`);
    let last = -1;
    for (const p of u.pages) {
      keysAre(p, PAGE_KEYS, `page ${v.name}@${p.offset}`);
      check(isUint(p.offset) && p.offset % PAGE === 0 && p.offset > last, `${v.name} pages sorted, page-aligned`);
      last = p.offset;
      check(!p.flags.includes('PG_TABLED'), 'PG_TABLED in digest');
      inBitOrder(p.flags, PG_INFO, `${v.name}@${p.offset} flags`);
      check(['active', 'inactive', 'none'].includes(p.queue), 'page queue');
      check(p.wired === 0, 'no page is wired');
      check(typeof p.mapped === 'boolean' && typeof p.modified === 'boolean', 'page bools');
    }
  }
  let lastIo = 0;
  for (const r of d.io) {
    keysAre(r, IO_KEYS, `io ${r.id}`);
    check(isUint(r.id) && r.id > lastIo, 'io by ascending id');
    lastIo = r.id;
    check(ids.has(r.thread) && vnodeNames.has(r.vnode), `io ${r.id} names`);
    check(r.rw === 'read' || r.rw === 'write', 'io rw');
    check(isUint(r.offset) && r.offset % PAGE === 0 && isUint(r.length) && r.length > 0, `io ${r.id} extent`);
  }
}

/**
 * What must hold in any kernel that has not panicked: the kernel's invariants (every one, kernel-neutral and
 * OpenBSD's), and the physical pages the setup gave (free + allocated).
 */
function checkKernel(e: PagerEngine, physPages: number, memo: InvariantMemo): void {
  const broken = checkInvariants(e, memo);
  check(broken.length === 0, broken.join('; '));
  check(memo.phys === physPages, `the pages counted at boot (${String(memo.phys)}) are not the setup's ${physPages}`);
}

// ---------------------------------------------------------------- driving

interface Run {
  setup: Setup;
  steps: Step[];
  digests: string[];
  /** The panic message, with the call that panicked, if the run ended in one. */
  panic: string | null;
  refused: number;
}

function scenarioOf(setup: Setup, steps: readonly Step[]): Scenario {
  return { format: 'pager-scenario/1', ...setup, steps: [...steps] };
}

function explain(setup: Setup, steps: readonly Step[], step: Step | null, err: unknown): Error {
  const msg = err instanceof Error ? err.message : String(err);
  const json = JSON.stringify(scenarioOf(setup, steps));
  return new Error(`${msg}\n  at step ${JSON.stringify(step)}\n  scenario (steps accepted so far):\n${json}`);
}

/** Build and check a sequence from `choices`; returns the accepted steps and their digests. */
function drive(setup: Setup, choices: readonly Choice[], disciplined: boolean): Run {
  const physPages = setup.machine!.physPages!;
  const e = new PagerEngine(setup);
  const caller = randomCaller(setup, disciplined);
  const builder = new SnapshotBuilder(e.k, e.model);
  const steps: Step[] = [];
  const first = e.digest() as Digest;
  const digests = [JSON.stringify(first)];
  let refused = 0;
  let step: Step | null = null;
  /** What the invariant checks remember from step to step (an attach's u_nio reset, negative uo_refs). */
  const memo: InvariantMemo = {};
  try {
    checkDigest(first, setup, -1);
    checkKernel(e, physPages, memo);
    builder.build(0);
    for (const ch of choices) {
      step = e.k.s.panic ? { run: e.k.s.threads[0]!.id } : chooseStep(e, caller, ch);
      const expectImpossible = caller.impossible(e, step);
      const before = expectImpossible ? JSON.stringify(e.k.s) : '';
      const reason = e.apply(step);
      if (reason !== null) {
        refused++;
        check(expectImpossible, `refused a possible step: ${reason}`);
        check(typeof reason === 'string' && reason.length > 0, 'refusal without a reason');
        check(JSON.stringify(e.k.s) === before, 'a refused step changed the state');
        check(JSON.stringify(e.digest()) === digests[digests.length - 1], 'a refused step changed the digest');
        continue;
      }
      check(!expectImpossible, 'accepted an impossible step');
      caller.accepted(e, step);
      steps.push(step);
      const d = e.digest() as Digest;
      checkDigest(d, setup, steps.length - 1);
      digests.push(JSON.stringify(d));
      // The incremental snapshot must equal one built from scratch (no page change missed by touch()).
      const snap = builder.build(steps.length);
      check(
        JSON.stringify(snap) === JSON.stringify(new SnapshotBuilder(e.k, e.model).build(steps.length)),
        'incremental snapshot differs from a fresh one (a page mutation bypassed Kernel.touch)',
      );
      // PROPERTY_NO_PANIC=1: a disciplined run that panics fails, to shrink it to a minimal scenario.
      if (process.env.PROPERTY_NO_PANIC && disciplined) check(!e.k.s.panic, `panic: ${e.k.s.panic?.message}`);
      if (!e.k.s.panic) checkKernel(e, physPages, memo);
    }
  } catch (err) {
    throw explain(setup, steps, step, err);
  } finally {
    stats.nioResets += (memo.nioResets as number | undefined) ?? 0;
    stats.leakedVnlocks += (memo.leakedVnlocks as number | undefined) ?? 0;
  }
  const p = e.k.s.panic;
  const panic = p ? `${p.message} (in ${e.k.thread(p.thread)?.call})` : null;
  return { setup, steps, digests, panic, refused };
}

// ---------------------------------------------------------------- properties

/** Let the event loop turn between runs, so vitest's worker can talk to its parent during a long property. */
const breathe = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Panic messages seen, with the call that panicked (line numbers folded), by mode. */
const panics = new Map<string, number>();

function notePanic(run: Run, disciplined: boolean): void {
  if (!run.panic) return;
  stats.panics++;
  const key = `${disciplined ? 'disciplined' : 'chaotic'}: ${run.panic.replace(/line \d+/, 'line N')}`;
  panics.set(key, (panics.get(key) ?? 0) + 1);
}

describe('engine properties', () => {
  it('random step sequences: well-formed digests, invariants, refusals change nothing, replay is deterministic', async () => {
    await fc.assert(
      fc.asyncProperty(
        setupArb,
        fc.array(choiceArb, { minLength: 1, maxLength: 100, size: 'max' }),
        fc.boolean(),
        async (setup, choices, disciplined) => {
          await breathe();
          const run = drive(setup, choices, disciplined);
          stats.runs++;
          stats.steps += run.steps.length;
          stats.refused += run.refused;
          notePanic(run, disciplined);
          // The accepted steps are a valid scenario, and the headless runner replays them exactly.
          const parsed = parseScenario(JSON.stringify(scenarioOf(setup, run.steps)));
          expect(parsed.ok ? null : parsed.error).toBeNull();
          if (!parsed.ok) return;
          const replay = scenarioDigests(parsed.scenario);
          expect(replay.refused).toBeNull();
          expect(replay.digests.map((d) => JSON.stringify(d))).toEqual(run.digests);
        },
      ),
      { numRuns: 2000 },
    );
    expect(stats.steps).toBeGreaterThan(2000 * 20);
  });

  it('long disciplined sequences reach deep states and replay identically', async () => {
    let longest = 0;
    await fc.assert(
      fc.asyncProperty(
        setupArb,
        fc.array(choiceArb, { minLength: 150, maxLength: 300, size: 'max' }),
        async (setup, choices) => {
          await breathe();
          const run = drive(setup, choices, true);
          stats.runs++;
          stats.steps += run.steps.length;
          stats.io += run.digests.filter((d) => d.includes('"rw"')).length;
          longest = Math.max(longest, run.steps.length);
          notePanic(run, true);
          expect(drive(setup, choices, true).digests).toEqual(run.digests);
        },
      ),
      { numRuns: 100, endOnFailure: !!process.env.PROPERTY_NO_PANIC },
    );
    expect(stats.io).toBeGreaterThan(0);
    // Deep: some schedule ran at least 100 accepted steps before ending or panicking.
    expect(longest).toBeGreaterThanOrEqual(100);
  });

  it('a Session forked after seeking back equals a fresh run; deltas rebuild snapshots', async () => {
    await fc.assert(
      fc.asyncProperty(
        setupArb,
        fc.array(choiceArb, { minLength: 1, maxLength: 60, size: 'max' }),
        fc.nat(),
        fc.array(choiceArb, { minLength: 1, maxLength: 30, size: 'max' }),
        fc.array(fc.nat(), { minLength: 1, maxLength: 4 }),
        fc.boolean(),
        async (setup, choices, cut, more, jumps, disciplined) => {
          await breathe();
          const first = drive(setup, choices, disciplined);
          stats.runs++;
          const n = first.steps.length;
          const at = cut % (n + 1);
          // `more` read against the state at `at`: the new future, built on a fresh engine there.
          const head = first.steps.slice(0, at);
          const future = extend(setup, head, more, disciplined);

          const session = new Session(setup);
          for (const step of first.steps) expect(session.apply(step)).toBeNull();
          expect(session.length).toBe(n);
          const all = Array.from({ length: n + 1 }, (_, i) => session.snapshot(i));
          checkDeltas(all, jumps);

          // Jump around (seek is a lookup), then come back to the cut and fork.
          for (const j of jumps) expect(session.seek(j % (n + 1))).toEqual(all[j % (n + 1)]);
          expect(session.seek(at)).toEqual(all[at]);
          expect(session.cursor).toBe(at);
          // An impossible step at the cut is refused and forks nothing: the future stays.
          expect(session.apply({ complete: 0x7fff_ffff, result: 'ok' })).not.toBeNull();
          expect([session.length, session.cursor]).toEqual([n, at]);
          expect(session.snapshot(n)).toEqual(all[n]);
          const engine = new PagerEngine(setup);
          for (const step of head) engine.apply(step);
          expect(session.digest()).toEqual(engine.digest());
          for (const step of future) {
            expect(session.apply(step)).toBeNull();
            expect(engine.apply(step)).toBeNull();
            expect(session.digest()).toEqual(engine.digest());
          }
          // The new steps follow the old future while they repeat it (nothing forks), fork where one differs
          // before its end, and extend the branch past its end.
          const same = (s: Step, i: number) => JSON.stringify(s) === JSON.stringify(first.steps[at + i]);
          const differs = future.findIndex((s, i) => !same(s, i));
          const kept = differs < 0 ? first.steps : [...head, ...future];
          expect(session.length).toBe(kept.length);
          expect(session.cursor).toBe(at + future.length);
          expect(session.branches).toHaveLength(differs >= 0 && at + differs < n ? 2 : 1);

          const fresh = new Session(setup);
          for (const step of kept) expect(fresh.apply(step)).toBeNull();
          for (let i = 0; i <= fresh.length; i++) expect(session.snapshot(i)).toEqual(fresh.snapshot(i));
          checkDeltas(
            Array.from({ length: session.length + 1 }, (_, i) => session.snapshot(i)),
            jumps,
          );
        },
      ),
      { numRuns: 400 },
    );
  });

  it('deltas between large snapshots rebuild them exactly (edited queues, page and thread lists)', () => {
    const listArb = fc.uniqueArray(fc.nat(5000), { maxLength: 300 });
    const opsArb = fc.array(fc.tuple(fc.nat(3), fc.nat(), fc.nat(4999)), { maxLength: 12 });
    /** Edit a list of distinct ids as the kernel does: drop anywhere, move to the tail, insert, append. */
    const edit = (ids: readonly number[], ops: readonly [number, number, number][]): number[] => {
      const out = [...ids];
      for (const [op, at, id] of ops) {
        const i = out.length === 0 ? 0 : at % out.length;
        if (op === 0 && out.length > 0) out.splice(i, 1);
        else if (op === 1 && out.length > 0) out.push(...out.splice(i, 1));
        else if (!out.includes(id + 5000)) {
          if (op === 2) out.splice(i, 0, id + 5000);
          else out.push(id + 5000);
        }
      }
      return out;
    };
    const page = (id: number, rev: number): PageView =>
      Object.freeze({
        id,
        vnode: 'vn1',
        object: 'vn1',
        offset: id * PAGE,
        state: rev ? 'clean' : 'dirty',
        busy: false,
        wanted: false,
        owner: null,
        queue: 'none',
        mapped: false,
        modified: rev > 1,
        summary: rev ? 'PG_CLEAN' : 'no PG_ flags',
        flagWord: rev ? 0x008 : 0,
        cells: {},
      });
    const thread = (id: number): ThreadView => ({
      id: `t${id}`,
      call: 'fault',
      args: {},
      status: 'done',
      wait: null,
      chan: null,
      blockedOn: null,
      ret: 'VM_PAGER_OK',
      line: null,
      callerStmt: null,
      stack: [],
      frames: [],
      focusPage: null,
      locksHeld: [],
      unblockers: [],
    });
    const snap = (step: number, order: number[], active: number[], inactive: number[], threads: ThreadView[]) =>
      snapshotView({ step, pages: order.map((id) => page(id, 0)), queues: [active, inactive], threads });
    fc.assert(
      fc.property(listArb, opsArb, opsArb, opsArb, fc.array(fc.nat(), { maxLength: 5 }), (ids, o1, o2, o3, touched) => {
        const threadsA = ids.slice(0, 50).map(thread);
        const a = snap(
          1,
          ids,
          ids.filter((id) => id % 2),
          ids.filter((id) => id % 2 === 0),
          threadsA,
        );
        const order = edit(ids, o1);
        const pages = order.map((id) => a.pages.find((p) => p.id === id) ?? page(id, 0));
        for (const t of touched) if (pages.length > 0) pages[t % pages.length] = page(pages[t % pages.length]!.id, 2);
        const threadsB = [...threadsA.filter((_, i) => i % 7 !== 3), ...o2.map(([, , id]) => thread(id + 5000))];
        const b: ViewSnapshot = {
          ...snap(2, order, edit(a.queues[0]!, o2), edit(a.queues[1]!, o3), threadsB),
          pages,
        };
        for (const [x, y] of [
          [a, b],
          [b, a],
        ] as const) {
          const delta = diffSnapshots(x, y);
          expect(applyDelta(x, delta)).toEqual(y);
          expect(applyDelta(x, JSON.parse(JSON.stringify(delta)) as typeof delta)).toEqual(y);
          expect(JSON.stringify(delta).length).toBeLessThanOrEqual(JSON.stringify(diffSnapshots(null, y)).length + 200);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('covered enough', () => {
    // Not a property: a guard that the generators keep reaching the interesting states.
    expect(stats.runs).toBeGreaterThanOrEqual(2500);
    expect(stats.refused).toBeGreaterThan(0);
    const lines = [...panics.entries()].sort((a, b) => b[1] - a[1]).map(([m, n]) => `  ${n} × ${m}`);
    console.log(
      `property runs: ${stats.runs} on the engine (+500 on synthetic deltas); ${stats.steps} steps accepted, ${stats.refused} refused; ` +
        `${stats.nioResets} attaches reset u_nio under a thread inside uvn_io; ` +
        `${stats.leakedVnlocks} checks excused an mmap holding its vnode lock after a negative uo_refs\n` +
        `${stats.panics} runs ended in a panic:\n${lines.join('\n')}`,
    );
  });
});

/** Steps read from `choices` against the state after `head` (all accepted). */
function extend(setup: Setup, head: readonly Step[], choices: readonly Choice[], disciplined: boolean): Step[] {
  const e = new PagerEngine(setup);
  const caller = randomCaller(setup, disciplined);
  for (const step of head) {
    e.apply(step);
    caller.accepted(e, step);
  }
  const out: Step[] = [];
  for (const ch of choices) {
    if (e.k.s.panic) break;
    const step = chooseStep(e, caller, ch);
    if (e.apply(step) !== null) continue;
    caller.accepted(e, step);
    out.push(step);
  }
  return out;
}

/** applyDelta(diffSnapshots(a, b)) is b: consecutive pairs, from scratch, and jumps both ways. */
function checkDeltas(all: readonly ViewSnapshot[], jumps: readonly number[]): void {
  const n = all.length;
  for (let i = 0; i < n; i++) {
    expect(applyDelta(null, diffSnapshots(null, all[i]!))).toEqual(all[i]);
    if (i > 0) expect(applyDelta(all[i - 1]!, diffSnapshots(all[i - 1]!, all[i]!))).toEqual(all[i]);
  }
  for (const j of jumps) {
    const a = all[j % n]!;
    const b = all[(j >> 3) % n]!;
    const delta = diffSnapshots(a, b);
    expect(applyDelta(a, delta)).toEqual(b);
    // A delta survives the worker boundary (structured clone / JSON).
    expect(applyDelta(a, JSON.parse(JSON.stringify(delta)))).toEqual(JSON.parse(JSON.stringify(b)));
  }
}
