/**
 * FreeBSD's vnode_pager.c as a pager model: boot (mounts with their defaults, vnodes with block maps, the
 * pbuf budgets), the calls a thread can start with the contract's spawn-time preconditions, the
 * asynchronous read completion run inside a `complete` step, the digest and the views.
 */
import { hex } from '../../protocol/format';
import type { Setup } from '../../protocol/scenario';
import type { KernelState, KThread } from '../kernel/types';
import type { PagerModel } from '../model';
import { FREEBSD_CALLS } from './calls';
import { freebsdInvariants } from './invariants';
import { freebsdLeaks } from './leaks';
import { DEFAULTS, FREEBSD_CARD } from './card';
import { BsdKernel, objLockName, refreshState, type BsdState, type BsdVnode, type Mount } from './state';
import { UNREACHABLE_SEED_LINES } from './unreachable';
import { freebsdDigest, FREEBSD_VIEWS } from './views';
import { vnode_pager_generic_getpages_done_async, type PagerBuf } from './vnode_pager_getpages';

export { DEFAULTS };

function mountOf(setup: Setup, name: string): Mount {
  const m = setup.mounts?.find((x) => x.name === name);
  return {
    name,
    iosize: m?.iosize ?? 4096,
    sectorSize: m?.sectorSize ?? 512,
    bmap: m?.bmap ?? true,
    putpages: m?.putpages ?? 'generic',
  };
}

function boot(setup: Setup): BsdKernel {
  const mounts: Record<string, Mount> = {};
  for (const m of setup.mounts ?? []) mounts[m.name] = mountOf(setup, m.name);
  const vnodes = setup.vnodes.map((v): BsdVnode => {
    const mount = v.mount ?? 'm1';
    mounts[mount] ??= mountOf(setup, mount);
    const iosize = mounts[mount].iosize;
    const nblocks = Math.ceil(v.size / iosize);
    const vp: BsdVnode = {
      name: v.name,
      mount,
      usecount: v.usecount ?? 1,
      state: 'active',
      size: v.size,
      writecount: 0,
      vtext: v.vtext ?? false,
      doomed: false,
      doinginact: false,
      oweinact: false,
      deadfs: false,
      v_object: null,
      blocks: v.blocks ? [...v.blocks] : { contiguous: nblocks },
    };
    refreshState(vp);
    return vp;
  });
  const m = setup.machine ?? {};
  // The C's types hold the machine's values modulo 2^32 (the reader allows up to 2^53 - 1):
  // vnode_pbuf_freecnt and vnode_async_pbuf_freecnt are ints (seed lines 106-107).
  const pbufs = (m.pbufs ?? DEFAULTS.pbufs) | 0;
  const asyncPbufs = (m.asyncPbufs ?? DEFAULTS.asyncPbufs) | 0;
  const s: KernelState<BsdState, BsdVnode> = {
    freePages: m.physPages ?? DEFAULTS.physPages,
    nextPageId: 1,
    vnodes,
    threads: [],
    locks: {},
    io: [],
    nextIoId: 1,
    panic: null,
    pager: {
      // bogus_page: a page of no object, the placeholder sendfile puts in a read's page array.
      pages: {
        0: {
          id: 0,
          object: null,
          pindex: 0,
          valid: 0,
          dirty: 0,
          xbusy: false,
          sbusy: 0,
          waiters: false,
          queue: 'none',
          maps: [],
          owner: null,
        },
      },
      objects: {},
      nextObjectId: 1,
      mounts,
      pbufs,
      asyncPbufs,
      // vm_cnt.v_pageout_free_min is a u_int.
      pageoutFreeMin: (m.pageoutFreeMin ?? DEFAULTS.pageoutFreeMin) >>> 0,
      mappings: {},
      initialUse: Object.fromEntries(vnodes.map((vp) => [vp.name, vp.usecount])),
      initialPbufs: { pbufs, asyncPbufs },
      activeQueue: [],
      inactiveQueue: [],
      statics: { lastfail: 0, curfail: 0 },
    },
  };
  return new BsdKernel(s);
}

