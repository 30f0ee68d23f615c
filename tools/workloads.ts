/**
 * Workloads the benches and the history tests share: the 16,387-step link the
 * browser bench opens (a 4,096-page file faulted in page by page, then an msync
 * spawned), built here so the Node bench can time the worker's side of opening
 * it; and a long session of episodes (sessionSteps) for history and forks.
 */
import LZString from 'lz-string';
import { PagerEngine } from '../src/engine/engine';
import type { Scenario, Setup, Step } from '../src/protocol/scenario';
import { prng } from './bench-report';

/** The scenario the browser bench steps and opens by link: 2 + 4 x 4,096 + 1 = 16,387 steps. */
export function msyncScenario(pages = 4096): Scenario {
  const steps: Step[] = [
    { spawn: 'attach', call: 'uvn_attach', args: { vnode: 'big', prot: 'rw' } },
    { run: 'attach' },
  ];
  for (let i = 0; i < pages; i++) {
    const t = `f${i}`;
    steps.push({ spawn: t, call: 'fault', args: { vnode: 'big', offset: i * 4096, access: 'write' } });
    steps.push({ run: t }, { complete: i + 1, result: 'ok' }, { run: t });
  }
  steps.push({ spawn: 'msync', call: 'uvn_flush', args: { vnode: 'big', flags: ['PGO_CLEANIT', 'PGO_ALLPAGES'] } });
  return {
    format: 'pager-scenario/1',
    pager: 'openbsd',
    title: `bench: ${pages} resident dirty pages, then msync stepped`,
    machine: { physPages: pages + 64 },
    vnodes: [{ name: 'big', size: pages * 4096 }],
    steps,
  };
}

/** FreeBSD: a vm_object with `pages` pages faulted in, then faults on `stepped` more pages to step through. */
export function freebsdScenario(pages = 4096, stepped = 3): Scenario {
  const size = (pages + stepped) * 4096;
  const steps: Step[] = [
    { spawn: 'open', call: 'vnode_create_vobject', args: { vnode: 'big' } },
    { run: 'open' },
    { spawn: 'map', call: 'mmap', args: { vnode: 'big', prot: 'r', shared: true, length: size } },
    { run: 'map' },
  ];
  for (let i = 0; i < pages; i++) {
    const t = `f${i}`;
    steps.push({ spawn: t, call: 'fault', args: { mapping: 'map', offset: i * 4096, access: 'read' } });
    steps.push({ run: t }, { complete: i + 1, result: 'ok' }, { run: t });
  }
  for (let i = 0; i < stepped; i++)
    steps.push({ spawn: `s${i}`, call: 'fault', args: { mapping: 'map', offset: (pages + i) * 4096, access: 'read' } });
  return {
    format: 'pager-scenario/1',
    pager: 'freebsd',
    title: `bench: ${pages} resident pages of a vm_object, then faults stepped through vnode_pager.c`,
    machine: { physPages: pages + 64 },
    vnodes: [{ name: 'big', size }],
    steps,
  };
}

/** The lab's link hash for `scenario` (what the address bar holds after `#`). */
export function linkHash(scenario: Scenario): string {
  return `#scenario=${LZString.compressToEncodedURIComponent(JSON.stringify(scenario))}`;
}

/** The long-session setup: three files, memory enough that no fault waits for a free page forever. */
export const SESSION_SETUP: Setup = {
  pager: 'openbsd',
  machine: { physPages: 128 },
  vnodes: [
    { name: 'vn1', size: 64 * 4096, type: 'VREG', mount: 'm1', usecount: 1 },
    { name: 'vn2', size: 100_000, type: 'VREG', mount: 'm1', usecount: 1 },
    { name: 'vn3', size: 16 * 4096, type: 'VBLK', mount: 'm2', usecount: 1 },
  ],
};

/**
 * `n` steps of a long session as a class would take them: the files attached,
 * then episodes of one to three calls (faults, msyncs, a sync), each driven by
 * runs, single steps and disk completions in a random order until every one
 * has returned. Between episodes no thread is inside a call.
 */
export function sessionSteps(n: number, seed: number): Step[] {
  const rand = prng(seed);
  const e = new PagerEngine(SESSION_SETUP);
  const steps: Step[] = [];
  const apply = (step: Step) => {
    const refusal = e.apply(step);
    if (refusal !== null) throw new Error(`session workload: ${JSON.stringify(step)} refused: ${refusal}`);
    if (e.k.s.panic) throw new Error(`session workload panicked: ${e.k.s.panic.message}`);
    steps.push(step);
  };
  let tid = 0;
  for (const [vnode, prot] of [
    ['vn1', 'rw'],
    ['vn2', 'r'],
    ['vn3', 'rw'],
  ] as const) {
    apply({ spawn: `a${vnode}`, call: 'uvn_attach', args: { vnode, prot } });
    apply({ run: `a${vnode}` });
  }
  const vnodes = SESSION_SETUP.vnodes;
  while (steps.length < n) {
    const ids: string[] = [];
    const count = 1 + Math.floor(rand() * 3);
    for (let i = 0; i < count; i++) {
      const vp = vnodes[Math.floor(rand() * vnodes.length)]!;
      const pages = Math.ceil(vp.size / 4096);
      const id = `t${++tid}`;
      const q = rand();
      if (q < 0.7) {
        const offset = Math.floor(rand() * pages) * 4096;
        apply({ spawn: id, call: 'fault', args: { vnode: vp.name, offset, access: rand() < 0.3 ? 'write' : 'read' } });
      } else if (q < 0.95) {
        const start = Math.floor(rand() * pages) * 4096;
        const stop = start + Math.ceil(rand() * 8) * 4096;
        const flags = rand() < 0.5 ? ['PGO_CLEANIT', 'PGO_SYNCIO'] : ['PGO_CLEANIT', 'PGO_SYNCIO', 'PGO_FREE'];
        apply({ spawn: id, call: 'uvn_flush', args: { vnode: vp.name, flags, start, stop } });
      } else apply({ spawn: id, call: 'uvm_vnp_sync', args: {} });
      ids.push(id);
    }
    for (;;) {
      const live = ids.map((id) => e.k.thread(id)!).filter((t) => t.status !== 'done');
      if (live.length === 0) break;
      const ready = live.filter((t) => t.status === 'ready');
      const io = e.k.s.io;
      if (ready.length === 0 && io.length === 0)
        throw new Error(`session workload hung: ${live.map((t) => `${t.id} ${t.status} ${t.wait}`).join(', ')}`);
      if (io.length > 0 && (ready.length === 0 || rand() < 0.4)) {
        const req = io[Math.floor(rand() * io.length)]!;
        apply({ complete: req.id, result: rand() < 0.95 ? 'ok' : 'eio' });
      } else {
        const t = ready[Math.floor(rand() * ready.length)]!;
        apply(rand() < 0.15 ? { step: t.id } : { run: t.id });
      }
    }
  }
  return steps.slice(0, n);
}
