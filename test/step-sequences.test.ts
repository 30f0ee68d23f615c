/**
 * Step granularity path by path: for one or two paths through each seed function, the seed lines a thread
 * stands on after each `step`, written out from uvm_vnode.c and vnode_pager.c by the rules (README, "Step
 * granularity"), not read back from the engine. A blocking statement is listed twice: the step that blocks
 * stays at its line. A call into a seed function stops at the callee's first statement; the step that runs a
 * return also finishes the caller's statement. Caller statements outside the seed (strings) are left out.
 */
import { describe, expect, it } from 'vitest';
import { PagerEngine } from '../src/engine/engine';
import { dirtyPage0 } from './freebsd-play';
import { run, scenarioIn, sp, type Json } from './play';

/**
 * After `steps`, step `thread` one statement at a time until it is done, completing its disk requests `ok` as
 * it waits on them (and calling `unblock` when it waits on anything else); the seed line it stands on after
 * each step (caller statements left out).
 */
function linesOf(
  pager: 'openbsd' | 'freebsd',
  setup: Json,
  steps: Json[],
  thread: string,
  unblock?: (e: PagerEngine) => void,
): number[] {
  const scenario = scenarioIn(pager, setup, steps);
  const e = new PagerEngine(scenario);
  for (const s of scenario.steps) expect(e.apply(s)).toBeNull();
  const th = e.k.thread(thread)!;
  const lines: number[] = [];
  while (th.status !== 'done') {
    if (th.status === 'io') {
      const req = e.k.s.io.find((r) => r.thread === thread)!;
      expect(e.apply({ complete: req.id, result: 'ok' })).toBeNull();
    } else if (th.status !== 'ready' && unblock) unblock(e);
    expect(th.status).toBe('ready');
    expect(e.apply({ step: thread })).toBeNull();
    expect(e.k.s.panic).toBeNull();
    if (th.line !== null) lines.push(th.line);
  }
  return lines;
}

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

