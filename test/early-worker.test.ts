/**
 * The built page's head starts the simulation worker while the HTML is parsed (tools/prerender-plugin.ts,
 * `EARLY_WORKER_SCRIPT`), and the lab's client takes that worker once (src/client/sim-client.ts `simWorker`).
 */
import { runInNewContext } from 'node:vm';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { simWorker } from '../src/client/sim-client';
import { EARLY_WORKER_SCRIPT } from '../tools/prerender-plugin';

class FakeWorker {
  static made: FakeWorker[] = [];
  terminated = false;
  pagerLabFailed?: string;
  readonly listeners: Record<string, ((e: { message: string }) => void)[]> = {};
  constructor(
    readonly url: string | URL,
    readonly options: unknown,
  ) {
    FakeWorker.made.push(this);
  }
  addEventListener(type: string, f: (e: { message: string }) => void) {
    (this.listeners[type] ??= []).push(f);
  }
  terminate() {
    this.terminated = true;
  }
}

/** Run the head's script against a stand-in page; the window it leaves. */
function runHead(meta: string | null, Worker: unknown = FakeWorker): { pagerLabWorker?: FakeWorker } {
  const window: { pagerLabWorker?: FakeWorker } = {};
  runInNewContext(EARLY_WORKER_SCRIPT, {
    window,
    Worker,
    document: {
      querySelector: (q: string) => (q === 'meta[name="pager-lab-worker"]' && meta ? { content: meta } : null),
    },
  });
  return window;
}

afterEach(() => {
  FakeWorker.made = [];
  delete (globalThis as { pagerLabWorker?: unknown }).pagerLabWorker;
  vi.unstubAllGlobals();
});

describe('the worker started by the page head', () => {
  it("is the build's worker script, a module worker named as the client names it", () => {
    const window = runHead('/assets/sim.worker-abc.js');
    expect(FakeWorker.made).toHaveLength(1);
    expect(window.pagerLabWorker).toBe(FakeWorker.made[0]);
    expect(FakeWorker.made[0]!.url).toBe('/assets/sim.worker-abc.js');
    expect(FakeWorker.made[0]!.options).toEqual({ type: 'module', name: 'pager-engine' });
  });

  it('is not started without the meta (the dev server) or where workers cannot be made', () => {
    expect(runHead(null).pagerLabWorker).toBeUndefined();
    expect(
      runHead('/assets/sim.worker-abc.js', function () {
        throw new Error('SecurityError');
      }).pagerLabWorker,
    ).toBeUndefined();
    expect(FakeWorker.made).toEqual([]);
  });

  it('is what the client takes first; a restart, or a worker that failed to load, gets a new one', () => {
    vi.stubGlobal('Worker', FakeWorker);
    const early = runHead('/assets/sim.worker-abc.js').pagerLabWorker!;
    (globalThis as { pagerLabWorker?: unknown }).pagerLabWorker = early;
    expect(simWorker()).toBe(early);
    const again = simWorker() as unknown as FakeWorker;
    expect(again).not.toBe(early);
    expect(String(again.url)).toMatch(/sim\.worker\.ts$/);

    const failed = runHead('/assets/sim.worker-abc.js').pagerLabWorker!;
    failed.listeners.error![0]!({ message: 'NetworkError' });
    (globalThis as { pagerLabWorker?: unknown }).pagerLabWorker = failed;
    const fresh = simWorker() as unknown as FakeWorker;
    expect(fresh).not.toBe(failed);
    expect(failed.terminated).toBe(true);
  });
});
