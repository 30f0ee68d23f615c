import type { Locator, Page } from '@playwright/test';
import { expect } from '@playwright/test';
import { IoPanel } from './IoPanel';
import { PageBitsPanel } from './PageBitsPanel';
import { PageQueuesPanel } from './PageQueuesPanel';
import { PageTreePanel } from './PageTreePanel';
import { ScenarioBar } from './ScenarioBar';
import { SourcePanel } from './SourcePanel';
import { ThreadsPanel } from './ThreadsPanel';
import { TimelinePanel } from './TimelinePanel';
import { UvnFlagsPanel } from './UvnFlagsPanel';
import { libraryText, linkTo } from '../scenarios';

/** The whole lab: one page object per panel, the scenario toolbar and the banners. */
export class Lab {
  readonly bar: ScenarioBar;
  readonly threads: ThreadsPanel;
  readonly io: IoPanel;
  readonly bits: PageBitsPanel;
  readonly flags: UvnFlagsPanel;
  readonly timeline: TimelinePanel;
  readonly source: SourcePanel;
  readonly tree: PageTreePanel;
  readonly queues: PageQueuesPanel;

  /** Open a library scenario by its share link and move to timeline step `at`. */
  static async openAt(page: Page, name: string, at: number): Promise<Lab> {
    const lab = new Lab(page);
    await page.goto(linkTo(libraryText(name)));
    await expect(lab.timeline.status).toBeVisible({ timeout: 20_000 });
    // The session saved by an earlier test in this page shows first; the link has replaced it once its hash
    // has left the address (a FreeBSD link also waits for its kernel to be fetched): seek only then.
    await expect(page).not.toHaveURL(/#scenario=/, { timeout: 20_000 });
    await lab.timeline.jump(at);
    await expect(lab.timeline.status).toHaveText(new RegExp(`^Step ${at} of `));
    return lab;
  }

  constructor(readonly page: Page) {
    this.bar = new ScenarioBar(page);
    this.threads = new ThreadsPanel(page);
    this.io = new IoPanel(page);
    this.bits = new PageBitsPanel(page);
    this.flags = new UvnFlagsPanel(page);
    this.timeline = new TimelinePanel(page);
    this.source = new SourcePanel(page);
    this.tree = new PageTreePanel(page);
    this.queues = new PageQueuesPanel(page);
  }

  /** The panic banner: "panic: MESSAGE — thread T, uvm_vnode.c line N. …". */
  get panic(): Locator {
    return this.page.getByRole('alert').filter({ hasText: /^panic:/ });
  }

  /** The error banner (an import, a link or a refused step), which has a "Dismiss message" button. */
  get errorBanner(): Locator {
    return this.page.getByRole('alert').filter({ has: this.page.getByRole('button', { name: 'Dismiss message' }) });
  }

  /** The error banner's text, without its dismiss button. */
  get error(): Locator {
    return this.errorBanner.locator('span').first();
  }

  /** The text of the information banner (e.g. "Link copied…"). */
  get info(): Locator {
    return this.page
      .getByRole('status')
      .filter({ has: this.page.getByRole('button', { name: 'Dismiss message' }) })
      .locator('span')
      .first();
  }

  /**
   * Open the app at `path` (a hash link or nothing) and wait until the worker
   * has shown a state: the timeline reads "Step N of M" and the source is loaded.
   */
  async open(path = '/'): Promise<void> {
    await this.page.goto(path);
    // The first state comes from a worker that has just started: allow it longer on a busy machine.
    await expect(this.flags.table()).toBeVisible({ timeout: 20_000 });
    await expect(this.timeline.status).toBeVisible();
    await expect(this.source.code).toBeVisible({ timeout: 20_000 });
    // A plain first visit paints the prerendered first state (inert) before React mounts: wait for React's.
    await expect(this.page.locator('[data-prerendered]')).toHaveCount(0, { timeout: 20_000 });
  }
}
