import type { Locator, Page } from '@playwright/test';
import { panel } from './panel';

/** "Page tree": the uvm_objtree drawn as an SVG image; its accessible name summarises every tree. */
export class PageTreePanel {
  readonly region: Locator;
  readonly image: Locator;

  constructor(readonly page: Page) {
    this.region = panel(page, 'Page tree');
    this.image = this.region.getByRole('img', { name: /^Page tree/ });
  }
}
