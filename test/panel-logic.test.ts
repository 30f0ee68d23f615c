import { describe, expect, it } from 'vitest';
import { OPENBSD_CALL_SPECS } from '../src/engine/openbsd/profile';
import type { LockView, PageView } from '../src/protocol/snapshot';
import { defaultShortBytes, parseShortBytes } from '../src/panels/IoInFlight/short';
import { grouped, parseByteCount } from '../src/panels/format';
import { callerNotes, followedThread, lastActedThread, lineMarks, sameMarks } from '../src/panels/Source/follow';
import { buildSpawn } from '../src/panels/Threads/spawn-build';
import { defaultValue, type FieldValue, type FormChoices } from '../src/panels/Threads/spawn-form';
import {
  channelText,
  formatArgs,
  nextThreadName,
  positionText,
  returnText,
  waitText,
} from '../src/panels/Threads/thread-text';
import { inkOn } from '../src/viz/ink';
import { fieldText } from '../src/panels/ObjectPanel/ObjectPanel';
import { threadView } from './fixtures/views';

const thread = threadView;

describe('parseByteCount', () => {
  it('reads decimal and hex, rejects the rest', () => {
    expect(parseByteCount('4096')).toBe(4096);
    expect(parseByteCount(' 0x1000 ')).toBe(4096);
    expect(parseByteCount('0X1f')).toBe(31);
    for (const bad of ['', '-1', '1.5', '0x', '4k', '1e3']) expect(parseByteCount(bad)).toBeNull();
  });
});

describe('grouped (thousands as en-US writes them, without loading the locale data)', () => {
  it('writes what toLocaleString("en-US") writes for integers', () => {
    for (const n of [0, 7, 999, 1000, 4096, 65536, 1234567, 16777216, -4096, -999, 2 ** 40])
      expect(grouped(n)).toBe(n.toLocaleString('en-US'));
    expect(grouped(16777216)).toBe('16,777,216');
  });
});

describe('thread text', () => {
  it('formats arguments with offsets in hex', () => {
    expect(formatArgs({ vnode: 'vn1', offset: 8192, access: 'write' })).toBe('vnode=vn1, offset=0x2000, access=write');
    expect(formatArgs({ vnode: 'vn1', flags: ['PGO_CLEANIT', 'PGO_SYNCIO'], start: 0, stop: 4096 })).toBe(
      'vnode=vn1, flags=PGO_CLEANIT|PGO_SYNCIO, start=0x0, stop=0x1000',
    );
    expect(formatArgs({ vnode: 'vn1', size: 5000, shared: true })).toBe('vnode=vn1, size=5000, shared=true');
    // FreeBSD's msync range and sendfile's length, as the Timeline writes them; its page counts in decimal.
    expect(formatArgs({ vnode: 'vn1', flags: ['OBJPC_SYNC'], start: 0, end: 8192 })).toBe(
      'vnode=vn1, flags=OBJPC_SYNC, start=0x0, end=0x2000',
    );
    expect(formatArgs({ vnode: 'vn1', offset: 0, length: 8192, rahead: 16 })).toBe(
      'vnode=vn1, offset=0x0, length=0x2000, rahead=16',
    );
  });

  it('says where a thread stands', () => {
    expect(positionText(thread({ line: 645, stack: ['uvn_flush'] }), 'uvm_vnode.c')).toBe(
      'uvm_vnode.c:645 in uvn_flush',
    );
    expect(positionText(thread({ line: 1239, stack: ['uvn_get', 'uvn_io'] }), 'uvm_vnode.c')).toBe(
      'uvm_vnode.c:1239 in uvn_io',
    );
    expect(positionText(thread({ callerStmt: 'rw_enter(uobj->vmobjlock, RW_WRITE)' }), 'uvm_vnode.c')).toBe(
      'in the caller: rw_enter(uobj->vmobjlock, RW_WRITE)',
    );
    expect(positionText(thread({}), 'uvm_vnode.c')).toBe('the start (not run yet)');
    expect(positionText(thread({ status: 'done', ret: 'obj' }), 'uvm_vnode.c')).toBe('returned');
    expect(returnText(null)).toBe('(void)');
    expect(returnText(false)).toBe('false');
  });

  it('says what a blocked thread waits for', () => {
    const locks: LockView[] = [{ name: 'vmobjlock:vn1', owner: 't1', count: 1, shared: [], waiters: ['t2'] }];
    const pages: PageView[] = [
      {
        id: 7,
        vnode: 'vn1',
        object: 'vn1',
        offset: 4096,
        state: 'busy',
        busy: true,
        wanted: false,
        owner: 't2',
        queue: 'none',
        mapped: false,
        modified: false,
        summary: 'PG_BUSY',
        flagWord: 0x001,
        cells: {},
      },
    ];
    expect(waitText(thread({ status: 'lock', wait: 'vmobjlock:vn1' }), locks, pages)).toBe(
      'lock vmobjlock:vn1 (held by t1)',
    );
    expect(waitText(thread({ status: 'sleep', wait: 'uvn_get', chan: 'page:7' }), locks, pages)).toBe(
      'sleep "uvn_get" on page #7 (vn1 offset 0x1000, busied by t2)',
    );
    expect(waitText(thread({ status: 'io', wait: 'io:3' }), locks, pages)).toBe('disk request 3 (io:3)');
    expect(waitText(thread({}), locks, pages)).toBeNull();
    expect(channelText('page:9', pages)).toBe('page #9');
    expect(channelText('u_nio:vn1', pages)).toBe('u_nio:vn1');
  });

  it('picks the next free thread name', () => {
    expect(nextThreadName([])).toBe('t1');
    expect(nextThreadName(['t1', 't3'])).toBe('t2');
    expect(nextThreadName(['t1', 't2', 'x'])).toBe('t3');
  });
});

