/**
 * A pager profile: what the panels show for one kernel, as plain data. Each
 * pager model brings its profile; the first snapshot of a session carries it,
 * and panels render from it, so no panel names a kernel's flag, field or file.
 */

/** One bit of a flag word, with what it means. */
export interface FlagInfo {
  readonly bit: number;
  readonly name: string;
  readonly meaning: string;
}

/**
 * One argument of a call, as the scenario format fixes it. The scenario reader
 * validates against it and the lab's "Start a call" form is built from it.
 */
export type ArgSpec =
  /** A vnode of the scenario, by name. */
  | { readonly name: string; readonly kind: 'vnode' }
  /** A mount some vnode uses; optional ones may be left out (then: every mount). */
  | { readonly name: string; readonly kind: 'mount'; readonly optional?: boolean }
  /** An earlier thread whose call made a mapping (FreeBSD's `mmap`), by thread name. */
  | { readonly name: string; readonly kind: 'mapping' }
  /** One of a few words. */
  | { readonly name: string; readonly kind: 'choice'; readonly choices: readonly string[]; readonly default?: string }
  | { readonly name: string; readonly kind: 'bool'; readonly default?: boolean }
  /**
   * A non-negative integer: bytes (`unit: 'bytes'`, entered in decimal or 0x hex), a page index or a
   * count. `pageAligned` asks for a multiple of 4096, `positive` for > 0.
   */
  | {
      readonly name: string;
      readonly kind: 'number';
      readonly unit: 'bytes' | 'pages' | 'count';
      readonly optional?: boolean;
      readonly default?: number;
      readonly pageAligned?: boolean;
      readonly positive?: boolean;
    }
  /** A list of distinct names from `choices` (a flag word such as PGO_*). */
  | {
      readonly name: string;
      readonly kind: 'flags';
      readonly choices: readonly string[];
      readonly default?: readonly string[];
    };

export interface CallSpec {
  readonly name: string;
  /** What the thread runs, in a line. */
  readonly summary: string;
  readonly args: readonly ArgSpec[];
}

/** A column of the Page bits table. */
export interface PageColumn {
  /** Key into `PageView.cells`. */
  readonly key: string;
  /** Header text: the kernel's own name (PG_BUSY, valid, xbusy). */
  readonly label: string;
  /** What it means, for the header's tooltip and screen readers. */
  readonly meaning: string;
  /**
   * How a cell is drawn: a yes mark, a plain value, a hex value, a thread (with its colour), a strip
   * of `cells` bits (FreeBSD's valid/dirty: one cell per 512 bytes), or a yes mark for bit `bit` of the
   * page's flag word (`PageView.flagWord`, e.g. OpenBSD's pg_flags).
   */
  readonly kind: 'yes' | 'text' | 'hex' | 'thread' | 'bits' | 'flag';
  readonly cells?: number;
  readonly bit?: number;
}

/** A page state the page tree colours a page by (first that applies), with its legend text. */
export interface PageStateInfo {
  readonly state: string;
  readonly label: string;
  readonly meaning: string;
}

export interface PagerProfile {
  /** The scenario's `pager`. */
  readonly pager: string;
  /** "OpenBSD", "FreeBSD". */
  readonly kernel: string;
  /** The seed the source pane shows. */
  readonly seed: {
    /** "uvm_vnode.c" */
    readonly file: string;
    /** "sys/uvm/uvm_vnode.c" */
    readonly path: string;
    /** Where the app fetches it, relative to the page ("seeds/uvm_vnode.c"). */
    readonly url: string;
  };
  /** The object panel: "uvn flags" for OpenBSD, "VM object" for FreeBSD. */
  readonly objectPanel: {
    readonly title: string;
    /** The flag word's name in the C ("u_flags", "flags"). */
    readonly flagWord: string;
    /** Prefix dropped from flag names in short summaries ("UVM_VNODE_"). */
    readonly flagPrefix: string;
    /** What the list of counters under the flags is called ("uvn and vnode fields"). */
    readonly fieldsLabel: string;
    readonly flags: readonly FlagInfo[];
  };
  /** The page tree: its title and what structure it draws. */
  readonly pageTree: {
    readonly structure: string;
    /** 'rbtree': a red-black tree by offset; 'list': the pages in index order. */
    readonly layout: 'rbtree' | 'list';
    /** How a page's key is written: a byte offset ("0x1000") or a page index ("pindex 1"). */
    readonly key: 'offset' | 'pindex';
    /** The kernel's names for a busy page and for one a thread waits on (badges "B" and "W"). */
    readonly busy: string;
    readonly wanted: string;
  };
  readonly pageStates: readonly PageStateInfo[];
  readonly pageColumns: readonly PageColumn[];
  /** The paging queues, in the order the Page queues panel shows them. */
  readonly queues: readonly { readonly name: string; readonly label: string }[];
  /** Extra columns of the I/O in flight panel (FreeBSD: blkno, async). */
  readonly ioFields: readonly { readonly key: string; readonly label: string; readonly meaning: string }[];
  readonly calls: readonly CallSpec[];
}
