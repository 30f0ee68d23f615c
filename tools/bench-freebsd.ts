/**
 * The bench's FreeBSD half (section e), the same figures as OpenBSD's (b)
 * and (c): a 4,096-page vm_object faulted in page by page, each fault on its
 * own thread (create the object, mmap it, then spawn, run, complete, run per
 * page), then with ~4,000 and 4,096 resident pages: faulting a new page in,
 * a fault on a resident page (vm_fault_soft_fast), and a fault stepped one
 * vnode_pager.c statement at a time; engine alone, engine + snapshot, and
 * the delta each step sends to the UI.
 */
import { performance } from 'node:perf_hooks';
import { PagerEngine } from '../src/engine/engine';
import type { BsdKernel } from '../src/engine/freebsd/state';
import { SnapshotBuilder } from '../src/engine/view';
import { diffSnapshots } from '../src/protocol/delta';
import type { Setup, Step } from '../src/protocol/scenario';
import type { ViewSnapshot } from '../src/protocol/snapshot';
import { bytes, kb, ms, must, PAGE, prng, rows, sized, timed } from './bench-report';

const PAGES = 4096;
/** Pages left out at first and faulted in while measuring (every 20th of the first 4,000). */
const SPARE = 200;
const isSpare = (i: number): boolean => i < SPARE * 20 && i % 20 === 5;
/** Pages past the 4,096, faulted in one statement at a time. */
const STEPPED = 12;
const SIZE = (PAGES + STEPPED) * PAGE;

const SETUP: Setup = {
  pager: 'freebsd',
  machine: { physPages: PAGES + STEPPED + 64 },
  vnodes: [{ name: 'big', size: SIZE, mount: 'm1', usecount: 1 }],
};

const resident = (e: PagerEngine): number =>
  Object.values((e.k as BsdKernel).bsd.objects).reduce((n, o) => n + o.memq.length, 0);

/** A fault on page `pindex` of the mapping, read access, no read-behind or read-ahead. */
const fault = (id: string, pindex: number): Step => ({
  spawn: id,
  call: 'fault',
  args: { mapping: 'map', offset: pindex * PAGE, access: 'read' },
});

export function benchFreeBsd(): void {
  const t0 = performance.now();
  const e = new PagerEngine(SETUP);
  let at = 0;
  const apply = (step: Step) => {
    must(e.apply(step), step);
    at++;
  };
  apply({ spawn: 'open', call: 'vnode_create_vobject', args: { vnode: 'big' } });
  apply({ run: 'open' });
  apply({ spawn: 'map', call: 'mmap', args: { vnode: 'big', prot: 'r', shared: true, length: SIZE } });
  apply({ run: 'map' });
  for (let i = 0; i < PAGES; i++) {
    if (isSpare(i)) continue;
    apply(fault(`f${i}`, i));
    apply({ run: `f${i}` });
    apply({ complete: e.k.s.io[0]!.id, result: 'ok' });
    apply({ run: `f${i}` });
  }
  if (resident(e) !== PAGES - SPARE) throw new Error(`bench: ${resident(e)} FreeBSD pages resident`);
  const buildMs = performance.now() - t0;
  console.log(
    `(e) FreeBSD workload: a ${SIZE}-byte vnode's vm_object, ${PAGES - SPARE} pages faulted in by as many ` +
      `threads in ${at} steps (${ms(buildMs)} ms, ${ms(buildMs / at)} ms/step), then ${SPARE} more while ` +
      `measuring: ${PAGES} resident, then ${STEPPED} faults stepped statement by statement`,
  );

  const builder = new SnapshotBuilder(e.k, e.model);
  let prev: ViewSnapshot = builder.build(at);
  /** Apply a step and build its snapshot; returns engine ms, total ms and the delta's size. */
  const measure = (step: Step): { engine: number; total: number; delta: number } => {
    const a = performance.now();
    must(e.apply(step), step);
    const b = performance.now();
    const next = builder.build(++at);
    const c = performance.now();
    const delta = bytes(diffSnapshots(prev, next));
    prev = next;
    return { engine: b - a, total: c - a, delta };
  };

  const pageInTotal: number[] = [];
  const pageInDelta: number[] = [];
  for (let i = 0; i < SPARE; i++) {
    const id = `in${i}`;
    for (const make of [
      () => fault(id, i * 20 + 5),
      (): Step => ({ run: id }),
      (): Step => ({ complete: e.k.s.io[0]!.id, result: 'ok' }),
      (): Step => ({ run: id }),
    ]) {
      const m = measure(make());
      pageInTotal.push(m.total);
      pageInDelta.push(m.delta);
    }
  }
  if (resident(e) !== PAGES) throw new Error('bench: the FreeBSD object is not fully resident');
  const full = bytes(prev);

  // A fault on a resident, valid page: vm_fault_soft_fast maps it under the object lock.
  const rand = prng(4096);
  const hotEngine: number[] = [];
  const hotTotal: number[] = [];
  const hotDelta: number[] = [];
  for (let i = 0; i < 300; i++) {
    const id = `hot${i}`;
    measure(fault(id, Math.floor(rand() * PAGES)));
    const m = measure({ run: id });
    hotEngine.push(m.engine);
    hotTotal.push(m.total);
    hotDelta.push(m.delta);
  }

  // Faults on new pages past the 4,096, one seed statement per step, their reads completed between.
  const stepEngine: number[] = [];
  const stepTotal: number[] = [];
  const stepDelta: number[] = [];
  const status = (id: string) => e.k.s.threads.find((t) => t.id === id)!.status;
  for (let i = 0; i < STEPPED; i++) {
    const id = `step${i}`;
    measure(fault(id, PAGES + i));
    while (status(id) !== 'done') {
      if (status(id) === 'io') {
        measure({ complete: e.k.s.io[0]!.id, result: 'ok' });
        continue;
      }
      const m = measure({ step: id });
      stepEngine.push(m.engine);
      stepTotal.push(m.total);
      stepDelta.push(m.delta);
    }
  }

  timed('(e) FreeBSD: run a fault on a resident page: engine only', hotEngine, 1);
  timed('(e) FreeBSD: run a fault on a resident page: engine + snapshot', hotTotal, 1);
  timed('(e) FreeBSD: step a fault through vnode_pager.c (4,096 resident): engine only', stepEngine, 1);
  timed('(e) FreeBSD: step a fault through vnode_pager.c (4,096 resident): engine + snapshot', stepTotal, 1);
  timed('(e) FreeBSD: each step of faulting a new page in (~4,000 resident): engine + snapshot', pageInTotal, 1);
  sized('(e) FreeBSD delta JSON: each step of faulting a new page in', pageInDelta, 8 * 1024);
  sized('(e) FreeBSD delta JSON: run of a fault on a resident page', hotDelta, 8 * 1024);
  sized('(e) FreeBSD delta JSON: one statement of a stepped fault', stepDelta, 8 * 1024);
  sized('(e) FreeBSD full snapshot JSON at 4,096 pages (for comparison)', [full], null);
  rows.push({
    figure: '(e) ...of which pages / threads / queues',
    value: `${kb(bytes(prev.pages))} / ${kb(bytes(prev.threads))} / ${kb(bytes(prev.queues))}`,
    target: '-',
    verdict: 'info',
  });
}
