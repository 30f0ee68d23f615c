/**
 * C locals in the thread views: every seed function a thread is inside
 * shows its frame's locals under the names the C declares them by, with the
 * values the C would hold at the statement the thread stands at.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Session } from '../src/engine/session';
import { debugStep } from '../src/engine/stepping';
import { setupOf, type Scenario } from '../src/protocol/scenario';
import type { FrameView, ThreadView } from '../src/protocol/snapshot';
import { parseScenario } from '../src/scenario/schema';
import { functionDefinitions } from '../src/viz/c-highlight';

function library(name: string): Scenario {
  const parsed = parseScenario(readFileSync(`scenarios/${name}.json`, 'utf8'));
  if (!parsed.ok) throw new Error(`${name} must parse`);
  return parsed.scenario;
}

/** Each seed function's text, from its definition line to its closing brace. */
function seedFunctions(file: string): Map<string, string> {
  const text = readFileSync(file, 'utf8');
  const lines = text.split('\n');
  const out = new Map<string, string>();
  for (const [fn, line] of functionDefinitions(text)) {
    let end = line;
    while (end < lines.length && lines[end] !== '}') end++;
    // The return type sits on the line above the name.
    out.set(fn, lines.slice(line - 2, end + 1).join('\n'));
  }
  return out;
}

const locals = (f: FrameView) => Object.fromEntries(f.locals.map((l) => [l.name, l.value]));

/** `*loffset` -> loffset, `pps[lcv]` -> pps, `uio.uio_resid` -> uio. */
const baseName = (name: string) => /^\**([A-Za-z_]\w*)/.exec(name)![1]!;

/** Every thread view of every step of the library scenarios of `pager`, stepped one statement at a time. */
function* everyFrame(pager: string): Generator<{ scenario: string; thread: ThreadView }> {
  for (const file of readdirSync('scenarios').filter((f) => f.endsWith('.json'))) {
    const scenario = library(file.replace(/\.json$/, ''));
    if (scenario.pager !== pager) continue;
    const session = new Session(setupOf(scenario));
    for (const step of scenario.steps) {
      // Runs are taken statement by statement so every line's locals are read.
      if ('run' in step) {
        const ready = () => {
          const s = session.snapshot();
          return !s.panic && s.threads.find((t) => t.id === step.run)!.status === 'ready';
        };
        do {
          expect(session.apply({ step: step.run })).toBeNull();
          yield* session.snapshot().threads.map((thread) => ({ scenario: file, thread }));
        } while (ready());
      } else {
        expect(session.apply(step)).toBeNull();
        yield* session.snapshot().threads.map((thread) => ({ scenario: file, thread }));
      }
    }
  }
}

