import type { Locator, Page } from '@playwright/test';
import { panel } from './panel';

/** "I/O in flight": a table of disk requests, each followed by a row of its buttons. The user plays the disk. */
export class IoPanel {
  readonly region: Locator;

  /** `root`: where the panel is, the whole page unless one lab of the compare view. */
  constructor(
    readonly page: Page,
    root: Page | Locator = page,
  ) {
    this.region = panel(root, 'I/O in flight');
  }

  /** The data rows (without the header row or the rows of buttons). */
  get requests(): Locator {
    return this.region
      .getByRole('row')
      .filter({ has: this.page.getByRole('cell') })
      .filter({ hasNot: this.page.getByRole('button') });
  }

  /** The cells of request `id`: id, thread, vnode, r/w, offset, length, pages. */
  request(id: number): Locator {
    return this.requests
      .filter({ has: this.page.getByRole('cell', { name: String(id), exact: true }) })
      .getByRole('cell');
  }

  get empty(): Locator {
    return this.region.getByText('No disk I/O in flight.');
  }

  completeButton(id: number): Locator {
    return this.region.getByRole('button', { name: `Complete request ${id}`, exact: true });
  }

  async complete(id: number): Promise<void> {
    await this.completeButton(id).click();
  }

  async fail(id: number): Promise<void> {
    await this.region.getByRole('button', { name: `Fail request ${id} with EIO`, exact: true }).click();
  }

  /** Complete request `id` having transferred only `bytes` bytes. */
  async short(id: number, bytes: number): Promise<void> {
    await this.region.getByRole('button', { name: `Complete request ${id} short`, exact: true }).click();
    const form = this.region.getByRole('form', { name: `Short completion of request ${id}` });
    await form.getByRole('spinbutton').fill(String(bytes));
    await form.getByRole('button', { name: `Confirm short completion of request ${id}`, exact: true }).click();
  }
}
