/**
 * The `freebsd` exercise kind: one mapped file on FreeBSD's vnode pager
 * (sys/vm/vnode_pager.c), with faults asking for read-behind and read-ahead,
 * sendfile's asynchronous reads, msync, the laundry's pageout and haspage,
 * over a block map that may have holes and breaks. Questions ask for what a
 * person reads off the FreeBSD panels: a page's valid and dirty bitmaps, its
 * busy state and queue, the object's counters, the free pbufs, where a
 * thread waits, and what a call returns.
 */
import type { Setup } from '../protocol/scenario';
import { hex, PAGE, Play, randomMove, threadCandidates, type CallPick, type Candidate } from './exercise-play';
import type { Prng } from './prng';
import type { Digest } from './state';

/** msync flag sets as vm_object_sync passes them to vm_object_page_clean. */
const MSYNC_FLAGS: readonly (readonly string[])[] = [
  [],
  ['OBJPC_SYNC'],
  ['OBJPC_SYNC', 'OBJPC_INVAL'],
  ['OBJPC_NOSYNC'],
];

const IOSIZES = [4096, 8192, 16384] as const;

/** A file of `pages` pages on a mount of block size `iosize`: a block map with holes and discontiguous runs. */
function freebsdSetup(rng: Prng, pages: number, iosize: number, physPages: number): Setup {
  const size = pages * PAGE - (rng.chance(1, 3) ? rng.range(1, PAGE - 1) : 0);
  const sectors = iosize / 512;
  const blocks: number[] = [];
  let next = rng.range(1, 8) * 8;
  for (let i = 0; i < Math.ceil(size / iosize); i++) {
    if (i > 0 && rng.chance(1, 5)) {
      blocks.push(-1);
      continue;
    }
    // A break in the run: the next block lies elsewhere on the disk.
    if (i > 0 && rng.chance(1, 4)) next += rng.range(1, 4) * sectors;
    blocks.push(next);
    next += sectors;
  }
  return {
    pager: 'freebsd',
    machine: { physPages },
    mounts: [{ name: 'm1', iosize }],
    vnodes: [{ name: 'vn1', size, blocks }],
  };
}

function pick(rng: Prng, pages: number, writable: boolean): CallPick {
  const pindex = rng.int(pages);
  const offset = pindex * PAGE;
  return rng.weighted<() => CallPick>([
    [
      () => {
        const access = writable && rng.chance(1, 2) ? 'write' : 'read';
        const behind = rng.int(4);
        const ahead = rng.int(4);
        return {
          call: 'fault',
          args: { mapping: 't2', offset, access, behind, ahead },
          about: `the ${access} fault at ${hex(offset)} asking ${behind} behind and ${ahead} ahead`,
        };
      },
      6,
    ],
    [
      () => {
        const length = rng.range(1, pages - pindex) * PAGE;
        const rahead = rng.int(3);
        return {
          call: 'sendfile',
          args: { vnode: 'vn1', offset, length, rahead },
          about: `the sendfile of ${length} bytes from ${hex(offset)} with ${rahead} pages of read-ahead`,
        };
      },
      2,
    ],
    [
      () => {
        const flags = rng.pick(MSYNC_FLAGS);
        return {
          call: 'msync',
          args: { vnode: 'vn1', flags: [...flags], start: 0, end: 0 },
          about: `the msync with ${flags.length ? flags.join('|') : 'no flags'}`,
        };
      },
      2,
    ],
    [() => ({ call: 'pageout', args: { vnode: 'vn1', pindex }, about: `the pageout of page ${pindex}` }), 1],
    [() => ({ call: 'haspage', args: { vnode: 'vn1', pindex }, about: `the haspage of page ${pindex}` }), 1],
  ])();
}

type FPage = Record<string, unknown> & { pindex: number };
type FObject = Record<string, unknown> & { pages: FPage[] };

const after = (k: number) => `After step ${k}`;

