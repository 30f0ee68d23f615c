/**
 * Step granularity, as a person stepping the C sees it (README, "Step granularity"): a `for`'s
 * initialisation runs with the first evaluation of its condition and its increment with each later one, and
 * every other assignment with the statement that makes it. So a loop variable (or any local the C assigns on
 * a line of its own) changes only on a step that ran one of the lines that assign it: standing on the `for`
 * line, the locals pane still shows the value before the statement runs.
 * Checked on every library scenario with each `run` taken one statement at a time.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PagerEngine } from '../src/engine/engine';
import { readLocals } from '../src/engine/kernel/sched';
import type { KThread } from '../src/engine/kernel/types';
import type { Step } from '../src/protocol/scenario';
import { parseScenario } from '../src/scenario/schema';
import type { BsdKernel } from '../src/engine/freebsd/state';
import { engineAfter } from './freebsd-play';
import { run, scenarioIn, sp } from './play';

/** pager -> seed function -> local (as the pane names it) -> the seed lines whose statements assign it. */
const ASSIGNED_BY: Record<string, Record<string, Record<string, readonly number[]>>> = {
  openbsd: {
    uvn_flush: { curoff: [633, 643, 693], lcv: [779], npages: [721, 723], result: [723] },
    // uvm_pagefree at 1100 changes how the freed page is named.
    uvn_get: { lcv: [945, 1007], current_offset: [945, 1007], gotpages: [936, 971], ptmp: [953, 1033, 1037, 1100] },
    uvm_vnp_sync: { uvn: [1469, 1497], vp: [1470] },
    uvn_io: { wanted: [1201, 1203], 'uio.uio_resid': [1210, 1239, 1241], got: [1262] },
  },
  freebsd: {
    vnode_pager_input_smlfs: { i: [539], address: [546], bits: [542] },
    vnode_pager_generic_getpages: {
      i: [801, 821, 902, 914, 935, 952, 1049],
      // getpbuf at 790 assigns bp itself.
      'bp->b_npages': [790, 902, 929, 937, 961],
    },
    vnode_pager_generic_getpages_done: { i: [1099], tfoff: [1099], nextoff: [1103] },
    vnode_pager_generic_putpages: { i: [1208, 1261, 1292], 'auio.uio_resid': [1275, 1277] },
    vnode_pager_undirty_pages: { i: [1332], pos: [1332] },
    vnode_pager_dealloc: { refs: [287, 305] },
  },
};

interface Mismatch {
  scenario: string;
  fn: string;
  local: string;
  ran: number;
  from: unknown;
  to: unknown;
}

/** The innermost frame's function and locals of `th`, or null outside any seed function. */
function innermost(th: KThread): { depth: number; fn: string; locals: Record<string, unknown> } | null {
  if (th.stack.length === 0) return null;
  const frames = readLocals(th);
  const depth = th.stack.length - 1;
  return { depth, fn: th.stack[depth]!, locals: { ...frames[depth] } };
}

/** Every change of a watched local made by a step whose statement does not assign it. */
function mismatches(pager: string): { steps: number; changes: number; wrong: Mismatch[] } {
  const watched = ASSIGNED_BY[pager]!;
  const wrong: Mismatch[] = [];
  let steps = 0;
  let changes = 0;
  for (const file of readdirSync('scenarios').filter((f) => f.endsWith('.json'))) {
    const parsed = parseScenario(readFileSync(`scenarios/${file}`, 'utf8'));
    if (!parsed.ok || parsed.scenario.pager !== pager) continue;
    const e = new PagerEngine(parsed.scenario);
    const stepOnce = (id: string) => {
      const th = e.k.thread(id)!;
      const ran = th.line;
      const before = innermost(th);
      expect(e.apply({ step: id })).toBeNull();
      steps++;
      const after = innermost(th);
      if (ran === null || before === null || after === null) return;
      // The frame that ran the statement, still there after it (not returned from, not a new call below).
      if (after.depth < before.depth || th.stack[before.depth] !== before.fn) return;
      const now = after.depth === before.depth ? after.locals : { ...readLocals(th)[before.depth] };
      for (const [local, lines] of Object.entries(watched[before.fn] ?? {})) {
        // A frame shows its locals once it has declared them (a reader set after its first statement).
        if (!(local in before.locals) || before.locals[local] === now[local]) continue;
        changes++;
        if (!lines.includes(ran))
          wrong.push({ scenario: file, fn: before.fn, local, ran, from: before.locals[local], to: now[local] });
      }
    };
    for (const s of parsed.scenario.steps as Step[]) {
      if (e.k.s.panic) break;
      if ('run' in s) {
        while (e.k.thread(s.run)?.status === 'ready' && !e.k.s.panic) stepOnce(s.run);
      } else if ('step' in s) stepOnce(s.step);
      else expect(e.apply(s)).toBeNull();
    }
  }
  return { steps, changes, wrong };
}