/** The contract's spawn-time preconditions ("FreeBSD calls"), or null. */
function refusal(
  k: BsdKernel,
  th: KThread,
  call: string,
  vp: BsdVnode | null,
  args: Record<string, unknown>,
): string | null {
  if (vp && call === 'vref' && vp.doomed) return `vref of doomed vnode ${vp.name}`;
  if (vp && call === 'vgone' && vp.doomed) return `vgone of doomed vnode ${vp.name}`;
  if (vp && call === 'vrele') {
    // The spawning thread is already in k.s.threads: only the vreles spawned before it count.
    const threads = k.s.threads.filter((t) => t !== th && t.args.vnode === vp.name);
    const opens =
      k.bsd.initialUse[vp.name]! +
      threads.filter((t) => t.call === 'vref' && t.status === 'done').length -
      threads.filter((t) => t.call === 'vrele').length;
    if (opens <= 0) return `vrele: every open of ${vp.name} that is done has already been released`;
  }
  if (call === 'munmap' || call === 'fault') {
    const name = args.mapping as string;
    const mmap = k.thread(name);
    const map = k.bsd.mappings[name];
    if (!mmap || mmap.call !== 'mmap' || mmap.status !== 'done' || !map)
      return `mapping ${name} is not a finished mmap that returned an object`;
    if (map.unmapped) return `mapping ${name} has been unmapped`;
    if (call === 'munmap') {
      const busy = k.s.threads.find((t) => t.call === 'fault' && t.args.mapping === name && t.status !== 'done');
      if (busy) return `munmap of ${name} while fault ${busy.id} on it is not done`;
    } else {
      // In hex, as the fault form and the Threads card write an offset and a length (HEX_ARGS).
      if ((args.offset as number) >= map.length)
        return `fault offset ${hex(args.offset as number)} is not below the mapping's length ${hex(map.length)}`;
      if (args.access === 'write' && !map.shared && !map.writable && mmap.args.prot === 'rw')
        return 'a write fault on a private "rw" mapping (copy-on-write is not modelled)';
    }
  }
  return null;
}

export const FREEBSD: PagerModel<BsdKernel> = {
  ...FREEBSD_CARD,
  unreachableLines: UNREACHABLE_SEED_LINES,
  boot,
  spawn(k, th, call, args) {
    const body = FREEBSD_CALLS[call];
    if (!body) return `unknown call ${call}`;
    const name = typeof args.vnode === 'string' ? args.vnode : null;
    const vp = name === null ? null : (k.vnodeByName.get(name) ?? null);
    if (name !== null && !vp) return `unknown vnode ${name}`;
    const refused = refusal(k, th, call, vp, args);
    if (refused !== null) return refused;
    if (call === 'munmap') k.bsd.mappings[args.mapping as string]!.unmapped = true;
    return body(k, th, vp, args);
  },
  start(k, th, call, args) {
    const vp = typeof args.vnode === 'string' ? (k.vnodeByName.get(args.vnode) ?? null) : null;
    return FREEBSD_CALLS[call]!(k, th, vp, args);
  },
  completeRefusal(k, req) {
    const bp = req.ctx as PagerBuf;
    const vp = k.vnode(bp.vnode);
    if (vp.v_object === null) return null;
    const lock = k.s.locks[objLockName(vp.v_object)];
    if (lock && (lock.owner !== null || lock.shared.length > 0))
      return `request ${req.id}'s completion needs the lock of obj${vp.v_object}, held by ${lock.owner ?? lock.shared.join(', ')}`;
    return null;
  },
  *iodone(k, th, req, outcome) {
    const bp = req.ctx as PagerBuf;
    bp.ioerror = outcome.error !== 0;
    yield* vnode_pager_generic_getpages_done_async(k, th, bp);
  },
  digest: freebsdDigest,
  views: FREEBSD_VIEWS,
  // The explorer's hooks: what holds until a panic, and what a finished run must not leave behind.
  invariants: freebsdInvariants,
  leaks: freebsdLeaks,
};