describe('OpenBSD: uvm_vnode.c stepped', () => {
  const setup = { machine: { physPages: 8 }, vnodes: [{ name: 'vn1', size: 16384 }] };
  const attach = [sp('t1', 'uvn_attach', { vnode: 'vn1', prot: 'rw' })];

  it('uvn_attach of a vnode with no uvn: the VOP_GETATTR path, write access, vref', () => {
    const getattr = [184, 194, 196, 213, 214, 215, 218];
    const setUp = [235, 236, 237, 238, 239, 240, 243, 244, 245, 253, 254, 257];
    expect(linesOf('openbsd', setup, attach, 't1')).toEqual([141, 145, 148, 154, 164, 165, ...getattr, ...setUp]);
  });

  it('uvn_attach of a valid uvn, read only: the early return at 182', () => {
    const steps = [...attach, run('t1'), sp('t2', 'uvn_attach', { vnode: 'vn1', prot: 'r' })];
    expect(linesOf('openbsd', setup, steps, 't2')).toEqual([141, 145, 148, 154, 164, 165, 168, 171, 172, 175, 182]);
  });

  it('uvn_detach of the last reference of a persisting uvn: uvn_flush over four empty offsets, goto out', () => {
    const steps = [...attach, run('t1'), sp('t2', 'uvn_detach', { vnode: 'vn1' })];
    // uvn_flush(PGO_DEACTIVATE|PGO_ALLPAGES): no PGO_CLEANIT, so no 632-635 walk; 643's last run ends the loop.
    const walk = [0, 1, 2, 3].flatMap(() => [643, 644, 645]);
    const flush = [599, 607, 608, 611, 612, 613, 614, 615, 631, 640, 641, ...walk, 643, 841, 844, 855, 857];
    // Its return finishes line 330; then goto out (331): the label is no statement.
    const out = [331, 384, 387, 389];
    expect(linesOf('openbsd', setup, steps, 't2')).toEqual([307, 308, 309, 315, 316, 322, 328, 330, ...flush, ...out]);
  });

  it('a read fault of a page not resident: uvn_get twice, uvn_io blocking at VOP_READ (1239)', () => {
    const steps = [...attach, run('t1'), sp('t2', 'fault', { vnode: 'vn1', offset: 4096, access: 'read' })];
    // PGO_LOCKED: the page is not there, so done = FALSE; the for at 945 runs twice.
    const locked = [927, 931, 936, 943, 945, 949, 953, 956, 958, 960, 961, 945, 992, 993, 996];
    // PGO_SYNCIO: a fresh page breaks out of the loop at 1031 by 1052, then uvn_io reads it.
    const unlocked = [927, 931, 1007, 1012, 1031, 1033, 1036, 1037, 1041, 1052, 1078, 1085];
    const io = [
      ...[1141, 1149, 1150, 1152, 1155, 1156, 1157, 1160, 1170, 1175, 1178, 1179, 1188, 1189, 1190, 1200, 1201, 1202],
      ...[...range(1204, 1211), 1217, 1232, 1233, 1234, 1235, 1236, 1238, 1239, 1239],
      ...[1245, 1246, 1249, 1251, 1261, 1262, 1264, 1266, 1273, 1276, 1277, 1278, 1282, 1283],
    ];
    // uvn_io's return finishes line 1085.
    const done = [1092, 1118, 1119, 1120, 1007, 1125, 1126];
    expect(linesOf('openbsd', setup, steps, 't2')).toEqual([...locked, ...unlocked, ...io, ...done]);
  });

  it('uvm_vnp_setsize shrinking a valid uvn: uvn_flush(PGO_FREE) from the new size, then u_size', () => {
    const steps = [...attach, run('t1'), sp('t2', 'uvm_vnp_setsize', { vnode: 'vn1', size: 4096 })];
    // Not PGO_ALLPAGES: 617-618 round the range; three offsets from 4096 hold no page.
    const walk = [0, 1, 2].flatMap(() => [643, 644, 645]);
    const flush = [599, 607, 608, 611, 612, 613, 617, 618, 631, 640, 641, ...walk, 643, 841, 844, 855, 857];
    expect(linesOf('openbsd', setup, steps, 't2')).toEqual([
      1418,
      1419,
      1421,
      1423,
      1426,
      1433,
      1434,
      ...flush,
      1437,
      1439,
    ]);
  });

  it('uvm_vnp_terminate of a uvn still referenced: both walks of uvn_flush, then the refs branch (510)', () => {
    const steps = [...attach, run('t1'), sp('t2', 'uvm_vnp_terminate', { vnode: 'vn1' })];
    const clean = [0, 1, 2, 3].flatMap(() => [633, 634]);
    const walk = [0, 1, 2, 3].flatMap(() => [643, 644, 645]);
    const flush = [599, 607, 608, 611, 612, 613, 614, 615, 631, 632, ...clean, 633, 640, 641, ...walk, 643];
    const terminate = [420, 421, 425, 426, 455, 470, 472, ...flush, 841, 844, 855, 857];
    expect(linesOf('openbsd', setup, steps, 't2')).toEqual([...terminate, 478, 504, 505, 510, 526, 529]);
  });

  it('uvm_vnp_uncache of a referenced uvn: CANPERSIST cleared, the early return at 1358', () => {
    const steps = [...attach, run('t1'), sp('t2', 'uvm_vnp_uncache', { vnode: 'vn1' })];
    expect(linesOf('openbsd', setup, steps, 't2')).toEqual([1339, 1340, 1344, 1345, 1355, 1356, 1357, 1358]);
  });

  it('uvm_vnp_sync of one writeable uvn: the two list walks, uvn_flush, and the uvn_detach that is not the last', () => {
    const steps = [...attach, run('t1'), sp('t2', 'uvm_vnp_sync', {})];
    const clean = [0, 1, 2, 3].flatMap(() => [633, 634]);
    const walk = [0, 1, 2, 3].flatMap(() => [643, 644, 645]);
    const flush = [599, 607, 608, 611, 612, 613, 614, 615, 631, 632, ...clean, 633, 640, 641, ...walk, 643];
    // LIST_FOREACH: 1469 runs once per uvn and once more to find the end; the same for SIMPLEQ_FOREACH at 1497.
    const listed = [1462, 1468, 1469, 1470, 1471, 1482, 1489, 1491, 1493, 1469];
    // The sync's own reference makes two: 1512 keeps the uvn on the list, and uvn_detach returns at 311.
    const synced = [1497, 1498, 1504, ...flush, 841, 844, 855, 857, 1512, 1517, 1520, 307, 308, 309, 310, 311, 1497];
    expect(linesOf('openbsd', setup, steps, 't2')).toEqual([...listed, ...synced, 1523]);
  });

  it('msync of a dirty page (PGO_CLEANIT|PGO_SYNCIO): uvn_cluster and uvn_put stepped inside line 723', () => {
    const steps = [
      ...attach,
      run('t1'),
      sp('t2', 'fault', { vnode: 'vn1', offset: 0, access: 'write' }),
      run('t2'),
      { complete: 1, result: 'ok' },
      run('t2'),
      sp('t3', 'uvn_flush', { vnode: 'vn1', flags: ['PGO_CLEANIT', 'PGO_SYNCIO'], start: 0, stop: 4096 }),
    ];
    // Offset 0 only: 633 and 643 each run once for it and once to end the walk.
    const clean = [599, 607, 608, 611, 612, 613, 617, 618, 631, 632, 633, 634, 635, 633, 640, 641, 643, 644];
    const checked = [656, 667, 671, 673, 674, 676, 680, 713, 714, 715, 717, 720, 721, 723];
    // uvm_pager_put: uvm_mk_pcluster's uvn_cluster, then pgo_put (uvn_put), whose uvn_io writes.
    const cluster = [872, 873, 875, 881, 882, 883, 885];
    const io = [
      ...[1141, 1149, 1150, 1152, 1155, 1156, 1157, 1160, 1170, 1175, 1178, 1179, 1188, 1189, 1190, 1200, 1201, 1202],
      ...[...range(1204, 1211), 1217, 1232, 1233, 1234, 1235, 1236, 1238, 1241, 1241],
      ...[1245, 1246, 1249, 1251, 1261, 1262, 1264, 1266, 1273, 1276, 1277, 1278, 1282, 1283],
    ];
    const put = [902, 904, ...io, 906];
    // uvn_put's return finishes 723 (uvm_pager_put); the page is done, then the walk ends.
    const done = [
      733, 741, 772, 779, 780, 784, 793, 794, 797, 799, 800, 802, 803, 807, 812, 779, 643, 841, 844, 855, 857,
    ];
    expect(linesOf('openbsd', setup, steps, 't3')).toEqual([...clean, ...checked, ...cluster, ...put, ...done]);
  });

  it('uvn_detach of the last reference after uvm_vnp_uncache: the goner path, 335-382', () => {
    const steps = [
      ...attach,
      run('t1'),
      sp('t2', 'uvm_vnp_uncache', { vnode: 'vn1' }),
      run('t2'),
      sp('t3', 'uvn_detach', { vnode: 'vn1' }),
    ];
    const clean = [0, 1, 2, 3].flatMap(() => [633, 634]);
    const walk = [0, 1, 2, 3].flatMap(() => [643, 644, 645]);
    const flush = [599, 607, 608, 611, 612, 613, 614, 615, 631, 632, ...clean, 633, 640, 641, ...walk, 643];
    // No page left: the 358 loop ends at once; RELKILL still set; the uvn was writeable.
    const kill = [335, 346, ...flush, 841, 844, 855, 857, 356, 358, 364, 373, 374, 376, 377, 378, 381];
    expect(linesOf('openbsd', setup, steps, 't3')).toEqual([307, 308, 309, 315, 316, 322, 328, ...kill, 384, 387, 389]);
  });

  it('uvn_attach while another attach holds UVM_VNODE_ALOCK: the sleep at 150 stays there, then 148 again', () => {
    // t1's attach, t2's detach (the uvn persists) and t3's terminate leave the uvn invalid, with no flag.
    const steps: Json[] = [...attach, run('t1'), sp('t2', 'uvn_detach', { vnode: 'vn1' }), run('t2')];
    steps.push(sp('t3', 'uvm_vnp_terminate', { vnode: 'vn1' }), run('t3'));
    // t4 attaches it again and is stepped to line 214, past 194 (ALOCK set); t5's attach then waits.
    steps.push(sp('t4', 'uvn_attach', { vnode: 'vn1', prot: 'r' }), ...Array(11).fill({ step: 't4' }));
    steps.push(sp('t5', 'uvn_attach', { vnode: 'vn1', prot: 'r' }));
    // t4 goes on to line 255, where oldflags has UVM_VNODE_WANTED: it wakes t5, which runs 148 again.
    const lines = linesOf('openbsd', setup, steps, 't5', (e) => expect(e.apply({ run: 't4' })).toBeNull());
    expect(lines).toEqual([141, 145, 148, 149, 150, 150, 148, 154, 164, 165, 168, 171, 172, 175, 182]);
  });
});

