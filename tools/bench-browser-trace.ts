/**
 * The browser bench's attribution pass: a few more Step clicks under a Chromium trace, reporting per click
 * what the renderer's main thread and the worker spent on garbage collection, style, layout and paint,
 * and how many clicks met a collection. (Traced clicks are slower; their totals are not the figure.)
 */
import { writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import type { Browser, Page } from 'playwright-core';
import { CLICK_PAUSE_MS, clickSteps } from './bench-browser-page';

/** A Chromium trace event, as far as the bench tools read it. */
export interface TraceEvent {
  name: string;
  ph: string;
  ts: number;
  dur?: number;
  /** Thread time of a complete event, when the trace has it. */
  tdur?: number;
  pid: number;
  tid: number;
  cat: string;
  args?: { name?: string; data?: { url?: string; requestId?: string; frame?: string } };
}

/**
 * A trace of one navigation, read: its events, each event's thread name, the navigation's start, and `at`, an
 * event's time in ms after that start (padded for a column).
 */
export function readNavigationTrace(buffer: Buffer): {
  events: TraceEvent[];
  nav: TraceEvent;
  threadOf: (e: TraceEvent) => string;
  at: (ts: number) => string;
} {
  const events = (JSON.parse(buffer.toString('utf8')) as { traceEvents: TraceEvent[] }).traceEvents;
  const names = new Map<string, string>();
  for (const e of events)
    if (e.ph === 'M' && e.name === 'thread_name') names.set(`${e.pid}:${e.tid}`, e.args?.name ?? '');
  const nav =
    events.find((e) => e.name === 'navigationStart' && e.cat.includes('blink.user_timing')) ??
    events.find((e) => e.name === 'navigationStart');
  if (!nav) throw new Error('no navigationStart');
  return {
    events,
    nav,
    threadOf: (e) => names.get(`${e.pid}:${e.tid}`) ?? '?',
    at: (ts) => ((ts - nav.ts) / 1000).toFixed(0).padStart(6),
  };
}

const GROUPS: Record<string, readonly string[]> = {
  gc: ['MinorGC', 'MajorGC', 'V8.GC_SCAVENGER', 'V8.GC_MARK_COMPACTOR', 'V8.GC_MC_INCREMENTAL', 'V8.GCScavenger'],
  style: ['UpdateLayoutTree', 'RecalculateStyles'],
  layout: ['Layout'],
  paint: ['PrePaint', 'Paint', 'Layerize', 'Commit', 'UpdateLayer', 'CompositeLayers'],
  script: ['FunctionCall', 'EvaluateScript', 'RunMicrotasks', 'EventDispatch', 'FireAnimationFrame', 'TimerFire'],
};

/** Sum, per group, the top-level durations of matching complete events of one thread inside [from, to]. */
export function sumIn(events: readonly TraceEvent[], from: number, to: number): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [group, names] of Object.entries(GROUPS)) {
    let sum = 0;
    let end = -1;
    for (const e of events) {
      if (e.ph !== 'X' || e.dur === undefined || e.ts < from || e.ts > to || !names.includes(e.name)) continue;
      if (e.ts < end) continue; // nested inside one already counted
      sum += e.dur;
      end = e.ts + e.dur;
    }
    out[group] = sum / 1000;
  }
  return out;
}

/**
 * A thread's time on a CPU in [from, to], in ms: the thread time of its top-level tasks that overlap the window
 * (`tasks`: one thread's events; nested events are inside a task and not counted again). A click that took
 * longer because it had more to do spends more of it; one that ran slower, or waited, does not.
 */
export function cpuIn(tasks: readonly TraceEvent[], from: number, to: number): number {
  let sum = 0;
  for (const e of tasks)
    if (e.cat.includes('toplevel') && (e.name === 'RunTask' || e.name === 'ThreadControllerImpl::RunTask'))
      if (e.ts + (e.dur ?? 0) >= from && e.ts <= to) sum += e.tdur ?? e.dur ?? 0;
  return sum / 1000;
}

/**
 * Several threads' time on a CPU in [from, to], in ms: the thread time of each thread's outermost top-level
 * events that overlap the window (a task nested in another of the same thread is not counted again). For the
 * threads beside the page's main one (raster and pool workers, the compositor, the display compositor, the
 * lab's worker), whose top-level tasks are not all named RunTask.
 */
export function threadsCpuIn(events: readonly TraceEvent[], from: number, to: number): number {
  let sum = 0;
  const end = new Map<string, number>();
  for (const e of events) {
    if (e.ph !== 'X' || !e.cat.includes('toplevel') || e.ts + (e.dur ?? 0) < from || e.ts > to) continue;
    const thread = `${e.pid}:${e.tid}`;
    if (e.ts < (end.get(thread) ?? -1)) continue;
    sum += e.tdur ?? e.dur ?? 0;
    end.set(thread, e.ts + (e.dur ?? 0));
  }
  return sum / 1000;
}

