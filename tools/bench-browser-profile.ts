/**
 * Diagnosis for the browser bench (not part of `npm run bench`): opens the 4,096-page OpenBSD link, then
 * counts per Step click the DOM nodes, the DOM mutations, the components rendered and the DOM elements React
 * gave new props (`host:panel:component`), and the functions the page's CPU profile spends
 * its time in (build with `npx vite build --minify false` to read names). `npx tsx tools/bench-browser-profile.ts [clicks]`.
 */
import LZString from 'lz-string';

import { UNTHROTTLED, withBrowser } from './chromium';
import { freebsdScenario, msyncScenario } from './workloads';
import type { TraceEvent } from './bench-browser-trace';
import { clickSteps } from './bench-browser-page';

const PORT = Number(process.env.PAGER_LAB_PORT ?? 4175);
const MODE = process.argv[2] ?? '30';
const CLICKS = Number(MODE) || 30;
/** `PAGER=freebsd`: the FreeBSD bench's link (faults stepped through vnode_pager.c) instead of OpenBSD's msync. */
const FREEBSD = process.env.PAGER === 'freebsd';
const STEP = FREEBSD ? 'Step s' : 'Step msync';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

async function main(): Promise<void> {
  await withBrowser(
    PORT,
    async (browser) => {
      const context = await browser.newContext({ viewport: { width: 1600, height: 900 } });
      const page = await context.newPage();
      if (MODE === 'load') {
        const cdp = await context.newCDPSession(page);
        await cdp.send('Profiler.enable');
        await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
        await cdp.send('Profiler.start');
        await page.goto(`http://localhost:${PORT}/`);
        await page.locator('h1 .subtitle').waitFor();
        const at = await page.evaluate(() => performance.now());
        console.log(`first state seen at ${at.toFixed(0)} ms`);
        const { profile } = (await cdp.send('Profiler.stop')) as { profile: Profile };
        report(profile, 1);
        return;
      }
      await page.addInitScript('globalThis.__name = globalThis.__name || ((f) => f);');
      // Count, per commit, the components that rendered (a fiber that performed work), by name, and the DOM
      // elements given new props: React calls this hook, as it would React DevTools, when it finds it (build
      // with --minify false for the names).
      await page.addInitScript(() => {
        const w = window as unknown as { __renders: Record<string, number>; __REACT_DEVTOOLS_GLOBAL_HOOK__: unknown };
        w.__renders = {};
        interface Fiber {
          type: unknown;
          tag: number;
          memoizedProps: unknown;
          stateNode: Element | null;
          return: Fiber | null;
          flags: number;
          child: Fiber | null;
          sibling: Fiber | null;
          elementType: unknown;
          alternate: Fiber | null;
        }
        const nameOf = (t: unknown): string | null => {
          if (typeof t === 'function') return (t as { displayName?: string; name: string }).displayName ?? t.name;
          if (t && typeof t === 'object' && 'type' in t) return nameOf((t as { type: unknown }).type);
          return null;
        };
        const walk = (f: Fiber | null) => {
          for (; f; f = f.sibling) {
            const name = nameOf(f.elementType) ?? nameOf(f.type);
            if (name && f.flags & 1) w.__renders[name] = (w.__renders[name] ?? 0) + 1;
            // A DOM element given new props (React diffs them in the commit): counted as `host:panel:component`,
            // the component whose render made it.
            if (f.tag === 5 && f.alternate && f.memoizedProps !== f.alternate.memoizedProps) {
              const panel = f.stateNode?.closest?.('[data-panel]')?.getAttribute('data-panel') ?? 'other';
              let owner = f.return;
              while (owner && typeof owner.type !== 'function' && !(owner.type && typeof owner.type === 'object'))
                owner = owner.return;
              const key = `host:${panel}:${(owner && (nameOf(owner.elementType) ?? nameOf(owner.type))) ?? '?'}`;
              w.__renders[key] = (w.__renders[key] ?? 0) + 1;
            }
            // A subtree React bailed out of keeps its old fibers (and their old flags): as React DevTools
            // does, go down only where the child list was rebuilt in this commit.
            if (!f.alternate || f.child !== f.alternate.child) walk(f.child);
          }
        };
        w.__REACT_DEVTOOLS_GLOBAL_HOOK__ = {
          supportsFiber: true,
          renderers: new Map(),
          inject: () => 1,
          checkDCE: () => {},
          onScheduleFiberRoot: () => {},
          onCommitFiberUnmount: () => {},
          onPostCommitFiberRoot: () => {},
          onCommitFiberRoot: (_id: number, root: { current: Fiber }) => walk(root.current.child),
        };
      });
      const scenario = FREEBSD ? freebsdScenario(4096) : msyncScenario(4096);
      const total = scenario.steps.length;
      const hash = `#scenario=${LZString.compressToEncodedURIComponent(JSON.stringify(scenario))}`;
      const t0 = Date.now();
      if (MODE === 'link') {
        // The page's CPU profile of opening the link, from navigation to the last step shown.
        const cdp = await context.newCDPSession(page);
        await cdp.send('Profiler.enable');
        await cdp.send('Profiler.setSamplingInterval', { interval: 500 });
        await cdp.send('Profiler.start');
        await page.goto(`http://localhost:${PORT}/${hash}`);
        await page.getByText(`Step ${total} of ${total}`, { exact: true }).waitFor({ timeout: 600_000 });
        console.log(`opened in ${Date.now() - t0} ms`);
        const { profile } = (await cdp.send('Profiler.stop')) as { profile: Profile };
        report(profile, 1);
        return;
      }
      await page.goto(`http://localhost:${PORT}/${hash}`);
      await page.getByText(`Step ${total} of ${total}`, { exact: true }).waitFor({ timeout: 600_000 });
      console.log(`opened in ${Date.now() - t0} ms`);
      await page.waitForTimeout(1500);
      const census = await page.evaluate(() => {
        const all = document.querySelectorAll('*').length;
        const per: Record<string, number> = {};
        for (const s of document.querySelectorAll('[data-panel]'))
          per[s.getAttribute('data-panel')!] = s.querySelectorAll('*').length;
        return { all, per };
      });
      console.log('DOM nodes', JSON.stringify(census));
      if (MODE === 'trace') {
        // An experiment's CSS (PAGER_CSS), added to the page before the traced clicks.
        if (process.env.PAGER_CSS) await page.addStyleTag({ content: process.env.PAGER_CSS });
        await page.waitForTimeout(500);
        await browser.startTracing(page, {
          categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline'],
        });
        await page.getByRole('button', { name: STEP }).first().click();
        await page.waitForTimeout(300);
        await page.getByRole('button', { name: STEP }).first().click();
        await page.waitForTimeout(300);
        const buffer = await browser.stopTracing();
        const events = (JSON.parse(buffer.toString('utf8')) as { traceEvents: TraceEvent[] }).traceEvents;
        const main = events.filter((e) => e.name === 'Layout' || e.name === 'Paint' || e.name === 'UpdateLayoutTree');
        const t0 = main[0]?.ts ?? 0;
        for (const e of main)
          console.log(
            `${((e.ts - t0) / 1000).toFixed(1).padStart(8)} +${((e.dur ?? 0) / 1000).toFixed(2)} ${e.name} ${JSON.stringify(e.args).slice(0, 300)}`,
          );
        return;
      }
      if (MODE === 'tree') {
        // The CPU profile of only the clicks whose step changed the page tree (a page came, went or changed
        // state): one profile per click, kept when the tree's DOM changed. `tree [clicks]`.
        const cdp = await context.newCDPSession(page);
        await cdp.send('Profiler.enable');
        await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
        // `PAGER_SPLIT=render`: keep the clicks in which React rendered the page tree (its pages array was
        // new: a page's view changed), whether or not its DOM changed; the others' profile is printed after.
        const byRender = process.env.PAGER_SPLIT === 'render';
        // `PAGER_SPLIT=jump`: keep the clicks that moved the Source's view (20 or more records there) and left
        // the tree alone; the others' profile is printed after.
        const byJump = process.env.PAGER_SPLIT === 'jump';
        // `PAGER_SPLIT=arrive`: keep the clicks at which a page came into the object (Page bits gained a row and
        // the tree changed: FreeBSD's fault past the 4,096), apart from the state changes that follow them.
        const byArrival = process.env.PAGER_SPLIT === 'arrive';
        const renders = () =>
          page.evaluate(() => (window as unknown as { __renders: Record<string, number> }).__renders);
        const merged: Profile[] = [];
        const others: Profile[] = [];
        const totals: number[] = [];
        for (let i = 0; i < (Number(process.argv[3]) || 200); i++) {
          const before = (await renders()).PageTree ?? 0;
          await cdp.send('Profiler.start');
          const [r] = await page.evaluate(clickSteps, { clicks: 1, label: STEP, markPrefix: '' });
          const { profile } = (await cdp.send('Profiler.stop')) as { profile: Profile };
          if (!r) break;
          const kept = byArrival
            ? (r.changed.bits ?? 0) > 0 && (r.changed.tree ?? 0) > 0
            : byJump
              ? (r.changed.source ?? 0) >= 20 && !r.changed.tree
              : byRender
                ? ((await renders()).PageTree ?? 0) > before
                : (r.changed.tree ?? 0) > 0;
          if (!kept) others.push(profile);
          if (kept) {
            merged.push(profile);
            totals.push(r.total);
            console.log(
              `click ${i}: ${r.total.toFixed(1)} ms, React ${r.react?.toFixed(1)}, after ${r.paint?.toFixed(1)}, ${JSON.stringify(r.changed)}`,
            );
          }
        }
        report(merged, merged.length);
        if (byRender || byJump) {
          console.log(`\nthe other ${others.length} clicks:`);
          report(others, others.length);
        }
        return;
      }
      await page.evaluate(() => ((window as unknown as { __renders: object }).__renders = {}));
      const cdp = await context.newCDPSession(page);
      // PAGER_ALLOC=1: where the page allocates during the clicks (V8's sampling heap profiler, counting
      // what the young and old collections freed too), instead of the CPU profile.
      const alloc = process.env.PAGER_ALLOC === '1';
      if (alloc) {
        await cdp.send('HeapProfiler.enable');
        await cdp.send('HeapProfiler.collectGarbage');
        await cdp.send('HeapProfiler.startSampling', {
          samplingInterval: 4096,
          includeObjectsCollectedByMajorGC: true,
          includeObjectsCollectedByMinorGC: true,
        });
      }
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
      await cdp.send('Profiler.start');
      const perClick: { muts: Record<string, number>; renders: Record<string, number> }[] = [];
      const muts = await page.evaluate(
        async ({ clicks, step }) => {
          const out: Record<string, number>[] = [];
          const w = window as unknown as { __renders: Record<string, number>; __perClick: Record<string, number>[] };
          w.__perClick = [];
          for (let i = 0; i < clicks; i++) {
            const button = [...document.querySelectorAll<HTMLButtonElement>(`button[aria-label^="${step}"]`)].find(
              (b) => !b.disabled,
            );
            const rendersBefore = { ...w.__renders };
            if (!button) break;
            const scrub = document.querySelector<HTMLInputElement>('input[aria-label="Scrub through steps"]')!;
            const before = scrub.value;
            const counts: Record<string, number> = {};
            const obs = new MutationObserver((records) => {
              for (const r of records) {
                const panel =
                  (r.target instanceof Element ? r.target : r.target.parentElement)
                    ?.closest('[data-panel]')
                    ?.getAttribute('data-panel') ?? 'other';
                const k = `${panel}:${r.type}${r.type === 'attributes' ? `.${r.attributeName}` : ''}`;
                counts[k] = (counts[k] ?? 0) + 1;
              }
            });
            obs.observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
            await new Promise<void>((resolve) => {
              const wait = new MutationObserver(() => {
                if (scrub.value === before) return;
                wait.disconnect();
                requestAnimationFrame(() => setTimeout(resolve, 0));
              });
              wait.observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
              button.click();
            });
            obs.takeRecords();
            obs.disconnect();
            out.push(counts);
            const r: Record<string, number> = {};
            for (const [k, v] of Object.entries(w.__renders))
              if (v !== (rendersBefore[k] ?? 0)) r[k] = v - (rendersBefore[k] ?? 0);
            w.__perClick.push(r);
            await new Promise((r) => setTimeout(r, 20));
          }
          return out;
        },
        { clicks: CLICKS, step: STEP },
      );
      const rendersPer = await page.evaluate(
        () => (window as unknown as { __perClick: Record<string, number>[] }).__perClick,
      );
      muts.forEach((m, i) => perClick.push({ muts: m, renders: rendersPer[i] ?? {} }));
      // The clicks whose step changed the page tree (a page came, went or changed state), apart.
      for (const { muts: m, renders: r } of perClick.filter((c) =>
        Object.keys(c.muts).some((k) => k.startsWith('tree:')),
      ))
        console.log('tree click: mutations', JSON.stringify(m), 'renders', JSON.stringify(r));
      const { profile } = (await cdp.send('Profiler.stop')) as { profile: Profile };
      if (alloc) {
        const { profile: heap } = (await cdp.send('HeapProfiler.getSamplingProfile')) as {
          profile: { head: HeapNode };
        };
        reportAlloc(heap.head, muts.length);
      }
      const sum: Record<string, number> = {};
      for (const m of muts) for (const [k, v] of Object.entries(m)) sum[k] = (sum[k] ?? 0) + v / muts.length;
      console.log('mutations per click (mean):');
      for (const [k, v] of Object.entries(sum)
        .sort((a, b) => b[1] - a[1])
        .slice(0, 30))
        console.log(`  ${v.toFixed(1).padStart(8)}  ${k}`);
      const renders = await page.evaluate(() => (window as unknown as { __renders: Record<string, number> }).__renders);
      console.log('components rendered per click (mean):');
      for (const [k, v] of Object.entries(renders).sort((a, b) => b[1] - a[1]))
        console.log(`  ${(v / muts.length).toFixed(1).padStart(8)}  ${k}`);
      report(profile, muts.length);
    },
    UNTHROTTLED,
  );
}

