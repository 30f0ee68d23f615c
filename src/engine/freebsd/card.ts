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
  // Only faults and sendfiles allocate pages: a fault at most its page plus read-behind and read-ahead
  // (one buf: MAXPHYS / PAGE_SIZE = 32 pages); a sendfile as many as it asks for, bounded only by memory.
  // So a scenario with a huge physPages and no sendfile is not refused for memory it can never fill.
  maxResidentPages: (scenario) => {
    const phys = scenario.machine?.physPages ?? DEFAULTS.physPages;
    let pages = 0;
    for (const step of scenario.steps) {
      if (!('spawn' in step)) continue;
      if (step.call === 'sendfile') return phys;
      if (step.call === 'fault') pages += 32;
    }
    return Math.min(phys, pages);
  },
};
