/**
 * OpenBSD's uvm_vnode.c as a pager model: boot (the kernel with its uvns and
 * uvn_init), the calls a thread can start with the contract's spawn-time
 * preconditions, the digest and the views.
 */
import type { Setup } from '../../protocol/scenario';
import type { PagerModel } from '../model';
import type { KernelState } from '../kernel/types';
import { OPENBSD_CALLS } from './calls';
import { openbsdCallerBug, openbsdInvariants, openbsdLeaks, openbsdMayOutliveOwner } from './invariants';
import { VTEXT } from './flags';
import { DEFAULT_PHYS_PAGES, OPENBSD_CARD } from './card';
import { UvmKernel, type UvmState, type UvmVnode } from './state';
import { UNREACHABLE_SEED_LINES } from './unreachable';
import { uvn_init } from './uvn_init';
import { openbsdDigest, OPENBSD_VIEWS } from './views';

export { DEFAULT_PHYS_PAGES };

function boot(setup: Setup): UvmKernel {
  const vnodes = setup.vnodes.map((v): UvmVnode => {
    const usecount = v.usecount ?? 1;
    return {
      name: v.name,
      type: v.type ?? 'VREG',
      mount: v.mount ?? 'm1',
      usecount,
      vflag: v.vtext ? VTEXT : 0,
      state: usecount > 0 ? 'active' : 'free',
      size: v.size,
      uvn: {
        flags: 0,
        refs: 0,
        size: 0,
        nio: 0,
        npages: 0,
        offsets: [],
        pageAt: {},
        u_wlist: { le_next: null, le_prev: null },
      },
    };
  });
  // A loop, not Object.fromEntries over a mapped list: the explorer boots a kernel per schedule.
  const opens: Record<string, number> = {};
  for (const vp of vnodes) opens[vp.name] = vp.usecount;
  const s: KernelState<UvmState, UvmVnode> = {
    freePages: setup.machine?.physPages ?? DEFAULT_PHYS_PAGES,
    nextPageId: 1,
    vnodes,
    threads: [],
    locks: {},
    io: [],
    nextIoId: 1,
    panic: null,
    pager: {
      pages: {},
      activeQueue: [],
      inactiveQueue: [],
      wlist: { lh_first: null },
      syncq: [],
      statics: {},
      opens,
    },
  };
  uvn_init(s);
  return new UvmKernel(s);
}

/** The contract's spawn-time preconditions (scenario-format.md, "Steps"), or null. */
function refusal(k: UvmKernel, call: string, vp: UvmVnode): string | null {
  if (vp.state === 'reclaimed') return `vnode ${vp.name} has been recycled`;
  if (call === 'vref' && vp.state === 'dead') return `vref of dead vnode ${vp.name}`;
  if (call === 'recycle' && vp.state !== 'free') return `recycle needs a free vnode; ${vp.name} is ${vp.state}`;
  if (call === 'revoke' && vp.state !== 'active') return `revoke needs an active vnode; ${vp.name} is ${vp.state}`;
  if (call === 'vrele' && k.uvm.opens[vp.name] === 0)
    return `vrele: every open of ${vp.name} has already been released`;
  return null;
}

export const OPENBSD: PagerModel<UvmKernel> = {
  ...OPENBSD_CARD,
  unreachableLines: UNREACHABLE_SEED_LINES,
  boot,
  spawn(k, th, call, args) {
    const body = OPENBSD_CALLS[call];
    if (!body) return `unknown call ${call}`;
    const name = typeof args.vnode === 'string' ? args.vnode : null;
    const vp = name === null ? null : (k.vnodeByName.get(name) ?? null);
    if (name !== null && !vp) return `unknown vnode ${name}`;
    if (vp) {
      const refused = refusal(k, call, vp);
      if (refused !== null) return refused;
      if (call === 'vref') k.uvm.opens[vp.name]!++;
      if (call === 'vrele') k.uvm.opens[vp.name]!--;
    }
    return body(k, th, vp, args);
  },
  start(k, th, call, args) {
    const vp = typeof args.vnode === 'string' ? (k.vnodeByName.get(args.vnode) ?? null) : null;
    return OPENBSD_CALLS[call]!(k, th, vp, args);
  },
  digest: openbsdDigest,
  views: OPENBSD_VIEWS,
  invariants: openbsdInvariants,
  mayOutliveOwner: openbsdMayOutliveOwner,
  leaks: openbsdLeaks,
  callerBug: openbsdCallerBug,
};
