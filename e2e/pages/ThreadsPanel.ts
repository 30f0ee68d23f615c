import type { Locator, Page } from '@playwright/test';
import { expect } from '@playwright/test';
import { panel } from './panel';
import { PGO_NAMES } from '../../src/engine/openbsd/profile';

/** Arguments of the "Start a call" form; only those the chosen call has are filled. */
export interface StartArgs {
  /** The thread name; the form's default (the next free tN) when left out. */
  thread?: string;
  vnode?: string;
  prot?: 'r' | 'rw';
  shared?: boolean;
  access?: 'read' | 'write';
  /** Byte offset as typed: `0x1000` or `4096`. */
  offset?: string;
  size?: string;
  start?: string;
  stop?: string;
  /** A mount name, or '' for "all mounts (NULL)". */
  mount?: string;
  /** Exactly these PGO_* boxes end up ticked. */
  flags?: readonly string[];
  /** FreeBSD: the thread whose mmap a call uses (its "tN's mapping" option). */
  mapping?: string;
  /** FreeBSD: byte counts as typed (`0x2000` or `8192`). */
  length?: string;
  end?: string;
  /** FreeBSD: page counts and indexes, typed in decimal. */
  behind?: string;
  ahead?: string;
  rahead?: string;
  pindex?: string;
}

/** The boxes of the flags group, in the form's order: the format's PGO_* names. */
const PGO_FLAGS = PGO_NAMES;

/** The Threads panel: one card (an article named by its id) per thread, and the "Start a call" form. */
export class ThreadsPanel {
  readonly region: Locator;
  readonly form: Locator;
  readonly cards: Locator;
  /** The scrolling list of cards ("Thread list"). */
  readonly list: Locator;

  /** `root`: where the panel is, the whole page unless one lab of the compare view. */
  constructor(
    readonly page: Page,
    root: Page | Locator = page,
  ) {
    this.region = panel(root, 'Threads');
    this.form = this.region.getByRole('form', { name: 'Start a call' });
    this.cards = this.region.getByRole('list', { name: 'Kernel threads' }).getByRole('article');
    this.list = this.region.getByRole('region', { name: 'Thread list' });
  }

  card(id: string): Locator {
    return this.region.getByRole('article', { name: id, exact: true });
  }

  /** The status word beside the id: ready, lock, sleep, io, done, or panicked. */
  status(id: string): Locator {
    return this.card(id).getByText(/^(ready|lock|sleep|io|done|panicked)$/);
  }

  /** The call line, `fault(vnode=vn1, offset=0x1000, access=write) → returned VM_PAGER_OK`. */
  callLine(id: string): Locator {
    return this.card(id).getByRole('paragraph');
  }

  /** `→ returned X` once the thread is done. */
  returned(id: string): Locator {
    return this.card(id).getByText(/→ returned /);
  }

  /** The "in Source" tag: the Source follows this thread though another (returned) one is selected. */
  inSource(id: string): Locator {
    return this.card(id).getByText('in Source', { exact: true });
  }

  /** Select a thread by its id button. */
  select(id: string): Promise<void> {
    return this.card(id).getByRole('button', { name: id, exact: true }).click();
  }

  /** A fact of the card's list: `at`, `waits`, `unblock` or `holds`. */
  fact(id: string, term: 'at' | 'waits' | 'unblock' | 'holds'): Locator {
    // NOTE: a <dd> has no accessible name; it is the definition right after its term.
    return this.card(id).locator(`dt:text-is("${term}") + dd`);
  }

  stepButton(id: string): Locator {
    return this.region.getByRole('button', { name: `Step ${id}`, exact: true });
  }

  runButton(id: string): Locator {
    return this.region.getByRole('button', { name: `Run ${id}`, exact: true });
  }

  get startButton(): Locator {
    return this.form.getByRole('button', { name: 'Start', exact: true });
  }

  async step(id: string): Promise<void> {
    await this.stepButton(id).click();
  }

  async run(id: string): Promise<void> {
    await this.runButton(id).click();
  }

  /** Fill "Start a call" for `call` and press Start; resolves when the new thread's card is shown. */
  async start(call: string, args: StartArgs = {}): Promise<string> {
    const f = this.form;
    await f.getByRole('combobox', { name: 'call', exact: true }).selectOption(call);
    const nameBox = f.getByRole('textbox', { name: 'thread', exact: true });
    if (args.thread !== undefined) await nameBox.fill(args.thread);
    const thread = args.thread ?? (await nameBox.inputValue());
    if (args.vnode !== undefined)
      await f.getByRole('combobox', { name: 'vnode', exact: true }).selectOption(args.vnode);
    if (args.prot !== undefined) await f.getByRole('combobox', { name: 'prot', exact: true }).selectOption(args.prot);
    if (args.shared !== undefined) await f.getByRole('checkbox', { name: 'shared' }).setChecked(args.shared);
    if (args.access !== undefined)
      await f.getByRole('combobox', { name: 'access', exact: true }).selectOption(args.access);
    if (args.offset !== undefined)
      await f.getByRole('textbox', { name: 'offset (bytes)', exact: true }).fill(args.offset);
    if (args.size !== undefined) await f.getByRole('textbox', { name: 'size (bytes)', exact: true }).fill(args.size);
    if (args.start !== undefined) await f.getByRole('textbox', { name: 'start', exact: true }).fill(args.start);
    if (args.stop !== undefined) await f.getByRole('textbox', { name: 'stop', exact: true }).fill(args.stop);
    if (args.mount !== undefined)
      await f.getByRole('combobox', { name: 'mount', exact: true }).selectOption(args.mount);
    if (args.mapping !== undefined)
      await f.getByRole('combobox', { name: 'mapping', exact: true }).selectOption(args.mapping);
    if (args.length !== undefined)
      await f.getByRole('textbox', { name: 'length (bytes)', exact: true }).fill(args.length);
    if (args.end !== undefined) await f.getByRole('textbox', { name: 'end (bytes)', exact: true }).fill(args.end);
    for (const key of ['behind', 'ahead', 'rahead', 'pindex'] as const)
      if (args[key] !== undefined) await f.getByRole('textbox', { name: key, exact: true }).fill(args[key]);
    if (args.flags !== undefined) {
      for (const flag of PGO_FLAGS)
        await f.getByRole('checkbox', { name: flag, exact: true }).setChecked(args.flags.includes(flag));
    }
    await this.startButton.click();
    await expect(this.card(thread)).toBeVisible();
    return thread;
  }
}