/** One line per distinct (function, local, line that changed it). */
const summary = (wrong: readonly Mismatch[]) =>
  [...new Set(wrong.map((w) => `${w.fn}: ${w.local} changed by line ${w.ran}`))].sort();

describe('a local changes on the step that runs the statement assigning it', () => {
  for (const [pager, seed] of [
    ['openbsd', 'uvm_vnode.c'],
    ['freebsd', 'vnode_pager.c'],
  ] as const)
    it(`${pager}: loop counters and uio fields of ${seed}`, () => {
      const { steps, changes, wrong } = mismatches(pager);
      expect(steps).toBeGreaterThan(5000);
      expect(changes).toBeGreaterThan(500);
      expect(summary(wrong)).toEqual([]);
    }, 120_000);
});

describe('the for loops of uvn_flush, stepped', () => {
  it('show curoff and lcv as the C has them before each statement runs', () => {
    const scenario = scenarioIn('openbsd', { machine: { physPages: 8 }, vnodes: [{ name: 'vn1', size: 8192 }] }, [
      sp('t1', 'uvn_attach', { vnode: 'vn1', prot: 'rw' }),
      run('t1'),
      sp('t2', 'fault', { vnode: 'vn1', offset: 0, access: 'write' }),
      run('t2'),
      { complete: 1, result: 'ok' },
      run('t2'),
      sp('t3', 'uvn_flush', { vnode: 'vn1', flags: ['PGO_CLEANIT', 'PGO_SYNCIO'], start: 0, stop: 8192 }),
    ]);
    const e = new PagerEngine(scenario);
    for (const s of scenario.steps) expect(e.apply(s)).toBeNull();
    const t3 = e.k.thread('t3')!;
    const seen: string[] = [];
    while (t3.status !== 'done') {
      expect(e.apply({ step: 't3' })).toBeNull();
      if (t3.status === 'io') expect(e.apply({ complete: e.k.s.io[0]!.id, result: 'ok' })).toBeNull();
      const frame = readLocals(t3)[0];
      if (t3.stack.length === 1 && frame) seen.push(`${t3.line} curoff=${frame.curoff} lcv=${frame.lcv}`);
    }
    // Line 633 sets curoff when it runs, not the statement before it; 643 starts again from start.
    expect(
      seen.slice(seen.indexOf('633 curoff=(unset) lcv=(unset)'), seen.indexOf('640 curoff=0x2000 lcv=(unset)') + 1),
    ).toEqual([
      '633 curoff=(unset) lcv=(unset)',
      '634 curoff=0x0 lcv=(unset)',
      '635 curoff=0x0 lcv=(unset)',
      '633 curoff=0x0 lcv=(unset)',
      '634 curoff=0x1000 lcv=(unset)',
      '633 curoff=0x1000 lcv=(unset)',
      '640 curoff=0x2000 lcv=(unset)',
    ]);
    expect(
      seen.slice(seen.indexOf('643 curoff=0x2000 lcv=(unset)'), seen.indexOf('644 curoff=0x0 lcv=(unset)') + 1),
    ).toEqual(['643 curoff=0x2000 lcv=(unset)', '644 curoff=0x0 lcv=(unset)']);
    // The page's cluster of one: lcv is 0 from line 779's first run; its increment to 1 ends the loop.
    const at779 = seen.indexOf('779 curoff=0x0 lcv=(unset)');
    expect(seen.slice(at779, at779 + 2)).toEqual(['779 curoff=0x0 lcv=(unset)', '780 curoff=0x0 lcv=0']);
    const again = seen.indexOf('779 curoff=0x0 lcv=0');
    expect(seen.slice(again, again + 3)).toEqual([
      '779 curoff=0x0 lcv=0',
      '643 curoff=0x0 lcv=1',
      '644 curoff=0x1000 lcv=1',
    ]);
  });
});

