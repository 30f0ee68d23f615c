import type { Page } from '@playwright/test';
import { HOSTILE_CASES } from '../test/hostile/corpus';
import { expect, test } from './fixtures';
import { holdNextKernel } from './hold-kernel';
import { Lab } from './pages/Lab';
import { libraryText, linkTo, scenarioText } from './scenarios';

/**
 * Hostile links, broken saves, dead workers and key bursts in the real app (issue 11): each refused
 * with a message or survived, nothing lost, the main thread never frozen, no CSP violation.
 */

const SESSION_KEY = 'pager-lab/session/v1';

/**
 * Before the app loads: record CSP violations, and measure the longest the main thread goes without
 * running a 10 ms timer.
 */
async function watch(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const w = window as unknown as { cspViolations: string[]; longestGap: number };
    w.cspViolations = [];
    w.longestGap = 0;
    document.addEventListener('securitypolicyviolation', (e) =>
      w.cspViolations.push(`${e.violatedDirective} ${e.blockedURI}`),
    );
    let last = performance.now();
    setInterval(() => {
      const now = performance.now();
      w.longestGap = Math.max(w.longestGap, now - last);
      last = now;
    }, 10);
  });
}

/** Keep every Worker the page makes, so a test can terminate() one as the browser might. */
async function captureWorkers(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const kept: Worker[] = [];
    (window as unknown as { workers: Worker[] }).workers = kept;
    const Native = window.Worker;
    window.Worker = class extends Native {
      constructor(url: string | URL, options?: WorkerOptions) {
        super(url, options);
        kept.push(this);
      }
    };
  });
}

/** The longest main-thread stall since the last call (ms). */
async function longestGap(page: Page): Promise<number> {
  return page.evaluate(() => {
    const w = window as unknown as { longestGap: number };
    const gap = w.longestGap;
    w.longestGap = 0;
    return gap;
  });
}

const violations = (page: Page) =>
  page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations);
const saved = (page: Page) => page.evaluate((key) => localStorage.getItem(key), SESSION_KEY);

/**
 * Follow a link in the open app (as pasting it into the address bar does): the hashchange path. Set from a
 * timer, so the evaluate returns before the navigation within the page begins.
 */
async function follow(page: Page, link: string): Promise<void> {
  await page.evaluate((hash) => {
    setTimeout(() => {
      location.hash = hash;
    });
  }, link.slice(1));
}

/**
 * The longest stall allowed. This machine is shared and loaded: an idle page here sees its timers late by
 * up to ~600 ms now and then, so the bound is what tells a frozen page (the issue measured 10.9 s for the
 * 4 MB title, ~3 s a thousand Step presses) from a busy machine, not one frame.
 */
const STALL_MS = 2500;

/** A 64 MiB file attached, an msync of all of it spawned (t2 selected): stepping it takes three steps a page. */
const BIG_FLUSH = scenarioText(
  [
    { spawn: 't1', call: 'uvn_attach', args: { vnode: 'vn1', prot: 'rw' } },
    { run: 't1' },
    { spawn: 't2', call: 'uvn_flush', args: { vnode: 'vn1', flags: ['PGO_CLEANIT', 'PGO_SYNCIO', 'PGO_ALLPAGES'] } },
  ],
  { vnodes: [{ name: 'vn1', size: 64 * 1024 * 1024 }] },
);

/** A FreeBSD scenario of 4,002 steps: an object made, then 2,000 mmaps of it, each run to its return. */
const LONG_FREEBSD = JSON.stringify({
  format: 'pager-scenario/1',
  pager: 'freebsd',
  machine: { physPages: 32 },
  vnodes: [{ name: 'vn1', size: 65536 }],
  steps: [
    { spawn: 't1', call: 'vnode_create_vobject', args: { vnode: 'vn1' } },
    { run: 't1' },
    ...Array.from({ length: 2000 }, (_, i) => [
      { spawn: `t${i + 2}`, call: 'mmap', args: { vnode: 'vn1', prot: 'r', shared: true, length: 8192 } },
      { run: `t${i + 2}` },
    ]).flat(),
  ],
});

