/**
 * What the page's entry (src/main.tsx) sends the worker on a visit, run in Node against stand-ins for the page
 * (location, storage, a DOM of a few elements) with the real store: a link visit opens the link alone, with the
 * saved session or the library's start as its fallback; a plain visit opens the saved session (or the start).
 */
import LZString from 'lz-string';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { blankStart } from '../src/app/library';
import { SAVED_FALLBACK_NOTE, SAVED_ORIGIN } from '../src/app/persistence';
import { PROTOCOL_VERSION } from '../src/protocol/messages';
import type { CommandBody, LabStore } from '../src/store/store';

const sent = vi.hoisted(() => [] as CommandBody[]);
/** The entry's store (the real one), and how many times the lab was mounted on a plain visit. */
const page = vi.hoisted(() => ({ store: null as LabStore | null, mounted: 0 }));

// Each visit's entry gets a store of its own (the real one): an earlier visit's entry, still loaded, hears nothing.
vi.mock('../src/client/sim-client', async () => {
  const { createLabStore } = await import('../src/store/store');
  const createLab = () => {
    page.store = createLabStore((command) => {
      sent.push(command);
      return sent.length;
    });
    return { store: page.store, client: {} };
  };
  return { simWorker: () => null, createLab };
});
// React is not mounted here (a plain visit's open is never answered: it would mount only then; a link visit
// mounts the lab out of the page at once, placed only with the link's state).
vi.mock('../src/app/mount', () => ({ mount: () => void page.mounted++, mountAside: () => () => undefined }));

/** Just enough of an element for the entry's "Opening the shared link" state. */
class FakeElement {
  readonly children: FakeElement[] = [];
  textContent = '';
  hidden = false;
  disabled = false;
  className = '';
  type = '';
  setAttribute(): void {}
  addEventListener(): void {}
  append(...children: FakeElement[]): void {
    this.children.push(...children);
  }
  replaceChildren(...children: FakeElement[]): void {
    this.children.splice(0, this.children.length, ...children);
  }
  remove(): void {}
}

const SESSION_KEY = 'pager-lab/session/v1';
const library = blankStart();
const scenario = { ...(JSON.parse(library) as object), title: 'Linked', steps: [] };
const linkHash = `#scenario=${LZString.compressToEncodedURIComponent(JSON.stringify(scenario))}`;

/**
 * Load the entry afresh on a page at `hash` with `storage` (and, with `prerendered`, the first state's copy in
 * `#root`, as a plain first visit has it); the commands it sent.
 */
async function visit(hash: string, storage: Record<string, string> = {}, prerendered = false): Promise<CommandBody[]> {
  sent.length = 0;
  page.mounted = 0;
  const root = new FakeElement();
  const copy = new FakeElement();
  const noop = () => undefined;
  vi.stubGlobal('location', { hash, search: '', pathname: '/' });
  vi.stubGlobal('history', { state: null, replaceState: noop });
  vi.stubGlobal('localStorage', {
    getItem: (k: string) => storage[k] ?? null,
    setItem: (k: string, v: string) => void (storage[k] = v),
    removeItem: (k: string) => void delete storage[k],
  });
  vi.stubGlobal('window', { addEventListener: noop, removeEventListener: noop });
  vi.stubGlobal('addEventListener', noop);
  vi.stubGlobal('removeEventListener', noop);
  vi.stubGlobal('document', {
    readyState: 'complete',
    getElementById: () => root,
    querySelector: (selector: string) => (prerendered && selector === '#root > [data-prerendered]' ? copy : null),
    querySelectorAll: () => [],
    createElement: () => new FakeElement(),
    addEventListener: noop,
  });
  vi.resetModules();
  await import('../src/main');
  return [...sent];
}

/** The worker's progress report on the visit's first open (id 1), naming the seed it shows if given. */
function progress(seed?: string): void {
  page.store!.getState().receive({
    type: 'sim.progress',
    version: PROTOCOL_VERSION,
    id: 1,
    what: 'Loading',
    done: 0,
    total: 3,
    ...(seed ? { seed } : {}),
  });
}

describe('a visit sends the worker one open', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllGlobals();
  });

  it('a link visit opens the link alone, the library start its fallback', async () => {
    const sent = await visit(`${linkHash}&at=0&thread=t1`);
    expect(sent).toEqual([
      {
        type: 'sim.open',
        source: { kind: 'link', hash: `${linkHash}&at=0&thread=t1` },
        origin: 'Shared link',
        cursor: 0,
        select: 't1',
        fallback: { source: { kind: 'text', text: library }, origin: 'Library' },
      },
    ]);
  });

  it('a link visit with a saved session: the session is the fallback, the library start its own', async () => {
    const saved = JSON.stringify({ scenario: { ...scenario, title: 'Saved' }, cursor: 0 });
    const sent = await visit(linkHash, { [SESSION_KEY]: saved });
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({
      type: 'sim.open',
      source: { kind: 'link', hash: linkHash },
      fallback: {
        origin: SAVED_ORIGIN,
        cursor: 0,
        fallback: { source: { kind: 'text', text: library }, origin: 'Library', note: SAVED_FALLBACK_NOTE },
      },
    });
    const fallback = (sent[0] as Extract<CommandBody, { type: 'sim.open' }>).fallback!;
    expect(fallback.source.kind === 'text' && JSON.parse(fallback.source.text)).toMatchObject({ title: 'Saved' });
    // A link's refusal is said alone ("Shared link: …"), as when the session was open before it.
    expect(fallback.note).toBeUndefined();
  });

  it('a plain visit opens the saved session, or the library start', async () => {
    expect(await visit('')).toEqual([
      { type: 'sim.open', source: { kind: 'text', text: library }, origin: 'Library', cursor: undefined },
    ]);
    const saved = JSON.stringify({ scenario: { ...scenario, title: 'Saved' }, cursor: 0 });
    const sent = await visit('', { [SESSION_KEY]: saved });
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({
      source: { kind: 'text' },
      origin: SAVED_ORIGIN,
      cursor: 0,
      fallback: { origin: 'Library', note: SAVED_FALLBACK_NOTE },
    });
  });

  it('a link visit fetches the seed the open names in its progress, once, while the worker replays', async () => {
    const fetched: string[] = [];
    vi.stubGlobal('fetch', (url: string) => {
      fetched.push(url);
      return Promise.resolve({ ok: true, text: () => Promise.resolve('/* seed */') });
    });
    await visit(linkHash);
    progress();
    expect(fetched).toEqual([]);
    progress('seeds/vnode_pager.c');
    progress('seeds/vnode_pager.c');
    expect(fetched).toEqual(['/seeds/vnode_pager.c']);
  });

  it('a plain visit mounts at the open’s first progress report, unless the prerendered first state is shown', async () => {
    // A saved session: its progress (the kernel fetched, the steps replayed) mounts the lab, to show it.
    const saved = JSON.stringify({ scenario: { ...scenario, title: 'Saved' }, cursor: 0 });
    await visit('', { [SESSION_KEY]: saved });
    progress();
    await vi.advanceTimersByTimeAsync(100);
    expect(page.mounted).toBe(1);
    // The first state prerendered on screen: React waits for the answer, not the kernel's fetch.
    await visit('', {}, true);
    progress();
    await vi.advanceTimersByTimeAsync(5_000);
    expect(page.mounted).toBe(0);
  });
});