describe('FreeBSD: vnode_pager.c stepped', () => {
  const setup = { machine: { physPages: 16 }, vnodes: [{ name: 'vn1', size: 8192 }] };
  const create = [sp('t1', 'vnode_create_vobject', { vnode: 'vn1' })];

  it('vnode_create_vobject of a vnode with no object: vnode_pager_alloc allocates it', () => {
    const alloc = [214, 217, 224, 232, 234, 238, 240, 241, 243, 244, 245, 259, 260, 268, 269];
    // 142 enters vnode_pager_alloc; its return at 269 finishes line 142.
    expect(linesOf('freebsd', setup, create, 't1')).toEqual([
      ...[114, 117, 120, 132, 142, ...alloc],
      ...[147, 148, 149, 150, 152, 154],
    ]);
  });

  it('mmap of a vnode with an object: vnode_pager_alloc breaks out of its loop at 224 by 227', () => {
    const steps = [...create, run('t1'), sp('t2', 'mmap', { vnode: 'vn1', prot: 'r', shared: true, length: 8192 })];
    const alloc = [214, 217, 224, 225, 226, 227, 232, 234, 262, 264, 266, 268, 269];
    expect(linesOf('freebsd', setup, steps, 't2')).toEqual(alloc);
  });

  it('a read fault of page 0: generic getpages, one page, bwait blocking at 1047, the done function', () => {
    const steps = [
      ...create,
      run('t1'),
      sp('t2', 'mmap', { vnode: 'vn1', prot: 'r', shared: true, length: 8192 }),
      run('t2'),
      sp('t3', 'fault', { mapping: 't2', offset: 0, access: 'read' }),
    ];
    // VOP_GETPAGES at 690 enters vnode_pager_local_getpages, whose return statement (722) enters the generic one.
    const getpages = [688, 689, 690, 722];
    const setUp = [753, 756, 759, 760, 761, 762, 764, 766, 774, 788, 790, 797, 798, 810, 819, 835, 850, 852];
    const sizes = [...range(855, 860), 862, 864, ...range(867, 872), 877, 891];
    // No read-behind or read-ahead: 903 and 939 take their else; 935 runs twice for one page.
    const pages = [902, 903, 932, 935, 936, 935, 937, 939, 963, 965, 969, 970, 971, 972, 975, 977];
    const buf = [992, 993, 994, 996, 997, 999, 1005, 1007, 1008, ...range(1015, 1024), 1032, 1033, 1034, 1036];
    const read = [1045, 1046, 1047, 1047, 1048];
    const done = [1081, 1082, 1084, 1093, 1098, 1099, 1103, 1104, 1106, 1110, 1111, 1113, 1130, 1099, 1133, 1134, 1137];
    // The done function's return finishes 1048; the generic one's finishes 722, whose return finishes 690.
    const end = [1049, 1050, 1049, 1051, 1052, 1053, 1054, 691, 693, 694];
    expect(linesOf('freebsd', setup, steps, 't3')).toEqual([
      ...getpages,
      ...setUp,
      ...sizes,
      ...pages,
      ...buf,
      ...read,
      ...done,
      ...end,
    ]);
  });
  it('haspage of page 0: VOP_BMAP with both counts, the pagesperblock > 0 branch, TRUE at 384', () => {
    const steps = [...create, run('t1'), sp('t2', 'haspage', { vnode: 'vn1', pindex: 0 })];
    const bmap = [314, 322, 327, 333, 336, 337, 338, 339, 340, 345, 346, 347, 348, 350];
    expect(linesOf('freebsd', setup, steps, 't2')).toEqual([
      ...bmap,
      352,
      353,
      354,
      355,
      356,
      358,
      365,
      370,
      371,
      372,
      384,
    ]);
  });

  it('truncate to 100 bytes: vnode_pager_setsize removes the pages past the end (425), no page to zero (435)', () => {
    const steps = [...create, run('t1'), sp('t2', 'vnode_pager_setsize', { vnode: 'vn1', size: 100 })];
    const lines = [402, 405, 406, 410, 412, 419, 420, 424, 425, 435, 471, 472, 473];
    expect(linesOf('freebsd', setup, steps, 't2')).toEqual(lines);
  });

  it('a shared writable mmap: vnode_pager_update_writecount counts the first writer (1360-1363)', () => {
    const steps = [...create, run('t1'), sp('t2', 'mmap', { vnode: 'vn1', prot: 'rw', shared: true, length: 8192 })];
    const writecount = [1352, 1353, 1357, 1358, 1359, 1360, 1361, 1362, 1363, 1371];
    const alloc = [214, 217, 224, 225, 226, 227, 232, 234, 262, 264, 266, 268, 269];
    expect(linesOf('freebsd', setup, steps, 't2')).toEqual([...writecount, ...alloc]);
  });

  it('msync of a dirty page: putpages, generic putpages, ioflags called in the arguments of VOP_WRITE', () => {
    const big = { vnodes: [{ name: 'vn1', size: 8192 }] }; // the default 64 free pages
    const steps = [...dirtyPage0(8192), sp('t4', 'msync', { vnode: 'vn1', flags: [] })];
    // Enough free pages (default 64 > pageoutFreeMin 34): no PUT_SYNC at 1169. vm_object_page_clean without
    // OBJPC_SYNC asks VM_PAGER_CLUSTER_OK, so ioflags takes neither IO_SYNC nor IO_ASYNC: a delayed write.
    const putpages = [1154, 1168, 1174, 1175, 1176];
    const head = [1205, 1206, 1208, 1209, 1208, 1211, 1218, 1219, 1221, 1235, 1236, 1266, ...range(1268, 1277)];
    const ioflags = [1311, 1312, 1314, 1316, 1317, 1318, 1319];
    // ioflags' return finishes 1277 (VOP_WRITE); the generic function's return finishes 1176.
    const tail = [1279, 1280, 1282, 1283, 1287, 1292, 1293, 1292, 1295, 1177, 1179];
    expect(linesOf('freebsd', big, steps, 't4')).toEqual([...putpages, ...head, ...ioflags, ...tail]);
  });
  it('vgone: vnode_destroy_vobject terminates the object, whose vnode_pager_dealloc is stepped inside line 173', () => {
    const steps = [...create, run('t1'), sp('t2', 'vgone', { vnode: 'vn1' })];
    const dealloc = [281, 282, 285, 286, 287, 289, 290, 291, 295, 296, 302, 303, 304, 305, 307];
    // dealloc's last statement (307) finishes vm_object_terminate, so line 173 is done and 194 is next.
    expect(linesOf('freebsd', setup, steps, 't2')).toEqual([162, 163, 165, 166, 167, 168, 172, 173, ...dealloc, 194]);
  });

  const faultOn = (mount: Json) => ({
    setup: { machine: { physPages: 16 }, mounts: [{ name: 'm1', ...mount }], vnodes: [{ name: 'vn1', size: 8192 }] },
    steps: [
      ...create,
      run('t1'),
      sp('t2', 'mmap', { vnode: 'vn1', prot: 'r', shared: true, length: 8192 }),
      run('t2'),
      sp('t3', 'fault', { mapping: 't2', offset: 0, access: 'read' }),
    ],
  });
  const head = [688, 689, 690, 722, 753, 756, 759, 760, 761, 762, 764, 766, 774, 788, 790, 797, 798];

  it('a fault on a mount without VOP_BMAP: vnode_pager_input_old and its VOP_READ (649)', () => {
    const { setup: s, steps } = faultOn({ bmap: false });
    const old = [618, 619, 624, 627, 628, 630, 631, 637, ...range(639, 647), 649, 649, 650, 651, 653, 655, 659, 661];
    const loop = [799, 800, 801, 802, 803, 804, ...old, 663, 664, 665, 666, 805, 801, 808, 809];
    expect(linesOf('freebsd', s, steps, 't3')).toEqual([...head, ...loop, 691, 693, 694]);
  });

  it('a fault on a 1024-byte-block mount: vnode_pager_input_smlfs reads the page block by block', () => {
    const { setup: s, steps } = faultOn({ iosize: 1024 });
    const addr = [489, 492, 495, 496, 497, 499, 500, 501, 502, 503, 510];
    const read = [555, ...range(558, 571), 574, 575, 577, 577, 579, 585, 586, 587, 588];
    const block = [539, 542, 543, 546, 547, 550, ...addr, 551, 554, ...read, 592, 594, 595, 596];
    const smlfs = [528, 529, 530, 533, 535, 537, ...block, ...block, ...block, ...block, 539, 598, 599, 602];
    const loop = [810, 819, 820, 821, 822, 823, 824, ...smlfs, 825, 821, 828];
    expect(linesOf('freebsd', s, steps, 't3')).toEqual([...head, ...loop, 691, 693, 694]);
  });
  it('munmap of the last writable mapping: release_writecount calls update_writecount back at 1417', () => {
    const steps = [
      ...create,
      run('t1'),
      sp('t2', 'mmap', { vnode: 'vn1', prot: 'rw', shared: true, length: 8192 }),
      run('t2'),
      sp('t3', 'munmap', { mapping: 't2' }),
    ];
    const release = [1382, 1388, 1397, 1398, 1404, 1405, 1406, 1407, 1408, 1409, 1417];
    // end and start swapped: writemappings falls to 0, so the else if at 1365 counts the writer out.
    const update = [1352, 1353, 1357, 1358, 1359, 1360, 1365, 1366, 1367, 1368, 1371];
    expect(linesOf('freebsd', setup, steps, 't3')).toEqual([...release, ...update, 1418, 1419, 1420, 1421]);
  });
  it('msync of a dirty page on the undirty mount: its VOP_PUTPAGES ends in vnode_pager_undirty_pages', () => {
    const steps = [...dirtyPage0(8192), sp('t4', 'msync', { vnode: 'vn1', flags: [] })];
    const nfs = { mounts: [{ name: 'm1', putpages: 'undirty' }], vnodes: [{ name: 'vn1', size: 8192 }] };
    const ioflags = [1311, 1312, 1314, 1316, 1317, 1318, 1319];
    // A delayed write of the whole page: 4096 bytes written, one page undirtied.
    const undirty = [1328, 1330, 1331, 1332, 1333, 1334, 1335, 1332, 1342];
    const lines = [1154, 1168, 1174, 1175, 1176, ...ioflags, ...undirty, 1177, 1179];
    expect(linesOf('freebsd', nfs, steps, 't4')).toEqual(lines);
  });
  it('sendfile of page 0: haspage without before, then the asynchronous getpages, which returns at 1043', () => {
    const steps = [...create, run('t1'), sp('t2', 'sendfile', { vnode: 'vn1', offset: 0, length: 4096 })];
    // sendfile_swapin passes before NULL: 354 skips 355-356.
    const has = [314, 322, 327, 333, 336, 337, 338, 339, 340, 345, 346, 347, 348, 350, 352, 353, 354, 358];
    const hasEnd = [365, 370, 371, 372, 384];
    const setUp = [753, 756, 759, 760, 761, 762, 764, 766, 774, 788, 790, 797, 798, 810, 819, 835, 850, 852];
    const sizes = [...range(855, 860), 862, 864, ...range(867, 872), 877, 891];
    // No a_rbehind (969 skips 970); a_rahead is given (972).
    const pages = [902, 903, 932, 935, 936, 935, 937, 939, 963, 965, 969, 971, 972, 975, 977];
    const buf = [992, 993, 994, 996, 997, 999, 1005, 1007, 1008, ...range(1015, 1024), 1032, 1033, 1034, 1036];
    const async = [1037, 1038, 1039, 1040, 1041, 1042, 1043];
    // 1043's return finishes 730, whose return finishes 706: the thread does not wait for the read.
    const getpages = [704, 705, 706, 730, ...setUp, ...sizes, ...pages, ...buf, ...async, 707, 709, 710];
    expect(linesOf('freebsd', setup, steps, 't2')).toEqual([...has, ...hasEnd, ...getpages]);
  });
});