test.describe('hostile links', () => {
  test.beforeEach(async ({ page }) => watch(page));

  test('a link nested 10,000 deep is refused with a message; the session and its save stay', async ({ page, lab }) => {
    await lab.bar.openLibrary('lecture-walkthrough');
    await lab.timeline.jump(4);
    await expect(lab.timeline.status).toHaveText('Step 4 of 12');
    await expect.poll(() => saved(page)).toContain('"cursor":4');
    const before = await saved(page);
    await longestGap(page);
    await follow(page, linkTo('['.repeat(10_000) + ']'.repeat(10_000)));
    await expect(lab.error).toHaveText(
      /^Shared link: setup: \[0\](\[0\]){63}: invalid JSON at line 1, column 65: nested more than 64 levels deep$/,
    );
    // Read once: the hash is gone, so a reload brings back the session, not the link.
    await expect(page).toHaveURL(/\/$/);
    await expect(lab.timeline.status).toHaveText('Step 4 of 12');
    expect(await saved(page)).toBe(before);
    expect(await longestGap(page)).toBeLessThan(STALL_MS);
    expect(await violations(page)).toEqual([]);
  });

  test('a 5.5 KB link that expands to a 4 MB title is refused fast; the main thread never freezes', async ({
    page,
    lab,
  }) => {
    const link = linkTo(scenarioText([], { title: 'A'.repeat(4_000_000) }));
    expect(link.length).toBeLessThan(6000);
    await longestGap(page);
    // The app and its worker start slowly on a loaded machine; the link itself is answered in seconds.
    test.slow();
    await follow(page, link);
    await expect(lab.error).toHaveText(
      'Shared link: setup: title: 4,000,000 characters, more than the limit of 4,000',
      {
        timeout: 30_000,
      },
    );
    // Decompressed and refused in the worker: the page kept running its timers all along.
    expect(await longestGap(page)).toBeLessThan(STALL_MS);
    await expect(lab.timeline.status).toHaveText('Step 0 of 0');
    expect(await violations(page)).toEqual([]);
  });

  // NOTE: no stall bound here: Chromium itself (with the DevTools protocol attached) spends seconds on a
  // 1 MB URL on the main thread, on a blank page as well; what the app adds is checked by the others.
  test('a 1 MB garbage link is refused before decompression, the lab unchanged', async ({ page, lab }) => {
    const garbage = Array.from(
      { length: 1_000_000 },
      (_, i) => 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdef'[(i * 7919) % 32],
    ).join('');
    test.slow();
    await follow(page, `/#scenario=${garbage}`);
    await expect(lab.error).toHaveText('Shared link: the #scenario= data is not a valid compressed scenario', {
      timeout: 60_000,
    });
    await expect(lab.timeline.status).toHaveText('Step 0 of 0');
  });

  test('a sample of the hostile corpus as links: each message shown, state and save unchanged', async ({
    page,
    lab,
  }) => {
    test.slow();
    await lab.threads.start('uvn_attach', { thread: 't1', vnode: 'vn1', prot: 'rw' });
    await expect(lab.timeline.status).toHaveText('Step 1 of 1');
    await expect.poll(() => saved(page)).toContain('uvn_attach');
    const before = await saved(page);
    const refused = HOSTILE_CASES.filter(
      // An empty text has no link (its compressed form is empty too).
      (c) => c.code === 2 && !c.freebsd && typeof c.input === 'string' && c.input.length > 0 && c.input.length < 20_000,
    );
    const sample = refused.filter((_, i) => i % Math.ceil(refused.length / 24) === 0);
    expect(sample.length).toBeGreaterThanOrEqual(20);
    for (const c of sample) {
      const m = /^step (-?\d+): (.*)$/.exec(c.stderr)!;
      const step = Number(m[1]);
      // The lab numbers steps as its timeline does (the runner's step 0 is step 1; -1 is the setup).
      const where = step >= 0 ? `step ${step + 1}: ` : '(setup: )?';
      const escaped = m[2]!.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      await follow(page, linkTo(c.input as string));
      await expect(lab.error, c.name).toHaveText(new RegExp(`^Shared link: ${where}${escaped}$`));
      await expect(page, c.name).toHaveURL(/\/$/);
      await expect(lab.timeline.status, c.name).toHaveText('Step 1 of 1');
      await page.getByRole('button', { name: 'Dismiss message' }).click();
      await expect(lab.errorBanner).toHaveCount(0);
    }
    expect(await saved(page)).toBe(before);
    expect(await violations(page)).toEqual([]);
  });
});

