/**
 * uvn_init: seeds/uvm_vnode.c lines 116-123. It runs once at boot, before any
 * thread exists, so it is a plain function the model calls while building
 * the kernel, not a steppable one; the coverage report says so for its lines.
 */
import type { KernelState } from '../kernel/types';
import { UVN_SYNC_LOCK, type UvmState, type UvmVnode } from './state';

export function uvn_init(s: KernelState<UvmState, UvmVnode>): void {
  // 120: LIST_INIT(&uvn_wlist);
  s.pager.wlist.lh_first = null;
  // 122: rw_init_flags(&uvn_sync_lock, "uvnsync", RWL_IS_VNODE);
  s.locks[UVN_SYNC_LOCK] = { owner: null, count: 0, shared: [] };
}
