/**
 * uvn_wlist as sys/queue.h's LIST (docs/cdiff.md, "a double LIST_INSERT_HEAD on uvn_wlist"): two writeable
 * attaches that both pass line 175 before either reaches 179 insert the uvn twice, the list becomes a cycle,
 * and uvm_vnp_sync's LIST_FOREACH never ends. Stepped, the engine follows the C lap by lap (the compiled seed
 * under tools/cdiff-step.ts: uo_refs 4, 5, 6... at line 1491); a `run` stops at line 1469 when the walk comes
 * back to a uvn it has visited, the thread still ready.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PagerEngine } from '../src/engine/engine';
import type { UvmKernel } from '../src/engine/openbsd/state';
import type { Scenario } from '../src/protocol/scenario';
import { parseScenario } from '../src/scenario/schema';
import { Session } from '../src/engine/session';
import { debugStep } from '../src/engine/stepping';
import { setupOf } from '../src/protocol/scenario';
import { stopText } from '../src/panels/Source/DebugBar';

function scenario(): Scenario {
  const p = parseScenario(JSON.parse(readFileSync('docs/cdiff/wlist-double-insert.json', 'utf8')));
  if (!p.ok) throw new Error('bad scenario');
  return p.scenario;
}

/** The scenario up to and with the spawn of the sync t3. */
function beforeSync(): PagerEngine {
  const s = scenario();
  const e = new PagerEngine(s);
  for (const st of s.steps) {
    expect(e.apply(st)).toBeNull();
    if ('spawn' in st && st.spawn === 't3') break;
  }
  return e;
}

const refs = (e: PagerEngine) => (e.k as UvmKernel).vnode('vn1').uvn.refs;

describe('uvn_wlist double insert (a cycle)', () => {
  it('stepping uvm_vnp_sync takes a reference at line 1491 on every lap, as the C does', () => {
    const e = beforeSync();
    const seen: number[] = [];
    for (let i = 0; i < 400 && seen.length < 4; i++) {
      const line = e.k.thread('t3')!.line;
      expect(e.apply({ step: 't3' })).toBeNull();
      if (line === 1491) seen.push(refs(e));
    }
    expect(seen).toEqual([4, 5, 6, 7]);
    expect(e.k.thread('t3')!.status).toBe('ready');
  });

  it('a run of the endless sync returns, the thread ready at line 1469, one lap per run', () => {
    const e = beforeSync();
    expect(e.apply({ run: 't3' })).toBeNull();
    const t = e.k.thread('t3')!;
    expect(t.status).toBe('ready');
    expect(t.line).toBe(1469);
    expect(refs(e)).toBe(4);
    expect(e.spun).toEqual({ thread: 't3', line: 1469, why: expect.stringContaining('uvn_wlist') });
    expect(e.apply({ run: 't3' })).toBeNull();
    expect(e.k.thread('t3')!.line).toBe(1469);
    expect(refs(e)).toBe(5);
    // A step from there runs line 1469 (LIST_NEXT: the same uvn again) like any step.
    expect(e.apply({ step: 't3' })).toBeNull();
    expect(e.k.thread('t3')!.line).toBe(1470);
    expect(e.spun).toBeNull();
  });

  it('the lab says so: the run stops with reason `loops`, and the timeline label tells why', () => {
    const s = scenario();
    const session = new Session(setupOf(s));
    for (const st of s.steps) {
      expect(session.apply(st)).toBeNull();
      if ('spawn' in st && st.spawn === 't3') break;
    }
    const r = debugStep(session, 't3', { kind: 'run' });
    if (typeof r === 'string') throw new Error(r);
    expect(r.applied).toEqual([{ run: 't3' }]);
    expect(r.stop).toMatchObject({ thread: 't3', reason: 'loops', line: 1469 });
    expect(stopText(r.stop, 'uvm_vnode.c')).toBe(
      "t3 loops for ever at uvm_vnode.c:1469, run stopped: uvn_wlist is a cycle: LIST_NEXT comes back to vn1's uvn",
    );
    expect(session.labels[session.labels.length - 1]).toBe(
      "t3 runs: loops for ever in uvm_vnp_sync: uvn_wlist is a cycle: LIST_NEXT comes back to vn1's uvn; run stopped at line 1469 in uvm_vnp_sync",
    );
    // A step is told as any step.
    const st = debugStep(session, 't3', { kind: 'step' });
    if (typeof st === 'string') throw new Error(st);
    expect(st.stop.reason).toBe('step');
  });
});