export async function traceClicks(
  browser: Browser,
  page: Page,
  clicks: number,
  label: string,
  dump?: (rows: Record<string, number | string>[]) => void,
): Promise<void> {
  await browser.startTracing(page, {
    categories: [
      // Top-level tasks: the main thread's time on a CPU (`cpuIn`).
      'toplevel',
      'devtools.timeline',
      'blink.user_timing',
      'v8',
      'disabled-by-default-v8.gc',
      ...(dump ? ['disabled-by-default-devtools.timeline', 'cc', 'disabled-by-default-devtools.timeline.frame'] : []),
    ],
  });
  const times = await page.evaluate(clickSteps, { clicks, label, markPrefix: 'bench:', pauseMs: CLICK_PAUSE_MS });
  const buffer = await browser.stopTracing();
  if (dump && process.env.PAGER_BENCH_TRACE_FILE) writeFileSync(process.env.PAGER_BENCH_TRACE_FILE, buffer);
  const events = (JSON.parse(buffer.toString('utf8')) as { traceEvents: TraceEvent[] }).traceEvents;
  const threadName = new Map<string, string>();
  for (const e of events)
    if (e.ph === 'M' && e.name === 'thread_name') threadName.set(`${e.pid}:${e.tid}`, e.args?.name ?? '');
  const marks = new Map<string, TraceEvent>();
  for (const e of events) if (e.cat.includes('blink.user_timing') && e.name.startsWith('bench:')) marks.set(e.name, e);
  const main = marks.get('bench:click:0');
  if (!main || times.length === 0) {
    console.log('    trace: no marked clicks found');
    return;
  }
  const on = (pred: (name: string) => boolean) =>
    events.filter((e) => pred(threadName.get(`${e.pid}:${e.tid}`) ?? '') && e.pid === main.pid);
  const mainThread = events.filter((e) => e.pid === main.pid && e.tid === main.tid);
  const worker = on((n) => n.startsWith('DedicatedWorker'));
  const totals: Record<string, number> = {};
  const workerGc: number[] = [];
  let withGc = 0;
  let n = 0;
  const rows: Record<string, number | string>[] = [];
  const perClick: {
    total: number;
    sums: Record<string, number>;
    cpu: number;
    others: Record<string, number>;
    gc: boolean;
    tree: boolean;
  }[] = [];
  // The threads that share the machine's cores with the page's main thread while a click is measured: the
  // renderer's pool (raster), its compositor, the display compositor (another process) and the lab's worker.
  const nameOf = (e: TraceEvent) => threadName.get(`${e.pid}:${e.tid}`) ?? '';
  const otherThreads: Record<string, TraceEvent[]> = {
    'raster and pool': events.filter((e) => e.pid === main.pid && nameOf(e).startsWith('ThreadPool')),
    compositor: events.filter((e) => e.pid === main.pid && nameOf(e) === 'Compositor'),
    'display compositor': events.filter((e) => nameOf(e) === 'VizCompositorThread'),
    'the lab worker': events.filter((e) => e.pid === main.pid && nameOf(e).startsWith('DedicatedWorker')),
  };
  const threadsOf = (prefix: string) =>
    events.filter((e) => (threadName.get(`${e.pid}:${e.tid}`) ?? '').startsWith(prefix));
  const raster = dump ? threadsOf('ThreadPoolForegroundWorker') : [];
  const compositor = dump
    ? threadsOf('Compositor').filter((e) => !(threadName.get(`${e.pid}:${e.tid}`) ?? '').startsWith('CompositorTile'))
    : [];
  const busy = (evs: readonly TraceEvent[], from: number, to: number) => {
    // Top-level complete events per thread inside [from, to], in ms.
    let sum = 0;
    const end = new Map<number, number>();
    for (const e of evs) {
      if (e.ph !== 'X' || e.dur === undefined || e.ts < from || e.ts > to) continue;
      if (e.ts < (end.get(e.tid) ?? -1)) continue;
      sum += e.dur;
      end.set(e.tid, e.ts + e.dur);
    }
    return sum / 1000;
  };
  for (let i = 0; i < times.length; i++) {
    const a = marks.get(`bench:click:${i}`);
    const b = marks.get(`bench:painted:${i}`);
    if (!a || !b) continue;
    n++;
    const sums = sumIn(mainThread, a.ts, b.ts);
    for (const [k, v] of Object.entries(sums)) totals[k] = (totals[k] ?? 0) + v;
    const wgc = sumIn(worker, a.ts, b.ts).gc!;
    workerGc.push(wgc);
    if (sums.gc! > 0 || wgc > 0) withGc++;
    perClick.push({
      total: times[i]!.total,
      sums,
      cpu: cpuIn(mainThread, a.ts, b.ts),
      others: Object.fromEntries(
        Object.entries(otherThreads).map(([k, evs]) => [k, threadsCpuIn(evs, a.ts, b.ts)] as const),
      ),
      gc: sums.gc! > 0 || wgc > 0,
      tree: (times[i]!.changed.tree ?? 0) > 0,
    });
    if (dump) {
      const t = times[i]!;
      const tiles = raster.filter((e) => e.name === 'RasterTask' && e.ts >= a.ts && e.ts <= b.ts).length;
      rows.push({
        i,
        total: t.total,
        react: t.react ?? -1,
        paintPart: t.paint ?? -1,
        ...sums,
        workerGc: wgc,
        raster: busy(raster, a.ts, b.ts),
        compositor: busy(compositor, a.ts, b.ts),
        tiles,
        changed: JSON.stringify(t.changed),
      });
    }
  }
  dump?.(rows);
  const mean = (k: string) => ((totals[k] ?? 0) / Math.max(1, n)).toFixed(2);
  console.log(
    `    trace of ${n} clicks, page main thread per click (ms, mean): script ${mean('script')} | GC ${mean('gc')} | ` +
      `style ${mean('style')} | layout ${mean('layout')} | paint ${mean('paint')}; worker GC ` +
      `${(workerGc.reduce((x, y) => x + y, 0) / Math.max(1, n)).toFixed(2)}; clicks that met a GC: ${withGc} of ${n}`,
  );
  // The slowest 10% of the traced clicks against the rest: where their main thread's time went, how many met
  // a collection (page or worker), how many changed the page tree (a page came, went or changed state).
  const byTotal = [...perClick].sort((x, y) => y.total - x.total);
  const cut = Math.max(1, Math.round(byTotal.length / 10));
  const part = (label: string, rows: typeof perClick) => {
    const m = (k: string) => (rows.reduce((x, r) => x + (r.sums[k] ?? 0), 0) / Math.max(1, rows.length)).toFixed(2);
    return (
      `${label} (${rows.length}): script ${m('script')} | GC ${m('gc')} | style ${m('style')} | layout ` +
      `${m('layout')} | paint ${m('paint')}, met a GC ${rows.filter((r) => r.gc).length}, changed the page tree ` +
      `${rows.filter((r) => r.tree).length}`
    );
  };
  console.log(`    traced, ${part('slowest 10%', byTotal.slice(0, cut))}; ${part('the rest', byTotal.slice(cut))}`);
  const cpu = perClick.map((r) => r.cpu).sort((x, y) => x - y);
  const at = (q: number) => cpu[Math.min(cpu.length - 1, Math.floor(q * cpu.length))] ?? NaN;
  const meanCpu = (rows: typeof perClick) => rows.reduce((x, r) => x + r.cpu, 0) / Math.max(1, rows.length);
  const wall = (rows: typeof perClick) => rows.reduce((x, r) => x + r.total, 0) / Math.max(1, rows.length);
  console.log(
    `    traced, the page's main thread on a CPU per click (thread time): median ${at(0.5).toFixed(2)}, p95 ` +
      `${at(0.95).toFixed(2)} ms; slowest 10% ${meanCpu(byTotal.slice(0, cut)).toFixed(2)} of ` +
      `${wall(byTotal.slice(0, cut)).toFixed(2)} ms, the rest ${meanCpu(byTotal.slice(cut)).toFixed(2)} of ` +
      `${wall(byTotal.slice(cut)).toFixed(2)} ms (mean CPU of mean click)`,
  );
  // A slow click that waited rather than worked: who else was on the cores in its window.
  const meanOther = (rows: typeof perClick, k: string) =>
    (rows.reduce((x, r) => x + (r.others[k] ?? 0), 0) / Math.max(1, rows.length)).toFixed(2);
  console.log(
    `    traced, the other threads on a CPU in the click's window (ms, mean), slowest 10% / the rest: ` +
      Object.keys(otherThreads)
        .map((k) => `${k} ${meanOther(byTotal.slice(0, cut), k)} / ${meanOther(byTotal.slice(cut), k)}`)
        .join(' | ') +
      ` (${availableParallelism()} cores)`,
  );
}