test.describe('reload after a link', () => {
  test('the link is read once: work done after it survives a reload', async ({ page }) => {
    await watch(page);
    const lab = new Lab(page);
    await lab.open(`${linkTo(libraryText('lecture-walkthrough'))}&at=4&thread=t2`);
    await expect(lab.timeline.status).toHaveText('Step 4 of 12');
    await expect(page).toHaveURL(/\/$/);
    // Act: complete the read with an error, and run t2: a new branch of 6 steps.
    await lab.io.fail(1);
    await lab.threads.run('t2');
    await expect(lab.timeline.status).toHaveText('Step 6 of 6');
    await expect.poll(() => saved(page)).toContain('"cursor":6');
    await page.reload();
    await expect(lab.timeline.status).toHaveText('Step 6 of 6');
    await expect(lab.timeline.entries.last()).toHaveText(/^6\. t2 runs/);
    await expect(lab.errorBanner).toHaveCount(0);
    expect(await violations(page)).toEqual([]);
  });
});

test.describe('a saved session that cannot be restored', () => {
  const walkthrough = JSON.parse(libraryText('lecture-walkthrough')) as { steps: unknown[] };
  const cases: [string, string, RegExp][] = [
    [
      'cursor 1.5',
      JSON.stringify({ scenario: walkthrough, cursor: 1.5 }),
      /cursor: expected a step number \(a non-negative integer\), got 1\.5/,
    ],
    [
      'cursor "3"',
      JSON.stringify({ scenario: walkthrough, cursor: '3' }),
      /cursor: expected a step number \(a non-negative integer\), got "3"/,
    ],
    [
      'an impossible step',
      JSON.stringify({
        scenario: { ...walkthrough, steps: [...walkthrough.steps.slice(0, 4), { complete: 9, result: 'ok' }] },
        cursor: 2,
      }),
      /step 5: request 9 is not in flight/,
    ],
    ['garbage', '{"scenario": {"format": "pager-scen', /it is not JSON \(\d+ characters\)/],
    [
      'a scenario that does not parse',
      JSON.stringify({ scenario: { format: 'x' }, cursor: 0 }),
      /format: must be "pager-scenario\/1", got the string "x"/,
    ],
  ];
  for (const [name, raw, reason] of cases) {
    test(`${name}: a message, the library's first scenario, never an empty lab`, async ({ page }) => {
      await watch(page);
      await page.addInitScript(
        ([key, value]) => {
          if (sessionStorage.getItem('e2e:corrupted')) return;
          localStorage.setItem(key!, value!);
          sessionStorage.setItem('e2e:corrupted', '1');
        },
        [SESSION_KEY, raw],
      );
      const lab = new Lab(page);
      await lab.open();
      await expect(lab.error).toHaveText(
        new RegExp(
          `^The saved session could not be restored: .*${reason.source}.*; the library's first scenario is open\\.$`,
        ),
      );
      await expect(lab.timeline.status).toHaveText('Step 0 of 0');
      await expect(lab.flags.table()).toBeVisible();
      // Set aside, not lost; and the next reload opens what is saved now, without a word.
      expect(await page.evaluate(() => localStorage.getItem('pager-lab/session/v1/set-aside'))).toBe(raw);
      await lab.threads.start('uvn_attach', { thread: 't1', vnode: 'vn1', prot: 'rw' });
      await expect(lab.timeline.status).toHaveText('Step 1 of 1');
      await page.reload();
      await expect(lab.timeline.status).toHaveText('Step 1 of 1');
      await expect(lab.errorBanner).toHaveCount(0);
    });
  }
});

