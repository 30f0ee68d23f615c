/**
 * The FreeBSD property test's checks and driver (test/freebsd-property.test.ts runs them; a script can
 * too, to replay a seed outside vitest). After every step: nothing throws, the digest is exactly the
 * contract's "FreeBSD digest", a refused step changed nothing, the incremental view snapshot equals a
 * fresh one (one run in three) and, until a panic, the kernel invariants hold. A failure prints the
 * scenario so far as JSON. Set PROPERTY_NO_PANIC=1 to make a disciplined panic fail and shrink.
 */
import { PagerEngine } from '../src/engine/engine';
import { OBJ_FLAG_INFO } from '../src/engine/freebsd/flags';
import { freebsdInvariants } from '../src/engine/freebsd/invariants';
import type { BsdKernel } from '../src/engine/freebsd/state';
import type { FreeBsdDigest } from '../src/engine/freebsd/views';
import { SnapshotBuilder } from '../src/engine/view';
import type { Scenario, Setup, Step } from '../src/protocol/scenario';
import { chooseStep, Mirror, type Choice } from '../tools/freebsd-property-gen';

const k = (e: PagerEngine) => e.k as BsdKernel;

// ---------------------------------------------------------------- the digest, as the contract prints it

class Broken extends Error {}
function check(cond: unknown, what: string): asserts cond {
  if (!cond) throw new Broken(what);
}

const DIGEST_KEYS = ['step', 'panic', 'freePages', 'pbufs', 'asyncPbufs', 'threads', 'vnodes', 'objects', 'io'];
const THREAD_KEYS = ['id', 'call', 'status', 'wait', 'ret'];
const VNODE_KEYS = ['name', 'usecount', 'writecount', 'vflag', 'state', 'size', 'object'];
const OBJECT_KEYS = [
  'id',
  'vnode',
  'type',
  'flags',
  'ref_count',
  'paging_in_progress',
  'size',
  'vnp_size',
  'writemappings',
  'pages',
];
const PAGE_KEYS = ['pindex', 'valid', 'dirty', 'xbusy', 'sbusy', 'waiters', 'queue', 'mapped', 'writeable', 'modified'];
const IO_KEYS = ['id', 'thread', 'vnode', 'rw', 'offset', 'length', 'blkno', 'async'];
const SLEEPS = new Set(
  'vodead vadead vnpdea objtrm bovlbx vmopar vpcwai vmpfw pfault vmwait grbmaw wswbuf0'.split(' '),
);
const ERRNOS = new Set(['0', 'ENOENT', 'EINVAL', 'EBADF', 'EIO']);
const KERN = new Set(['KERN_SUCCESS', 'KERN_PROTECTION_FAILURE', 'KERN_FAILURE']);

const isUint = (n: unknown): n is number => typeof n === 'number' && Number.isSafeInteger(n) && n >= 0;
const keysAre = (o: object, keys: readonly string[], what: string) =>
  check(JSON.stringify(Object.keys(o)) === JSON.stringify(keys), `${what}: keys ${Object.keys(o).join(',')}`);

function checkRet(call: string, ret: unknown, where: string): void {
  switch (call) {
    case 'vnode_create_vobject':
    case 'sendfile':
      return check(typeof ret === 'string' && ERRNOS.has(ret), `${where}: ret ${JSON.stringify(ret)}`);
    case 'mmap':
      return check(
        typeof ret === 'string' && (/^obj[1-9]\d*$/.test(ret) || ERRNOS.has(ret)),
        `${where}: ret ${JSON.stringify(ret)}`,
      );
    case 'fault':
      return check(typeof ret === 'string' && KERN.has(ret), `${where}: ret ${JSON.stringify(ret)}`);
    case 'msync':
      return check(typeof ret === 'boolean', `${where}: ret ${JSON.stringify(ret)}`);
    case 'pageout':
      return check(ret === 0 || ret === 1, `${where}: ret ${JSON.stringify(ret)}`);
    case 'haspage':
      if (ret === null) return;
      check(typeof ret === 'object', `${where}: ret ${JSON.stringify(ret)}`);
      keysAre(ret, ['has', 'before', 'after'], `${where} ret`);
      {
        const r = ret as { has: unknown; before: unknown; after: unknown };
        return check(
          typeof r.has === 'boolean' && isUint(r.before) && isUint(r.after),
          `${where}: ret ${JSON.stringify(ret)}`,
        );
      }
    default:
      return check(ret === null, `${where}: ret ${JSON.stringify(ret)}`);
  }
}

