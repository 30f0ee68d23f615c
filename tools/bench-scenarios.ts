/**
 * Scenarios the benches share: the 16,387-step link the browser bench opens
 * (a 4,096-page file faulted in page by page, then an msync spawned), built
 * here so the Node bench can time the worker's side of opening it.
 */
import LZString from 'lz-string';
import type { Scenario, Step } from '../src/protocol/scenario';

/** The same scenario as tools/bench-browser.ts's bigScenario: 2 + 4 x 4,096 + 1 = 16,387 steps. */
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

/** The lab's link hash for `scenario` (what the address bar holds after `#`). */
export function linkHash(scenario: Scenario): string {
  return `#scenario=${LZString.compressToEncodedURIComponent(JSON.stringify(scenario))}`;
}
