/**
 * What a reader needs of the FreeBSD pager before its kernel is loaded: its name, profile, setup keys, the
 * setup rules across fields and the bound on resident pages. Light (no seed function): the worker reads a
 * scenario with it and fetches the model (model.ts, its own chunk there) only when a FreeBSD scenario is
 * opened.
 */
import type { Setup } from '../../protocol/scenario';
import type { PagerCard } from '../model';
import { FREEBSD_PROFILE } from './profile';

export const DEFAULTS = { physPages: 64, pageoutFreeMin: 34, pbufs: 129, asyncPbufs: 128 } as const;

/** The contract's rejection rules a reader cannot check one value at a time. */
function checkSetup(setup: Setup): { path: (string | number)[]; reason: string } | null {
  for (const [i, v] of setup.vnodes.entries()) {
    // The contract's FreeBSD vnodes are regular files: `type` may be given, as "VREG" only.
    if (v.type !== undefined && v.type !== 'VREG')
      return { path: ['vnodes', i, 'type'], reason: `a FreeBSD vnode is "VREG" only, got "${v.type}"` };
    if (!v.blocks) continue;
    const iosize = setup.mounts?.find((m) => m.name === (v.mount ?? 'm1'))?.iosize ?? 4096;
    const max = Math.ceil(v.size / iosize);
    if (v.blocks.length > max)
      return {
        path: ['vnodes', i, 'blocks'],
        reason: `${v.blocks.length} entries, but a file of ${v.size} bytes has at most ${max} blocks of ${iosize} bytes`,
      };
  }
  return null;
}

export const FREEBSD_CARD: PagerCard = {
  pager: 'freebsd',
  profile: FREEBSD_PROFILE,
  seed: { file: 'public/seeds/vnode_pager.c', sourceDir: 'src/engine/freebsd' },
  scenarioKeys: {
    machine: ['physPages', 'pageoutFreeMin', 'pbufs', 'asyncPbufs'],
    vnode: ['type', 'mount', 'usecount', 'vtext', 'blocks'],
    mounts: true,
  },
  checkSetup,
  // Only faults and sendfiles allocate pages, and only pages of a file below its size: a fault at most its
  // page plus read-behind and read-ahead (one buf: MAXPHYS / PAGE_SIZE = 32 pages); a sendfile the pages it
  // asks for, no more than its files hold at their largest (their size, or a size vnode_pager_setsize gives).
  // So a scenario with a huge physPages is not refused for memory it can never fill.
  maxResidentPages: (scenario) => {
    const phys = scenario.machine?.physPages ?? DEFAULTS.physPages;
    const largest = new Map(scenario.vnodes.map((v) => [v.name, v.size]));
    let faults = 0;
    let sendfile = false;
    for (const step of scenario.steps) {
      if (!('spawn' in step)) continue;
      if (step.call === 'fault') faults += 32;
      if (step.call === 'sendfile') sendfile = true;
      if (step.call === 'vnode_pager_setsize') {
        const { vnode, size } = step.args as { vnode: string; size: number };
        largest.set(vnode, Math.max(largest.get(vnode) ?? 0, size));
      }
    }
    let filePages = 0;
    for (const size of largest.values()) filePages += Math.ceil(size / 4096);
    return Math.min(phys, sendfile ? filePages : faults, filePages);
  },
};