describe('spawn form (built from the call specs of the profile)', () => {
  const choices: FormChoices = { vnodes: ['vn1', 'vn2'], mounts: ['m1'], mappings: [], preferredVnode: null };
  const spec = (name: string) => OPENBSD_CALL_SPECS.find((c) => c.name === name)!;
  /** The form's defaults for `call`, with `typed` over them. */
  const values = (call: string, typed: Record<string, FieldValue> = {}) => ({
    ...Object.fromEntries(spec(call).args.map((a) => [a.name, defaultValue(a, choices)])),
    ...typed,
  });

  it('shows each call its own argument fields', () => {
    expect(spec('fault').args.map((a) => a.name)).toEqual(['vnode', 'offset', 'access']);
    expect(spec('uvn_flush').args.map((a) => a.name)).toEqual(['vnode', 'flags', 'start', 'stop']);
    expect(spec('uvm_vnp_sync').args.map((a) => a.name)).toEqual(['mount']);
  });

  it('offers the selected vnode first, else the first one', () => {
    const vnode = spec('fault').args[0]!;
    expect(defaultValue(vnode, choices)).toBe('vn1');
    expect(defaultValue(vnode, { ...choices, preferredVnode: 'vn2' })).toBe('vn2');
  });

  it('builds a spawn step from valid fields', () => {
    expect(buildSpawn(spec('uvn_attach'), 't1', values('uvn_attach'), new Set())).toEqual({
      ok: true,
      step: { spawn: 't1', call: 'uvn_attach', args: { vnode: 'vn1', prot: 'rw' } },
    });
    expect(
      buildSpawn(spec('fault'), 't2', values('fault', { offset: '0x1000', access: 'read' }), new Set(['t1'])),
    ).toEqual({ ok: true, step: { spawn: 't2', call: 'fault', args: { vnode: 'vn1', offset: 4096, access: 'read' } } });
  });

  it('orders flags and leaves out empty optional fields', () => {
    const r = buildSpawn(
      spec('uvn_flush'),
      't1',
      values('uvn_flush', { flags: ['PGO_SYNCIO', 'PGO_CLEANIT'], start: '', stop: '0x4000' }),
      new Set(),
    );
    expect(r).toEqual({
      ok: true,
      step: {
        spawn: 't1',
        call: 'uvn_flush',
        args: { vnode: 'vn1', flags: ['PGO_CLEANIT', 'PGO_SYNCIO'], stop: 16384 },
      },
    });
    expect(buildSpawn(spec('uvm_vnp_sync'), 't1', values('uvm_vnp_sync'), new Set())).toMatchObject({
      ok: true,
      step: { args: {} },
    });
  });

  it('reports errors per field and builds nothing', () => {
    // Past 2^53 - 1, said beside the field as typed (a double would round it).
    for (const offset of ['99999999999999999999', '0xFFFFFFFFFFFFFFFFFFFF'])
      expect(buildSpawn(spec('fault'), 't1', values('fault', { offset }), new Set())).toEqual({
        ok: false,
        errors: { offset: 'must be at most 2^53 - 1 (0x1fffffffffffff)' },
      });
    expect(buildSpawn(spec('fault'), 't1', values('fault', { offset: '100' }), new Set())).toEqual({
      ok: false,
      errors: { offset: 'must be page-aligned (a multiple of 4096)' },
    });
    expect(buildSpawn(spec('fault'), 't1', values('fault', { offset: 'abc' }), new Set())).toMatchObject({
      ok: false,
      errors: { offset: expect.stringMatching(/0x hex/) },
    });
    expect(buildSpawn(spec('uvn_attach'), 't1', values('uvn_attach'), new Set(['t1']))).toEqual({
      ok: false,
      errors: { name: 't1 is already used' },
    });
    expect(buildSpawn(spec('uvn_attach'), 'bad name', values('uvn_attach'), new Set())).toMatchObject({
      ok: false,
      errors: { name: expect.any(String) },
    });
    expect(buildSpawn(spec('uvn_attach'), 't1', values('uvn_attach', { vnode: '' }), new Set())).toMatchObject({
      ok: false,
      errors: { vnode: expect.any(String) },
    });
  });
});

