import type { Locator, Page } from '@playwright/test';
import { panel } from './panel';

/** "Page tree": the uvm_objtree drawn as an SVG image; its accessible name summarises every tree. */
export class PageTreePanel {
  readonly region: Locator;
  readonly image: Locator;

  /** `root`: where the panel is, the whole page unless one lab of the compare view. */
  constructor(
    readonly page: Page,
    root: Page | Locator = page,
  ) {
    this.region = panel(root, 'Page tree');
    this.image = this.region.getByRole('img', { name: /^Page tree/ });
  }
}
