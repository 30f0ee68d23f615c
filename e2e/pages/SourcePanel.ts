import type { Locator, Page } from '@playwright/test';
import { panel } from './panel';

/** "Source": uvm_vnode.c with a gutter tag per thread on the line it stands on. */
export class SourcePanel {
  readonly region: Locator;
  /** The scrolling code view, a region named after the file. */
  readonly code: Locator;

  /** `root`: the whole page unless one lab of the compare view; `file`: the seed it shows. */
  constructor(
    readonly page: Page,
    root: Page | Locator = page,
    file = 'uvm_vnode.c',
  ) {
    this.region = panel(root, 'Source');
    this.code = this.region.getByRole('region', { name: file });
  }

  /** "Following t2 (selected) · line 1239". */
  get following(): Locator {
    return this.region.getByText(/^Following /);
  }

  /** One seed line (gutter tags, line number, code). */
  line(n: number): Locator {
    // NOTE: code lines have no role; data-line is the seed line number the panel itself scrolls by.
    return this.code.locator(`[data-line="${n}"]`);
  }

  /** The thread tags in the gutter of line `n` (each titled with its thread id). */
  tags(n: number): Locator {
    return this.line(n).locator('[title]');
  }

  /** Every line carrying thread `id`'s tag. */
  linesOf(id: string): Locator {
    return this.code.locator('[data-line]').filter({ has: this.page.getByTitle(id, { exact: true }) });
  }
}
