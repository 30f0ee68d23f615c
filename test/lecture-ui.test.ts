/**
 * The lecture view's pure parts: which layout each screen gets, the saved
 * preferences read back safely, the colours (threads never a page state's),
 * the trail in words and the timeline as Markdown.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { layoutOf, screenSize } from '../src/app/layout';
import { trailText } from '../src/panels/Source/follow';
import { timelineMarkdown } from '../src/panels/Timeline/markdown';
import { createPrefsStore, DEFAULT_PREFS, readPrefs } from '../src/store/prefs';
import { luminance } from '../src/viz/ink';
import { layoutWaitGraph } from '../src/viz/waitGraph';

const panelsOf = (bands: ReturnType<typeof layoutOf>) =>
  bands.flatMap((b) => b.columns.flatMap((c) => c.panels.map((p) => p.id)));

describe('layouts', () => {
  it('a 1920x1080 screen is wide; 1280x720 (or 1920x1080 at 150%) is medium; 1024x768 narrow', () => {
    expect(screenSize(1920, 1080)).toBe('wide');
    expect(screenSize(1600, 1000)).toBe('wide');
    expect(screenSize(1280, 720)).toBe('medium');
    expect(screenSize(1024, 768)).toBe('narrow');
    expect(screenSize(1600, 700)).toBe('medium');
  });

  it('every layout shows every panel once; below wide, Page bits and the object panel have the full width', () => {
    for (const size of ['wide', 'medium', 'narrow'] as const) {
      const bands = layoutOf(size, DEFAULT_PREFS);
      expect(panelsOf(bands).sort()).toEqual([
        'bits',
        'io',
        'object',
        'queues',
        'source',
        'threads',
        'timeline',
        'tree',
      ]);
      if (size === 'wide') expect(bands).toHaveLength(1);
      else
        for (const id of ['bits', 'object'] as const) {
          const band = bands.find((b) => b.columns.some((c) => c.panels.some((p) => p.id === id)))!;
          expect(band.columns).toHaveLength(1);
          expect(band.height).toBe('auto');
        }
    }
  });

  it('focus shows threads, the I/O requests, source and the chosen panel; maximise shows one', () => {
    for (const size of ['wide', 'medium', 'narrow'] as const) {
      expect(panelsOf(layoutOf(size, { ...DEFAULT_PREFS, layout: 'focus', focusPanel: 'tree' })).sort()).toEqual([
        'io',
        'source',
        'threads',
        'tree',
      ]);
      expect(panelsOf(layoutOf(size, { ...DEFAULT_PREFS, layout: 'focus', focusPanel: 'io' })).sort()).toEqual([
        'io',
        'source',
        'threads',
      ]);
    }
    expect(panelsOf(layoutOf('narrow', { ...DEFAULT_PREFS, maximised: 'bits' }))).toEqual(['bits']);
  });
});

describe('preferences', () => {
  it('reads back what was saved and ignores what is damaged', () => {
    expect(readPrefs(null)).toEqual(DEFAULT_PREFS);
    expect(readPrefs('not json')).toEqual(DEFAULT_PREFS);
    expect(
      readPrefs(
        JSON.stringify({
          theme: 'dark',
          fontScale: 1.3,
          layout: 'focus',
          focusPanel: 'io',
          collapsed: ['tree', 'x', 'tree'],
        }),
      ),
    ).toEqual({
      ...DEFAULT_PREFS,
      theme: 'dark',
      fontScale: 1.3,
      layout: 'focus',
      focusPanel: 'io',
      collapsed: ['tree'],
    });
    expect(
      readPrefs(JSON.stringify({ theme: 'pink', fontScale: 7, maximised: 'nope', focusPanel: 'threads' })),
    ).toEqual(DEFAULT_PREFS);
  });

  it('never show the maximised panel collapsed', () => {
    expect(readPrefs(JSON.stringify({ maximised: 'source', collapsed: ['source', 'tree'] }))).toMatchObject({
      maximised: 'source',
      collapsed: ['tree'],
    });
    const store = createPrefsStore(DEFAULT_PREFS, false);
    const s = () => store.getState();
    s().toggleCollapsed('bits');
    s().maximise('bits');
    expect([s().maximised, s().collapsed]).toEqual(['bits', []]);
    s().toggleCollapsed('bits');
    expect([s().maximised, s().collapsed]).toEqual([null, ['bits']]);
  });

  it('A- and A+ walk the scales and stop at the ends', () => {
    const store = createPrefsStore(DEFAULT_PREFS, false);
    const s = () => store.getState();
    s().stepFont(-1);
    s().stepFont(-1);
    expect(s().fontScale).toBe(0.85);
    for (let i = 0; i < 10; i++) s().stepFont(1);
    expect(s().fontScale).toBe(2);
    s().toggleCollapsed('tree');
    s().toggleCollapsed('bits');
    s().toggleCollapsed('tree');
    expect(s().collapsed).toEqual(['bits']);
  });
});

describe('colours', () => {
  const css = readFileSync('src/styles.css', 'utf8');
  /** `--name: light-dark(#light, #dark)` of the stylesheet, as [light, dark]. */
  const pairs = (prefix: string) =>
    [...css.matchAll(new RegExp(`--${prefix}-?([\\w-]*): light-dark\\((#[0-9a-f]{6}), (#[0-9a-f]{6})\\)`, 'g'))].map(
      (m) => ({ name: m[1]!, light: m[2]!, dark: m[3]! }),
    );
  const contrast = (a: string, b: string) => {
    const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p);
    return (x! + 0.05) / (y! + 0.05);
  };
  const threads = pairs('thread').filter((t) => /^\d$/.test(t.name));
  const states = pairs('state');

  it('eight thread colours and the page states, in both themes, share no colour', () => {
    expect(threads).toHaveLength(8);
    expect(states.length).toBeGreaterThanOrEqual(6);
    for (const theme of ['light', 'dark'] as const) {
      const t = new Set(threads.map((c) => c[theme]));
      expect(t.size).toBe(8);
      for (const s of states) expect(t.has(s[theme])).toBe(false);
    }
  });

  it('thread colours stand out from the panel (3:1) and carry their ink (4.5:1) in both themes', () => {
    const [panel] = pairs('panel');
    const [ink] = pairs('thread-ink');
    expect(panel, '--panel in both themes').toBeDefined();
    expect(ink, '--thread-ink in both themes').toBeDefined();
    for (const c of threads) {
      expect(contrast(c.light, panel!.light)).toBeGreaterThanOrEqual(3);
      expect(contrast(c.dark, panel!.dark)).toBeGreaterThanOrEqual(3);
      expect(contrast(c.light, ink!.light)).toBeGreaterThanOrEqual(4.5);
      expect(contrast(c.dark, ink!.dark)).toBeGreaterThanOrEqual(4.5);
    }
  });
});

