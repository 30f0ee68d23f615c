/**
 * The browser bench's code that runs inside the page (handed to page.evaluate / addInitScript, so each
 * function stands alone: no imports, no closures over this module).
 */

/**
 * How long after the last click was painted the bench clicks again. Right after a frame, Chromium here paints
 * the next one only ~18 ms later whatever the page does (a one-text change on an empty page: `textChangeToPaint`,
 * printed by the bench); 20 ms later it paints at once. 30 ms is past that and still far quicker than anyone
 * clicks (a lecture steps a few times a second), and short enough that the machine does not go idle between
 * clicks (at 100-200 ms pauses every part of a click, the worker's step and React included, ran slower).
 */
export const CLICK_PAUSE_MS = 30;

/** One Step click, in ms from the click (page clock); null where the lab left no mark. */
export interface ClickTiming {
  /** Click to the frame after the DOM showed the new step has been painted. */
  readonly total: number;
  /** Click until the DOM showed the new step (React committed). */
  readonly dom: number;
  readonly send: number | null;
  readonly worker: number | null;
  readonly copyOut: number | null;
  readonly transfer: number | null;
  readonly store: number | null;
  readonly react: number | null;
  readonly d3: number;
  readonly paint: number | null;
  /**
   * DOM mutation records the step's commit made, per panel (`data-panel`, or `other`: the header, the
   * status row): what the step changed on screen, to tell what the slow clicks do that the others do not.
   */
  readonly changed: Readonly<Record<string, number>>;
  /** The Step button clicked (its thread). */
  readonly button: string;
}

/**
 * Installed before the app's scripts: records `window.__firstState` (ms after navigation start) when the
 * first state is on screen (the header names the kernel: the prerendered copy of a plain visit, or React's
 * render of the first snapshot) and a frame has been painted after it; `window.__interactive` when the lab
 * can be used (React has mounted: its own header, not the prerendered copy, names the kernel, learnt from
 * the worker's first answer in the store) and a frame has been painted after that; and `window.__shown(text)`
 * for a later state. It watches from the start of the document: the prerendered copy is put in while the
 * HTML is parsed, before DOMContentLoaded.
 */
export function installFirstStateProbe(): void {
  const w = window as unknown as { __firstState?: number; __interactive?: number; __shownAt?: Record<string, number> };
  w.__shownAt = {};
  const afterFrame = (done: (t: number) => void) =>
    requestAnimationFrame(() => setTimeout(() => done(performance.now()), 0));
  const obs = new MutationObserver(() => {
    if (w.__firstState === undefined && document.querySelector('h1 .subtitle')) {
      w.__firstState = -1;
      afterFrame((t) => (w.__firstState = t));
    }
    if (w.__interactive === undefined && document.querySelector('.app:not([data-prerendered]) h1 .subtitle')) {
      w.__interactive = -1;
      afterFrame((t) => (w.__interactive = t));
    }
    const scrub = document.querySelector('.scrubber span')?.textContent;
    if (scrub && w.__shownAt![scrub] === undefined) {
      w.__shownAt![scrub] = -1;
      afterFrame((t) => (w.__shownAt![scrub] = t));
    }
  });
  obs.observe(document, { subtree: true, childList: true, characterData: true });
}

/**
 * Click the first enabled Step button whose label starts with `label`, `clicks` times, timing each click
 * to the frame painted after the DOM shows the new step; with the lab's `?perf=1` marks and the worker's
 * times (asked for on the bench channel), each click's time split by where it went. `markPrefix` leaves
 * User Timing marks around each click for a trace to find. Each click comes `pauseMs` after the last one
 * was painted (see `CLICK_PAUSE_MS`); 0: right after the next frame, back to back.
 */
