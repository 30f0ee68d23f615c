/**
 * What the lab shows for OpenBSD, as data: the calls a thread can start (the
 * scenario reader validates against them and the form is built from them),
 * the uvn flags with their meanings, the Page bits columns, the page states
 * of the page tree, the paging queues.
 */
import type { ArgSpec, CallSpec, PagerProfile } from '../../protocol/profile';
import { PG_INFO, UVN_FLAG_INFO } from './flags';

/** PGO_* flag names of sys/uvm/uvm_pager.h, in bit order. */
export const PGO_NAMES = [
  'PGO_CLEANIT',
  'PGO_SYNCIO',
  'PGO_DEACTIVATE',
  'PGO_FREE',
  'PGO_ALLPAGES',
  'PGO_DOACTCLUST',
  'PGO_LOCKED',
  'PGO_PDFREECLUST',
  'PGO_REALLOCSWAP',
  'PGO_NOWAIT',
] as const;

const vnode: ArgSpec = { name: 'vnode', kind: 'vnode' };
const prot: ArgSpec = { name: 'prot', kind: 'choice', choices: ['r', 'rw'], default: 'rw' };

const call = (name: string, summary: string, args: readonly ArgSpec[] = [vnode]): CallSpec => ({
  name,
  summary,
  args,
});

export const OPENBSD_CALL_SPECS: readonly CallSpec[] = [
  call('uvn_attach', 'uvn_attach(vp, prot): the bare seed call', [vnode, prot]),
  call('mmap', 'uvm_mmapfile: uvn_attach, then uvm_vnp_uncache for a shared writable mapping', [
    vnode,
    prot,
    { name: 'shared', kind: 'bool', default: true },
  ]),
  call('uvn_reference', 'uvn_reference(uobj)'),
  call('uvn_detach', 'uvn_detach(uobj), as munmap does'),
  call('uvn_flush', 'msync: rw_enter, uvn_flush(uobj, start, stop, flags), rw_exit', [
    vnode,
    { name: 'flags', kind: 'flags', choices: PGO_NAMES, default: ['PGO_CLEANIT', 'PGO_SYNCIO', 'PGO_ALLPAGES'] },
    { name: 'start', kind: 'number', unit: 'bytes', optional: true, default: 0 },
    { name: 'stop', kind: 'number', unit: 'bytes', optional: true, default: 0 },
  ]),
  call('fault', "uvm_fault's object-page path: uvn_get PGO_LOCKED, then PGO_SYNCIO, map, activate", [
    vnode,
    { name: 'offset', kind: 'number', unit: 'bytes', pageAligned: true, default: 0 },
    { name: 'access', kind: 'choice', choices: ['read', 'write'], default: 'write' },
  ]),
  call('uvm_vnp_terminate', 'vclean: vn_lock, uvm_vnp_terminate(vp), VOP_UNLOCK'),
  call('uvm_vnp_uncache', 'unlink: vn_lock, uvm_vnp_uncache(vp), VOP_UNLOCK'),
  call('uvm_vnp_setsize', 'truncate: vn_lock, new file size, uvm_vnp_setsize(vp, size), VOP_UNLOCK', [
    vnode,
    { name: 'size', kind: 'number', unit: 'bytes', default: 0 },
  ]),
  call('uvm_vnp_sync', 'sys_sync: uvm_vnp_sync(mp) (no mount: every mount)', [
    { name: 'mount', kind: 'mount', optional: true },
  ]),
  call('vref', 'open(2): vget, usecount + 1'),
  call('vrele', 'close(2): vrele, usecount - 1; at 0 VOP_INACTIVE'),
  call('recycle', 'getnewvnode reuses a free vnode: vclean, then reclaimed'),
  call('revoke', 'forced unmount: vclean, then dead'),
];

export const OPENBSD_PROFILE: PagerProfile = {
  pager: 'openbsd',
  kernel: 'OpenBSD',
  seed: { file: 'uvm_vnode.c', path: 'sys/uvm/uvm_vnode.c', url: 'seeds/uvm_vnode.c' },
  objectPanel: {
    title: 'uvn flags',
    flagWord: 'u_flags',
    flagPrefix: 'UVM_VNODE_',
    fieldsLabel: 'uvn and vnode fields',
    flags: UVN_FLAG_INFO,
  },
  pageTree: {
    structure: "uvm_objtree: each uvn's red-black tree of resident pages, keyed by offset",
    layout: 'rbtree',
    key: 'offset',
    busy: 'PG_BUSY',
    wanted: 'PG_WANTED',
  },
  pageStates: [
    { state: 'busy', label: 'busy', meaning: 'PG_BUSY: a thread owns the page' },
    { state: 'fake', label: 'fake', meaning: 'PG_FAKE: contents not valid yet' },
    {
      state: 'dirty',
      label: 'dirty',
      meaning: 'PG_CLEAN clear, or modified through a mapping (PG_CLEAN may still be set)',
    },
    { state: 'clean', label: 'clean', meaning: 'PG_CLEAN and not modified: matches the file' },
  ],
  pageColumns: [
    ...PG_INFO.filter((f) => f.name !== 'PG_RDONLY' && f.name !== 'PG_ZERO').map((f) => ({
      key: f.name,
      label: f.name,
      meaning: f.meaning,
      kind: 'flag' as const,
      bit: f.bit,
    })),
    { key: 'queue', label: 'queue', meaning: 'the paging queue the page is on', kind: 'text' },
    { key: 'wired', label: 'wired', meaning: 'wire count (never wired here)', kind: 'text' },
    { key: 'mapped', label: 'mapped', meaning: 'pmap: some virtual mapping exists', kind: 'yes' },
    { key: 'modified', label: 'modified', meaning: 'pmap: written through a mapping', kind: 'yes' },
    { key: 'owner', label: 'owner thread', meaning: 'the thread that set PG_BUSY', kind: 'thread' },
  ],
  queues: [
    { name: 'active', label: 'active' },
    { name: 'inactive', label: 'inactive' },
  ],
  ioFields: [],
  calls: OPENBSD_CALL_SPECS,
};
