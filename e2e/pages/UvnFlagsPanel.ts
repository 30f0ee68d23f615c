import type { Locator, Page } from '@playwright/test';
import { panel } from './panel';

/** Every UVM_VNODE_* bit, in bit order (the table's rows). */
export const UVN_FLAGS = [
  'UVM_VNODE_VALID',
  'UVM_VNODE_CANPERSIST',
  'UVM_VNODE_ALOCK',
  'UVM_VNODE_DYING',
  'UVM_VNODE_RELKILL',
  'UVM_VNODE_WANTED',
  'UVM_VNODE_VNISLOCKED',
  'UVM_VNODE_IOSYNC',
  'UVM_VNODE_IOSYNCWANTED',
  'UVM_VNODE_WRITEABLE',
  'UVM_VNODE_IOERROR',
] as const;

/** The uvn and vnode fields listed under the flags. */
export type UvnField =
  | 'refs'
  | 'u_size'
  | 'u_nio'
  | 'npages'
  | 'on uvn_wlist (writeable)'
  | 'usecount'
  | 'v_flag'
  | 'state'
  | 'type'
  | 'mount'
  | 'file size';

/** "uvn flags": per vnode a table of UVM_VNODE_* rows with a "set" column, then its counters. */
export class UvnFlagsPanel {
  readonly region: Locator;

  /** `root`: where the panel is, the whole page unless one lab of the compare view. */
  constructor(
    readonly page: Page,
    root: Page | Locator = page,
  ) {
    this.region = panel(root, 'uvn flags');
  }

  /** The flags table of `vnode`, named by its caption `vn1: u_flags = 0x203`. */
  table(vnode = 'vn1'): Locator {
    return this.region.getByRole('table', { name: new RegExp(`^${vnode}: u_flags = `) });
  }

  /** The caption, `vn1: u_flags = 0x203`. */
  caption(vnode = 'vn1'): Locator {
    return this.table(vnode).getByRole('caption');
  }

  /** The row of one flag. */
  flag(name: (typeof UVN_FLAGS)[number], vnode = 'vn1'): Locator {
    return this.table(vnode)
      .getByRole('row')
      .filter({ has: this.page.getByRole('rowheader', { name, exact: true }) });
  }

  /** The names of the flags whose "set" column says set, in bit order. */
  setFlags(vnode = 'vn1'): Locator {
    return this.table(vnode)
      .getByRole('row')
      .filter({ has: this.page.getByRole('cell', { name: 'set', exact: true }) })
      .getByRole('rowheader');
  }

  /** The value of a uvn or vnode field (refs, u_nio, usecount, state…). */
  field(name: UvnField, vnode = 'vn1'): Locator {
    // NOTE: each dt/dd pair sits in its own <div> of the labelled <dl>.
    return this.region.getByLabel(`${vnode}: uvn and vnode fields`).locator(`dt:text-is("${name}") + dd`);
  }
}