describe('a statement boundary lets any thread run: what keeps vnode_pager_alloc lines 249-257 unreached', () => {
  it('another open, an mmap and a vgone of the vnode wait for the vnode lock while an open stands at line 245', () => {
    const { e, until } = engineAfter({ vnodes: [{ name: 'vn1', size: 8192 }] }, [
      sp('t1', 'vnode_create_vobject', { vnode: 'vn1' }),
    ]);
    const t1 = until('t1', (th) => th.line === 245);
    expect(t1.stack.at(-1)).toBe('vnode_pager_alloc');
    const vn1 = (e.k as BsdKernel).vnode('vn1');
    expect(vn1.v_object).toBeNull();
    for (const [id, call, args] of [
      ['t2', 'vnode_create_vobject', { vnode: 'vn1' }],
      ['t3', 'mmap', { vnode: 'vn1', prot: 'r', shared: true, length: 8192 }],
      ['t4', 'vgone', { vnode: 'vn1' }],
    ] as const) {
      expect(e.apply({ spawn: id, call, args })).toBeNull();
      expect(e.apply({ run: id })).toBeNull();
      expect(e.k.thread(id)).toMatchObject({ status: 'lock', wait: 'vnlock:vn1' });
    }
    // So line 245 still finds v_object NULL and goes on to 259, never to 249.
    expect(vn1.v_object).toBeNull();
    expect(e.apply({ step: 't1' })).toBeNull();
    expect(t1.line).toBe(259);
  });
});

describe('a frame shows its locals from the step that enters it', () => {
  // The C's only functions with neither a local nor a parameter the pane names (their one argument, ap, is
  // passed through whole).
  const NONE = new Set(['vnode_pager_local_getpages', 'vnode_pager_local_getpages_async']);

  it.each(['openbsd', 'freebsd'])(
    '%s: standing on a function’s first line, its frame already lists its locals',
    (pager) => {
      const empty = new Set<string>();
      let entered = 0;
      for (const file of readdirSync('scenarios').filter((f) => f.endsWith('.json'))) {
        const parsed = parseScenario(readFileSync(`scenarios/${file}`, 'utf8'));
        if (!parsed.ok || parsed.scenario.pager !== pager) continue;
        const e = new PagerEngine(parsed.scenario);
        const stepOnce = (id: string) => {
          const th = e.k.thread(id)!;
          const depth = th.stack.length;
          expect(e.apply({ step: id })).toBeNull();
          if (th.stack.length <= depth || th.line === null) return;
          entered++;
          const fn = th.stack.at(-1)!;
          if (!NONE.has(fn) && Object.keys(readLocals(th).at(-1)!).length === 0) empty.add(`${fn} at ${th.line}`);
        };
        for (const s of parsed.scenario.steps as Step[]) {
          if (e.k.s.panic) break;
          if ('run' in s) {
            while (e.k.thread(s.run)?.status === 'ready' && !e.k.s.panic) stepOnce(s.run);
          } else if ('step' in s) stepOnce(s.step);
          else expect(e.apply(s)).toBeNull();
        }
      }
      expect(entered).toBeGreaterThan(100);
      expect([...empty].sort()).toEqual([]);
    },
  );
});
