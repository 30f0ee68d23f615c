import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { screenSize } from '../src/app/layout';
import { DEFAULT_PREFS } from '../src/store/prefs';
import { FIRST_STATE_SCRIPT } from '../tools/prerender-plugin';

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
  const template = (size: string) => ({
    content: { cloneNode: () => ({ size, querySelector: () => null }) },
  });
  const root = {
    firstElementChild: null as unknown,
    appendChild(node: { size: string }) {
      shown = node.size;
      this.firstElementChild = node;
    },
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
      getElementById: (id: string) =>
        id === 'root' ? root : id.startsWith('first-state-') ? template(id.slice(12)) : null,
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
