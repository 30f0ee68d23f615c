/**
 * A stand-in "freebsd" pager for reading FreeBSD setups where the real model is not registered: the
 * setup keys the contract gives FreeBSD, no calls, no kernel. The corpus's FreeBSD cases all fail while
 * their setup is read, so they never need more; with the real model registered they read the same way.
 */
import type { PagerModel } from '../../src/engine/model';
import { pagerModel, registerPager } from '../../src/engine/registry';

export function ensureFreebsdReader(): void {
  if (pagerModel('freebsd')) return;
  const standIn = {
    pager: 'freebsd',
    profile: { pager: 'freebsd', kernel: 'FreeBSD', calls: [] },
    seed: { file: 'public/seeds/vnode_pager.c', sourceDir: 'src/engine/freebsd' },
    scenarioKeys: {
      machine: ['physPages', 'pageoutFreeMin', 'pbufs', 'asyncPbufs'],
      vnode: ['mount', 'usecount', 'vtext', 'blocks'],
      mounts: true,
    },
    unreachableLines: {},
    boot: () => {
      throw new Error('the FreeBSD stand-in only reads setups');
    },
    spawn: () => 'the FreeBSD stand-in only reads setups',
    digest: () => {
      throw new Error('the FreeBSD stand-in only reads setups');
    },
    views: {},
  } as unknown as PagerModel;
  registerPager(standIn);
}
