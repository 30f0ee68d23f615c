/**
 * The bounded walk: in a `run`, uvn_flush crosses offsets with no resident page in one move (its loops at
 * seed lines 633 and 643); a `step` still stops at every statement of every offset, as the C does.
 * Checked here: a run and the same thread stepped statement by statement until it stops reach the same
 * digests and the same seed lines (library scenarios and sparse files); a flush, sync, truncate and
 * revoke of a 2^53 - 1 byte file finish in well under a second with the digests the per-offset walk
 * gives on a 64 MiB file, sizes and offsets scaled.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PagerEngine } from '../src/engine/engine';
import type { Scenario, Step } from '../src/protocol/scenario';
import { parseScenario } from '../src/scenario/schema';

const PAGE = 4096;

/** Digest without its step index (a stepped run takes more steps to get to the same place). */
function state(e: PagerEngine): string {
  const { step: _step, ...rest } = e.digest();
  return JSON.stringify(rest);
}

/**
 * Apply `steps` twice: as written, and with each `run T` replaced by `step T` until T is no longer
 * ready (or the kernel panics). After every step of the original the two states must agree.
 */
function runVersusStepped(scenario: Scenario): { run: PagerEngine; stepped: PagerEngine; stepsTaken: number } {
  const run = new PagerEngine(scenario);
  const stepped = new PagerEngine(scenario);
  let stepsTaken = 0;
  for (const [i, step] of scenario.steps.entries()) {
    const refusedRun = run.apply(step);
    let refusedStepped: string | null;
    if ('run' in step) {
      refusedStepped = stepped.apply({ step: step.run });
      stepsTaken++;
      while (refusedStepped === null && !stepped.k.s.panic && stepped.k.thread(step.run)!.status === 'ready') {
        refusedStepped = stepped.apply({ step: step.run });
        stepsTaken++;
      }
    } else refusedStepped = stepped.apply(step);
    expect(refusedStepped, `step ${i}`).toBe(refusedRun);
    expect(state(stepped), `state after step ${i}`).toBe(state(run));
  }
  expect([...stepped.linesReached].sort((a, b) => a - b)).toEqual([...run.linesReached].sort((a, b) => a - b));
  return { run, stepped, stepsTaken };
}

/**
 * Build steps against a live engine: spawn each call and run it to its end, completing every disk
 * request it waits for with "ok".
 */
function drive(base: Omit<Scenario, 'steps'>, calls: { call: string; args: Record<string, unknown> }[]): Scenario {
  const scenario: Scenario = { ...base, steps: [] };
  const e = new PagerEngine(scenario);
  const apply = (step: Step) => {
    const refused = e.apply(step);
    if (refused !== null) throw new Error(`driver: ${refused}`);
    scenario.steps.push(step);
  };
  calls.forEach(({ call, args }, n) => {
    const id = `t${n}`;
    apply({ spawn: id, call, args });
    apply({ run: id });
    for (let th = e.k.thread(id)!; th.status === 'io';) {
      apply({ complete: Number(th.wait!.slice(3)), result: 'ok' });
      apply({ run: id });
    }
    if (e.k.thread(id)!.status !== 'done') throw new Error(`driver: ${call} stopped ${e.k.thread(id)!.status}`);
  });
  return scenario;
}

const fault = (offset: number, access = 'write') => ({ call: 'fault', args: { vnode: 'vn1', offset, access } });
const flush = (flags: string[], start = 0, stop = 0) => ({
  call: 'uvn_flush',
  args: { vnode: 'vn1', flags, start, stop },
});