describe('C locals', () => {
  it('every OpenBSD seed function frame declares its locals, each a name its C function declares', () => {
    const fns = seedFunctions('public/seeds/uvm_vnode.c');
    const seen = new Map<string, Set<string>>();
    for (const { thread } of everyFrame('openbsd')) {
      expect(thread.frames.map((f) => f.fn)).toEqual(thread.stack);
      for (const frame of thread.frames) {
        expect(frame.locals.length, `${frame.fn} declares no locals`).toBeGreaterThan(0);
        const c = fns.get(frame.fn)!;
        for (const { name } of frame.locals) {
          expect(c, `${name} in ${frame.fn}`).toMatch(new RegExp(`\\b${baseName(name)}\\b`));
          seen.set(frame.fn, (seen.get(frame.fn) ?? new Set()).add(name));
        }
      }
    }
    // Every function a thread can enter was seen, with the locals the issue asked for.
    expect([...seen.keys()].sort()).toEqual([
      'uvm_vnp_setsize',
      'uvm_vnp_sync',
      'uvm_vnp_terminate',
      'uvm_vnp_uncache',
      'uvn_attach',
      'uvn_cluster',
      'uvn_detach',
      'uvn_flush',
      'uvn_get',
      'uvn_io',
      'uvn_put',
      'uvn_reference',
    ]);
    expect([...seen.get('uvn_attach')!]).toEqual(expect.arrayContaining(['result', 'oldflags']));
    expect([...seen.get('uvn_get')!]).toEqual(expect.arrayContaining(['pps[lcv]', 'lcv', 'result']));
    expect([...seen.get('uvn_flush')!]).toEqual(expect.arrayContaining(['ppsp[lcv]', 'lcv', 'result', 'curoff']));
  }, 120_000);

  it('every FreeBSD frame entered by the library names only its C function’s identifiers', () => {
    const fns = seedFunctions('public/seeds/vnode_pager.c');
    for (const { thread } of everyFrame('freebsd'))
      for (const frame of thread.frames)
        for (const { name } of frame.locals)
          expect(fns.get(frame.fn), `${name} in ${frame.fn}`).toMatch(new RegExp(`\\b${baseName(name)}\\b`));
  }, 120_000);

  it('shows the values the C holds: the write fault waiting in uvn_io, called from uvn_get', () => {
    const scenario = library('lecture-walkthrough');
    const session = new Session(setupOf(scenario));
    for (const step of scenario.steps.slice(0, 4)) expect(session.apply(step)).toBeNull();
    const t2 = session.snapshot().threads.find((t) => t.id === 't2')!;
    expect(t2.frames.map((f) => f.fn)).toEqual(['uvn_get', 'uvn_io']);
    expect(locals(t2.frames[0]!)).toMatchObject({
      offset: '0x1000',
      flags: 'PGO_SYNCIO',
      lcv: '0',
      current_offset: '0x1000',
      ptmp: 'vn1@0x1000',
      'pps[lcv]': 'NULL',
      result: '(unset)',
    });
    expect(locals(t2.frames[1]!)).toMatchObject({
      npages: '1',
      flags: 'PGO_SYNCIO|PGO_NOWAIT',
      rw: 'UIO_READ',
      vn: 'vn1',
      file_offset: '0x1000',
      waitf: 'M_WAITOK',
      wanted: '4096',
      'uio.uio_resid': '4096',
      result: '0',
      got: '(unset)',
      lkflags: 'LK_NOWAIT',
    });
    // The read completes and t2 runs on: uvn_io's result and got, then uvn_get's result.
    expect(session.apply({ complete: 1, result: 'eio' })).toBeNull();
    expect(session.apply({ step: 't2' })).toBeNull();
    let io = session.snapshot().threads.find((t) => t.id === 't2')!.frames[1]!;
    expect(locals(io)).toMatchObject({ result: '5 (EIO)', 'uio.uio_resid': '4096' });
    const r = debugStep(session, 't2', { kind: 'out' });
    if (typeof r === 'string') throw new Error(r);
    const get = session.snapshot().threads.find((t) => t.id === 't2')!.frames;
    expect(get.map((f) => f.fn)).toEqual(['uvn_get']);
    expect(locals(get[0]!)).toMatchObject({ result: 'VM_PAGER_ERROR' });
    io = get[0]!;
    expect(io.fn).toBe('uvn_get');
  });

  it('uvn_attach: oldflags and result are unset until the C assigns them', () => {
    const scenario = library('lecture-walkthrough');
    const session = new Session(setupOf(scenario));
    expect(session.apply(scenario.steps[0]!)).toBeNull();
    const seen: Record<string, string | number>[] = [];
    // The first step runs the bare call's statement and stands at the function's first line.
    for (;;) {
      expect(session.apply({ step: 't1' })).toBeNull();
      const t1 = session.snapshot().threads[0]!;
      if (t1.status === 'done') break;
      seen.push({ line: t1.line!, ...locals(t1.frames[0]!) });
    }
    expect(seen[0]).toMatchObject({
      line: 141,
      vp: 'vn1',
      accessprot: 'PROT_READ|PROT_WRITE',
      uvn: 'uvn(vn1)',
      oldflags: '(unset)',
      result: '(unset)',
      used_vnode_size: '0',
    });
    expect(seen.find((s) => s.line === 214)).toMatchObject({ result: '0' });
    expect(seen.find((s) => s.line === 218)).toMatchObject({ used_vnode_size: '16384' });
    expect(seen.find((s) => s.line === 238)).toMatchObject({ oldflags: 'UVM_VNODE_ALOCK' });
  });
});
