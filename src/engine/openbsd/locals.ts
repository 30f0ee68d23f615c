/**
 * How the C locals of uvm_vnode.c's functions read in the locals pane: a
 * pointer by what it points to (`vn1`, `uvn(vn1)`, a page by its object and
 * offset), a flag word by its names, a pager result or errno by its name. A
 * local the C has not assigned yet reads UNSET.
 */
import { bitNames, EBADF, EBUSY, EDEADLK, EIO, PROT_READ, PROT_WRITE } from '../kernel/constants';
import type { LocalValue } from '../kernel/sched';
import { hex } from '../../protocol/format';
import { PGO_FLAGS, UVN_FLAG_INFO, VM_PAGER_NAMES } from './flags';
import type { Page, UvmVnode } from './state';

/** A local declared without an initialiser, before its first assignment. */
export const UNSET = '(unset)';

const PGO_INFO = Object.entries(PGO_FLAGS).map(([name, bit]) => ({ name, bit }));

const ERRNO_NAMES: Readonly<Record<number, string>> = {
  [EIO]: 'EIO',
  [EDEADLK]: 'EDEADLK',
  [EBUSY]: 'EBUSY',
  [EBADF]: 'EBADF',
};

const or = <T>(v: T | null, show: (v: T) => LocalValue): LocalValue => (v === null ? UNSET : show(v));

export const show = {
  /** struct vnode *: the vnode's name. */
  vnode: (vp: UvmVnode): string => vp.name,
  /** struct uvm_vnode * (and the uvm_object embedded first in it). */
  uvn: (vp: UvmVnode): string => `uvn(${vp.name})`,
  /** struct vm_page *: NULL, or `vn1@0x1000`. */
  page: (pg: Page | null | undefined): string => (pg ? `${pg.object ?? '?'}@${hex(pg.offset)}` : 'NULL'),
  /** u_flags and copies of it. */
  uvnFlags: (f: number | null): LocalValue => or(f, (v) => bitNames(v, UVN_FLAG_INFO).join('|') || '0'),
  /** pager flags (PGO_*). */
  pgo: (f: number): string => bitNames(f, PGO_INFO).join('|') || '0',
  /** A VM_PAGER_* result. */
  pager: (r: number | null): LocalValue => or(r, (v) => VM_PAGER_NAMES[v] ?? String(v)),
  /** An errno: 0, or `5 (EIO)`. */
  errno: (e: number | null): LocalValue => or(e, (v) => (v === 0 ? 0 : `${v} (${ERRNO_NAMES[v] ?? 'errno'})`)),
  /** vm_prot_t. */
  prot: (p: number): string =>
    [p & PROT_READ ? 'PROT_READ' : '', p & PROT_WRITE ? 'PROT_WRITE' : ''].filter(Boolean).join('|') || 'PROT_NONE',
  /** A byte offset or size (voff_t, off_t). */
  offset: (o: number | null): LocalValue => or(o, hex),
  /** An int the C may not have assigned yet. */
  int: (n: number | null): LocalValue => or(n, (v) => v),
  bool: (b: boolean | null): LocalValue => or(b, (v) => v),
};
