import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { screenSize } from '../src/app/layout';
import { DEFAULT_PREFS } from '../src/store/prefs';
import { FIRST_STATE_SCRIPT, shareCopies } from '../tools/prerender-plugin';
import { renderFirstState } from '../tools/prerender-first-state';

/**
 * The inline script that shows the prerendered first state (tools/prerender-plugin.ts), run against a stand-in
 * page: which copy it puts in `#root`, if any.
 */
function run(page: {
  width?: number;
  height?: number;
  hash?: string;
  search?: string;
  storage?: Record<string, string> | 'throws';
}): string | null {
  let shown: string | null = null;
  const copy = (sizes: string) => ({ text: sizes });
  const root = {
    firstElementChild: null as unknown,
    set innerHTML(text: string) {
      shown = text;
      this.firstElementChild = { querySelector: () => null };
    },
    querySelectorAll: () => [],
  };
  const storage = page.storage ?? {};
  runInNewContext(FIRST_STATE_SCRIPT, {
    innerWidth: page.width ?? 1600,
    innerHeight: page.height ?? 900,
    location: { hash: page.hash ?? '', search: page.search ?? '' },
    URLSearchParams,
    localStorage: {
      getItem(key: string) {
        if (storage === 'throws') throw new Error('SecurityError');
        return storage[key] ?? null;
      },
    },
    document: {
      getElementById: (id: string) => (id === 'root' ? root : null),
      // Each size's copy, as the build writes them (one per size here: which one is picked is what is checked).
      querySelector: (selector: string) => {
        const size = /^script\[data-first-state~="(\w+)"\]$/.exec(selector)?.[1];
        return size ? copy(size) : null;
      },
    },
  });
  return shown;
}

describe('the prerendered first state is shown', () => {
  it('for the screen size the layout would pick', () => {
    for (const width of [800, 1149, 1150, 1280, 1499, 1500, 1600, 1920, 2560])
      for (const height of [600, 720, 759, 760, 900, 1080])
        expect(run({ width, height }), `${width}x${height}`).toBe(screenSize(width, height));
  });

  it('on a plain visit only: no link, no embed, no saved session, default preferences', () => {
    expect(run({})).toBe('wide');
    expect(run({ search: '?perf=1' })).toBe('wide');
    expect(run({ storage: { 'pager-lab/prefs/v1': JSON.stringify(DEFAULT_PREFS) } })).toBe('wide');
    expect(run({ hash: '#scenario=abc' })).toBeNull();
    expect(run({ hash: '#compare=x' })).toBeNull();
    expect(run({ hash: '#lesson=one' })).toBeNull();
    expect(run({ search: '?embed=1' })).toBeNull();
    expect(run({ storage: { 'pager-lab/session/v1': '{}' } })).toBeNull();
    expect(run({ storage: 'throws' })).toBeNull();
    const prefs = (p: object) => ({ 'pager-lab/prefs/v1': JSON.stringify({ ...DEFAULT_PREFS, ...p }) });
    expect(run({ storage: prefs({ fontScale: 1.15 }) })).toBeNull();
    expect(run({ storage: prefs({ theme: 'dark' }) })).toBeNull();
    expect(run({ storage: prefs({ layout: 'focus' }) })).toBeNull();
    expect(run({ storage: prefs({ maximised: 'source' }) })).toBeNull();
    expect(run({ storage: prefs({ collapsed: ['bits'] }) })).toBeNull();
    expect(run({ storage: { 'pager-lab/prefs/v1': 'not json' } })).toBeNull();
  });
});

/** A shared copy's markup for `size`: the attributes the inline script sets, set (by text, as written). */
function copyFor(body: string, size: string): string {
  return body.replace(/<([a-zA-Z][\w-]*) data-first-state-attrs="([^"]*)"([^>]*)>/g, (_, name: string, json, rest) => {
    const set = (JSON.parse(json.replace(/&quot;/g, '"').replace(/&amp;/g, '&')) as Record<string, object>)[size] ?? {};
    return `<${name}${(rest as string).replace(/ ([^\s=]+)="([^"]*)"/g, (a, k: string) =>
      k in set ? ` ${k}="${(set as Record<string, string>)[k]}"` : a,
    )}>`;
  });
}

describe('the prerendered copies', () => {
  it('of sizes that differ only in attribute values are one, which gives each size its own markup', async () => {
    const markup = await renderFirstState();
    const copies = shareCopies(Object.entries(markup).map(([size, body]) => ({ sizes: [size], body })));
    // Medium and narrow differ in two attributes; wide lays the panels out otherwise (other ids, other bands).
    expect(copies.map((c) => c.sizes)).toEqual([['wide'], ['medium', 'narrow']]);
    for (const { sizes, body } of copies)
      for (const size of sizes) expect(copyFor(body, size)).toBe(markup[size as keyof typeof markup]);
    expect(copies[1]!.body.length).toBeLessThan(markup.medium.length + 300);
  });

  const a = '<div class="app" data-size="a"><p>one</p></div>';
  it.each([
    ['other text', 2, a.replace('one', 'two')],
    ['an attribute one lacks', 2, a.replace('<p>', '<p id="x">')],
    ['a value with an entity', 2, a.replace('"a"', '"&amp;"')],
    ['only an attribute value', 1, a.replace('"a"', '"b"')],
  ])('two copies differing in %s are %i', (_what, copies, b) => {
    expect(
      shareCopies([
        { sizes: ['a'], body: a },
        { sizes: ['b'], body: b },
      ]),
    ).toHaveLength(copies);
  });
});
