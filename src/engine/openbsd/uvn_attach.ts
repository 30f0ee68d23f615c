/**
 * uvn_attach, uvn_reference, uvn_detach: seeds/uvm_vnode.c lines 138-390.
 * Each `yield N` marks the seed line N the thread is about to run.
 */
import { PROT_WRITE } from '../kernel/constants';
import { locals, traced, wakeup } from '../kernel/sched';
import type { KThread, Proc } from '../kernel/types';
import {
  PGO_ALLPAGES,
  PGO_CLEANIT,
  PGO_DEACTIVATE,
  PGO_FREE,
  UVM_VNODE_ALOCK,
  UVM_VNODE_BLOCKED,
  UVM_VNODE_CANPERSIST,
  UVM_VNODE_DYING,
  UVM_VNODE_IOSYNC,
  UVM_VNODE_RELKILL,
  UVM_VNODE_VALID,
  UVM_VNODE_WANTED,
  UVM_VNODE_WRITEABLE,
  VTEXT,
} from './flags';
import { show, UNSET } from './locals';
import { chan, objLockName, type UvmKernel, type UvmVnode } from './state';
import { KASSERT, rw_enter, rw_exit, rwsleep_nsec, tsleep_nsec } from './sync';
import { uvn_flush } from './uvn_flush';
import { isDeadfs, VOP_GETATTR, vref, vrele } from './vfs';
import { LIST_INSERT_HEAD, LIST_REMOVE } from './wlist';

/** Every VBLK vnode here is a disk (bdevsw[].d_type == D_DISK). */
const D_DISK = true;

/**
 * vp->v_type as the seed reads it: vgonel sets VBAD once vclean is done (sys/kern/vfs_subr.c), so a
 * revoked or recycled disk is no longer VBLK and attaching it asks deadfs's VOP_GETATTR (EBADF).
 */
function v_type(vp: UvmVnode): UvmVnode['type'] | 'VBAD' {
  return isDeadfs(vp) ? 'VBAD' : vp.type;
}

export const uvn_attach = traced(
  'uvn_attach',
  function* (k: UvmKernel, th: KThread, vp: UvmVnode, accessprot: number): Proc<boolean> {
    const uvn = vp.uvn;
    const lock = objLockName(vp.name);
    let oldflags: number | null = null;
    let result: number | null = null;
    let used_vnode_size = 0;
    locals(th, () => ({
      vp: show.vnode(vp),
      accessprot: show.prot(accessprot),
      uvn: show.uvn(vp),
      oldflags: show.uvnFlags(oldflags),
      result: show.errno(result),
      used_vnode_size,
    }));
    yield 141;
    yield 145;

    for (;;) {
      yield 148;
      if (!(uvn.flags & UVM_VNODE_BLOCKED)) break;
      yield 149;
      uvn.flags |= UVM_VNODE_WANTED;
      yield 150;
      yield* tsleep_nsec(k, th, chan.uvn(vp.name), 'uvn_attach');
    }

    yield 154;
    if (v_type(vp) === 'VBLK' && !D_DISK) {
      yield 155;
      return false;
    }

    yield 164;
    yield* rw_enter(k, th, lock);
    yield 165;
    if (uvn.flags & UVM_VNODE_VALID) {
      yield 168;
      if (uvn.refs === 0) {
        yield 169;
        yield* vref(k, th, vp);
      }
      yield 171;
      uvn.refs++;
      yield 172;
      yield* rw_exit(k, th, lock);

      yield 175;
      if ((accessprot & PROT_WRITE) !== 0 && (uvn.flags & UVM_VNODE_WRITEABLE) === 0) {
        yield 177;
        LIST_INSERT_HEAD(k, vp.name);
        yield 179;
        uvn.flags |= UVM_VNODE_WRITEABLE;
      }
      yield 182;
      return true;
    }
    yield 184;
    yield* rw_exit(k, th, lock);

    yield 194;
    uvn.flags = UVM_VNODE_ALOCK;

    yield 196;
    if (v_type(vp) === 'VBLK') {
      // DIOCGPART reports 512-byte sectors.
      yield 205;
      result = 0;
      yield 207;
      if (result === 0) {
        yield 209;
        used_vnode_size = 512 * Math.floor(vp.size / 512);
      }
    } else {
      yield 213;
      const attr = VOP_GETATTR(vp);
      result = attr.error;
      yield 214;
      if (result === 0) {
        yield 215;
        used_vnode_size = attr.size;
      }
    }

    yield 218;
    if (result !== 0) {
      yield 219;
      if (uvn.flags & UVM_VNODE_WANTED) {
        yield 220;
        wakeup(k, chan.uvn(vp.name));
      }
      yield 221;
      uvn.flags = 0;
      yield 222;
      return false;
    }

    yield 235;
    yield* KASSERT(k, th, uvn.refs === 0, 'uvn->u_obj.uo_refs == 0', 235);
    yield 236;
    uvn.refs++;
    yield 237;
    oldflags = uvn.flags;
    yield 238;
    uvn.flags = UVM_VNODE_VALID | UVM_VNODE_CANPERSIST;
    yield 239;
    uvn.nio = 0;
    yield 240;
    uvn.size = used_vnode_size;

    yield 243;
    if (accessprot & PROT_WRITE) {
      yield 244;
      LIST_INSERT_HEAD(k, vp.name);
      yield 245;
      uvn.flags |= UVM_VNODE_WRITEABLE;
    }

    yield 253;
    yield* vref(k, th, vp);
    yield 254;
    if (oldflags & UVM_VNODE_WANTED) {
      yield 255;
      wakeup(k, chan.uvn(vp.name));
    }
    yield 257;
    return true;
  },
);

