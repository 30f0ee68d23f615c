/**
 * The debugger's UI logic, pure: the locals pane's rows and change marks, the
 * timeline's fork marks, the stepping keys, where the source rests with
 * nothing to follow, and the library's table of contents.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { LIBRARY, LIBRARY_GROUPS, START_HERE_ENTRY } from '../src/app/library';
import { LIBRARY_TOPICS } from '../src/app/library-index';
import { SHORTCUTS } from '../src/app/shortcut-table';
import { shortcutAction } from '../src/app/shortcuts';
import type { BranchView, StopInfo } from '../src/protocol/debug';
import { PROTOCOL_VERSION } from '../src/protocol/messages';
import type { ThreadView } from '../src/protocol/snapshot';
import { stopText } from '../src/panels/Source/DebugBar';
import { firstDefinitionLine } from '../src/panels/Source/follow';
import { frameRows, sameFrameRows } from '../src/panels/Source/locals';
import { forkMarks, sharedSteps } from '../src/panels/Timeline/branches';
import { createLabStore, type LabState } from '../src/store/store';
import { threadView } from './fixtures/views';

const thread = (over: Partial<ThreadView>): ThreadView => threadView({ id: 't2', ...over });

const local = (name: string, value: string) => ({ name, value });

describe('locals pane rows', () => {
  it('lists frames innermost first and marks what changed in a frame that was there before', () => {
    const before = thread({
      frames: [
        { fn: 'uvn_get', locals: [local('lcv', '0'), local('result', '(unset)')] },
        { fn: 'uvn_io', locals: [local('wanted', '(unset)')] },
      ],
    });
    const now = thread({
      frames: [
        { fn: 'uvn_get', locals: [local('lcv', '0'), local('result', 'VM_PAGER_OK')] },
        { fn: 'uvn_cluster', locals: [local('offset', '0x1000')] },
      ],
    });
    expect(frameRows(now, before)).toEqual([
      // A different function at that depth is a new frame: nothing to compare with.
      { fn: 'uvn_cluster', depth: 1, rows: [{ name: 'offset', value: '0x1000', changed: false, was: null }] },
      {
        fn: 'uvn_get',
        depth: 0,
        rows: [
          { name: 'lcv', value: '0', changed: false, was: null },
          { name: 'result', value: 'VM_PAGER_OK', changed: true, was: '(unset)' },
        ],
      },
    ]);
    expect(
      frameRows(now, undefined)
        .flatMap((f) => f.rows)
        .some((r) => r.changed),
    ).toBe(false);
  });

  it('tells a frame that shows the same rows from one whose value, change mark or function differs', () => {
    const frames = (lcv: string, fn = 'uvn_get') => thread({ frames: [{ fn, locals: [local('lcv', lcv)] }] });
    const [shown] = frameRows(frames('1'), frames('0'));
    // The same values, made afresh by the next step: the table need not render again.
    expect(sameFrameRows(shown!, frameRows(frames('1'), frames('0'))[0]!)).toBe(true);
    // The value changed; the value is the same but no longer marked as changed; another function.
    expect(sameFrameRows(shown!, frameRows(frames('2'), frames('1'))[0]!)).toBe(false);
    expect(sameFrameRows(shown!, frameRows(frames('1'), frames('1'))[0]!)).toBe(false);
    expect(sameFrameRows(shown!, frameRows(frames('1', 'uvn_io'), frames('0', 'uvn_io'))[0]!)).toBe(false);
  });
});

describe('branch fork marks', () => {
  const b = (id: number, parent: number | null, forkAt: number, length: number): BranchView => ({
    id,
    name: `Branch ${id}`,
    length,
    parent,
    forkAt,
    firstLabel: null,
  });
  // 1 (12 steps); 2 made from 1 at step 4; 3 made from 2 at step 2; 4 made from 1 at step 7.
  const branches = [b(1, null, 0, 12), b(2, 1, 4, 6), b(3, 2, 2, 3), b(4, 1, 7, 8)];

  it('counts the steps each branch shares with the current one through their common branch', () => {
    expect(sharedSteps(branches, 1)).toEqual(
      new Map([
        [2, 4],
        [3, 2],
        [4, 7],
      ]),
    );
    expect(sharedSteps(branches, 3)).toEqual(
      new Map([
        [1, 2],
        [2, 2],
        [4, 2],
      ]),
    );
    expect(sharedSteps(branches, 4)).toEqual(
      new Map([
        [1, 7],
        [2, 4],
        [3, 2],
      ]),
    );
  });

  it('marks the step after which each other branch parts', () => {
    const marks = forkMarks(branches, 2);
    expect([...marks.entries()].map(([at, list]) => [at, list.map((x) => x.id)])).toEqual([
      [4, [1, 4]],
      [2, [3]],
    ]);
  });
});

describe('stepping keys', () => {
  const state = (over: Partial<LabState>): LabState => ({ ...createLabStore(() => {}).getState(), ...over });
  const snapshot = (threads: ThreadView[]) => ({ threads }) as unknown as LabState['snapshot'];
  const ready = state({
    snapshot: snapshot([thread({ id: 't1', status: 'done' }), thread({ id: 't2', line: 1085 })]),
    selectedThread: 't2',
    chosenLine: 1201,
  });
  const key = (k: string, mods: { shiftKey?: boolean; ctrlKey?: boolean } = {}) =>
    shortcutAction({ key: k, shiftKey: false, ctrlKey: false, ...mods }, ready);

  it('are the ones debuggers use, acting on the followed thread', () => {
    expect(key('s')).toEqual({ type: 'step', thread: 't2' });
    expect(key('F11')).toEqual({ type: 'step', thread: 't2' });
    expect(key('n')).toEqual({ type: 'stepOver', thread: 't2' });
    expect(key('F10')).toEqual({ type: 'stepOver', thread: 't2' });
    expect(key('o')).toEqual({ type: 'stepOut', thread: 't2' });
    expect(key('F11', { shiftKey: true })).toEqual({ type: 'stepOut', thread: 't2' });
    expect(key('r')).toEqual({ type: 'run', thread: 't2' });
    expect(key('F5')).toEqual({ type: 'run', thread: 't2' });
    expect(key('F10', { ctrlKey: true })).toEqual({ type: 'runTo', thread: 't2', line: 1201 });
    expect(key('F9')).toEqual({ type: 'toggleBreakpoint', line: 1201 });
    // A chosen line with no C code: refused with why, as the Run to line button is; unknown until the seed is in.
    const ctrlF10 = { key: 'F10', shiftKey: false, ctrlKey: true };
    expect(shortcutAction(ctrlF10, ready, (n) => n !== 1201)).toEqual({
      say: 'Line 1201 has no C code (blank, a comment, or past the end of the file): choose another line to run to.',
    });
    expect(shortcutAction(ctrlF10, ready, () => undefined)).toEqual({ type: 'runTo', thread: 't2', line: 1201 });
    // Other Ctrl chords stay the browser's; unknown keys too.
    expect(key('r', { ctrlKey: true })).toBeNull();
    expect(key('x')).toBeNull();
  });

  it('act on a live thread when the selected one and the one last run have returned', () => {
    const after = state({
      snapshot: snapshot([thread({ id: 't1', status: 'done' }), thread({ id: 't2', status: 'ready' })]),
      selectedThread: 't1',
      steps: [{ spawn: 't1', call: 'uvn_attach', args: {} }, { run: 't1' }],
      cursor: 2,
    });
    expect(shortcutAction({ key: 's', shiftKey: false, ctrlKey: false }, after)).toEqual({
      type: 'step',
      thread: 't2',
    });
  });

  it('do nothing (but are still ours) when there is no thread to act on', () => {
    const empty = state({ snapshot: snapshot([]) });
    expect(shortcutAction({ key: 'n', shiftKey: false, ctrlKey: false }, empty)).toBe('none');
    expect(shortcutAction({ key: 'F9', shiftKey: false, ctrlKey: false }, empty)).toBe('none');
  });

  it('are all in the help', () => {
    const keys = SHORTCUTS.flatMap((s) => s.keys.split(/\s{2,}/));
    expect(keys).toEqual(['s', 'F11', 'n', 'F10', 'o', 'Shift+F11', 'r', 'F5', 'Ctrl+F10', 'F9', '←', '→', '?', 'Esc']);
  });
});

describe('where the source rests with nothing to follow', () => {
  it('is the first function definition, not a macro use or the licence header', () => {
    const text = ['/* licence */', 'LIST_HEAD(uvn_list_struct, uvm_vnode);', 'void', 'uvn_init(void)', '{', '}'].join(
      '\n',
    );
    expect(firstDefinitionLine(text)).toBe(4);
    expect(firstDefinitionLine('int x;\n')).toBeNull();
  });
});