describe("the object panel's fields", () => {
  it('groups the digits of a count of pages as of a count of bytes', () => {
    const field = (value: number, unit: 'pages' | 'bytes') => ({ label: 'size', value, unit, meaning: '' });
    expect(fieldText(field(2199023255552, 'pages'))).toBe('2,199,023,255,552 pages');
    expect(fieldText(field(1, 'pages'))).toBe('1 page');
    expect(fieldText(field(8192, 'bytes'))).toBe('8,192 bytes (0x2000)');
  });
});

describe('short completion', () => {
  it('defaults to half the length, rounded down to 512', () => {
    expect(defaultShortBytes(4096)).toBe(2048);
    expect(defaultShortBytes(16384)).toBe(8192);
    expect(defaultShortBytes(5000)).toBe(2048);
    expect(defaultShortBytes(512)).toBe(0);
  });

  it('accepts 0 <= B < length only', () => {
    expect(parseShortBytes('0', 4096)).toEqual({ ok: true, result: 'short:0' });
    expect(parseShortBytes('4095', 4096)).toEqual({ ok: true, result: 'short:4095' });
    expect(parseShortBytes('4096', 4096)).toMatchObject({ ok: false });
    expect(parseShortBytes('-1', 4096)).toEqual({ ok: false, error: 'enter a whole number of bytes, 0 or more' });
    expect(parseShortBytes('', 4096)).toMatchObject({ ok: false });
  });

  it('keeps to what a step takes (B <= 2^53 - 1) below a wrapped size_t length, and names that length exactly', () => {
    const wrapped = 2 ** 64 - 3996;
    expect(defaultShortBytes(wrapped)).toBe(9007199254740480);
    expect(parseShortBytes(String(defaultShortBytes(wrapped)), wrapped)).toEqual({
      ok: true,
      result: 'short:9007199254740480',
    });
    expect(parseShortBytes('10000000000000000000', wrapped)).toEqual({
      ok: false,
      error: 'must be at most 2^53 - 1 bytes',
    });
    expect(parseShortBytes('4096', 4096, '4096')).toEqual({
      ok: false,
      error: 'must be less than the length, 4096 bytes',
    });
    expect(parseShortBytes('2e19', wrapped)).toMatchObject({ ok: false });
    expect(parseShortBytes('20000000000000000000', wrapped, '18446744073709547620')).toEqual({
      ok: false,
      error: 'must be less than the length, 18446744073709547620 bytes',
    });
  });
});

