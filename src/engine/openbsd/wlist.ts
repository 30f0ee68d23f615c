/** uvn_wlist: the writeable uvns, head first, as LIST_INSERT_HEAD builds it. */
import type { UvmKernel } from './state';

export function LIST_INSERT_HEAD(k: UvmKernel, vnode: string): void {
  LIST_REMOVE(k, vnode);
  k.uvm.wlist.unshift(vnode);
}

export function LIST_REMOVE(k: UvmKernel, vnode: string): void {
  const i = k.uvm.wlist.indexOf(vnode);
  if (i >= 0) k.uvm.wlist.splice(i, 1);
}