/** Where a link open went, from the page's marks (`?perf=1`), in ms from navigation start. */
export interface LinkOpenSplit {
  /** The answer (the message that brought the state) arrived: read by the client. */
  message: number;
  storeStart: number;
  storeEnd: number;
  /** React's commit of that state. */
  commit: number;
  /** The state's step painted (the probe's time). */
  at: number;
}

/**
 * Where the open whose last step was painted at `at` went: before the answer arrived (page boot, worker start,
 * the link read and replayed, the answer serialised), reading it (the browser deserialises it when the client
 * first reads it), the store, React, and the frame: the marks of the message that brought the last step.
 */
export async function linkOpenSplit(page: Page, at: number): Promise<LinkOpenSplit> {
  return page.evaluate((before) => {
    const last = (name: string) =>
      performance
        .getEntriesByName(name, 'mark')
        .filter((m) => m.startTime <= before)
        .at(-1)?.startTime ?? NaN;
    const storeEnd = last('store:end');
    const storeStart = last('store:start');
    const message =
      performance
        .getEntriesByName('client:message', 'mark')
        .filter((m) => m.startTime <= storeStart)
        .at(-1)?.startTime ?? NaN;
    return { message, storeStart, storeEnd, commit: last('react:commit'), at: before };
  }, at);
}