/** The digest is exactly what the contract's "FreeBSD digest" section prints. */
export function checkDigest(d: FreeBsdDigest, setup: Setup, stepIndex: number): void {
  keysAre(d, DIGEST_KEYS, 'digest');
  check(d.step === stepIndex, `digest step ${d.step}, expected ${stepIndex}`);
  check(d.panic === null || (typeof d.panic === 'string' && d.panic.length > 0), 'panic');
  check(isUint(d.freePages) && isUint(d.pbufs) && isUint(d.asyncPbufs), 'counters');
  const vnodeNames = new Set(setup.vnodes.map((v) => v.name));
  const objectIds = new Set(d.objects.map((o) => o.id));
  const ioById = new Map(d.io.map((r) => [r.id, r]));
  const threadIds = new Set(d.threads.map((t) => t.id));
  check(threadIds.size === d.threads.length, 'thread ids unique');
  for (const t of d.threads) {
    keysAre(t, THREAD_KEYS, `thread ${t.id}`);
    const where = `thread ${t.id} (${t.call}) ${t.status} ${t.wait}`;
    switch (t.status) {
      case 'ready':
        check(t.wait === null && t.ret === null, where);
        break;
      case 'done':
        check(t.wait === null, where);
        checkRet(t.call, t.ret, where);
        break;
      case 'lock': {
        const m = /^(vmobjlock:obj([1-9]\d*)|vnlock:(.+))$/.exec(t.wait ?? '');
        check(m !== null && (m[2] !== undefined || vnodeNames.has(m[3]!)), `${where}: lock name`);
        check(t.ret === null, where);
        break;
      }
      case 'sleep':
        check(SLEEPS.has(t.wait ?? '') && t.ret === null, `${where}: wait message`);
        break;
      case 'io': {
        const m = /^io:([1-9]\d*)$/.exec(t.wait ?? '');
        check(m !== null && ioById.get(Number(m[1]))?.thread === t.id && t.ret === null, `${where}: request`);
        break;
      }
      default:
        check(false, `${where}: status`);
    }
  }
  check(d.vnodes.map((v) => v.name).join() === setup.vnodes.map((v) => v.name).join(), 'vnodes in scenario order');
  for (const v of d.vnodes) {
    keysAre(v, VNODE_KEYS, `vnode ${v.name}`);
    check(isUint(v.usecount) && isUint(v.writecount) && isUint(v.size), `${v.name} numbers`);
    check(v.vflag.length === 0 || (v.vflag.length === 1 && v.vflag[0] === 'VV_TEXT'), `${v.name} vflag`);
    check(['active', 'free', 'doomed'].includes(v.state), `${v.name} state ${v.state}`);
    check(v.object === null || objectIds.has(v.object), `${v.name} object ${v.object} not in objects[]`);
  }
  let lastId = 0;
  for (const o of d.objects) {
    keysAre(o, OBJECT_KEYS, `obj${o.id}`);
    check(isUint(o.id) && o.id > lastId, 'objects by ascending number');
    lastId = o.id;
    check(vnodeNames.has(o.vnode), `obj${o.id} vnode`);
    check(o.type === 'OBJT_VNODE' || o.type === 'OBJT_DEAD', `obj${o.id} type`);
    const order = OBJ_FLAG_INFO.map((f) => f.name);
    let last = -1;
    for (const f of o.flags) {
      check(order.indexOf(f) > last, `obj${o.id} flags ${o.flags.join('|')} not in ascending bit order`);
      last = order.indexOf(f);
    }
    for (const key of ['ref_count', 'paging_in_progress', 'size', 'vnp_size', 'writemappings'] as const)
      check(isUint(o[key]), `obj${o.id} ${key} ${o[key]}`);
    let lastPindex = -1;
    for (const p of o.pages) {
      keysAre(p, PAGE_KEYS, `obj${o.id}[${p.pindex}]`);
      check(isUint(p.pindex) && p.pindex > lastPindex, `obj${o.id} pages by ascending pindex`);
      lastPindex = p.pindex;
      check(isUint(p.valid) && p.valid <= 255 && isUint(p.dirty) && p.dirty <= 255, `obj${o.id}[${p.pindex}] bits`);
      check(isUint(p.sbusy) && typeof p.xbusy === 'boolean' && typeof p.waiters === 'boolean', 'busy');
      check(['active', 'inactive', 'none'].includes(p.queue), 'queue');
      check(
        [p.mapped, p.writeable, p.modified].every((b) => typeof b === 'boolean'),
        'pmap bools',
      );
    }
  }
  let lastIo = 0;
  for (const r of d.io) {
    keysAre(r, IO_KEYS, `io ${r.id}`);
    check(isUint(r.id) && r.id > lastIo, 'io by ascending id');
    lastIo = r.id;
    check(threadIds.has(r.thread) && vnodeNames.has(r.vnode), `io ${r.id} names`);
    check(r.rw === 'read' || r.rw === 'write', 'io rw');
    check(isUint(r.offset) && isUint(r.length) && r.length > 0, `io ${r.id} extent`);
    check(r.blkno === null || Number.isSafeInteger(r.blkno), `io ${r.id} blkno`);
    check(typeof r.async === 'boolean', `io ${r.id} async`);
  }
}

