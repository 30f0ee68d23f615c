import type { Locator, Page } from '@playwright/test';
import { panel } from './panel';

/** Every OBJ_* bit of the FreeBSD profile, in bit order (the table's rows). */
export const OBJ_FLAGS = ['OBJ_DEAD', 'OBJ_PIPWNT', 'OBJ_MIGHTBEDIRTY', 'OBJ_COLORED', 'OBJ_DISCONNECTWNT'] as const;

export type ObjectField =
  | 'type'
  | 'ref_count'
  | 'paging_in_progress'
  | 'size'
  | 'vnp_size'
  | 'writemappings'
  | 'usecount'
  | 'writecount'
  | 'VV_TEXT'
  | 'vnode state'
  | 'vnode lock';

/** "VM object": per vm_object a table of OBJ_* rows, its and its vnode's fields, then the free pbufs. */
export class VmObjectPanel {
  readonly region: Locator;

  constructor(
    readonly page: Page,
    root: Page | Locator = page,
  ) {
    this.region = panel(root, 'VM object');
  }

  /** The flags table of `object` (`obj1 (vn1)`), named by its caption `obj1 (vn1): flags = 0x1000 (COLORED)`. */
  table(object = 'obj1 (vn1)'): Locator {
    return this.region.getByRole('table', { name: `${object}: flags = `, exact: false });
  }

  caption(object = 'obj1 (vn1)'): Locator {
    return this.table(object).getByRole('caption');
  }

  /** The names of the flags whose "set" column says set, in bit order. */
  setFlags(object = 'obj1 (vn1)'): Locator {
    return this.table(object)
      .getByRole('row')
      .filter({ has: this.page.getByRole('cell', { name: 'set', exact: true }) })
      .getByRole('rowheader');
  }

  field(name: ObjectField, object = 'obj1 (vn1)'): Locator {
    return this.region.getByLabel(`${object}: object and vnode fields`).locator(`dt:text-is("${name}") + dd`);
  }

  /** A machine-wide counter: "free pbufs", "free async pbufs". */
  counter(name: 'free pbufs' | 'free async pbufs'): Locator {
    return this.region.getByLabel('Machine-wide counters').locator(`dt:text-is("${name}") + dd`);
  }
}

/** The FreeBSD Page bits columns, in order. */
export const FREEBSD_BITS_COLUMNS = [
  'page',
  'valid',
  'dirty',
  'xbusy',
  'sbusy',
  'waiters',
  'queue',
  'mapped',
  'writeable',
  'modified',
] as const;
export type FreeBsdColumn = (typeof FREEBSD_BITS_COLUMNS)[number];

/** "Page bits" for FreeBSD: one row per resident page, named `obj1[5]`; valid and dirty as 8-cell strips. */
export class FreeBsdBitsPanel {
  readonly region: Locator;

  constructor(
    readonly page: Page,
    root: Page | Locator = page,
  ) {
    this.region = panel(root, 'Page bits');
  }

  get headers(): Locator {
    return this.region.getByRole('columnheader');
  }

  get rows(): Locator {
    return this.region.getByRole('row').filter({ has: this.page.getByRole('cell') });
  }

  /** The row of page `name` (`obj1[5]`). */
  row(name: string): Locator {
    return this.rows.filter({ has: this.page.getByRole('cell', { name, exact: true }) });
  }

  cell(name: string, column: FreeBsdColumn): Locator {
    return this.row(name).getByRole('cell').nth(FREEBSD_BITS_COLUMNS.indexOf(column));
  }

  /** A valid or dirty strip: an image whose name says the bits (`valid 0xff: all 8 chunks (bytes 0–4095)`). */
  strip(name: string, column: 'valid' | 'dirty'): Locator {
    return this.cell(name, column).getByRole('img');
  }

  get empty(): Locator {
    return this.region.getByText('No resident pages.');
  }
}
