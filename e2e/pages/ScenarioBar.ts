import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import type { Locator, Page } from '@playwright/test';
import { expect } from '@playwright/test';

/** A file to import: a path on disk, or a name and its contents. */
export type ImportSource = string | { name: string; contents: string | Buffer };

async function filePayload(source: ImportSource): Promise<{ name: string; mimeType: string; buffer: Buffer }> {
  return typeof source === 'string'
    ? { name: basename(source), mimeType: 'application/json', buffer: await readFile(source) }
    : {
        name: source.name,
        mimeType: 'application/json',
        buffer: typeof source.contents === 'string' ? Buffer.from(source.contents, 'utf8') : source.contents,
      };
}

/** The header's "Scenario" toolbar: library, import, export, share, reset, help. */
export class ScenarioBar {
  readonly toolbar: Locator;
  readonly library: Locator;

  constructor(readonly page: Page) {
    this.toolbar = page.getByRole('toolbar', { name: 'Scenario' });
    this.library = this.toolbar.getByRole('combobox', { name: 'Open from library' });
  }

  button(name: 'Start here' | 'Import…' | 'Export' | 'Share link' | 'Reset' | 'Help'): Locator {
    return this.toolbar.getByRole('button', { name, exact: true });
  }

  async openLibrary(name: string): Promise<void> {
    await this.library.selectOption(name);
  }

  /**
   * Import a scenario file: what choosing it after "Import…" does. The file
   * goes straight to the (visually hidden) input "Import scenario file".
   */
  async importFile(source: ImportSource): Promise<void> {
    await this.toolbar.getByLabel('Import scenario file').setInputFiles(await filePayload(source));
  }

  /** Import through the OS file chooser that "Import…" opens, answered by Playwright. */
  async importWithChooser(source: ImportSource): Promise<void> {
    const chooser = this.page.waitForEvent('filechooser');
    await this.button('Import…').click();
    await (await chooser).setFiles(await filePayload(source));
  }

  /** Press Export; resolves to the downloaded file's name and text. */
  async exportFile(): Promise<{ name: string; text: string }> {
    const download = this.page.waitForEvent('download');
    await this.button('Export').click();
    const file = await download;
    const path = await file.path();
    return { name: file.suggestedFilename(), text: await readFile(path, 'utf8') };
  }

  /**
   * Press "Share link"; resolves to the link. The app writes it into the
   * address bar (history.replaceState) as well as the clipboard.
   */
  async shareLink(): Promise<string> {
    await this.button('Share link').click();
    await expect(this.page).toHaveURL(/#scenario=./);
    return this.page.url();
  }

  /** Press Reset and confirm it in the dialog that asks. */
  async reset(): Promise<void> {
    await this.button('Reset').click();
    const dialog = this.page.getByRole('dialog', { name: 'Reset the lab?' });
    await dialog.getByRole('button', { name: 'Reset the lab' }).click();
    await expect(dialog).toBeHidden();
  }

  /** "About this scenario": the folding area under the header (its summary and explanation). */
  get about(): Locator {
    return this.page.locator('details.about');
  }
}
