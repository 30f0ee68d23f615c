/** uvn_wlist: the writeable uvns, head first, as LIST_INSERT_HEAD builds it. */
import type { Kernel } from '../kernel/kernel';

export function LIST_INSERT_HEAD(k: Kernel, vnode: string): void {
  LIST_REMOVE(k, vnode);
  k.s.wlist.unshift(vnode);
}

export function LIST_REMOVE(k: Kernel, vnode: string): void {
  const i = k.s.wlist.indexOf(vnode);
  if (i >= 0) k.s.wlist.splice(i, 1);
}
