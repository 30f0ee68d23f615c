import type { Locator, Page } from '@playwright/test';
import { expect } from '@playwright/test';
import { panel } from './panel';

/**
 * "Source": uvm_vnode.c with a gutter tag per thread on the line it stands
 * on; the Debugger toolbar for the followed thread; breakpoints in the line
 * number gutter; the followed thread's C locals under the code.
 */
export class SourcePanel {
  readonly region: Locator;
  /** The scrolling code view, a region named after the file. */
  readonly code: Locator;
  readonly debugger: Locator;
  /** The number box of "Run to line". */
  readonly runToLineBox: Locator;
  /** "t2 stopped at a breakpoint at uvm_vnode.c:1201 (37 steps)". */
  readonly stop: Locator;
  /** The list of breakpoints set, each a "Remove the breakpoint at line N" button. */
  readonly breakpoints: Locator;

  /** `root`: the whole page unless one lab of the compare view; `file`: the seed it shows. */
  constructor(
    readonly page: Page,
    root: Page | Locator = page,
    file = 'uvm_vnode.c',
  ) {
    this.region = panel(root, 'Source');
    this.code = this.region.getByRole('region', { name: file });
    this.debugger = this.region.getByRole('toolbar', { name: 'Debugger' });
    this.runToLineBox = this.debugger.getByRole('spinbutton', { name: 'Line to run to' });
    this.stop = this.region.getByRole('status');
    this.breakpoints = this.region.getByRole('list', { name: 'Breakpoints' }).getByRole('button');
  }

  button(name: 'Step' | 'Step over' | 'Step out' | 'Run' | 'Run to line'): Locator {
    return this.debugger.getByRole('button', { name, exact: true });
  }

  async stepOver(): Promise<void> {
    await this.button('Step over').click();
  }

  async stepOut(): Promise<void> {
    await this.button('Step out').click();
  }

  /**
   * Choose line `n` by clicking its code, then press "Run to line". Wait for the answer to any step pressed
   * before (the thread's new line shown, say): when it comes, the panel scrolls to the followed thread's line
   * and the line chosen is gone from the DOM before it is clicked.
   */
  async runToLine(n: number): Promise<void> {
    await this.chooseLine(n);
    await expect(this.runToLineBox).toHaveValue(String(n));
    await this.button('Run to line').click();
  }

  /** Click line `n`'s code (scrolling it into view first through the line box). */
  async chooseLine(n: number): Promise<void> {
    await this.scrollTo(n);
    await this.line(n).locator('.src-text').click();
  }

  /** Bring line `n` into the rendered window (the file is windowed: only lines near the view exist). */
  async scrollTo(n: number): Promise<void> {
    // A line's height follows the text size, and the panel may scroll itself to a thread's line meanwhile:
    // measure a rendered line, and scroll again until line n stays rendered.
    await expect(async () => {
      await this.code.evaluate((el, line) => {
        const height = el.querySelector('[data-line]')?.getBoundingClientRect().height || 18;
        el.scrollTop = Math.max(0, (line - 10) * height);
      }, n);
      await expect(this.line(n)).toBeVisible({ timeout: 2_000 });
    }).toPass({ timeout: 15_000 });
  }

  /** The gutter button of line `n`: pressed when it has a breakpoint. */
  gutter(n: number): Locator {
    return this.line(n).getByRole('button', { name: `Breakpoint at line ${n}` });
  }

  /** Click line `n`'s number to set or remove its breakpoint. */
  async toggleBreakpoint(n: number): Promise<void> {
    await this.scrollTo(n);
    await this.gutter(n).click();
  }

  /** The locals table of frame `fn` of the followed thread. */
  locals(fn: string): Locator {
    return this.region.getByRole('table', { name: `Locals of ${fn}` });
  }

  /** The value cell of local `name` in frame `fn` ("(changed, was X)" is in its text when marked). */
  local(fn: string, name: string): Locator {
    return this.locals(fn)
      .getByRole('row')
      .filter({ has: this.page.getByRole('rowheader', { name, exact: true }) })
      .getByRole('cell');
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
