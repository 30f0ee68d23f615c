/**
 * Screenshots of the built lab in Debian's Chromium (`npm run build` first;
 * starts and stops its own preview server on PAGER_LAB_PORT, else 4174).
 *
 *   npm run screenshot                 docs/screenshot.png: 1280x720, light, mid-race OpenBSD
 *   npm run screenshot -- --all DIR    every scene at 1280x720, 1024x768 and 1920x1080, light and dark
 *
 * The README's picture uses the focused layout (Threads, Source, Page tree):
 * at 1280x720 the full layout puts the tree below the first screen.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import LZString from 'lz-string';
import type { Page } from 'playwright-core';
import { withBrowser } from './chromium';

const PORT = Number(process.env.PAGER_LAB_PORT ?? 4174);
const BASE = `http://localhost:${PORT}/`;

function scenarioLink(name: string, at: number, thread: string): string {
  const text = readFileSync(`scenarios/${name}.json`, 'utf8');
  return `#scenario=${LZString.compressToEncodedURIComponent(text)}&at=${at}&thread=${thread}`;
}

interface Scene {
  readonly name: string;
  readonly hash: () => string;
  /** Layout prefs for the scene (the rest default). */
  readonly prefs?: Record<string, unknown>;
  /** Waits until the scene is drawn. */
  readonly ready: (page: Page) => Promise<void>;
}

/** The status row's summary, there in every layout (the focused one has no Timeline). */
const timelineAt = (at: number, of: number) => async (page: Page) => {
  await page
    .getByLabel('Kernel summary')
    .filter({ hasText: `Step ${at} of ${of} ` })
    .waitFor();
};

const SCENES: readonly Scene[] = [
  {
    // Two faults on one page: t2's read is in flight, t3 sleeps on the busy page.
    name: 'openbsd-race',
    hash: () => scenarioLink('two-threads-fault-same-page', 6, 't3'),
    ready: timelineAt(6, 12),
  },
  {
    name: 'freebsd-vmpfw',
    hash: () => scenarioLink('freebsd-two-faults-same-page-vmpfw', 8, 't4'),
    ready: async (page) => {
      await page
        .getByRole('region', { name: 'Timeline' })
        .getByText(/^Step 8 of/)
        .waitFor();
    },
  },
  {
    name: 'compare',
    hash: () => '#compare=two-faults-one-page&step=2',
    ready: async (page) => {
      await page
        .getByRole('heading', { name: /FreeBSD/ })
        .first()
        .waitFor();
      await page
        .getByText(/Step \d+ of/)
        .nth(1)
        .waitFor();
    },
  },
  {
    name: 'teaching',
    hash: () => '#lesson=two-faults-one-page&scene=3',
    ready: async (page) => {
      await page
        .getByRole('complementary')
        .getByText(/scene 3 of/i)
        .first()
        .waitFor();
    },
  },
];

const SIZES = [
  { width: 1280, height: 720 },
  { width: 1024, height: 768 },
  { width: 1920, height: 1080 },
] as const;

async function shoot(
  page: Page,
  scene: Scene,
  theme: 'light' | 'dark',
  out: string,
  prefs: Record<string, unknown> = {},
): Promise<void> {
  await page.goto(BASE);
  await page.evaluate(
    ([p]) => {
      localStorage.clear();
      localStorage.setItem('pager-lab/prefs/v1', JSON.stringify(p));
    },
    [{ theme, ...scene.prefs, ...prefs }],
  );
  await page.goto(`${BASE}?shot=${Date.now()}${scene.hash()}`);
  await scene.ready(page);
  // Let D3's transitions and the source's scroll settle.
  await page.waitForTimeout(600);
  await page.screenshot({ path: out });
  console.log(`wrote ${out}`);
}

async function main(): Promise<void> {
  const all = process.argv[2] === '--all';
  await withBrowser(PORT, async (browser) => {
    if (all) {
      const dir = process.argv[3] ?? 'screenshots';
      mkdirSync(dir, { recursive: true });
      const only = process.argv[4];
      for (const size of SIZES)
        for (const theme of ['light', 'dark'] as const) {
          const page = await browser.newPage({ viewport: size });
          for (const scene of SCENES) {
            if (only && scene.name !== only) continue;
            await shoot(page, scene, theme, `${dir}/${scene.name}-${size.width}x${size.height}-${theme}.png`);
          }
          await page.close();
        }
    } else {
      const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
      await shoot(page, SCENES[0]!, 'light', process.argv[2] ?? 'docs/screenshot.png', {
        layout: 'focus',
        focusPanel: 'tree',
      });
    }
  });
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
