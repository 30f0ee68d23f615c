import type { Locator, Page } from '@playwright/test';

/** The eight panels, each a landmark region named by its heading. */
export type PanelName =
  'Page tree' | 'Page queues' | 'uvn flags' | 'Page bits' | 'I/O in flight' | 'Threads' | 'Source' | 'Timeline';

export function panel(page: Page, name: PanelName): Locator {
  return page.getByRole('region', { name, exact: true });
}