/** Dirty pages at the start, middle and end of a file of `size` bytes, then every walk over them. */
function sparseScenario(size: number): Scenario {
  const mid = Math.floor(size / 2 / PAGE) * PAGE;
  const last = Math.floor((size - 1) / PAGE) * PAGE;
  return drive(
    {
      format: 'pager-scenario/1',
      pager: 'openbsd',
      machine: { physPages: 16 },
      vnodes: [{ name: 'vn1', size, usecount: 1 }],
    },
    [
      { call: 'uvn_attach', args: { vnode: 'vn1', prot: 'rw' } },
      fault(0),
      fault(mid),
      fault(last),
      fault(mid + PAGE, 'read'),
      flush(['PGO_CLEANIT', 'PGO_SYNCIO', 'PGO_ALLPAGES']),
      fault(mid),
      flush(['PGO_CLEANIT', 'PGO_SYNCIO', 'PGO_FREE'], PAGE, last),
      fault(last),
      { call: 'uvm_vnp_sync', args: {} },
      flush(['PGO_DEACTIVATE', 'PGO_ALLPAGES']),
      { call: 'uvm_vnp_setsize', args: { vnode: 'vn1', size: PAGE } },
      fault(0),
      { call: 'revoke', args: { vnode: 'vn1' } },
    ],
  );
}

describe('uvn_flush crosses offsets with no page in one move, in a run only', () => {
  const library = readdirSync('scenarios')
    .filter((f) => f.endsWith('.json'))
    .sort();

  it.each(library)('%s: each run equals its thread stepped statement by statement', (file) => {
    const parsed = parseScenario(readFileSync(join('scenarios', file), 'utf8'));
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.error));
    runVersusStepped(parsed.scenario);
  });

  it.each([64 * 1024, 1024 * 1024 + 123, 8 * 1024 * 1024])(
    'a sparse %i-byte file: runs and statement-by-statement steps agree',
    (size) => {
      const { stepsTaken } = runVersusStepped(sparseScenario(size));
      // The stepped walk really went through every offset: three statements (643, 644, 645) for each.
      expect(stepsTaken).toBeGreaterThan((3 * size) / PAGE);
    },
  );

  it('a step stops at each offset with no page (lines 633 and 643 come round once per page)', () => {
    const scenario = drive(
      { format: 'pager-scenario/1', pager: 'openbsd', vnodes: [{ name: 'vn1', size: 16 * PAGE }] },
      [{ call: 'uvn_attach', args: { vnode: 'vn1', prot: 'rw' } }],
    );
    const e = new PagerEngine(scenario);
    for (const step of scenario.steps) e.apply(step);
    e.apply({ spawn: 'f', call: 'uvn_flush', args: { vnode: 'vn1', flags: ['PGO_CLEANIT', 'PGO_ALLPAGES'] } });
    const lines: number[] = [];
    while (e.k.thread('f')!.status === 'ready') {
      expect(e.apply({ step: 'f' })).toBeNull();
      if (e.k.thread('f')!.line !== null) lines.push(e.k.thread('f')!.line!);
    }
    expect(lines.filter((l) => l === 633)).toHaveLength(17);
    expect(lines.filter((l) => l === 643)).toHaveLength(17);
    expect(lines.filter((l) => l === 645)).toHaveLength(16);
  });
});