/** Questions on the object's pages and counters, the pbufs and the vnode, where they changed. */
function freebsdCandidates(play: Play): Candidate[] {
  const out: Candidate[] = [];
  const objects = (d: Digest) => (Array.isArray(d.objects) ? (d.objects as FObject[]) : []);
  play.digests.forEach((cur, k) => {
    const prev = k === 0 ? play.initial : play.digests[k - 1]!;
    objects(cur).forEach((o, oi) => {
      const old = objects(prev).find((x) => x.id === o.id);
      o.pages.forEach((pg, pi) => {
        const before = old?.pages.find((x) => x.pindex === pg.pindex);
        const where = `page ${pg.pindex} of obj${String(o.id)}`;
        const ask: Record<string, string> = {
          valid: `${after(k)}, what is the valid bitmap of ${where} (a number: bit i stands for bytes 512i to 512i+511, 255 = all)?`,
          dirty: `${after(k)}, what is the dirty bitmap of ${where} (a number, 255 = all)?`,
          xbusy: `${after(k)}, is ${where} exclusively busy (true or false)?`,
          sbusy: `${after(k)}, how many shared busy holds does ${where} have?`,
          queue: `${after(k)}, which paging queue is ${where} on (active, inactive or none)?`,
          mapped: `${after(k)}, is ${where} mapped (true or false)?`,
        };
        // A page just allocated is invalid, clean, unshared and unmapped: only its valid bits, busy and queue
        // are worth asking about then.
        const fields = before ? Object.keys(ask) : ['valid', 'xbusy', 'queue'];
        for (const field of fields)
          if (!before || JSON.stringify(before[field]) !== JSON.stringify(pg[field]))
            out.push({
              step: k,
              path: `objects[${oi}].pages[${pi}].${field}`,
              ask: ask[field]!,
              topic: `${field}:${String(o.id)}:${pg.pindex}`,
            });
      });
      const counters: Record<string, string> = {
        flags: `which OBJ_ flags does obj${String(o.id)} have?`,
        ref_count: `what is the ref_count of obj${String(o.id)}?`,
        paging_in_progress: `what is the paging_in_progress count of obj${String(o.id)}?`,
      };
      for (const field of Object.keys(counters))
        if (old && JSON.stringify(old[field]) !== JSON.stringify(o[field]))
          out.push({
            step: k,
            path: `objects[${oi}].${field}`,
            ask: `${after(k)}, ${counters[field]}`,
            topic: `obj-${field}:${String(o.id)}`,
          });
    });
    const machine: Record<string, string> = {
      freePages: 'how many physical pages are free?',
      pbufs: 'how many pbufs for synchronous paging (vnode_pbuf_freecnt) are free?',
      asyncPbufs: 'how many pbufs for asynchronous reads (vnode_async_pbuf_freecnt) are free?',
    };
    for (const field of Object.keys(machine))
      if (cur[field] !== prev[field])
        out.push({ step: k, path: field, ask: `${after(k)}, ${machine[field]}`, topic: field });
    const vn = (d: Digest) => (d.vnodes as Record<string, unknown>[])[0]!;
    if (vn(cur).usecount !== vn(prev).usecount)
      out.push({
        step: k,
        path: 'vnodes[0].usecount',
        ask: `${after(k)}, what is the v_usecount of vn1?`,
        topic: 'usecount',
      });
  });
  // haspage returns {has, before, after}: ask for the pages after, a number a learner can type. Where after is 0,
  // ask for has instead: without the page (past the end of the file, 332-333, or a hole, 350) after is 0
  // whatever the schedule, and asking has only then would give its answer away.
  const threads = threadCandidates(play, ['wait', 'ret']).map((c) => {
    const id = /^ret:(.+)$/.exec(c.topic)?.[1];
    const t = id === undefined ? undefined : lookupThread(play, c.step, id);
    if (t?.call !== 'haspage') return c;
    const call = c.ask.replace(/: what does it return\?$/, '');
    if ((t.ret as { after?: unknown } | null)?.after === 0)
      return {
        ...c,
        path: `${c.path}.has`,
        ask: `${call}: does it report that the file has the page (has: true or false)?`,
      };
    return {
      ...c,
      path: `${c.path}.after`,
      ask: `${call}: how many pages after it does it report readable in the same read (after)?`,
    };
  });
  return [...out, ...threads];
}

function lookupThread(play: Play, step: number, id: string): Record<string, unknown> | undefined {
  return (play.digests[step]!.threads as Record<string, unknown>[]).find((t) => t.id === id);
}

/** A FreeBSD schedule: open, map, then faults, sendfiles, msyncs, pageouts, haspages and completions. */
export function makeFreebsd(rng: Prng): { play: Play; title: string; candidates: Candidate[]; n: number } | null {
  const pages = rng.range(3, 8);
  const iosize = rng.pick(IOSIZES);
  const play = new Play(freebsdSetup(rng, pages, iosize, rng.range(6, 20)));
  const writable = rng.chance(2, 3);
  const setup: [string, string, Record<string, unknown>, string][] = [
    ['t1', 'vnode_create_vobject', { vnode: 'vn1' }, 'the open of vn1'],
    [
      't2',
      'mmap',
      { vnode: 'vn1', prot: writable ? 'rw' : 'r', shared: true, length: pages * PAGE },
      `the ${writable ? 'read-write' : 'read-only'} shared mapping of vn1`,
    ],
  ];
  for (const [id, call, args, about] of setup) {
    if (play.try({ spawn: id, call, args }) !== true || play.try({ run: id }) !== true) return null;
    play.about.set(id, about);
  }
  const length = rng.range(12, 18);
  while (play.steps.length < length) {
    const moved = randomMove(play, rng, () => pick(rng, pages, writable), {
      maxThreads: 7,
      prefix: 't',
      errors: true,
    });
    if (moved === 'panic') return null;
    if (moved === false) break;
  }
  const blocks = (play.setup.vnodes[0]!.blocks ?? []).join(', ');
  return {
    play,
    title:
      `FreeBSD: one file of ${play.setup.vnodes[0]!.size} bytes on a file system with ${iosize}-byte blocks ` +
      `(block map [${blocks}], -1 a hole), mapped and then faulted, sent, synced and paged out: ` +
      'what the pages, the object and the threads show after some steps',
    candidates: freebsdCandidates(play).filter((c) => !/^ret:t[12]$/.test(c.topic)),
    n: rng.range(5, 8),
  };
}