export const uvn_reference = traced('uvn_reference', function* (k: UvmKernel, th: KThread, vp: UvmVnode): Proc {
  const lock = objLockName(vp.name);
  // uvn is declared only under DEBUG: the argument is the one local.
  locals(th, () => ({ uobj: show.uvn(vp) }));
  yield 286;
  yield* rw_enter(k, th, lock);
  yield 287;
  vp.uvn.refs++;
  yield 288;
  yield* rw_exit(k, th, lock);
});

/** uvn_detach's C locals that its goner path (uvn_detach_kill, part of the same C function) assigns. */
interface DetachFrame {
  oldflags: number | null;
}

export const uvn_detach = traced('uvn_detach', function* (k: UvmKernel, th: KThread, vp: UvmVnode): Proc {
  const uvn = vp.uvn;
  const lock = objLockName(vp.name);
  // uvn and vp are assigned at 315-316, once the last reference is known to be gone.
  let assigned = 0;
  const frame: DetachFrame = { oldflags: null };
  locals(th, () => ({
    uobj: show.uvn(vp),
    uvn: assigned >= 315 ? show.uvn(vp) : UNSET,
    vp: assigned >= 316 ? show.vnode(vp) : UNSET,
    oldflags: show.uvnFlags(frame.oldflags),
  }));

  yield 307;
  yield* rw_enter(k, th, lock);
  yield 308;
  uvn.refs--;
  yield 309;
  if (uvn.refs) {
    yield 310;
    yield* rw_exit(k, th, lock);
    yield 311;
    return;
  }

  yield 315;
  assigned = 315;
  yield 316;
  assigned = 316;
  yield 322;
  vp.vflag &= ~VTEXT;

  yield 328;
  if (uvn.flags & UVM_VNODE_CANPERSIST) {
    yield 330;
    yield* uvn_flush(k, th, vp, 0, 0, PGO_DEACTIVATE | PGO_ALLPAGES);
    yield 331;
  } else {
    const killed = yield* uvn_detach_kill(k, th, vp, frame);
    if (!killed) return;
  }

  yield 384;
  yield* rw_exit(k, th, lock);
  yield 387;
  yield* vrele(k, th, vp);
  yield 389;
});

/** uvn_detach lines 335-382: the goner path. False when RELKILL was cancelled. */
function* uvn_detach_kill(k: UvmKernel, th: KThread, vp: UvmVnode, frame: DetachFrame): Proc<boolean> {
  const uvn = vp.uvn;
  const lock = objLockName(vp.name);
  yield 335;
  uvn.flags |= UVM_VNODE_DYING;
  yield 346;
  yield* uvn_flush(k, th, vp, 0, 0, PGO_CLEANIT | PGO_FREE | PGO_ALLPAGES);
  yield 356;
  uvn.flags |= UVM_VNODE_RELKILL;
  for (;;) {
    yield 358;
    if (!(uvn.npages && uvn.flags & UVM_VNODE_RELKILL)) break;
    yield 359;
    uvn.flags |= UVM_VNODE_IOSYNC;
    yield 360;
    yield* rwsleep_nsec(k, th, chan.nio(vp.name), lock, 'uvn_term', true);
  }

  yield 364;
  if ((uvn.flags & UVM_VNODE_RELKILL) === 0) {
    yield 365;
    yield* rw_exit(k, th, lock);
    yield 366;
    return false;
  }

  yield 373;
  if (uvn.flags & UVM_VNODE_WRITEABLE) {
    yield 374;
    LIST_REMOVE(k, vp.name);
  }
  yield 376;
  yield* KASSERT(k, th, uvn.npages === 0, 'RBT_EMPTY(uvm_objtree, &uobj->memt)', 376);
  yield 377;
  frame.oldflags = uvn.flags;
  yield 378;
  uvn.flags = 0;
  yield 381;
  if (frame.oldflags & UVM_VNODE_WANTED) {
    yield 382;
    wakeup(k, chan.uvn(vp.name));
  }
  return true;
}