describe('a 2^53 - 1 byte file', () => {
  const HUGE = Number.MAX_SAFE_INTEGER;
  const SMALL = 64 * 1024 * 1024 - 1;
  /** The numbers in a digest that depend on the size: the size, the two middle pages, the last page. */
  const sizeNumbers = (size: number) => {
    const mid = Math.floor(size / 2 / PAGE) * PAGE;
    return [size, mid, mid + PAGE, Math.floor((size - 1) / PAGE) * PAGE];
  };

  it('flush, sync, truncate and revoke finish in under a second, with the digests of the per-offset walk', () => {
    const huge = sparseScenario(HUGE);
    const t0 = performance.now();
    const e = new PagerEngine(huge);
    const digests = [state(e)];
    for (const step of huge.steps) {
      expect(e.apply(step)).toBeNull();
      digests.push(state(e));
    }
    const ms = performance.now() - t0;
    expect(ms).toBeLessThan(1000);

    // The same scenario on a 64 MiB file, every run replaced by statement-by-statement steps: the walk
    // goes through all 16,384 offsets, as the C does. Its states, with the size-dependent numbers
    // swapped for the huge file's, are the huge run's states.
    const small = sparseScenario(SMALL);
    expect(small.steps.length).toBe(huge.steps.length);
    const { run } = runVersusStepped(small);
    expect(run.stepIndex).toBe(huge.steps.length - 1);
    const stepped = new PagerEngine(small);
    const swap = sizeNumbers(SMALL).map(
      (n, i) => [new RegExp(`(?<=[:,\\[])${n}(?=[,}\\]])`, 'g'), String(sizeNumbers(HUGE)[i])] as const,
    );
    const scaled = (s: string) => swap.reduce((acc, [re, to]) => acc.replace(re, to), s);
    const expected = [scaled(state(stepped))];
    for (const step of small.steps) {
      if ('run' in step) while (stepped.k.thread(step.run)!.status === 'ready') stepped.apply({ step: step.run });
      else stepped.apply(step);
      expected.push(scaled(state(stepped)));
    }
    expect(digests.length).toBe(expected.length);
    digests.forEach((d, i) => expect(d, `state after step ${i - 1}`).toBe(expected[i]));
    // The huge file's pages really are at its far end.
    expect(digests.some((d) => d.includes(`"offset":${sizeNumbers(HUGE)[3]}`))).toBe(true);
  });
});

describe('a FreeBSD 2^53 - 1 byte file', () => {
  const SIZE = Number.MAX_SAFE_INTEGER;
  const LAST = 2 ** 53 - 4096;
  const start = [
    { spawn: 'c', call: 'vnode_create_vobject', args: { vnode: 'vn1' } },
    { run: 'c' },
    { spawn: 'm', call: 'mmap', args: { vnode: 'vn1', prot: 'rw', shared: true, length: LAST } },
    { run: 'm' },
  ];
  const calls: [string, Record<string, unknown>, string][] = [
    ['fault', { mapping: 'm', offset: LAST - 4096, access: 'write', behind: 8, ahead: 8 }, 'io'],
    ['msync', { vnode: 'vn1', flags: ['OBJPC_SYNC'] }, 'done'],
    ['haspage', { vnode: 'vn1', pindex: 2 ** 41 - 1 }, 'done'],
    ['vnode_pager_setsize', { vnode: 'vn1', size: 0 }, 'done'],
    ['vgone', { vnode: 'vn1' }, 'done'],
  ];

  it.each(calls)(
    '%s runs in well under a second (the default block map is not listed block by block)',
    (call, args, status) => {
      const scenario: Scenario = {
        format: 'pager-scenario/1',
        pager: 'freebsd',
        vnodes: [{ name: 'vn1', size: SIZE }],
        steps: [...start, { spawn: 't', call, args }, { run: 't' }],
      };
      const t0 = performance.now();
      const e = new PagerEngine(scenario);
      for (const step of scenario.steps) expect(e.apply(step)).toBeNull();
      expect(performance.now() - t0).toBeLessThan(1000);
      expect(e.k.thread('t')!.status).toBe(status);
    },
  );

  it('VOP_BMAP on the default map: the last block is present, with no run past the end of the file', () => {
    const scenario: Scenario = {
      format: 'pager-scenario/1',
      pager: 'freebsd',
      vnodes: [{ name: 'vn1', size: SIZE }],
      steps: [...start, { spawn: 't', call: 'haspage', args: { vnode: 'vn1', pindex: 2 ** 41 - 1 } }, { run: 't' }],
    };
    const e = new PagerEngine(scenario);
    for (const step of scenario.steps) e.apply(step);
    // iosize 4096: 31 blocks before it in one run of MAXPHYS, none after the last block.
    expect(e.k.thread('t')!.ret).toEqual({ has: true, before: 31, after: 0 });
  });
});