describe('source following', () => {
  const threads = [
    thread({ id: 't1', status: 'done', ret: 'obj' }),
    thread({ id: 't2', status: 'io', line: 1239, stack: ['uvn_get', 'uvn_io'] }),
    thread({ id: 't3', status: 'sleep', line: 1239, stack: ['uvn_get'] }),
    thread({ id: 't4', callerStmt: 'rw_enter(uobj->vmobjlock, RW_WRITE)' }),
  ];

  it('finds the last thread run or stepped before the cursor', () => {
    const steps = [
      { spawn: 't1', call: 'fault' as const, args: {} },
      { run: 't1' },
      { step: 't2' },
      { complete: 1, result: 'ok' },
    ];
    expect(lastActedThread(steps, 4)).toBe('t2');
    expect(lastActedThread(steps, 2)).toBe('t1');
    expect(lastActedThread(steps, 1)).toBeNull();
  });

  it('follows the selected, else the last run, else the first active thread', () => {
    expect(followedThread(threads, 't3', 't2')).toMatchObject({ index: 2, reason: 'selected' });
    expect(followedThread(threads, 'gone', 't2')).toMatchObject({ index: 1, reason: 'last run' });
    expect(followedThread(threads, null, null)).toMatchObject({ index: 1, reason: 'first active' });
    expect(followedThread([], null, null)).toBeNull();
    // A selected thread that has returned stands nowhere: the last run one is followed, else a live one; a
    // returned thread only when every thread has.
    expect(followedThread(threads, 't1', 't3')).toMatchObject({ index: 2, reason: 'last run' });
    expect(followedThread(threads, 't1', null)).toMatchObject({ index: 1, reason: 'first active' });
    const finished = threads.map((t) => ({ ...t, status: 'done' as const }));
    expect(followedThread(finished, 't1', 't3')).toMatchObject({ index: 2, reason: 'last run' });
    expect(followedThread(finished, 't1', null)).toMatchObject({ index: 0, reason: 'selected' });
  });

  it('marks lines with the threads on them, in colour with readable ink', () => {
    const marks = lineMarks(threads);
    expect([...marks.keys()]).toEqual([1239]);
    expect(marks.get(1239)!.map((m) => m.id)).toEqual(['t2', 't3']);
    expect(marks.get(1239)![0]).toEqual({ id: 't2', color: 'var(--thread-1)', ink: 'var(--thread-ink)' });
    expect(sameMarks(marks.get(1239)!, lineMarks(threads).get(1239)!)).toBe(true);
    expect(sameMarks(marks.get(1239)!, marks.get(1239)!.slice(1))).toBe(false);
    // The followed thread leads its line.
    expect(
      lineMarks(threads, 't3')
        .get(1239)!
        .map((m) => m.id),
    ).toEqual(['t3', 't2']);
  });

  it('names the threads standing in a caller statement', () => {
    expect(callerNotes(threads)).toEqual([{ id: 't4', index: 3, stmt: 'rw_enter(uobj->vmobjlock, RW_WRITE)' }]);
  });

  it('picks black ink on light colours and white on dark', () => {
    expect(inkOn('#F0E442')).toBe('#000000');
    expect(inkOn('#0072B2')).toBe('#ffffff');
    expect(inkOn('#000000')).toBe('#ffffff');
  });
});
