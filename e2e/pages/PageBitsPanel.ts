import type { Locator, Page } from '@playwright/test';
import { expect } from '@playwright/test';
import { panel } from './panel';

/** The table's columns, in order; a spec checks the headers against this list. */
export const BITS_COLUMNS = [
  'vnode',
  'offset',
  'PG_BUSY',
  'PG_WANTED',
  'PG_CLEAN',
  'PG_CLEANCHK',
  'PG_RELEASED',
  'PG_FAKE',
  'queue',
  'wired',
  'mapped',
  'modified',
  'owner thread',
] as const;
export type BitsColumn = (typeof BITS_COLUMNS)[number];

/** The bit columns: a set bit reads "yes", a clear one is empty. */
export const PG_BITS = ['PG_BUSY', 'PG_WANTED', 'PG_CLEAN', 'PG_CLEANCHK', 'PG_RELEASED', 'PG_FAKE'] as const;
export type PgBit = (typeof PG_BITS)[number];

/** A "yes" cell: the word, after a decorative (aria-hidden) check mark. */
export const YES = /^(✓\s*)?yes$/;

/** Everything one row says about a page. */
export interface PageRow {
  bits: readonly PgBit[];
  queue: 'active' | 'inactive' | 'none';
  mapped: boolean;
  modified: boolean;
  /** The thread that has it busy, or '' for none. */
  owner: string;
}

/** "Page bits": one row per resident page of the shown vnode(s). */
export class PageBitsPanel {
  readonly region: Locator;

  /** `root`: where the panel is, the whole page unless one lab of the compare view. */
  constructor(
    readonly page: Page,
    root: Page | Locator = page,
  ) {
    this.region = panel(root, 'Page bits');
  }

  get headers(): Locator {
    return this.region.getByRole('columnheader');
  }

  /** The page rows (the header row has no cells). */
  get rows(): Locator {
    return this.region.getByRole('row').filter({ has: this.page.getByRole('cell') });
  }

  /** "N resident page(s) of vn1". */
  get count(): Locator {
    return this.region.getByText(/^\d+ resident pages?/);
  }

  get empty(): Locator {
    return this.region.getByText('No resident pages.');
  }

  row(vnode: string, offset: string): Locator {
    return this.rows
      .filter({ has: this.page.getByRole('cell', { name: vnode, exact: true }) })
      .filter({ has: this.page.getByRole('cell', { name: offset, exact: true }) });
  }

  /** The cell of the page at `offset` (of `vnode`, vn1 by default) in `column`. */
  cell(offset: string, column: BitsColumn, vnode = 'vn1'): Locator {
    return this.row(vnode, offset).getByRole('cell').nth(BITS_COLUMNS.indexOf(column));
  }

  /** Check every column of one page's row: exactly `row.bits` set, and the rest as given. */
  async expectPage(offset: string, row: PageRow, vnode = 'vn1'): Promise<void> {
    await expect(this.row(vnode, offset)).toHaveCount(1);
    for (const bit of PG_BITS)
      await expect(this.cell(offset, bit, vnode)).toHaveText(row.bits.includes(bit) ? YES : '');
    await expect(this.cell(offset, 'queue', vnode)).toHaveText(row.queue);
    await expect(this.cell(offset, 'wired', vnode)).toHaveText('0');
    await expect(this.cell(offset, 'mapped', vnode)).toHaveText(row.mapped ? YES : '');
    await expect(this.cell(offset, 'modified', vnode)).toHaveText(row.modified ? YES : '');
    await expect(this.cell(offset, 'owner thread', vnode)).toHaveText(row.owner);
  }
}