test.describe('the worker', () => {
  test.beforeEach(async ({ page }) => watch(page));

  test('terminated mid-session: restarted, the step sent to the dead one applied, nothing lost', async ({ page }) => {
    await captureWorkers(page);
    const lab = new Lab(page);
    await lab.open();
    await lab.bar.openLibrary('lecture-walkthrough');
    await lab.timeline.jump(6);
    await expect(lab.timeline.status).toHaveText('Step 6 of 12');
    const entries = await lab.timeline.entries.allTextContents();
    await page.evaluate(() => (window as unknown as { workers: Worker[] }).workers.at(-1)!.terminate());
    // Sent to a dead worker: nothing answers until the client notices and restarts it.
    await lab.timeline.forward();
    await expect(lab.error).toHaveText(
      'The simulation worker stopped answering; restarted it from the step list and sent again the command it had not done.',
      { timeout: 30_000 },
    );
    await expect(lab.timeline.status).toHaveText('Step 7 of 12');
    expect(await lab.timeline.entries.allTextContents()).toEqual(entries);
    // And it works on: the next step is answered at once.
    await lab.timeline.forward();
    await expect(lab.timeline.status).toHaveText('Step 8 of 12');
  });

  test('closed from inside (self.close()): restarted with the state unchanged', async ({ page, lab }) => {
    await lab.threads.start('uvn_attach', { thread: 't1', vnode: 'vn1', prot: 'rw' });
    await lab.threads.run('t1');
    await lab.threads.start('fault', { thread: 't2', vnode: 'vn1', offset: '0x1000', access: 'read' });
    await expect(lab.timeline.status).toHaveText('Step 3 of 3');
    const worker = page.workers().find((w) => w.url().includes('sim.worker'))!;
    await worker.evaluate(() => self.close());
    await lab.threads.run('t2');
    await expect(lab.error).toHaveText(/^The simulation worker stopped answering; restarted it/, { timeout: 30_000 });
    await expect(lab.timeline.status).toHaveText('Step 4 of 4');
    await expect(lab.io.request(1)).toHaveText(['1', 't2', 'vn1', 'read', '0x1000', '4096', '0x1000']);
  });
});

test.describe('input coalescing', () => {
  test('1,000 Step presses in one burst: all applied, the page responsive', async ({ page }) => {
    await watch(page);
    const lab = new Lab(page);
    await lab.open(`${linkTo(BIG_FLUSH)}&thread=t2`);
    await expect(lab.timeline.status).toHaveText('Step 3 of 3');
    await longestGap(page);
    await page.evaluate(() => {
      for (let i = 0; i < 1000; i++) window.dispatchEvent(new KeyboardEvent('keydown', { key: 's', bubbles: true }));
    });
    await expect(lab.timeline.status).toHaveText('Step 1003 of 1003', { timeout: 30_000 });
    expect(await longestGap(page)).toBeLessThan(STALL_MS);
    await expect(lab.errorBanner).toHaveCount(0);
    // Responsive: a key press now is answered as one step.
    await page.keyboard.press('s');
    await expect(lab.timeline.status).toHaveText('Step 1004 of 1004');
  });

  test('a long load shows its progress and can be cancelled, keeping the session before it', async ({ page }) => {
    await watch(page);
    const lab = new Lab(page);
    await lab.open();
    await lab.threads.start('uvn_attach', { thread: 't1', vnode: 'vn1', prot: 'rw' });
    await expect(lab.timeline.status).toHaveText('Step 1 of 1');
    // The lab has loaded OpenBSD's kernel only: the link's FreeBSD kernel is fetched, and held.
    const kernel = await holdNextKernel(page);
    await follow(page, linkTo(LONG_FREEBSD));
    await kernel.held;
    const progress = page.getByRole('status', { name: 'Progress' });
    await expect(progress).toHaveText(/^Loading… 0 of 4,002 steps/);
    await progress.getByRole('button', { name: 'Cancel' }).click();
    kernel.release();
    await expect(lab.error).toHaveText(
      /^Shared link: loading cancelled after 0 of 4,002 steps; the session before it is still open$/,
    );
    await expect(lab.timeline.status).toHaveText('Step 1 of 1');
    expect(await longestGap(page)).toBeLessThan(STALL_MS);
  });
});
