/**
 * What a reader needs of the OpenBSD pager before its kernel is loaded: its name, profile, setup keys and
 * the bound on resident pages. Light (no seed function): the worker reads a scenario with it and fetches
 * the model (model.ts, its own chunk there) only when a scenario of this pager is opened.
 */
import type { PagerCard } from '../model';
import { OPENBSD_PROFILE } from './profile';

export const DEFAULT_PHYS_PAGES = 64;

export const OPENBSD_CARD: PagerCard = {
  pager: 'openbsd',
  profile: OPENBSD_PROFILE,
  seed: { file: 'public/seeds/uvm_vnode.c', sourceDir: 'src/engine/openbsd' },
  scenarioKeys: { machine: ['physPages'], vnode: ['type', 'mount', 'usecount', 'vtext'], mounts: false },
  // Only a fault allocates, one page (uvn_get with npages 1); pages freed and allocated again never
  // outnumber the faults.
  maxResidentPages: (scenario) =>
    Math.min(
      scenario.machine?.physPages ?? DEFAULT_PHYS_PAGES,
      scenario.steps.filter((step) => 'spawn' in step && step.call === 'fault').length,
    ),
};