export async function clickSteps(arg: {
  clicks: number;
  label: string;
  markPrefix: string;
  pauseMs?: number;
}): Promise<ClickTiming[]> {
  const { clicks, label, markPrefix, pauseMs = 0 } = arg;
  const scrub = document.querySelector<HTMLInputElement>('input[aria-label="Scrub through steps"]');
  if (!scrub) throw new Error('scrubber not found');
  interface WorkerTimes {
    arrived: number;
    ready: number;
    sent: number;
  }
  const channel = new BroadcastChannel('pager-lab-perf');
  const got: { times: WorkerTimes | null } = { times: null };
  channel.onmessage = (e: MessageEvent<WorkerTimes>) => (got.times = e.data);
  channel.postMessage('on');
  await new Promise((r) => setTimeout(r, 50));
  const rel = (abs: number) => abs - performance.timeOrigin;
  const lastMark = (name: string) => performance.getEntriesByName(name, 'mark').at(-1)?.startTime ?? null;
  const out: ClickTiming[] = [];
  for (let i = 0; i < clicks; i++) {
    const button = [...document.querySelectorAll<HTMLButtonElement>('button[aria-label^="Step "]')].find(
      (b) => !b.disabled && (b.getAttribute('aria-label') ?? '').startsWith(label),
    );
    if (!button) break;
    performance.clearMarks();
    performance.clearMeasures();
    got.times = null;
    const before = scrub.value;
    let dom = 0;
    const changed: Record<string, number> = {};
    const count = (records: readonly MutationRecord[]) => {
      for (const r of records) {
        const el = r.target instanceof Element ? r.target : r.target.parentElement;
        const panel = el?.closest('[data-panel]')?.getAttribute('data-panel') ?? 'other';
        changed[panel] = (changed[panel] ?? 0) + 1;
      }
    };
    const t0 = performance.now();
    if (markPrefix) performance.mark(`${markPrefix}click:${i}`);
    // The records are kept and counted after the frame: the measure charges the click with the observer, not
    // with its own bookkeeping (a `closest` per record, ~100 records a click).
    const records: MutationRecord[] = [];
    const painted = await new Promise<number>((resolve) => {
      const obs = new MutationObserver((batch) => {
        records.push(...batch);
        if (scrub.value === before) return;
        // The rest of the commit's records (React commits in one task, before this callback).
        records.push(...obs.takeRecords());
        obs.disconnect();
        dom = performance.now();
        requestAnimationFrame(() => setTimeout(() => resolve(performance.now()), 0));
      });
      obs.observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
      button.click();
    });
    if (markPrefix) performance.mark(`${markPrefix}painted:${i}`);
    count(records);
    // The worker's times come on their own channel, perhaps after the snapshot.
    for (let wait = 0; got.times === null && wait < 20; wait++) await new Promise((r) => setTimeout(r, 5));
    const w = got.times as WorkerTimes | null;
    const storeStart = lastMark('store:start');
    const storeEnd = lastMark('store:end');
    const commit = lastMark('react:commit');
    const d3 = performance
      .getEntriesByType('measure')
      .filter((m) => m.name.startsWith('d3:'))
      .reduce((sum, m) => sum + m.duration, 0);
    out.push({
      total: painted - t0,
      dom: dom - t0,
      send: w ? rel(w.arrived) - t0 : null,
      worker: w ? w.ready - w.arrived : null,
      copyOut: w ? w.sent - w.ready : null,
      transfer: w && storeStart !== null ? storeStart - rel(w.sent) : null,
      store: storeStart !== null && storeEnd !== null ? storeEnd - storeStart : null,
      react: storeEnd !== null && commit !== null ? commit - storeEnd - d3 : null,
      d3,
      paint: commit !== null ? painted - commit : null,
      changed,
      button: button.getAttribute('aria-label') ?? '',
    });
    if (pauseMs > 0) await new Promise((r) => setTimeout(r, pauseMs));
    else await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
  }
  channel.postMessage('off');
  channel.close();
  return out;
}

/**
 * The measure's own floor in this browser: on a page holding one line of text, change the text and time it to
 * the frame painted after it (as `clickSteps` times a click), `rounds` times, each change coming `pauseMs`
 * after the last frame (0: right after the next frame). Median and p95, ms.
 */
export async function textChangeToPaint(arg: { rounds: number; pauseMs: number }): Promise<[number, number]> {
  const line = document.createElement('p');
  document.body.append(line);
  const painted = () => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
  const out: number[] = [];
  for (let i = 0; i < arg.rounds; i++) {
    if (arg.pauseMs > 0) await new Promise((r) => setTimeout(r, arg.pauseMs));
    else await painted();
    const t0 = performance.now();
    line.textContent = `step ${i}`;
    await painted();
    out.push(performance.now() - t0);
  }
  out.sort((a, b) => a - b);
  return [out[Math.floor(out.length * 0.5)]!, out[Math.min(out.length - 1, Math.floor(out.length * 0.95))]!];
}
