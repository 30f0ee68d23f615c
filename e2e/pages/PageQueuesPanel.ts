import type { Locator, Page } from '@playwright/test';
import { panel } from './panel';

export type QueueName = 'Active' | 'Inactive';

/** "Page queues": the free-page count and the active and inactive queues, head first. */
export class PageQueuesPanel {
  readonly region: Locator;

  constructor(readonly page: Page) {
    this.region = panel(page, 'Page queues');
  }

  /** "Free pages: 31 of 32". */
  get free(): Locator {
    return this.region.getByText(/^Free pages:/);
  }

  /** The queue's heading with its length, `Active (1)`. */
  heading(queue: QueueName): Locator {
    return this.region.getByRole('heading', { name: new RegExp(`^${queue} \\(`) });
  }

  /** The queue's entries, head first; each reads `1.vn1 0x1000` (plus "new" when it just joined). */
  entries(queue: QueueName): Locator {
    return this.region.getByRole('list', { name: `${queue} queue` }).getByRole('listitem');
  }
}
