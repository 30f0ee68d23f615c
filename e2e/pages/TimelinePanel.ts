import type { Locator, Page } from '@playwright/test';
import { expect } from '@playwright/test';
import { panel } from './panel';

/**
 * "Timeline": Start ("Start of timeline")/Back/Forward/End, "Step N of M", the scrubber, the list
 * of steps with a "↪ Branch N" mark where another branch parts, and (once
 * there are branches) the Branches bar: switch, compare.
 */
export class TimelinePanel {
  readonly region: Locator;
  readonly startButton: Locator;
  readonly backButton: Locator;
  readonly forwardButton: Locator;
  readonly endButton: Locator;
  readonly scrubber: Locator;
  /** Every entry of the "Steps" list, "0. setup" first (the step itself, without fork marks). */
  readonly entries: Locator;
  /** The "↪ Branch N" marks in the step list. */
  readonly forks: Locator;
  /** The Branches bar: "Branch" picker, "Compare". */
  readonly branches: Locator;
  readonly branchPicker: Locator;

  /** `root`: where the panel is, the whole page unless one lab of the compare view. */
  constructor(
    readonly page: Page,
    root: Page | Locator = page,
  ) {
    this.region = panel(root, 'Timeline');
    const history = this.region.getByRole('group', { name: 'History' });
    // Named apart from the Threads panel's Start (which starts a thread).
    this.startButton = history.getByRole('button', { name: 'Start of timeline', exact: true });
    this.backButton = history.getByRole('button', { name: 'Back', exact: true });
    this.forwardButton = history.getByRole('button', { name: 'Forward', exact: true });
    this.endButton = history.getByRole('button', { name: 'End', exact: true });
    this.scrubber = this.region.getByRole('slider', { name: 'Scrub through steps' });
    const steps = this.region.getByRole('list', { name: 'Steps' });
    this.entries = steps.getByRole('listitem').getByRole('button', { name: /^\d+\. / });
    this.forks = steps.getByRole('button', { name: /^↪ / });
    this.branches = this.region.getByRole('group', { name: 'Branches' });
    this.branchPicker = this.branches.getByRole('combobox', { name: 'Branch', exact: true });
  }

  /** The entry of step `n` ("n. label"); the list is windowed, so only steps near the view exist. */
  entry(n: number): Locator {
    return this.region.getByRole('list', { name: 'Steps' }).getByRole('button', { name: new RegExp(`^${n}\\. `) });
  }

  /** The entry of step `n` in the list (its row, with any fork marks). */
  row(n: number): Locator {
    return this.region
      .getByRole('list', { name: 'Steps' })
      .getByRole('listitem')
      .filter({ has: this.page.getByRole('button', { name: new RegExp(`^${n}\\. `) }) });
  }

  /** Switch to branch `name` ("Branch 1") with the Branch picker. */
  async switchTo(name: string): Promise<void> {
    const option = this.branchPicker.locator('option').filter({ hasText: new RegExp(`^${name} \\(`) });
    await this.branchPicker.selectOption((await option.getAttribute('value'))!);
  }

  /**
   * Compare the current branch with `name` ("Branch 1"); resolves to the comparison dialog. Compare takes the
   * newest other branch; where there are more, the dialog's "Compare with" picker takes `name`.
   */
  async compareWith(name: string): Promise<Locator> {
    await this.branches.getByRole('button', { name: 'Compare', exact: true }).click();
    const opened = this.page.getByRole('dialog');
    await expect(opened).toBeVisible();
    // Drawn with the comparison: there once the dialog shows, if the history has more than two branches.
    const picker = opened.getByRole('combobox', { name: 'Compare with' });
    if ((await picker.count()) > 0) await picker.selectOption({ label: name });
    const dialog = this.page.getByRole('dialog', { name: new RegExp(`${name}`) });
    await expect(dialog).toBeVisible();
    return dialog;
  }

  /** "Step N of M". */
  get status(): Locator {
    return this.region.getByText(/^Step \d+ of \d+$/);
  }

  /** The entry the cursor stands on. */
  get current(): Locator {
    return this.region.getByRole('list', { name: 'Steps' }).locator('[aria-current="step"]');
  }

  async back(): Promise<void> {
    await this.backButton.click();
  }

  async forward(): Promise<void> {
    await this.forwardButton.click();
  }

  async toStart(): Promise<void> {
    await this.startButton.click();
  }

  async toEnd(): Promise<void> {
    await this.endButton.click();
  }

  /** Jump to step `n` by clicking its entry. */
  async jump(n: number): Promise<void> {
    await this.region
      .getByRole('list', { name: 'Steps' })
      .getByRole('button', { name: new RegExp(`^${n}\\. `) })
      .click();
  }

  /** Press a shortcut key (ArrowLeft, ArrowRight) as a person would, with no form field focused. */
  async press(key: 'ArrowLeft' | 'ArrowRight'): Promise<void> {
    // Clicking the heading moves focus off any select or input, which keep arrow keys for themselves.
    await this.region.getByRole('heading', { name: 'Timeline' }).click();
    await this.page.keyboard.press(key);
  }
}