describe('the library index', () => {
  const files = readdirSync('scenarios')
    .filter((f) => f.endsWith('.json'))
    .map((f) => f.replace(/\.json$/, ''))
    .sort();

  it('lists every scenario file exactly once, under a topic of its own pager', () => {
    const listed = LIBRARY_TOPICS.flatMap((t) => t.entries.map((e) => e.name));
    expect([...listed].sort()).toEqual(files);
    expect(new Set(listed).size).toBe(listed.length);
    for (const group of LIBRARY_GROUPS)
      for (const entry of group.entries)
        expect(entry.pager, entry.name).toBe(LIBRARY_TOPICS.find((t) => t.topic === group.topic)!.pager);
    expect(LIBRARY_GROUPS.map((g) => g.topic)).not.toContain('Other');
  });

  it('starts with "Start here", and knows each scenario’s first thread', () => {
    expect(LIBRARY_GROUPS[0]!.topic).toBe('Start here');
    expect(START_HERE_ENTRY?.name).toBe('lecture-walkthrough');
    expect(LIBRARY[0]).toBe(START_HERE_ENTRY);
    expect(LIBRARY.find((e) => e.name === 'two-threads-fault-same-page')?.firstThread).toBe('t1');
    expect(LIBRARY.every((e) => e.firstThread !== null && e.label.length > 0)).toBe(true);
    // The picker's tooltip is the title's first sentence; the whole explanation comes with the text.
    for (const e of LIBRARY) {
      const title = (JSON.parse(readFileSync(`scenarios/${e.name}.json`, 'utf8')) as { title: string }).title;
      expect(e.title.length, e.name).toBeGreaterThan(20);
      expect(e.title.length, e.name).toBeLessThanOrEqual(141);
      expect(title.startsWith(e.title.replace(/…$/, '')), e.name).toBe(true);
    }
  });
});

