import type { Locator, Page } from '@playwright/test';

/** The eight panels, each a landmark region named by its heading (the object panel: by its pager). */
export type PanelName =
  | 'Page tree'
  | 'Page queues'
  | 'uvn flags'
  | 'VM object'
  | 'Page bits'
  | 'I/O in flight'
  | 'Threads'
  | 'Source'
  | 'Timeline';

/** A panel of the page, or of one lab of several (`root`: the compare view's lab region). */
export function panel(root: Page | Locator, name: PanelName): Locator {
  return root.getByRole('region', { name, exact: true });
}
