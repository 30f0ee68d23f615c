import type { Locator, Page } from '@playwright/test';
import { expect } from '@playwright/test';
import { FreeBsdBitsPanel, VmObjectPanel } from './FreeBsdPanels';
import { IoPanel } from './IoPanel';
import { PageBitsPanel } from './PageBitsPanel';
import { SourcePanel } from './SourcePanel';
import { ThreadsPanel } from './ThreadsPanel';
import { TimelinePanel } from './TimelinePanel';
import { UvnFlagsPanel } from './UvnFlagsPanel';

/** Panels shared by both kernels' labs, scoped to one lab's region. */
class CompareLab {
  readonly threads: ThreadsPanel;
  readonly io: IoPanel;
  readonly timeline: TimelinePanel;
  /** "Story step 2 of 5: … · step 6 of 12", and what this kernel did there. */
  readonly where: Locator;
  readonly says: Locator;

  constructor(
    readonly page: Page,
    readonly region: Locator,
    readonly name: 'OpenBSD' | 'FreeBSD',
  ) {
    this.threads = new ThreadsPanel(page, region);
    this.io = new IoPanel(page, region);
    this.timeline = new TimelinePanel(page, region);
    this.where = region.locator('.story-where p');
    this.says = region.locator('.story-says');
  }

  back(): Promise<void> {
    return this.region.getByRole('button', { name: `Back one step in the ${this.name} lab` }).click();
  }

  forward(): Promise<void> {
    return this.region.getByRole('button', { name: `Forward one step in the ${this.name} lab` }).click();
  }
}

export class OpenBsdCompareLab extends CompareLab {
  readonly bits: PageBitsPanel;
  readonly flags: UvnFlagsPanel;
  readonly source: SourcePanel;

  constructor(page: Page, region: Locator) {
    super(page, region, 'OpenBSD');
    this.bits = new PageBitsPanel(page, region);
    this.flags = new UvnFlagsPanel(page, region);
    this.source = new SourcePanel(page, region, 'uvm_vnode.c');
  }
}

export class FreeBsdCompareLab extends CompareLab {
  readonly bits: FreeBsdBitsPanel;
  readonly object: VmObjectPanel;
  readonly source: SourcePanel;

  constructor(page: Page, region: Locator) {
    super(page, region, 'FreeBSD');
    this.bits = new FreeBsdBitsPanel(page, region);
    this.object = new VmObjectPanel(page, region);
    this.source = new SourcePanel(page, region, 'vnode_pager.c');
  }
}

/** The compare view: the story bar and two labs side by side. */
export class ComparePage {
  readonly openbsd: OpenBsdCompareLab;
  readonly freebsd: FreeBsdCompareLab;
  readonly story: Locator;
  readonly pairPicker: Locator;

  constructor(readonly page: Page) {
    this.openbsd = new OpenBsdCompareLab(page, page.getByRole('region', { name: 'OpenBSD lab' }));
    this.freebsd = new FreeBsdCompareLab(page, page.getByRole('region', { name: 'FreeBSD lab' }));
    this.story = page.getByRole('navigation', { name: 'Story steps' });
    this.pairPicker = page.getByRole('combobox', { name: 'Story' });
  }

  /** Open `/#compare=…` and wait until both labs show a state. */
  async open(hash: string): Promise<void> {
    await this.page.goto(`/${hash}`);
    await this.ready();
  }

  /** Both labs have a first state and their source. */
  async ready(): Promise<void> {
    for (const lab of [this.openbsd, this.freebsd]) {
      await expect(lab.timeline.status).toBeVisible({ timeout: 20_000 });
      await expect(lab.source.code).toBeVisible({ timeout: 20_000 });
    }
  }

  /** The story step button numbered `n` (1-based). */
  storyStep(n: number): Locator {
    return this.story
      .getByRole('listitem')
      .nth(n - 1)
      .getByRole('button');
  }

  /** The story step both labs stand on (aria-current). */
  get current(): Locator {
    return this.story.locator('[aria-current="step"]');
  }
}
