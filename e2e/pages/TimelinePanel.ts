import type { Locator, Page } from '@playwright/test';
import { panel } from './panel';

/** "Timeline": Start/Back/Forward/End, "Step N of M", the scrubber and the list of steps. */
export class TimelinePanel {
  readonly region: Locator;
  readonly startButton: Locator;
  readonly backButton: Locator;
  readonly forwardButton: Locator;
  readonly endButton: Locator;
  readonly scrubber: Locator;
  /** Every entry of the "Steps" list, "0. setup" first. */
  readonly entries: Locator;

  /** `root`: where the panel is, the whole page unless one lab of the compare view. */
  constructor(
    readonly page: Page,
    root: Page | Locator = page,
  ) {
    this.region = panel(root, 'Timeline');
    const history = this.region.getByRole('group', { name: 'History' });
    this.startButton = history.getByRole('button', { name: 'Start', exact: true });
    this.backButton = history.getByRole('button', { name: 'Back', exact: true });
    this.forwardButton = history.getByRole('button', { name: 'Forward', exact: true });
    this.endButton = history.getByRole('button', { name: 'End', exact: true });
    this.scrubber = this.region.getByRole('slider', { name: 'Scrub through steps' });
    this.entries = this.region.getByRole('list', { name: 'Steps' }).getByRole('listitem');
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