interface HeapNode {
  callFrame: { functionName: string; url: string; lineNumber: number };
  selfSize: number;
  children: HeapNode[];
}

/** Bytes allocated per click, by function (self) and with what it calls (inclusive). */
function reportAlloc(head: HeapNode, clicks: number): void {
  const self = new Map<string, number>();
  const inclusive = new Map<string, number>();
  const name = (n: HeapNode) =>
    `${n.callFrame.functionName || '(anon)'} ${n.callFrame.url.split('/').pop()}:${n.callFrame.lineNumber}`;
  const walk = (n: HeapNode, stack: Set<string>): number => {
    const k = name(n);
    self.set(k, (self.get(k) ?? 0) + n.selfSize);
    const inner = new Set(stack).add(k);
    let total = n.selfSize;
    for (const c of n.children) total += walk(c, inner);
    if (!stack.has(k)) inclusive.set(k, (inclusive.get(k) ?? 0) + total);
    return total;
  };
  const all = walk(head, new Set());
  const kb = (b: number) => (b / 1024 / clicks).toFixed(1);
  console.log(`allocated per click: ${kb(all)} KB`);
  console.log('self KB per click:');
  for (const [k, v] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 30)) console.log(`  ${kb(v).padStart(8)}  ${k}`);
  console.log('inclusive KB per click:');
  for (const [k, v] of [...inclusive].sort((a, b) => b[1] - a[1]).slice(0, 50))
    console.log(`  ${kb(v).padStart(8)}  ${k}`);
}

interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

function report(profiles: Profile | Profile[], per_: number): void {
  const self = new Map<string, number>();
  const inclusive = new Map<string, number>();
  const callersOf = process.env.PAGER_CALLERS ? new RegExp(process.env.PAGER_CALLERS) : null;
  const callers = new Map<string, number>();
  let totalUs = 0;
  for (const profile of Array.isArray(profiles) ? profiles : [profiles]) {
    // Self time per function.
    const byId = new Map(profile.nodes.map((n) => [n.id, n]));
    const parent = new Map<number, number>();
    for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
    profile.samples.forEach((id, i) => {
      const dt = profile.timeDeltas[i] ?? 0;
      const n = byId.get(id)!;
      const name = (f: ProfileNode) =>
        `${f.callFrame.functionName || '(anon)'} ${f.callFrame.url.split('/').pop()}:${f.callFrame.lineNumber}`;
      if (n.callFrame.functionName === '(idle)' || n.callFrame.functionName === '(program)') return;
      totalUs += dt;
      self.set(name(n), (self.get(name(n)) ?? 0) + dt);
      if (callersOf?.test(name(n))) {
        const chain: string[] = [];
        for (let cur = parent.get(id); cur !== undefined && chain.length < 4; cur = parent.get(cur))
          chain.push(name(byId.get(cur)!));
        callers.set(chain.join(' < '), (callers.get(chain.join(' < ')) ?? 0) + dt);
      }
      const seen = new Set<string>();
      for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
        const k = name(byId.get(cur)!);
        if (seen.has(k)) continue;
        seen.add(k);
        inclusive.set(k, (inclusive.get(k) ?? 0) + dt);
      }
    });
  }
  {
    const per = (us: number) => (us / 1000 / per_).toFixed(2);
    console.log(`profiled script per click (or load): ${per(totalUs)} ms`);
    console.log('self time per click (ms):');
    for (const [k, v] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 35))
      console.log(`  ${per(v).padStart(7)}  ${k}`);
    console.log('inclusive per click (ms):');
    for (const [k, v] of [...inclusive].sort((a, b) => b[1] - a[1]).slice(0, 60))
      console.log(`  ${per(v).padStart(7)}  ${k}`);
    // `PAGER_CALLERS=regex`: who called the functions matching it (their self time, by the 4 frames above).
    if (callersOf) {
      console.log(`callers of ${callersOf} (self time, ms):`);
      for (const [k, v] of [...callers].sort((a, b) => b[1] - a[1]).slice(0, 12))
        console.log(`  ${per(v).padStart(7)}  ${k}`);
    }
    // `PAGER_FUNCS=regex`: those functions' inclusive time, however small (the lists above stop at 60).
    const only = process.env.PAGER_FUNCS ? new RegExp(process.env.PAGER_FUNCS) : null;
    if (only) {
      console.log(`inclusive per click (ms), functions matching ${only}:`);
      for (const [k, v] of [...inclusive].sort((a, b) => b[1] - a[1]).filter(([k]) => only.test(k)))
        console.log(`  ${per(v).padStart(7)}  ${k}`);
    }
  }
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
