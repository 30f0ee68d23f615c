/**
 * uvm_vnp_terminate, uvm_vnp_uncache, uvm_vnp_setsize, uvm_vnp_sync:
 * seeds/uvm_vnode.c lines 417-530 and 1336-1524. `yield N` marks seed line N.
 */
import { lockRelease } from '../kernel/locks';
import { locals, loopsForEver, panic, traced, wakeup } from '../kernel/sched';
import type { KThread, Proc } from '../kernel/types';
import {
  LK_EXCLUSIVE,
  LK_RETRY,
  PGO_ALLPAGES,
  PGO_CLEANIT,
  PGO_DOACTCLUST,
  PGO_FREE,
  UVM_VNODE_BLOCKED,
  UVM_VNODE_CANPERSIST,
  UVM_VNODE_DYING,
  UVM_VNODE_IOSYNC,
  UVM_VNODE_IOSYNCWANTED,
  UVM_VNODE_RELKILL,
  UVM_VNODE_VALID,
  UVM_VNODE_VNISLOCKED,
  UVM_VNODE_WANTED,
  UVM_VNODE_WRITEABLE,
} from './flags';
import { show, UNSET } from './locals';
import { chan, objLockName, type UvmKernel, type UvmVnode, UVN_SYNC_LOCK } from './state';
import { rw_enter, rw_exit, rwsleep_nsec } from './sync';
import { uvn_detach } from './uvn_attach';
import { uvn_flush } from './uvn_flush';
import { v_mount, vn_lock, VOP_UNLOCK, vref } from './vfs';
import { LIST_FIRST, LIST_NEXT, LIST_REMOVE } from './wlist';

export const uvm_vnp_terminate = traced('uvm_vnp_terminate', function* (k: UvmKernel, th: KThread, vp: UvmVnode): Proc {
  const uvn = vp.uvn;
  const lock = objLockName(vp.name);
  let oldflags: number | null = null;
  locals(th, () => ({
    vp: show.vnode(vp),
    uvn: show.uvn(vp),
    uobj: show.uvn(vp),
    oldflags: show.uvnFlags(oldflags),
  }));
  yield 420;
  yield 421;

  yield 425;
  yield* rw_enter(k, th, lock);
  yield 426;
  if ((uvn.flags & UVM_VNODE_VALID) === 0) {
    yield 427;
    yield* rw_exit(k, th, lock);
    yield 428;
    return;
  }

  yield 455;
  if (uvn.flags & UVM_VNODE_RELKILL) {
    yield 456;
    uvn.flags &= ~UVM_VNODE_RELKILL;
  }
  yield 470;
  uvn.flags |= UVM_VNODE_DYING | UVM_VNODE_VNISLOCKED;
  yield 472;
  yield* uvn_flush(k, th, vp, 0, 0, PGO_CLEANIT | PGO_FREE | PGO_ALLPAGES);

  for (;;) {
    yield 478;
    if (!uvn.npages) break;
    yield 493;
    uvn.flags |= UVM_VNODE_IOSYNC;
    yield 494;
    yield* rwsleep_nsec(k, th, chan.nio(vp.name), lock, 'uvn_term', true);
  }

  yield 504;
  oldflags = uvn.flags;
  yield 505;
  if (uvn.refs) {
    yield 510;
    uvn.flags &= ~(UVM_VNODE_DYING | UVM_VNODE_VNISLOCKED | UVM_VNODE_WANTED | UVM_VNODE_CANPERSIST);
  } else {
    yield 517;
    if (uvn.flags & UVM_VNODE_IOSYNCWANTED) {
      yield 518;
      yield* panic(k, th, 'uvm_vnp_terminate: io sync wanted bit set');
    }
    yield 520;
    if (uvn.flags & UVM_VNODE_WRITEABLE) {
      yield 521;
      LIST_REMOVE(k, vp.name);
    }
    yield 523;
    uvn.flags = 0;
  }

  yield 526;
  if (oldflags & UVM_VNODE_WANTED) {
    yield 527;
    wakeup(k, chan.uvn(vp.name));
  }
  yield 529;
  yield* rw_exit(k, th, lock);
});

export const uvm_vnp_uncache = traced(
  'uvm_vnp_uncache',
  function* (k: UvmKernel, th: KThread, vp: UvmVnode): Proc<boolean> {
    const uvn = vp.uvn;
    const lock = objLockName(vp.name);
    locals(th, () => ({ vp: show.vnode(vp), uvn: show.uvn(vp), uobj: show.uvn(vp) }));
    yield 1339;
    yield 1340;

    yield 1344;
    yield* rw_enter(k, th, lock);
    yield 1345;
    if ((uvn.flags & UVM_VNODE_VALID) === 0 || (uvn.flags & UVM_VNODE_BLOCKED) !== 0) {
      yield 1347;
      yield* rw_exit(k, th, lock);
      yield 1348;
      return true;
    }

    yield 1355;
    uvn.flags &= ~UVM_VNODE_CANPERSIST;
    yield 1356;
    if (uvn.refs) {
      yield 1357;
      yield* rw_exit(k, th, lock);
      yield 1358;
      return false;
    }

    yield 1365;
    yield* vref(k, th, vp);
    yield 1366;
    uvn.refs++;
    yield 1367;
    yield* rw_exit(k, th, lock);

    yield 1388;
    yield* VOP_UNLOCK(k, th, vp);
    yield 1389;
    yield* uvn_detach(k, th, vp);
    yield 1390;
    yield* vn_lock(k, th, vp, LK_EXCLUSIVE | LK_RETRY);
    yield 1392;
    return true;
  },
);