describe('the stop line under the debugger', () => {
  const stop = (over: Partial<StopInfo>): StopInfo => ({
    thread: 't2',
    reason: 'returned',
    line: null,
    steps: 13,
    ...over,
  });

  it('says where a step out left the thread: a seed line, or back in its caller', () => {
    expect(stopText(stop({ line: 1092 }), 'uvm_vnode.c')).toBe('t2 stepped out, now at uvm_vnode.c:1092 (13 steps)');
    expect(stopText(stop({}), 'uvm_vnode.c')).toBe('t2 stepped out to its caller (13 steps)');
    expect(stopText(stop({ reason: 'step', line: 1057, steps: 1 }), 'uvm_vnode.c')).toBe(
      't2 stopped at uvm_vnode.c:1057',
    );
  });
});

describe('messages', () => {
  it("a teaching link's refusal stays while the Learn pane asks for its catalog; the next action clears it", () => {
    const store = createLabStore(() => {});
    const { receive, dispatch } = store.getState();
    receive({ type: 'teach.error', version: PROTOCOL_VERSION, message: 'There is no lesson "nonexistent".' });
    dispatch({ type: 'teach', command: { type: 'teach.catalog' } });
    expect(store.getState().notice).toEqual({ kind: 'error', text: 'There is no lesson "nonexistent".' });
    dispatch({ type: 'seek', to: 0 });
    expect(store.getState().notice).toBeNull();
  });
});

describe('Back and the arrow keys pressed faster than the answers', () => {
  it('count from the step the last unanswered seek goes to, then from the cursor once it is answered', () => {
    let ids = 0;
    const store = createLabStore(() => ++ids);
    store.setState({ cursor: 71, length: 76 });
    const arrow = (key: string) => shortcutAction({ key, shiftKey: false, ctrlKey: false }, store.getState());
    store.getState().dispatch({ type: 'seek', to: 76 }); // End, not answered yet
    expect(store.getState().aimedCursor()).toBe(76);
    expect(arrow('ArrowLeft')).toEqual({ type: 'seek', to: 75 });
    expect(arrow('ArrowRight')).toBe('none');
    // The answer (here a refusal) comes: the cursor counts again.
    store.getState().receive({ type: 'sim.error', version: PROTOCOL_VERSION, epoch: 0, seq: 1, id: 1, message: 'x' });
    expect(store.getState().aimedCursor()).toBe(71);
    expect(arrow('ArrowLeft')).toEqual({ type: 'seek', to: 70 });
    // Another command after a seek: the seek's target no longer says where the lab is going.
    store.getState().dispatch({ type: 'seek', to: 3 });
    store.getState().dispatch({ type: 'step', thread: 't1' });
    expect(store.getState().aimedCursor()).toBe(71);
  });
});
