/**
 * uvn_wlist as sys/queue.h's LIST keeps it (OpenBSD, DIAGNOSTIC kernel): a head pointer `lh_first` and, in each
 * uvn, `u_wlist.le_next` (the next uvn) and `u_wlist.le_prev` (where the pointer to this uvn lives: the head's
 * `lh_first` or another uvn's `le_next`). Pointers are plain data: a uvn is named by its vnode, the head's
 * `lh_first` by WLIST_HEAD, NULL is null and _Q_INVALIDATE's `(void *)-1` is Q_INVALID.
 *
 * The macros do what queue.h's do, and nothing more: LIST_INSERT_HEAD of a uvn already on the list links it
 * again (a uvn inserted twice while it is the head becomes its own le_next: a cycle), LIST_REMOVE poisons the
 * removed uvn's links. Following a poisoned link would fault in the kernel; here it reads as NULL (the walk
 * ends, as the C harness's kern.h, which NULLs them, does too).
 */
import { Q_INVALID, WLIST_HEAD, type ListPtr, type UvmKernel } from './state';

/** `*addr = value`. */
function store(k: UvmKernel, addr: ListPtr, value: ListPtr): void {
  // *NULL or *(void *)-1: a fault in the kernel. Not reachable from the seed (WRITEABLE guards every remove).
  if (addr === null || addr === Q_INVALID) throw new Error(`uvn_wlist: store through ${String(addr)}`);
  if (addr === WLIST_HEAD) k.uvm.wlist.lh_first = value;
  else k.vnode(addr).uvn.u_wlist.le_next = value;
}

/** A pointer read from the list as the uvn it names, or null: NULL, and the poison (see the file comment). */
function deref(p: ListPtr): string | null {
  return p === null || p === Q_INVALID ? null : p;
}

/** LIST_FIRST(&uvn_wlist). */
export function LIST_FIRST(k: UvmKernel): string | null {
  return deref(k.uvm.wlist.lh_first);
}

/** LIST_NEXT(uvn, u_wlist): the uvn's le_next (a removed uvn's poisoned link reads as NULL). */
export function LIST_NEXT(k: UvmKernel, vnode: string): string | null {
  return deref(k.vnode(vnode).uvn.u_wlist.le_next);
}

/** LIST_INSERT_HEAD(&uvn_wlist, uvn, u_wlist). */
export function LIST_INSERT_HEAD(k: UvmKernel, vnode: string): void {
  const elm = k.vnode(vnode).uvn.u_wlist;
  const first = k.uvm.wlist.lh_first;
  elm.le_next = first;
  if (first !== null) {
    if (first === Q_INVALID) throw new Error('uvn_wlist: lh_first is poisoned');
    k.vnode(first).uvn.u_wlist.le_prev = vnode;
  }
  k.uvm.wlist.lh_first = vnode;
  elm.le_prev = WLIST_HEAD;
}

/** LIST_REMOVE(uvn, u_wlist), with DIAGNOSTIC's _Q_INVALIDATE of both links. */
export function LIST_REMOVE(k: UvmKernel, vnode: string): void {
  const elm = k.vnode(vnode).uvn.u_wlist;
  if (elm.le_next !== null) {
    if (elm.le_next === Q_INVALID) throw new Error(`uvn_wlist: ${vnode}'s le_next is poisoned`);
    k.vnode(elm.le_next).uvn.u_wlist.le_prev = elm.le_prev;
  }
  store(k, elm.le_prev, elm.le_next);
  elm.le_prev = Q_INVALID;
  elm.le_next = Q_INVALID;
}

/**
 * The uvns LIST_FOREACH would visit, head first, each once: what a panel shows. A cycle ends the list at the
 * first uvn seen again (`cycle` says so).
 */
export function wlistUvns(k: UvmKernel): { uvns: string[]; cycle: boolean } {
  const uvns: string[] = [];
  const seen = new Set<string>();
  for (let v = LIST_FIRST(k); v !== null; v = LIST_NEXT(k, v)) {
    if (seen.has(v)) return { uvns, cycle: true };
    seen.add(v);
    uvns.push(v);
  }
  return { uvns, cycle: false };
}

/** Whether `vnode`'s uvn is reachable on uvn_wlist from its head. */
export function onWlist(k: UvmKernel, vnode: string): boolean {
  return wlistUvns(k).uvns.includes(vnode);
}
