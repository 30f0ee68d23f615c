/**
 * vnode_create_vobject, vnode_destroy_vobject, vnode_pager_alloc, vnode_pager_dealloc: seeds/vnode_pager.c
 * lines 110-308. `yield N` marks seed line N. ASSERT_VOP_ELOCKED and CTR3 check and trace nothing here (no
 * DEBUG_VFS_LOCKS, no KTR) but are statements of the seed, so each is one step.
 */
import { holds } from '../kernel/locks';
import { locals, panic, traced, wakeup } from '../kernel/sched';
import type { KThread, Proc } from '../kernel/types';
import { LK_EXCLUSIVE, LK_RETRY, OBJ_DEAD, OBJ_DISCONNECTWNT } from './flags';
import { chan, objLockName, pname, type BsdKernel, type BsdVnode, type VmObject } from './state';
import { KASSERT, VM_OBJECT_SLEEP, VM_OBJECT_WLOCK, VM_OBJECT_WUNLOCK } from './sync';
import { vn_lock, VOP_ADD_WRITECOUNT, VOP_UNLOCK, vrefact, vrele, vunref } from './vfs';
import { vm_object_allocate, vm_object_color, vm_object_pip_wait, vm_object_terminate } from './vm_object';

const objName = (obj: VmObject | null) => (obj ? `obj${obj.id}` : null);

/** VM_OBJECT_ASSERT_WLOCKED under INVARIANTS (rw_assert). */
export function* VM_OBJECT_ASSERT_WLOCKED(k: BsdKernel, th: KThread, obj: VmObject, line: number): Proc {
  if (!holds(k, th, objLockName(obj.id)))
    yield* panic(k, th, `Lock vm object not exclusively locked @ sys/vm/vnode_pager.c:${line}`);
}

export const vnode_create_vobject = traced(
  'vnode_create_vobject',
  function* (k: BsdKernel, th: KThread, vp: BsdVnode, isize: number): Proc<number> {
    let object: VmObject | null = null;
    let size = 0;
    locals(th, () => ({ object: objName(object), size }));
    yield 114;
    size = isize;

    yield 117;
    // vn_isdisk is false (VREG only); vn_canvmio is false once vgone has made the vnode VBAD.
    if (vp.deadfs) {
      yield 118;
      return 0;
    }
    for (;;) {
      yield 120;
      object = vp.v_object === null ? null : k.object(vp.v_object);
      if (object === null) break;
      yield 121;
      yield* VM_OBJECT_WLOCK(k, th, object);
      yield 122;
      if (!(object.flags & OBJ_DEAD)) {
        yield 123;
        yield* VM_OBJECT_WUNLOCK(k, th, object);
        yield 124;
        return 0;
      }
      yield 126;
      yield* VOP_UNLOCK(k, th, vp);
      yield 127;
      object.flags |= OBJ_DISCONNECTWNT;
      yield 128;
      yield* VM_OBJECT_SLEEP(k, th, object, chan.object(object.id), 'vodead', true);
      yield 129;
      yield* vn_lock(k, th, vp, LK_EXCLUSIVE | LK_RETRY);
    }

    yield 132;
    if (size === 0) {
      yield 133;
      yield 136;
      // deadfs VOP_GETATTR fails.
      if (vp.deadfs) {
        yield 137;
        return 0;
      }
      yield 138;
      size = vp.size;
    }

    yield 142;
    object = yield* vnode_pager_alloc(k, th, vp, size);
    yield 147;
    yield* VM_OBJECT_WLOCK(k, th, object);
    yield 148;
    object.ref_count--;
    yield 149;
    yield* VM_OBJECT_WUNLOCK(k, th, object);
    yield 150;
    yield* vrele(k, th, vp);

    yield 152;
    yield* KASSERT(k, th, vp.v_object !== null, () => 'vnode_create_vobject: NULL object');
    yield 154;
    return 0;
  },
);

