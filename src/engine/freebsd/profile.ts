/**
 * What the lab shows for FreeBSD, as data: the calls a thread can start (the scenario reader validates
 * against them and the form is built from them), the OBJ_* flags, the page columns (valid and dirty as
 * 512-byte strips), the page states, the queues and the extra I/O fields.
 */
import type { ArgSpec, CallSpec, PagerProfile } from '../../protocol/profile';
import { OBJ_FLAG_INFO } from './flags';

const vnode: ArgSpec = { name: 'vnode', kind: 'vnode' };
const mapping: ArgSpec = { name: 'mapping', kind: 'mapping' };
const call = (name: string, summary: string, args: readonly ArgSpec[] = [vnode]): CallSpec => ({ name, summary, args });

export const FREEBSD_CALL_SPECS: readonly CallSpec[] = [
  call('vref', "open(2)'s lookup: usecount + 1"),
  call('vrele', 'close(2): vrele; the last use reference runs vinactive'),
  call('vnode_create_vobject', 'VOP_OPEN as ufs_open: vn_lock, vnode_create_vobject(vp, size), VOP_UNLOCK'),
  call('mmap', 'vm_mmap_vnode: vget, writecount for shared rw, vnode_pager_alloc, vput', [
    vnode,
    { name: 'prot', kind: 'choice', choices: ['r', 'rw'], default: 'rw' },
    { name: 'shared', kind: 'bool', default: true },
    { name: 'length', kind: 'number', unit: 'bytes', pageAligned: true, positive: true, default: 4096 },
  ]),
  call('munmap', 'pmap_remove, vnode_pager_release_writecount, vm_object_deallocate', [mapping]),
  call('fault', 'vm_fault on one page of a mapping (read-behind / read-ahead pages)', [
    mapping,
    { name: 'offset', kind: 'number', unit: 'bytes', pageAligned: true, default: 0 },
    { name: 'access', kind: 'choice', choices: ['read', 'write'], default: 'read' },
    { name: 'behind', kind: 'number', unit: 'pages', optional: true, default: 0 },
    { name: 'ahead', kind: 'number', unit: 'pages', optional: true, default: 0 },
  ]),
  call('sendfile', 'vn_sendfile: grab the pages, read the invalid ones asynchronously', [
    vnode,
    { name: 'offset', kind: 'number', unit: 'bytes', pageAligned: true, default: 0 },
    { name: 'length', kind: 'number', unit: 'bytes', default: 0 },
    { name: 'rahead', kind: 'number', unit: 'pages', optional: true, default: 0 },
  ]),
  call('msync', 'vm_object_sync: vn_lock, vm_object_page_clean(obj, start, end, flags)', [
    vnode,
    { name: 'flags', kind: 'flags', choices: ['OBJPC_SYNC', 'OBJPC_INVAL', 'OBJPC_NOSYNC'], default: ['OBJPC_SYNC'] },
    { name: 'start', kind: 'number', unit: 'bytes', optional: true, default: 0 },
    { name: 'end', kind: 'number', unit: 'bytes', optional: true, default: 0 },
  ]),
  call('pageout', 'the laundry thread on one page: pmap_remove_write, vm_pageout_flush', [
    vnode,
    { name: 'pindex', kind: 'number', unit: 'pages', default: 0 },
  ]),
  call('haspage', 'vm_pager_has_page(obj, pindex, &before, &after)', [
    vnode,
    { name: 'pindex', kind: 'number', unit: 'pages', default: 0 },
  ]),
  call('vnode_pager_setsize', 'truncate: vn_lock, new size and block map, vnode_pager_setsize, VOP_UNLOCK', [
    vnode,
    { name: 'size', kind: 'number', unit: 'bytes', default: 0 },
  ]),
  call('vgone', 'vgonel: VI_DOOMED, vinactive, vinvalbuf, VOP_RECLAIM (vnode_destroy_vobject), deadfs'),
];

export const FREEBSD_PROFILE: PagerProfile = {
  pager: 'freebsd',
  kernel: 'FreeBSD',
  seed: { file: 'vnode_pager.c', path: 'sys/vm/vnode_pager.c', url: 'seeds/vnode_pager.c' },
  objectPanel: {
    title: 'VM object',
    flagWord: 'flags',
    flagPrefix: 'OBJ_',
    fieldsLabel: 'object and vnode fields',
    flags: OBJ_FLAG_INFO,
  },
  pageTree: {
    structure: "each vm_object's resident pages by pindex (memq, indexed by the radix trie)",
    layout: 'list',
    key: 'pindex',
    busy: 'xbusy/sbusy',
    wanted: 'VPB_BIT_WAITERS',
  },
  pageStates: [
    { state: 'busy', label: 'busy', meaning: 'exclusive or shared busy: a thread is reading, writing or changing it' },
    { state: 'invalid', label: 'invalid', meaning: 'valid == 0: nothing read yet' },
    { state: 'partial', label: 'partly valid', meaning: 'some 512-byte chunks valid (the page at end of file)' },
    { state: 'dirty', label: 'dirty', meaning: 'dirty bits set, or modified through a mapping' },
    { state: 'clean', label: 'clean', meaning: 'fully valid and matching the file' },
  ],
  pageColumns: [
    { key: 'valid', label: 'valid', meaning: 'valid bits: one per 512-byte chunk', kind: 'bits', cells: 8 },
    { key: 'dirty', label: 'dirty', meaning: 'dirty bits: one per 512-byte chunk', kind: 'bits', cells: 8 },
    { key: 'xbusy', label: 'xbusy', meaning: 'exclusively busy (VPB_BIT_EXCLUSIVE)', kind: 'yes' },
    { key: 'sbusy', label: 'sbusy', meaning: 'shared busy count (vm_pageout_flush)', kind: 'text' },
    { key: 'waiters', label: 'waiters', meaning: 'VPB_BIT_WAITERS: a thread sleeps until unbusy', kind: 'yes' },
    { key: 'queue', label: 'queue', meaning: 'the paging queue the page is on', kind: 'text' },
    { key: 'mapped', label: 'mapped', meaning: 'pmap: some mapping exists', kind: 'yes' },
    { key: 'writeable', label: 'writeable', meaning: 'PGA_WRITEABLE: some mapping is writable', kind: 'yes' },
    { key: 'modified', label: 'modified', meaning: 'pmap: written through a mapping', kind: 'yes' },
  ],
  queues: [
    { name: 'active', label: 'active' },
    { name: 'inactive', label: 'inactive' },
  ],
  ioFields: [
    { key: 'blkno', label: 'blkno', meaning: 'b_blkno: disk address in 512-byte units (null for VOP_READ/VOP_WRITE)' },
    { key: 'async', label: 'async', meaning: 'an asynchronous read, or a write without IO_SYNC' },
  ],
  calls: FREEBSD_CALL_SPECS,
};