// ---------------------------------------------------------------- driving

export interface Run {
  steps: Step[];
  digests: string[];
  panic: string | null;
  refused: number;
}

export const scenarioOf = (setup: Setup, steps: readonly Step[]): Scenario => ({
  format: 'pager-scenario/1',
  ...setup,
  steps: [...steps],
});

export const stats = { runs: 0, steps: 0, refused: 0, panics: 0, io: 0, calls: new Map<string, number>() };
export const panics = new Map<string, number>();

export function drive(
  setup: Setup,
  choices: readonly Choice[],
  disciplined: boolean,
  onStep?: (step: Step) => void,
): Run {
  // Comparing the incremental view snapshot with a fresh one is the slow part: one run in three does it.
  const snapshots = choices.length % 3 === 0;
  const e = new PagerEngine(setup);
  const mirror = new Mirror(setup);
  const builder = new SnapshotBuilder(e.k, e.model);
  const memo: Record<string, unknown> = {};
  const steps: Step[] = [];
  const first = e.digest() as FreeBsdDigest;
  const digests = [JSON.stringify(first)];
  let refused = 0;
  let step: Step | null = null;
  try {
    checkDigest(first, setup, -1);
    check(freebsdInvariants(k(e), memo).length === 0, freebsdInvariants(k(e), memo).join('; '));
    builder.build(0);
    for (const ch of choices) {
      step = e.k.s.panic ? { run: e.k.s.threads[0]!.id } : chooseStep(e, mirror, disciplined, ch);
      onStep?.(step);
      const expectImpossible = mirror.impossible(e, step);
      const before = expectImpossible ? JSON.stringify(e.k.s) : '';
      const reason = e.apply(step);
      if (reason !== null) {
        refused++;
        check(expectImpossible, `refused a possible step: ${reason}`);
        check(reason.length > 0, 'a refusal without a reason');
        check(JSON.stringify(e.k.s) === before, 'a refused step changed the state');
        continue;
      }
      check(!expectImpossible, 'accepted an impossible step');
      if ('spawn' in step) {
        mirror.nextThread++;
        stats.calls.set(step.call, (stats.calls.get(step.call) ?? 0) + 1);
      }
      steps.push(step);
      const d = e.digest() as FreeBsdDigest;
      checkDigest(d, setup, steps.length - 1);
      digests.push(JSON.stringify(d));
      if (d.io.length > 0) stats.io++;
      const snap = builder.build(steps.length);
      if (snapshots)
        check(
          JSON.stringify(snap) === JSON.stringify(new SnapshotBuilder(e.k, e.model).build(steps.length)),
          'the incremental snapshot differs from a fresh one (a page change bypassed touch)',
        );
      if (process.env.PROPERTY_NO_PANIC && disciplined) check(!e.k.s.panic, `panic: ${e.k.s.panic?.message}`);
      if (!e.k.s.panic) {
        const broken = freebsdInvariants(k(e), memo);
        check(broken.length === 0, `invariants: ${broken.join('; ')}`);
      }
    }
  } catch (err) {
    const msg = err instanceof Error ? (err.stack ?? err.message) : String(err);
    throw new Error(
      `${msg}\n  at step ${JSON.stringify(step)}\n  scenario so far:\n${JSON.stringify(scenarioOf(setup, steps))}`,
      { cause: err },
    );
  }
  const p = e.k.s.panic;
  return { steps, digests, panic: p ? `${p.message} (in ${e.k.thread(p.thread)?.call})` : null, refused };
}

export function note(run: Run, disciplined: boolean): void {
  stats.runs++;
  stats.steps += run.steps.length;
  stats.refused += run.refused;
  if (!run.panic) return;
  stats.panics++;
  const key = `${disciplined ? 'disciplined' : 'chaotic'}: ${run.panic}`;
  panics.set(key, (panics.get(key) ?? 0) + 1);
}