export const uvm_vnp_setsize = traced(
  'uvm_vnp_setsize',
  function* (k: UvmKernel, th: KThread, vp: UvmVnode, newsize: number): Proc {
    const uvn = vp.uvn;
    const lock = objLockName(vp.name);
    locals(th, () => ({
      vp: show.vnode(vp),
      newsize: show.offset(newsize),
      uvn: show.uvn(vp),
      uobj: show.uvn(vp),
    }));
    yield 1418;
    yield 1419;
    yield 1421;
    yield 1423;
    yield* rw_enter(k, th, lock);
    yield 1426;
    if (uvn.flags & UVM_VNODE_VALID) {
      yield 1433;
      if (uvn.size > newsize) {
        yield 1434;
        yield* uvn_flush(k, th, vp, newsize, uvn.size, PGO_FREE);
      }
      yield 1437;
      uvn.size = newsize;
    }
    yield 1439;
    yield* rw_exit(k, th, lock);
  },
);

export const uvm_vnp_sync = traced('uvm_vnp_sync', function* (k: UvmKernel, th: KThread, mount: string | null): Proc {
  // The loop variables of LIST_FOREACH and SIMPLEQ_FOREACH: the vnode whose uvn, NULL past the end.
  let uvnOf: UvmVnode | null | undefined;
  let vpShown: UvmVnode | undefined;
  locals(th, () => ({
    mp: mount ?? 'NULL',
    uvn: uvnOf === undefined ? UNSET : uvnOf === null ? 'NULL' : show.uvn(uvnOf),
    vp: vpShown === undefined ? UNSET : show.vnode(vpShown),
  }));
  yield 1462;
  yield* rw_enter(k, th, UVN_SYNC_LOCK, 'uvnsync');

  yield 1468;
  k.uvm.syncq = [];
  // LIST_FOREACH follows the live list (wlist.ts, queue.h's links): line 1469 reads LIST_FIRST, then LIST_NEXT
  // of the uvn before, when it runs (after the body), so a uvn another thread listed or unlisted meanwhile is
  // seen as the C sees it. A uvn inserted twice is its own le_next: the loop then never ends (see below).
  let cur: string | null = null;
  // The uvns this walk has visited: coming back to one, the list is a cycle.
  const visited = new Set<string>();
  for (let first = true; ; first = false) {
    yield 1469;
    // About to come back to a uvn this walk has visited: uvn_wlist is a cycle and, no other thread running in a
    // `run` and the body never blocking, the loop never ends. A run stops here, the thread ready at line 1469,
    // the statement not run yet (it reads the list again when resumed); a step goes on.
    const again = first ? null : LIST_NEXT(k, cur!);
    if (again !== null && visited.has(again))
      yield* loopsForEver(th, `uvn_wlist is a cycle: LIST_NEXT comes back to ${again}'s uvn`);
    cur = first ? LIST_FIRST(k) : LIST_NEXT(k, cur!);
    uvnOf = cur === null ? null : k.vnode(cur);
    if (cur === null) break;
    visited.add(cur);
    const vp = k.vnode(cur);
    const uvn = vp.uvn;
    yield 1470;
    vpShown = vp;
    yield 1471;
    if (mount !== null && v_mount(vp) !== mount) {
      yield 1472;
      continue;
    }
    yield 1482;
    if ((uvn.flags & UVM_VNODE_BLOCKED) !== 0) {
      yield 1483;
      continue;
    }
    yield 1489;
    if (uvn.refs === 0) {
      yield 1490;
      yield* vref(k, th, vp);
    }
    yield 1491;
    uvn.refs++;
    yield 1493;
    k.uvm.syncq.unshift(vp.name);
  }

  for (let i = 0; ; i++) {
    yield 1497;
    const name = k.uvm.syncq[i];
    uvnOf = name === undefined ? null : k.vnode(name);
    if (name === undefined) break;
    const vp = k.vnode(name);
    const uvn = vp.uvn;
    const lock = objLockName(vp.name);
    yield 1498;
    yield* rw_enter(k, th, lock);
    yield 1504;
    yield* uvn_flush(k, th, vp, 0, 0, PGO_CLEANIT | PGO_ALLPAGES | PGO_DOACTCLUST);
    yield 1512;
    if (uvn.refs === 1 && uvn.flags & UVM_VNODE_WRITEABLE) {
      yield 1514;
      LIST_REMOVE(k, vp.name);
      yield 1515;
      uvn.flags &= ~UVM_VNODE_WRITEABLE;
    }
    yield 1517;
    yield* rw_exit(k, th, lock);
    yield 1520;
    yield* uvn_detach(k, th, vp);
  }

  yield 1523;
  lockRelease(k, UVN_SYNC_LOCK);
});