export const vnode_destroy_vobject = traced(
  'vnode_destroy_vobject',
  function* (k: BsdKernel, th: KThread, vp: BsdVnode): Proc {
    // The frame's locals are shown from the step that enters it; obj is what line 162 assigns.
    let shown: VmObject | null = null;
    locals(th, () => ({ obj: objName(shown) }));
    yield 162;
    const obj = (shown = vp.v_object === null ? null : k.object(vp.v_object));
    yield 163;
    if (obj === null) {
      yield 164;
      return;
    }
    // ASSERT_VOP_ELOCKED checks nothing without DEBUG_VFS_LOCKS, but it is a statement: one step.
    yield 165;
    yield 166;
    yield* VM_OBJECT_WLOCK(k, th, obj);
    yield 167;
    yield 168;
    if (obj.ref_count === 0) {
      yield 172;
      if ((obj.flags & OBJ_DEAD) === 0) {
        yield 173;
        yield* vm_object_terminate(k, th, obj);
      } else {
        yield 181;
        yield* KASSERT(
          k,
          th,
          (obj.flags & OBJ_DISCONNECTWNT) === 0,
          () => `OBJ_DISCONNECTWNT set obj ${pname.obj(obj)} flags ${obj.flags.toString(16)}`,
        );
        yield 184;
        vp.v_object = null;
        yield 185;
        yield* VM_OBJECT_WUNLOCK(k, th, obj);
      }
    } else {
      yield 191;
      // vm_pager_deallocate: asserts the lock, then the type's pgo_dealloc.
      yield* vnode_pager_dealloc(k, th, obj);
      yield 192;
      yield* VM_OBJECT_WUNLOCK(k, th, obj);
    }
    yield 194;
    yield* KASSERT(
      k,
      th,
      vp.v_object === null,
      () => `vp ${vp.name} obj ${vp.v_object === null ? '0' : `obj${vp.v_object}`}`,
    );
  },
);

export const vnode_pager_alloc = traced(
  'vnode_pager_alloc',
  function* (k: BsdKernel, th: KThread, handle: BsdVnode, size: number): Proc<VmObject> {
    let object: VmObject | null = null;
    let vp: BsdVnode | null = null;
    locals(th, () => ({ object: objName(object), vp: vp?.name ?? null, size }));
    yield 214;
    yield 217;
    vp = handle;

    for (;;) {
      yield 224;
      object = vp.v_object === null ? null : k.object(vp.v_object);
      if (object === null) break;
      yield 225;
      yield* VM_OBJECT_WLOCK(k, th, object);
      yield 226;
      if ((object.flags & OBJ_DEAD) === 0) {
        yield 227;
        break;
      }
      yield 228;
      object.flags |= OBJ_DISCONNECTWNT;
      yield 229;
      yield* VM_OBJECT_SLEEP(k, th, object, chan.object(object.id), 'vadead', true);
    }

    yield 232;
    yield* KASSERT(k, th, vp.usecount !== 0, () => 'vnode_pager_alloc: no vnode reference');

    yield 234;
    if (object === null) {
      yield 238;
      object = vm_object_allocate(k, vp.name, Math.ceil(size / 4096));
      yield 240;
      object.vnp_size = size;
      yield 241;
      object.writemappings = 0;
      yield 243;
      object.handle = vp.name;
      yield 244;
      // No thread can have set v_object since line 224 (line 245), even between two steps: VOP_OPEN holds the
      // vnode lock exclusively, which another open, an mmap or a vgone of this vnode waits for.
      yield 245;
      yield 259;
      vp.v_object = object.id;
      yield 260;
    } else {
      yield 262;
      object.ref_count++;
      yield 264;
      vm_object_color(object);
      yield 266;
      yield* VM_OBJECT_WUNLOCK(k, th, object);
    }
    yield 268;
    vrefact(vp);
    yield 269;
    return object;
  },
);

export const vnode_pager_dealloc = traced(
  'vnode_pager_dealloc',
  function* (k: BsdKernel, th: KThread, object: VmObject): Proc {
    let refs = 0;
    let shown: BsdVnode | null = null;
    locals(th, () => ({ object: `obj${object.id}`, vp: shown?.name ?? null, refs }));
    yield 281;
    const vp = (shown = object.handle === null ? null : k.vnode(object.handle));
    yield 282;
    if (vp === null) {
      yield 283;
      yield* panic(k, th, 'vnode_pager_dealloc: pager already dealloced');
      return;
    }

    yield 285;
    yield* VM_OBJECT_ASSERT_WLOCKED(k, th, object, 285);
    yield 286;
    yield* vm_object_pip_wait(k, th, object, 'vnpdea');
    yield 287;
    refs = object.ref_count;

    yield 289;
    object.handle = null;
    yield 290;
    object.type = 'OBJT_DEAD';
    yield 291;
    if (object.flags & OBJ_DISCONNECTWNT) {
      yield 292;
      object.flags &= ~OBJ_DISCONNECTWNT;
      yield 293;
      wakeup(k, chan.object(object.id));
    }
    yield 295;
    yield 296;
    if (object.writemappings > 0) {
      yield 297;
      object.writemappings = 0;
      yield 298;
      yield* VOP_ADD_WRITECOUNT(k, th, vp, -1);
      // CTR3 traces nothing without KTR, but it is a statement.
      yield 299;
    }
    yield 302;
    vp.v_object = null;
    yield 303;
    vp.vtext = false;
    yield 304;
    yield* VM_OBJECT_WUNLOCK(k, th, object);
    for (;;) {
      yield 305;
      if (!(refs-- > 0)) break;
      yield 306;
      vunref(vp);
    }
    yield 307;
    yield* VM_OBJECT_WLOCK(k, th, object);
  },
);
