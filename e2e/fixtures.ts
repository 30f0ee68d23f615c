import { expect, test as base } from '@playwright/test';
import { Lab } from './pages/Lab';

export { expect } from '@playwright/test';

interface Fixtures {
  /** The app, opened on its default setup (the library's lecture walk-through with no steps). */
  lab: Lab;
}

/**
 * A fresh page whose saved session is cleared once, before the app first
 * loads (later reloads in the same tab keep what the app saved, as they
 * would for a person), and a `lab` of page objects already opened.
 */
export const test = base.extend<Fixtures>({
  page: async ({ page }, use) => {
    // An exception nobody caught fails the test, whatever it checked: a page can look right and be broken.
    const uncaught: string[] = [];
    page.on('pageerror', (e) => uncaught.push(e.message));
    await page.addInitScript(() => {
      // about:blank (a test's way to start over) has no storage to clear.
      if (location.protocol === 'about:') return;
      if (sessionStorage.getItem('e2e:cleared')) return;
      localStorage.clear();
      sessionStorage.setItem('e2e:cleared', '1');
    });
    await use(page);
    expect(uncaught, 'uncaught exceptions in the page').toEqual([]);
  },
  lab: async ({ page }, use) => {
    const lab = new Lab(page);
    await lab.open();
    await use(lab);
  },
});