describe('the trail and the timeline in words', () => {
  it('folds runs of consecutive lines into ranges, in the order they ran', () => {
    expect(trailText([141, 145, 164, 165, 166, 184, 164, 165])).toBe('141, 145, 164–166, 184, 164–165');
    expect(trailText([1, 3, 5, 7], 0, 2)).toBe('1, 3, … 2 more');
    expect(trailText([1, 2], 30)).toBe('1–2, … 30 more');
  });

  it('the timeline as Markdown: a title, the setup, one line per step, Markdown characters escaped', () => {
    const md = timelineMarkdown('A *race*', [
      { index: 1, label: 'spawn t1: uvn_attach(vnode="vn1")', trail: { lines: [], omitted: 0 } },
      { index: 2, label: 't1 runs: returns obj', trail: { lines: [141, 142, 150], omitted: 0 } },
    ]);
    expect(md).toBe(
      '# A \\*race\\*\n\n0. setup\n1. spawn t1: uvn\\_attach(vnode="vn1")\n2. t1 runs: returns obj (seed lines 141–142, 150)\n',
    );
    // A library scenario's title is its explanation: the heading is its first sentence, the rest under it.
    const long = 'Two threads fault the same page at once: one reads it, the other sleeps on PG_BUSY. It wakes later.';
    expect(timelineMarkdown(long, [])).toBe(
      '# Two threads fault the same page at once: one reads it, the other sleeps on PG\\_BUSY.\n\n' +
        'Two threads fault the same page at once: one reads it, the other sleeps on PG\\_BUSY. It wakes later.\n\n0. setup\n',
    );
    // Cut at a semicolon, the heading ends where the clause does, without the semicolon.
    const clauses = 'Two threads fault the same page: the second sleeps on it; the first wakes it.';
    expect(timelineMarkdown(clauses, []).split('\n')[0]).toBe(
      '# Two threads fault the same page: the second sleeps on it',
    );
  });
});

describe('the wait-for graph layout', () => {
  it('waiters left, what they wait on in the middle, wakers right; a blocked waker bends back', () => {
    const g = layoutWaitGraph([
      { thread: 't2', kind: 'io', on: 'io:1', label: 'disk request 1', wakers: [], requests: [1] },
      { thread: 't3', kind: 'page', on: 'page:1', label: 'vn1 page 0x0', wakers: ['t2'], requests: [1] },
      { thread: 't4', kind: 'page', on: 'page:1', label: 'vn1 page 0x0', wakers: ['t2'], requests: [1] },
    ]);
    const x = (key: string) => g.nodes.find((n) => n.key === key)!.x;
    expect(g.nodes.map((n) => n.key).sort()).toEqual(
      ['request:1', 'thing:io:1', 'thing:page:1', 'thread:t2', 'thread:t3', 'thread:t4'].sort(),
    );
    expect(x('thread:t3')).toBeLessThan(x('thing:page:1'));
    expect(x('thing:page:1')).toBeLessThan(x('request:1'));
    expect(g.edges.filter((e) => e.kind === 'waits')).toHaveLength(3);
    expect(g.edges.find((e) => e.key === 'page:1->thread:t2')!.back).toBe(true);
    const nobody = layoutWaitGraph([{ thread: 't6', kind: 'channel', on: 'c', label: 'x', wakers: [], requests: [] }]);
    expect(nobody.nodes.map((n) => n.kind)).toEqual(['thread', 'thing', 'nobody']);
  });
});
