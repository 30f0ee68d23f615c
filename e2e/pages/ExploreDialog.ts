import type { Locator, Page } from '@playwright/test';
import { expect } from '@playwright/test';

/**
 * The Explore dialog (the header's "Explore…"): options, Explore / Cancel / Close, the status line and the
 * progress bar, the findings and the first schedules, each a button that opens it at its step.
 */
export class ExploreDialog {
  readonly dialog: Locator;
  readonly status: Locator;
  readonly progress: Locator;
  readonly findings: Locator;
  readonly schedules: Locator;

  constructor(readonly page: Page) {
    this.dialog = page.getByRole('dialog', { name: 'Explore schedules' });
    this.status = this.dialog.getByRole('status');
    this.progress = this.dialog.getByRole('progressbar', { name: 'Schedules searched' });
    this.findings = this.dialog.getByRole('list', { name: 'Findings' }).getByRole('button');
    this.schedules = this.dialog.getByRole('list', { name: 'First schedules' }).getByRole('button');
  }

  /** Open the dialog from the header (its chunk loads on the first click). */
  async open(): Promise<void> {
    await this.page.getByRole('button', { name: 'Explore…' }).click();
    await expect(this.dialog).toBeVisible();
  }

  button(name: 'Explore' | 'Explore again' | 'Cancel' | 'Close'): Locator {
    return this.dialog.getByRole('button', { name, exact: true });
  }

  field(name: 'Preemption bound' | 'Max schedules' | 'ok' | 'eio'): Locator {
    return this.dialog.getByLabel(name, { exact: true });
  }
}
